using System.Numerics;
using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// Gradients of expectation values on any accelerator, built only from accelerator kernels: adjoint
/// differentiation (Jones &amp; Gacon, arXiv:2009.02823) and the parameter-shift rule.
/// </summary>
/// <remarks>
/// <para>Both methods produce <em>occurrence</em> derivatives: for every angle of every gate, the derivative of the
/// seeded quantity with respect to that angle, per sample. <see cref="Accumulate"/> maps them onto parameters by the
/// chain rule (an angle is <c>Scale · p + Offset</c>; a weight may appear in many gates).</para>
/// <para>The adjoint sweep for a seed <c>Σ_k w_bk O_k</c>: ψ = U|0⟩, λ = Σ_k w_bk O_k ψ; for gates N…1:
/// ψ ← U_g†ψ; for each angle, μ = (dU_g/dθ)ψ and ∂ = 2 Re⟨λ|μ⟩; λ ← U_g†λ. Four states live at once.</para>
/// </remarks>
internal static class Differentiator
{
    /// <summary>Expectations of every observable in every sample: [sample][observable].</summary>
    internal static double[][] Expectations<T>(Accelerator accelerator, BatchedState<T> state, IReadOnlyList<Observable> observables) where T : unmanaged
    {
        int batch = state.BatchSize;
        var result = new double[batch][];
        for (int b = 0; b < batch; b++) result[b] = new double[observables.Count];
        var cache = new Dictionary<PauliString, double[]>();
        for (int k = 0; k < observables.Count; k++)
        {
            foreach (var (coefficient, pauli) in observables[k].Terms)
            {
                if (!cache.TryGetValue(pauli, out var values))
                {
                    values = new double[batch];
                    accelerator.ExpectationPauli(state, pauli, values);
                    cache[pauli] = values;
                }
                for (int b = 0; b < batch; b++) result[b][k] += coefficient * values[b];
            }
        }
        return result;
    }

    /// <summary>
    /// Adjoint sweeps: for each seed s (weights <c>seeds[s][b][k]</c> on the observables), the derivative of
    /// <c>Σ_k seeds[s][b][k] ⟨O_k⟩_b</c> with respect to every angle occurrence: [seed][gate][angle][sample].
    /// Also returns the expectation values.
    /// </summary>
    internal static double[][][][] Adjoint<T>(Accelerator accelerator, BoundCircuit bound, FusedProgram program,
        IReadOnlyList<Observable> observables, IReadOnlyList<double[][]> seeds, out double[][] values) where T : unmanaged
    {
        var circuit = bound.Circuit;
        var gates = circuit.GateSpan;
        int batch = bound.BatchSize;
        using var psi = accelerator.AllocateState<T>(circuit.Qubits, batch);
        GateApplier.Apply(accelerator, psi, bound, program);
        values = Expectations(accelerator, psi, observables);

        var result = new double[seeds.Count][][][];
        bool keep = seeds.Count > 1;
        using var lambda = accelerator.AllocateState<T>(circuit.Qubits, batch);
        using var mu = accelerator.AllocateState<T>(circuit.Qubits, batch);
        using var phi = keep ? accelerator.AllocateState<T>(circuit.Qubits, batch) : null;
        Complex[] scratch = [];
        var products = new Complex[batch];
        for (int s = 0; s < seeds.Count; s++)
        {
            var work = phi ?? psi;
            if (phi is not null) accelerator.Copy(psi, phi);
            ApplyObservableSum(accelerator, psi, lambda, mu, observables, seeds[s]);
            var occurrences = new double[gates.Length][][];
            for (int g = gates.Length - 1; g >= 0; g--)
            {
                var gate = gates[g];
                GateApplier.ApplyGateAdjoint(accelerator, work, bound, g, ref scratch);
                var angleSpan = gate.AngleSpan;
                occurrences[g] = new double[angleSpan.Length][];
                for (int j = 0; j < angleSpan.Length; j++)
                {
                    if (angleSpan[j].IsConstant) continue;
                    accelerator.Copy(work, mu);
                    GateApplier.ApplyGateDerivative(accelerator, mu, bound, g, j, ref scratch);
                    accelerator.InnerProduct(lambda, mu, products);
                    var d = new double[batch];
                    for (int b = 0; b < batch; b++) d[b] = 2 * products[b].Real;
                    occurrences[g][j] = d;
                }
                if (g > 0) GateApplier.ApplyGateAdjoint(accelerator, lambda, bound, g, ref scratch);
            }
            result[s] = occurrences;
        }
        return result;
    }

