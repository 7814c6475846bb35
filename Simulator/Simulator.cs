using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// Runs <see cref="Circuit"/>s on batched state vectors of an <see cref="Kernels.Accelerator"/>, in single
/// (<see cref="float"/>) or double (<see cref="double"/>) precision.
/// </summary>
/// <remarks>
/// <para>Every sample of a batch starts in |0…0⟩ and runs the same circuit; gates whose angles depend on an
/// <see cref="ParameterKind.Input"/> get a different matrix per sample, all others one shared matrix. Qubit 0 is the
/// least-significant bit of the amplitude index.</para>
/// <para>All validation (bindings, values, angles, qubit counts, memory) happens before the first kernel call, so
/// invalid input never leaves a state half-updated.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Simulator<T> where T : unmanaged
{
    /// <summary>Creates a simulator on an accelerator.</summary>
    /// <param name="accelerator">The accelerator; it is not owned (not disposed) by the simulator.</param>
    /// <exception cref="ArgumentNullException">The accelerator is null.</exception>
    /// <exception cref="NotSupportedException">The accelerator does not compute in precision <typeparamref name="T"/>.</exception>
    public Simulator(Accelerator accelerator) : this(accelerator, null)
    {
    }

    /// <summary>Creates a simulator on an accelerator with explicit fusion options.</summary>
    /// <param name="accelerator">The accelerator that holds the states and runs the kernels.</param>
    /// <param name="fusion">How gates are fused into kernel passes; null for <see cref="FusionOptions.For"/> the accelerator,
    /// <see cref="FusionOptions.Disabled"/> for one pass per gate.</param>
    /// <exception cref="ArgumentNullException">The accelerator is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fusion limit is out of range.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not float or double, or the accelerator lacks it.</exception>
    public Simulator(Accelerator accelerator, FusionOptions? fusion)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Fusion = fusion ?? FusionOptions.For(accelerator);
        Fusion.Validate();
        if (!accelerator.Supports<T>())
        {
            throw new NotSupportedException(typeof(T) == typeof(double) || typeof(T) == typeof(float)
                ? $"accelerator '{accelerator}' does not support {typeof(T).Name} precision"
                : $"precision {typeof(T).Name} is not supported: expected float or double");
        }
        Accelerator = accelerator;
    }

    /// <summary>The accelerator the simulator runs on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>How this simulator fuses gates. The fused structure of a circuit is computed once and reused for every
    /// binding of its parameters.</summary>
    public FusionOptions Fusion { get; }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Circuit, FusedProgram> _programs = new();

    /// <summary>The fused program of a circuit under this simulator's options, cached per circuit instance.</summary>
    internal FusedProgram Program(Circuit circuit) => _programs.GetValue(circuit, c => Fuser.Fuse(c, Fusion));

    /// <summary>
    /// The batch size a run would use: the length of the circuit's input arrays when it has inputs (they must all
    /// agree, and agree with <paramref name="batchSize"/> when that is given), else <paramref name="batchSize"/> or 1.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings; may be null when the circuit has no inputs.</param>
    /// <param name="batchSize">Requested batch size, or null.</param>
    /// <returns>The batch size.</returns>
    /// <exception cref="ArgumentNullException">The circuit is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested batch size is below 1.</exception>
    /// <exception cref="UnboundParameterException">An input has no values.</exception>
    /// <exception cref="ParameterBindingException">Input lengths disagree with each other or with <paramref name="batchSize"/>,
    /// an input is empty, or an input is bound as a weight.</exception>
    public int ResolveBatchSize(Circuit circuit, ParameterValues? values, int? batchSize = null) =>
        BoundCircuit.ResolveBatchSize(circuit, values, batchSize);

    /// <summary>
    /// Allocates a batch of |0…0⟩ states on the accelerator and applies the circuit to every sample. The caller
    /// disposes the returned state.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings for its parameters; may be null when it has none. Unused names are ignored.</param>
    /// <param name="batchSize">Number of samples when the circuit has no inputs (default 1); otherwise optional and
    /// checked against the inputs' lengths.</param>
    /// <returns>The final state: <see cref="Circuit.Qubits"/> qubits × the batch size.</returns>
    /// <exception cref="ArgumentNullException">The circuit is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested batch size is below 1.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count or not finite (or gives a non-finite angle).</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The state would not fit on the accelerator.</exception>
    public BatchedState<T> Run(Circuit circuit, ParameterValues? values = null, int? batchSize = null)
    {
        var bound = BoundCircuit.Bind(circuit, values, batchSize);
        var state = Accelerator.AllocateState<T>(circuit.Qubits, bound.BatchSize);
        try
        {
            GateApplier.Apply(Accelerator, state, bound, Program(circuit));
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>Applies a circuit in place to every sample of an existing state.</summary>
    /// <param name="state">A live state of this simulator's accelerator with exactly <see cref="Circuit.Qubits"/> qubits.</param>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings for its parameters; inputs must have one value per sample of the state.</param>
    /// <exception cref="ArgumentNullException">The state or circuit is null.</exception>
    /// <exception cref="ObjectDisposedException">The state has been disposed.</exception>
    /// <exception cref="AcceleratorMismatchException">The state belongs to another accelerator.</exception>
    /// <exception cref="ArgumentException">The state and circuit have different numbers of qubits.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count (inputs must match the state's batch) or not finite.</exception>
    public void Apply(BatchedState<T> state, Circuit circuit, ParameterValues? values = null)
    {
        CheckState(state);
        ArgumentNullException.ThrowIfNull(circuit);
        if (state.Qubits != circuit.Qubits)
        {
            throw new ArgumentException($"the state has {state.Qubits} qubits but the circuit has {circuit.Qubits}: they must be equal", nameof(circuit));
        }
        var bound = BoundCircuit.Bind(circuit, values, state.BatchSize);
        GateApplier.Apply(Accelerator, state, bound, Program(circuit));
    }

    /// <summary>
    /// Runs the circuit on a fresh batch and returns the expectation of every observable in every sample:
    /// <c>result[b][k] = ⟨ψ_b|O_k|ψ_b⟩</c>. The state is released before returning.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="observables">The observables; each may act only on the circuit's qubits.</param>
    /// <param name="values">Bindings for the circuit's parameters.</param>
    /// <param name="batchSize">As in <see cref="Run"/>.</param>
    /// <returns>Expectations, [sample][observable].</returns>
    /// <exception cref="ArgumentNullException">The circuit, the list or an observable is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An observable acts on a qubit the circuit lacks, or the batch size is below 1.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count or not finite.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The state would not fit on the accelerator.</exception>
    public double[][] Expectations(Circuit circuit, IReadOnlyList<Observable> observables, ParameterValues? values = null, int? batchSize = null)
    {
        CheckObservables(circuit, observables);
        if (UsesSmallCircuitKernel(circuit))
        {
            var bound = BoundCircuit.Bind(circuit, values, batchSize);
            return RunSmall(bound, observables, null, out _, out _);
        }
        using var state = Run(circuit, values, batchSize);
        return ExpectationsCore(state, observables);
    }

    /// <summary>
    /// Expectation values and their full Jacobian with respect to every weight and every per-sample input of the
    /// circuit, on this simulator's accelerator.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="observables">The observables; each may act only on the circuit's qubits.</param>
    /// <param name="values">Bindings for the circuit's parameters.</param>
    /// <param name="batchSize">As in <see cref="Run"/>.</param>
    /// <param name="method">Adjoint (default) or parameter shift.</param>
    /// <returns>Values [sample][observable] and Jacobians [sample][observable][parameter].</returns>
    /// <exception cref="ArgumentNullException">The circuit, the list or an observable is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An observable acts on a qubit the circuit lacks, the batch size is below 1, or the method is unknown.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count or not finite.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The states the method needs (four for adjoint) do not fit.</exception>
    public ExpectationGradients Gradients(Circuit circuit, IReadOnlyList<Observable> observables, ParameterValues? values = null,
        int? batchSize = null, GradientMethod method = GradientMethod.Adjoint)
    {
        CheckObservables(circuit, observables);
        CheckMethod(method);
        var bound = BoundCircuit.Bind(circuit, values, batchSize);
        int batch = bound.BatchSize, count = observables.Count;
        int nw = circuit.Weights.Count, ni = circuit.Inputs.Count;
        var weightJacobian = new double[batch][][];
        var inputJacobian = new double[batch][][];
        for (int b = 0; b < batch; b++)
        {
            weightJacobian[b] = new double[count][];
            inputJacobian[b] = new double[count][];
            for (int k = 0; k < count; k++)
            {
                weightJacobian[b][k] = new double[nw];
                inputJacobian[b][k] = new double[ni];
            }
        }
        double[][] expectations;
        Func<int, int, int, double[]> occurrence; // ∂⟨O_k⟩_b/∂(angle j of gate g) for every b, as (k, g, j)
        if (method == GradientMethod.Adjoint && UsesSmallCircuitKernel(circuit))
        {
            var seeds = new double[count][];
            for (int k = 0; k < count; k++)
            {
                seeds[k] = new double[batch * count];
                for (int b = 0; b < batch; b++) seeds[k][b * count + k] = 1;
            }
            expectations = RunSmall(bound, observables, seeds, out var gradients, out var occurrenceOf);
            occurrence = (k, g, j) => gradients![k][occurrenceOf![(g, j)]];
        }
        else if (method == GradientMethod.Adjoint)
        {
            var seeds = new double[count][][];
            for (int k = 0; k < count; k++)
            {
                seeds[k] = new double[batch][];
                for (int b = 0; b < batch; b++)
                {
                    seeds[k][b] = new double[count];
                    seeds[k][b][k] = 1;
                }
            }
            var occurrences = Differentiator.Adjoint<T>(Accelerator, bound, Program(circuit), observables, seeds, out expectations);
            occurrence = (k, g, j) => occurrences[k][g][j];
        }
        else
        {
            var occurrences = Differentiator.ParameterShift<T>(Accelerator, bound, Program(circuit), observables, out expectations);
            occurrence = (k, g, j) =>
            {
                var row = new double[batch];
                for (int b = 0; b < batch; b++) row[b] = occurrences[g][j][b][k];
                return row;
            };
        }
        var perSampleW = new double[batch][];
        var perSampleX = new double[batch][];
        for (int k = 0; k < count; k++)
        {
            for (int b = 0; b < batch; b++)
            {
                perSampleW[b] = weightJacobian[b][k];
                perSampleX[b] = inputJacobian[b][k];
            }
            int observable = k;
            Differentiator.Accumulate(circuit, (g, j) => occurrence(observable, g, j), batch, perSampleW, perSampleX);
        }
        return new ExpectationGradients(circuit.Weights, circuit.Inputs, expectations, weightJacobian, inputJacobian);
    }

    /// <summary>
    /// The backward pass of a quantum layer: runs the circuit, and given the upstream gradient
    /// <c>upstream[b][k] = ∂L/∂⟨O_k⟩_b</c> returns the expectation values and ∂L with respect to every weight (summed
    /// over the batch) and every per-sample input. With the adjoint method this costs one backward sweep whatever the
    /// number of observables.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="observables">The observables.</param>
    /// <param name="values">Bindings for the circuit's parameters.</param>
    /// <param name="upstream">[sample][observable], finite; its length fixes or must match the batch size.</param>
    /// <param name="method">Adjoint (default) or parameter shift.</param>
    /// <returns>Values and gradients.</returns>
    /// <exception cref="ArgumentNullException">An argument or an observable is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An observable acts on a qubit the circuit lacks, or the method is unknown.</exception>
    /// <exception cref="ArgumentException">The upstream gradient has the wrong shape or a non-finite entry.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count or not finite.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The states do not fit.</exception>
    public VectorJacobianProduct Backward(Circuit circuit, IReadOnlyList<Observable> observables, ParameterValues? values,
        double[][] upstream, GradientMethod method = GradientMethod.Adjoint)
    {
        CheckObservables(circuit, observables);
        CheckMethod(method);
        ArgumentNullException.ThrowIfNull(upstream);
        var bound = BoundCircuit.Bind(circuit, values, upstream.Length == 0 ? null : upstream.Length);
        int batch = bound.BatchSize, count = observables.Count;
        CheckUpstream(upstream, batch, count);
        int nw = circuit.Weights.Count, ni = circuit.Inputs.Count;
        var perSampleW = new double[batch][];
        var inputs = new double[batch][];
        for (int b = 0; b < batch; b++)
        {
            perSampleW[b] = new double[nw];
            inputs[b] = new double[ni];
        }
        double[][] expectations;
        if (method == GradientMethod.Adjoint && UsesSmallCircuitKernel(circuit))
        {
            var seed = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(1, batch * count));
            for (int b = 0; b < batch; b++) upstream[b].CopyTo(seed, b * count);
            expectations = RunSmall(bound, observables, [seed], out var gradients, out var occurrenceOf);
            System.Buffers.ArrayPool<double>.Shared.Return(seed);
            var g0 = gradients![0];
            Differentiator.Accumulate(circuit, (g, j) => g0[occurrenceOf![(g, j)]], batch, perSampleW, inputs);
        }
        else if (method == GradientMethod.Adjoint)
        {
            var occ = Differentiator.Adjoint<T>(Accelerator, bound, Program(circuit), observables, [upstream], out expectations)[0];
            Differentiator.Accumulate(circuit, (g, j) => occ[g][j], batch, perSampleW, inputs);
        }
        else
        {
            var occ = Differentiator.ParameterShift<T>(Accelerator, bound, Program(circuit), observables, out expectations);
            Differentiator.Accumulate(circuit, (g, j) =>
            {
                var row = new double[batch];
                for (int b = 0; b < batch; b++)
                {
                    double sum = 0;
                    for (int k = 0; k < count; k++) sum += upstream[b][k] * occ[g][j][b][k];
                    row[b] = sum;
                }
                return row;
            }, batch, perSampleW, inputs);
        }
        var weights = new double[nw];
        for (int b = 0; b < batch; b++)
        {
            for (int w = 0; w < nw; w++) weights[w] += perSampleW[b][w];
        }
        return new VectorJacobianProduct(circuit.Weights, circuit.Inputs, expectations, weights, inputs);
    }

    /// <summary>Whether calls on this circuit take the fused small-circuit kernel.</summary>
    internal bool UsesSmallCircuitKernel(Circuit circuit) =>
        Accelerator.SupportsSmallCircuits && SmallCircuitCompiler.CanCompile(circuit, Fusion.SmallCircuitMaxQubits);

    /// <summary>Runs the fused small-circuit kernel: values [b][k] and, with seeds, gradients [seed][occurrence][b].</summary>
    private double[][] RunSmall(BoundCircuit bound, IReadOnlyList<Observable> observables, double[][]? seeds,
        out double[][][]? gradients, out Dictionary<(int Gate, int Angle), int>? occurrenceOf)
    {
        var program = SmallCircuitCompiler.Compile(bound, observables, seeds is not null);
        int batch = bound.BatchSize, count = observables.Count;
        var flat = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(1, batch * count));
        gradients = null;
        occurrenceOf = null;
        if (seeds is not null)
        {
            gradients = new double[seeds.Length][][];
            for (int s = 0; s < seeds.Length; s++)
            {
                gradients[s] = new double[program.Occurrences][];
                for (int o = 0; o < program.Occurrences; o++) gradients[s][o] = new double[batch];
            }
            occurrenceOf = [];
            int next = 0;
            foreach (var op in program.Ops)
            {
                foreach (int j in op.Angles) occurrenceOf[(op.Gate, j)] = next++;
            }
        }
        try
        {
            Accelerator.RunSmallCircuit<T>(program, flat, seeds, gradients);
        }
        finally
        {
            program.Release();
        }
        var values = Rows(flat, batch, count);
        System.Buffers.ArrayPool<double>.Shared.Return(flat);
        return values;
    }

    private static void CheckMethod(GradientMethod method)
    {
        if (method is not (GradientMethod.Adjoint or GradientMethod.ParameterShift))
        {
            throw new ArgumentOutOfRangeException(nameof(method), $"unknown gradient method {(int)method}: expected Adjoint or ParameterShift");
        }
    }

    private static void CheckUpstream(double[][] upstream, int batch, int count)
    {
        if (upstream.Length != batch)
        {
            throw new ArgumentException($"upstream has {upstream.Length} rows, expected one per sample: {batch}", nameof(upstream));
        }
        for (int b = 0; b < batch; b++)
        {
            var row = upstream[b] ?? throw new ArgumentException($"upstream row {b} is null", nameof(upstream));
            if (row.Length != count)
            {
                throw new ArgumentException($"upstream row {b} has {row.Length} entries, expected one per observable: {count}", nameof(upstream));
            }
            for (int k = 0; k < count; k++)
            {
                if (!double.IsFinite(row[k]))
                {
                    throw new ArgumentException($"upstream[{b}][{k}] is {row[k]}: gradients must be finite", nameof(upstream));
                }
            }
        }
    }

    private static void CheckObservables(Circuit circuit, IReadOnlyList<Observable> observables)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(observables);
        for (int k = 0; k < observables.Count; k++)
        {
            var o = observables[k] ?? throw new ArgumentNullException(nameof(observables), $"observable {k} is null");
            CheckObservable(o, circuit.Qubits, "circuit", nameof(observables), k);
        }
    }

    /// <summary>The expectation of an observable in every sample of a state: <c>⟨ψ_b|O|ψ_b⟩</c>.</summary>
    /// <param name="state">The state.</param>
    /// <param name="observable">The observable; it may act only on the state's qubits.</param>
    /// <returns>One value per sample.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The state has been disposed.</exception>
    /// <exception cref="AcceleratorMismatchException">The state belongs to another accelerator.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The observable acts on a qubit the state lacks.</exception>
    public double[] Expectation(BatchedState<T> state, Observable observable)
    {
        CheckState(state);
        ArgumentNullException.ThrowIfNull(observable);
        CheckObservable(observable, state.Qubits, "state", nameof(observable), null);
        var perSample = ExpectationsCore(state, [observable]);
        var result = new double[state.BatchSize];
        for (int b = 0; b < result.Length; b++) result[b] = perSample[b][0];
        return result;
    }

    /// <summary>
    /// Runs the circuit and returns the probability |ψ_b(i)|² of every basis state i in every sample b. On an
    /// accelerator with the fused small-circuit kernel (circuits up to <see cref="FusionOptions.SmallCircuitMaxQubits"/>
    /// qubits) this is one launch that writes only the probabilities; otherwise the state is simulated and read.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings for the circuit's parameters.</param>
    /// <param name="batchSize">As in <see cref="Run"/>.</param>
    /// <returns>[sample][basis index]; qubit 0 is bit 0 of the index.</returns>
    /// <exception cref="ArgumentNullException">The circuit is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    /// <exception cref="UnboundParameterException">A parameter of the circuit has no value.</exception>
    /// <exception cref="ParameterBindingException">A value is wrong: kind, count or not finite.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The state or the result would not fit.</exception>
    public double[][] Probabilities(Circuit circuit, ParameterValues? values = null, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        if (Accelerator.SupportsSmallCircuitProbabilities && UsesSmallCircuitKernel(circuit))
        {
            var bound = BoundCircuit.Bind(circuit, values, batchSize);
            int batch = bound.BatchSize, dim = 1 << circuit.Qubits;
            if ((long)batch * dim > Array.MaxLength)
            {
                throw new InsufficientAcceleratorMemoryException(
                    $"{batch} × 2^{circuit.Qubits} probabilities exceed the {Array.MaxLength} elements a host array can hold", (long)batch * dim, Array.MaxLength);
            }
            var program = SmallCircuitCompiler.Compile(bound, [], withDerivatives: false).AsProbabilities();
            var flat = new double[(long)batch * dim];
            try
            {
                Accelerator.RunSmallCircuit<T>(program, flat, null, null);
            }
            finally
            {
                program.Release();
            }
            return Rows(flat, batch, dim);
        }
        using var state = Run(circuit, values, batchSize);
        return Probabilities(state);
    }

    /// <summary>The probability |ψ_b(i)|² of every basis state i in every sample b.</summary>
    /// <param name="state">The state.</param>
    /// <returns>[sample][basis index]; qubit 0 is bit 0 of the index.</returns>
    /// <exception cref="ArgumentNullException">The state is null.</exception>
    /// <exception cref="ObjectDisposedException">The state has been disposed.</exception>
    /// <exception cref="AcceleratorMismatchException">The state belongs to another accelerator.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The probabilities do not fit in host arrays.</exception>
    public double[][] Probabilities(BatchedState<T> state)
    {
        CheckState(state);
        if (state.PlaneLength > Array.MaxLength)
        {
            throw new InsufficientAcceleratorMemoryException(
                $"{state.BatchSize} × 2^{state.Qubits} probabilities exceed the {Array.MaxLength} elements a host array can hold", state.PlaneLength, Array.MaxLength);
        }
        var flat = new double[state.PlaneLength];
        Accelerator.Probabilities(state, flat);
        return Rows(flat, state.BatchSize, (int)state.Dimension);
    }

    /// <summary>Splits the first rows × width values of a row-major buffer into one array per row.</summary>
    private static double[][] Rows(double[] flat, int rows, int width)
    {
        var result = new double[rows][];
        for (int r = 0; r < rows; r++) result[r] = flat.AsSpan(r * width, width).ToArray();
        return result;
    }

    /// <summary>
    /// Draws <paramref name="shots"/> basis states from every sample's distribution, reproducibly for a given seed
    /// (the same on every accelerator). The state is not changed.
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="shots">Draws per sample, at least 1.</param>
    /// <param name="seed">Random seed.</param>
    /// <returns>The drawn indices, [sample][shot].</returns>
    /// <exception cref="ArgumentNullException">The state is null.</exception>
    /// <exception cref="ObjectDisposedException">The state has been disposed.</exception>
    /// <exception cref="AcceleratorMismatchException">The state belongs to another accelerator.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Shots below 1, or more draws in total than a host array can hold.</exception>
    /// <exception cref="InvalidOperationException">A sample has zero norm.</exception>
    public SampleResult Sample(BatchedState<T> state, int shots, ulong seed)
    {
        CheckState(state);
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(shots), $"shots must be at least 1, got {shots}");
        long total = (long)state.BatchSize * shots;
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(shots), $"{state.BatchSize} samples × {shots} shots = {total} draws exceed the {Array.MaxLength} a host array can hold");
        }
        var flat = new long[total];
        Accelerator.Sample(state, shots, seed, flat);
        var result = new long[state.BatchSize][];
        for (int b = 0; b < result.Length; b++) result[b] = flat.AsSpan(b * shots, shots).ToArray();
        return new SampleResult(state.Qubits, shots, result);
    }

    private double[][] ExpectationsCore(BatchedState<T> state, IReadOnlyList<Observable> observables) =>
        Differentiator.Expectations(Accelerator, state, observables);

    private void CheckState(BatchedState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Accelerator, Accelerator))
        {
            throw new AcceleratorMismatchException($"the state belongs to accelerator '{state.Accelerator}', not to this simulator's '{Accelerator}'", nameof(state));
        }
        ObjectDisposedException.ThrowIf(state.IsDisposed, state);
    }

    private static void CheckObservable(Observable observable, int qubits, string what, string paramName, int? index)
    {
        if (observable.MaxQubit >= qubits)
        {
            string which = index is null ? "the observable" : $"observable {index}";
            throw new ArgumentOutOfRangeException(paramName,
                $"{which} ({observable}) acts on qubit {observable.MaxQubit}, out of range for a {qubits}-qubit {what} (expected 0…{qubits - 1})");
        }
    }
}