    /// <summary>
    /// Parameter-shift derivatives of every observable with respect to every angle occurrence:
    /// [gate][angle][sample][observable]. Also returns the unshifted values.
    /// </summary>
    internal static double[][][][] ParameterShift<T>(Accelerator accelerator, BoundCircuit bound, FusedProgram program,
        IReadOnlyList<Observable> observables, out double[][] values) where T : unmanaged
    {
        var circuit = bound.Circuit;
        var gates = circuit.GateSpan;
        int batch = bound.BatchSize, count = observables.Count;
        using var state = accelerator.AllocateState<T>(circuit.Qubits, batch);
        double[][] Evaluate(BoundCircuit b)
        {
            accelerator.SetBasisState(state, 0);
            GateApplier.Apply(accelerator, state, b, program);
            return Expectations(accelerator, state, observables);
        }
        values = Evaluate(bound);
        var result = new double[gates.Length][][][];
        for (int g = 0; g < gates.Length; g++)
        {
            var angleSpan = gates[g].AngleSpan;
            result[g] = new double[angleSpan.Length][][];
            for (int j = 0; j < angleSpan.Length; j++)
            {
                if (angleSpan[j].IsConstant) continue;
                var terms = GateDerivatives.Rule(gates[g].Kind) == GateDerivatives.ShiftRule.FourTerm
                    ? FourTerm
                    : TwoTerm;
                var d = new double[batch][];
                for (int b = 0; b < batch; b++) d[b] = new double[count];
                foreach (var (shift, factor) in terms)
                {
                    var plus = Evaluate(bound.WithShift(g, j, shift));
                    var minus = Evaluate(bound.WithShift(g, j, -shift));
                    for (int b = 0; b < batch; b++)
                    {
                        for (int k = 0; k < count; k++) d[b][k] += factor * (plus[b][k] - minus[b][k]);
                    }
                }
                result[g][j] = d;
            }
        }
        return result;
    }

    private static readonly (double Shift, double Factor)[] TwoTerm = [(Math.PI / 2, 0.5)];

    private static readonly (double Shift, double Factor)[] FourTerm =
    [
        (Math.PI / 2, (Math.Sqrt(2) + 1) / (4 * Math.Sqrt(2))),
        (3 * Math.PI / 2, -(Math.Sqrt(2) - 1) / (4 * Math.Sqrt(2))),
    ];

    /// <summary>
    /// Adds <c>scale · occurrence[b]</c> into <c>weights[b][w]</c> or <c>inputs[b][i]</c> for every parameterised
    /// angle: the chain rule from angle occurrences to parameters. <paramref name="occurrence"/>(gate, angle) gives
    /// that angle's derivative for every sample (asked once per angle, not per sample).
    /// </summary>
    internal static void Accumulate(Circuit circuit, Func<int, int, double[]> occurrence, int batch,
        double[][] weights, double[][] inputs)
    {
        var weightIndex = Index(circuit.Weights);
        var inputIndex = Index(circuit.Inputs);
        var gates = circuit.GateSpan;
        for (int g = 0; g < gates.Length; g++)
        {
            var angleSpan = gates[g].AngleSpan;
            for (int j = 0; j < angleSpan.Length; j++)
            {
                var a = angleSpan[j];
                if (a.Parameter is null) continue;
                bool isWeight = a.Parameter.Kind == ParameterKind.Weight;
                int p = isWeight ? weightIndex[a.Parameter] : inputIndex[a.Parameter];
                var target = isWeight ? weights : inputs;
                double[] row = occurrence(g, j);
                double scale = a.Scale;
                for (int b = 0; b < batch; b++) target[b][p] += scale * row[b];
            }
        }
    }

    private static Dictionary<Parameter, int> Index(IReadOnlyList<Parameter> parameters)
    {
        var index = new Dictionary<Parameter, int>(parameters.Count);
        for (int i = 0; i < parameters.Count; i++) index[parameters[i]] = i;
        return index;
    }

    /// <summary>
    /// λ_b ← Σ_k seed[b][k] O_k ψ_b. Z-only observables on up to 12 qubits take one per-sample diagonal pass;
    /// others add one Pauli term at a time (<paramref name="work"/> is scratch).
    /// </summary>
    private static void ApplyObservableSum<T>(Accelerator accelerator, BatchedState<T> psi, BatchedState<T> lambda, BatchedState<T> work,
        IReadOnlyList<Observable> observables, double[][] seed) where T : unmanaged
    {
        int batch = psi.BatchSize;
        // Per-sample coefficient of every distinct Pauli string.
        var coefficients = new Dictionary<PauliString, double[]>();
        for (int k = 0; k < observables.Count; k++)
        {
            foreach (var (c, pauli) in observables[k].Terms)
            {
                if (!coefficients.TryGetValue(pauli, out var a)) coefficients[pauli] = a = new double[batch];
                for (int b = 0; b < batch; b++) a[b] += c * seed[b][k];
            }
        }
        ulong support = 0;
        bool diagonal = true;
        foreach (var pauli in coefficients.Keys)
        {
            diagonal &= pauli.XMask == 0;
            support |= pauli.ZMask;
        }
        int m = BitOperations.PopCount(support);
        if (support == 0) support = 1; // only identity terms: a per-sample scalar on qubit 0
        m = Math.Max(m, 1);
        if (diagonal && m <= 12 && (long)batch << m <= 1 << 24)
        {
            var qubits = new int[m];
            ulong rest = support;
            for (int j = 0; j < m; j++)
            {
                qubits[j] = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
            }
            int dim = 1 << m;
            var diagonals = new Complex[(long)batch * dim];
            foreach (var (pauli, a) in coefficients)
            {
                int local = 0;
                for (int j = 0; j < m; j++) if ((pauli.ZMask >> qubits[j] & 1) != 0) local |= 1 << j;
                for (int x = 0; x < dim; x++)
                {
                    double sign = (BitOperations.PopCount((uint)(x & local)) & 1) == 0 ? 1 : -1;
                    for (int b = 0; b < batch; b++) diagonals[(long)b * dim + x] += sign * a[b];
                }
            }
            accelerator.Copy(psi, lambda);
            accelerator.ApplyDiagonalPerSample(lambda, qubits, diagonals);
            return;
        }

        bool first = true;
        var factors = new Complex[batch];
        foreach (var (pauli, a) in coefficients)
        {
            var target = first ? lambda : work;
            accelerator.Copy(psi, target);
            ApplyPauli(accelerator, target, pauli);
            for (int b = 0; b < batch; b++) factors[b] = a[b];
            if (first)
            {
                var scalars = new Complex[2 * batch];
                for (int b = 0; b < batch; b++) scalars[2 * b] = scalars[2 * b + 1] = a[b];
                accelerator.ApplyDiagonalPerSample(lambda, [0], scalars);
                first = false;
            }
            else
            {
                accelerator.AddScaled(work, factors, lambda);
            }
        }
    }

    private static readonly Complex[] PauliX = [0, 1, 1, 0];
    private static readonly Complex[] PauliY = [0, -Complex.ImaginaryOne, Complex.ImaginaryOne, 0];
    private static readonly Complex[] PauliZ = [1, -1];

    private static void ApplyPauli<T>(Accelerator accelerator, BatchedState<T> state, PauliString pauli) where T : unmanaged
    {
        ulong support = pauli.Support;
        while (support != 0)
        {
            int q = BitOperations.TrailingZeroCount(support);
            support &= support - 1;
            bool x = (pauli.XMask >> q & 1) != 0, z = (pauli.ZMask >> q & 1) != 0;
            if (x && z) accelerator.ApplyMatrix(state, [q], PauliY);
            else if (x) accelerator.ApplyMatrix(state, [q], PauliX);
            else accelerator.ApplyDiagonal(state, [q], PauliZ);
        }
    }
}
