using QSim.Kernels.Circuits;

namespace QSim.Kernels.Device;

/// <summary>
/// The fused small-circuit kernel on a device (<c>Kernels/Sources/small_circuit.cl</c>, <c>qs_small_circuit</c>):
/// the whole program for a chunk of samples in one launch, one work item per sample, each sample's states in a
/// scratch buffer (sample innermost on a GPU, see <see cref="SmallCircuitSampleInnermost"/>). Values and gradients
/// come back in the kernel's precision and are widened to double here.
/// </summary>
internal abstract unsafe partial class DeviceAccelerator
{
    /// <summary>Ints per op record in the op table; must match <c>QS_SC_FIELDS</c> in small_circuit.cl.</summary>
    internal const int SmallCircuitOpFields = 11;

    /// <summary>The most scratch memory one fused small-circuit launch uses (a chunk of samples is sized to it).</summary>
    internal const long SmallCircuitScratchLimitBytes = 1L << 30;

    private long _smallCircuitLaunches;

    /// <summary>Launches of the fused small-circuit kernel so far (one per chunk of samples): lets tests check that the
    /// device path, not the general one, ran.</summary>
    internal long SmallCircuitLaunches => Interlocked.Read(ref _smallCircuitLaunches);

    internal override bool SupportsSmallCircuits => true;

    /// <summary>
    /// The scratch layout of the fused kernel on this device. Sample innermost (amplitude i of the chunk's sample b at
    /// i·S + b) lets neighbouring work items touch neighbouring addresses: coalesced on a GPU. On a CPU device, where a
    /// work item runs the whole circuit alone, that layout puts every amplitude on its own page (stride S elements)
    /// and each sample's own block (b·planes·2^n + i) is much faster: PoCL here, n = 8, 1024 samples, adjoint
    /// gradients of a two-layer QNN: 0.18 s against 3–5 s sample innermost (the gate-by-gate path: 1.0 s).
    /// </summary>
    protected virtual bool SmallCircuitSampleInnermost => true;

    internal override void RunSmallCircuit<T>(SmallCircuitProgram program, double[] values, double[][]? seeds, double[][][]? gradients) =>
        RunSmallCircuit<T>(program, values, seeds, gradients, int.MaxValue);

    /// <summary>
    /// <see cref="Accelerator.RunSmallCircuit{T}"/> with chunks of at most <paramref name="maxChunkSamples"/> samples
    /// (besides the memory bound) and a chosen scratch layout: tests use it to cross chunk boundaries with small
    /// batches and to run both layouts on one device.
    /// </summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="program">The program (built by the simulator).</param>
    /// <param name="values">B·K values.</param>
    /// <param name="seeds">[seed][b·K + k] or null.</param>
    /// <param name="gradients">[seed][occurrence][b], or null.</param>
    /// <param name="maxChunkSamples">Largest number of samples per launch, at least 1.</param>
    /// <param name="sampleInnermost">The scratch layout (see <see cref="SmallCircuitSampleInnermost"/>), or null for
    /// the device's own; tests run both on every device.</param>
    /// <exception cref="NotSupportedException">The precision is not supported by this device.</exception>
    /// <exception cref="ArgumentException">The program breaks an invariant the kernel relies on, or an output has the wrong shape.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">Not even one sample's scratch fits.</exception>
    internal void RunSmallCircuit<T>(SmallCircuitProgram program, double[] values, double[][]? seeds, double[][][]? gradients, int maxChunkSamples, bool? sampleInnermost = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkSamples, 1);
        if (!Supports<T>())
        {
            throw new NotSupportedException($"accelerator '{this}' does not compute in {typeof(T).Name}; the fused small-circuit kernel needs {(typeof(T) == typeof(double) ? "fp64" : "float or double")}");
        }
        CheckSmallCircuitShapes(program, values, seeds, gradients);
        int batch = program.Batch, n = program.Qubits, observables = program.Observables;
        int seedCount = seeds?.Length ?? 0;
        if (batch == 0) return;
        int[] table = EncodeSmallCircuitOps(program, out bool hasMatrixK);
        var terms = new int[3 * program.Terms.Length];
        var coefficients = new double[program.Terms.Length];
        for (int t = 0; t < program.Terms.Length; t++)
        {
            var (obs, coefficient, x, z) = program.Terms[t];
            long outside = ~((1L << n) - 1);
            if ((uint)obs >= (uint)observables || ((x | z) & outside) != 0)
            {
                throw new ArgumentException($"term {t} (observable {obs}, X mask {x:x}, Z mask {z:x}) does not fit {observables} observables on {n} qubits", nameof(program));
            }
            terms[3 * t] = obs;
            terms[3 * t + 1] = (int)x;
            terms[3 * t + 2] = (int)z;
            coefficients[t] = coefficient;
        }

        // Planes of the scratch: psi, lambda (gradients), the final psi kept for further seeds, MatrixK's target.
        int planes = 2;
        int lambdaPlane = seedCount > 0 ? Next(2) : -1;
        int savedPlane = seedCount > 1 ? Next(2) : -1;
        int tempPlane = hasMatrixK ? Next(2) : -1;

        int occurrences = program.Occurrences;
        long dim = 1L << n;
        var hostSeeds = new double[(long)seedCount * batch * observables];
        for (int s = 0; s < seedCount; s++) seeds![s].AsSpan(0, batch * observables).CopyTo(hostSeeds.AsSpan((int)((long)s * batch * observables)));

        var buffers = new List<IDisposable>();
        nint bOps = 0, bShared = 0, bTerms = 0, bCoefficients = 0;
        try
        {
            // Only the program's rows: a pooled table may be longer.
            var dPerSample = Filled(ToPrecision<T>(program.PerSample.AsSpan(0, program.PerSampleRows * program.Batch)), buffers);
            var dSeeds = Filled(ToPrecision<T>(hostSeeds), buffers);
            var dValues = Track(Allocate<T>((long)observables * batch), buffers);
            var dGradients = Track(Allocate<T>((long)seedCount * occurrences * batch), buffers);

            long sampleBytes = planes * dim * sizeof(T);
            long budget = Math.Min(Math.Min(MaxBufferBytes, AvailableMemory / 2), SmallCircuitScratchLimitBytes);
            long fit = Math.Max(1, budget / sampleBytes);
            int chunk = (int)Math.Min(Math.Min(fit, maxChunkSamples), batch);
            int chunks = (batch + chunk - 1) / chunk;
            chunk = (batch + chunks - 1) / chunks; // even chunks: the last one is not a sliver
            var dScratch = Track(Allocate<T>(planes * dim * chunk), buffers);

            bOps = Upload<int>(table);
            bShared = Upload<T>(ToPrecision<T>(program.Shared));
            bTerms = Upload<int>(terms);
            bCoefficients = Upload<T>(ToPrecision<T>(coefficients));
            var kernel = Kernel<T>("qs_small_circuit");
            bool inner = sampleInnermost ?? SmallCircuitSampleInnermost;
            long amplitudeStride = inner ? chunk : 1, sampleStride = inner ? 1 : planes * dim;
            for (int first = 0; first < batch; first += chunk)
            {
                int count = Math.Min(chunk, batch - first);
                Launch(kernel, count,
                    KernelArgument.Buffer(H(dScratch)), KernelArgument.Long(amplitudeStride), KernelArgument.Long(sampleStride), KernelArgument.Long(count), KernelArgument.Long(first), KernelArgument.Long(batch),
                    KernelArgument.Int(n), KernelArgument.Buffer(bOps), KernelArgument.Int(program.Ops.Length), KernelArgument.Buffer(bShared), KernelArgument.Buffer(H(dPerSample)),
                    KernelArgument.Buffer(bTerms), KernelArgument.Buffer(bCoefficients), KernelArgument.Int(program.Terms.Length), KernelArgument.Int(observables),
                    KernelArgument.Buffer(H(dSeeds)), KernelArgument.Int(seedCount), KernelArgument.Int(occurrences),
                    KernelArgument.Int(lambdaPlane), KernelArgument.Int(savedPlane), KernelArgument.Int(tempPlane),
                    KernelArgument.Buffer(H(dValues)), KernelArgument.Buffer(H(dGradients)));
                Interlocked.Increment(ref _smallCircuitLaunches);
            }

            var outValues = new T[dValues.Length];
            dValues.CopyToHost(outValues);
            for (int b = 0; b < batch; b++)
            {
                for (int k = 0; k < observables; k++) values[(long)b * observables + k] = ToDouble(outValues[(long)k * batch + b]);
            }
            if (seedCount > 0 && occurrences > 0)
            {
                var outGradients = new T[dGradients.Length];
                dGradients.CopyToHost(outGradients);
                for (int s = 0; s < seedCount; s++)
                {
                    for (int o = 0; o < occurrences; o++)
                    {
                        var row = gradients![s][o];
                        long at = ((long)s * occurrences + o) * batch;
                        for (int b = 0; b < batch; b++) row[b] = ToDouble(outGradients[at + b]);
                    }
                }
            }
        }
        finally
        {
            // Uploads are released once the launches using them are enqueued; buffers are freed after the queue
            // no longer needs them (OpenCL defers the release, CUDA waits for the stream).
            foreach (nint h in (ReadOnlySpan<nint>)[bOps, bShared, bTerms, bCoefficients])
            {
                if (h != 0) ReleaseTemporary(h);
            }
            foreach (var buffer in buffers) buffer.Dispose();
        }

        int Next(int count)
        {
            int at = planes;
            planes += count;
            return at;
        }
    }

    private static MemoryBuffer<T> Track<T>(MemoryBuffer<T> buffer, List<IDisposable> owned) where T : unmanaged
    {
        owned.Add(buffer);
        return buffer;
    }

    /// <summary>A device buffer holding <paramref name="data"/> (one unused element when it is empty).</summary>
    private MemoryBuffer<T> Filled<T>(T[] data, List<IDisposable> owned) where T : unmanaged
    {
        var buffer = Track(Allocate<T>(Math.Max(1, data.LongLength)), owned);
        buffer.CopyFromHost(data);
        return buffer;
    }

    private static T[] ToPrecision<T>(ReadOnlySpan<double> values) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return (T[])(object)values.ToArray();
        var r = new float[values.Length];
        for (int i = 0; i < values.Length; i++) r[i] = (float)values[i];
        return (T[])(object)r;
    }

    private static void CheckSmallCircuitShapes(SmallCircuitProgram p, double[] values, double[][]? seeds, double[][][]? gradients)
    {
        long expected = (long)p.Batch * p.Observables;
        // At least: the simulator passes pooled arrays, of which the first Batch × Observables entries are used.
        if (values.LongLength < expected)
        {
            throw new ArgumentException($"expected {expected} values ({p.Batch} samples × {p.Observables} observables), got {values.LongLength}", nameof(values));
        }
        if (seeds is null) return;
        if (gradients is null || gradients.Length != seeds.Length)
        {
            throw new ArgumentException($"expected gradients for each of the {seeds.Length} seeds, got {(gradients is null ? "none" : gradients.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}", nameof(gradients));
        }
        for (int s = 0; s < seeds.Length; s++)
        {
            if (seeds[s].LongLength < expected)
            {
                throw new ArgumentException($"seed {s} has {seeds[s].LongLength} weights, expected {expected} ({p.Batch} samples × {p.Observables} observables)", nameof(seeds));
            }
            if (gradients[s].Length != p.Occurrences || gradients[s].Any(row => row.Length < p.Batch))
            {
                throw new ArgumentException($"gradients of seed {s} must be {p.Occurrences} rows of {p.Batch} samples", nameof(gradients));
            }
        }
    }

    /// <summary>
    /// The op table of <c>qs_small_circuit</c>: <see cref="SmallCircuitOpFields"/> ints per op (kind, Q0, Q1, control
    /// mask, entry, per-sample flag, derivative count, index of the derivative entry list, first occurrence, MatrixK's
    /// qubit count and qubit mask), then the derivative entry lists.
    /// </summary>
    private static int[] EncodeSmallCircuitOps(SmallCircuitProgram p, out bool hasMatrixK)
    {
        int n = p.Qubits;
        if (n < 1 || n > SmallCircuitProgram.MaxQubits)
        {
            throw new ArgumentException($"the fused kernel takes 1…{SmallCircuitProgram.MaxQubits} qubits, the program has {n}", nameof(p));
        }
        int fields = SmallCircuitOpFields * p.Ops.Length;
        var table = new List<int>(fields + p.Occurrences);
        table.AddRange(new int[fields]);
        long all = (1L << n) - 1;
        long sharedEntries = p.Shared.Length / 2, perSampleEntries = p.PerSampleRows / 2;
        int occurrence = 0;
        hasMatrixK = false;
        for (int o = 0; o < p.Ops.Length; o++)
        {
            var op = p.Ops[o];
            if ((int)op.Kind > (int)SmallOpKind.MatrixK) throw Invalid(o, $"unknown op kind {(int)op.Kind}");
            int mask = 0;
            bool twoTargets = op.Kind is SmallOpKind.Matrix2 or SmallOpKind.Diagonal2 or SmallOpKind.Swap;
            if (op.Kind == SmallOpKind.MatrixK)
            {
                hasMatrixK = true;
                int previous = -1;
                foreach (int q in op.Qubits)
                {
                    if (q <= previous || q >= n) throw Invalid(o, $"MatrixK qubits {string.Join(", ", op.Qubits)} are not ascending qubits of the {n}-qubit circuit");
                    previous = q;
                    mask |= 1 << q;
                }
                if (op.Qubits.Length == 0) throw Invalid(o, "a MatrixK op has no qubits");
                if ((op.ControlMask & mask) != 0) throw Invalid(o, "a MatrixK op is controlled by one of its own qubits");
            }
            else if ((uint)op.Q0 >= (uint)n || (twoTargets && ((uint)op.Q1 >= (uint)n || op.Q1 == op.Q0)))
            {
                throw Invalid(o, $"{op.Kind} on qubits {op.Q0}, {op.Q1} does not fit {n} qubits");
            }
            if ((op.ControlMask & ~all) != 0) throw Invalid(o, $"control mask {op.ControlMask:x} reaches beyond {n} qubits");
            if (op.Derivatives.Length > 0 && op.Kind is SmallOpKind.Not or SmallOpKind.Swap or SmallOpKind.MatrixK)
            {
                throw Invalid(o, $"{op.Kind} ops have no derivative cores");
            }
            long entries = op.PerSample ? perSampleEntries : sharedEntries;
            foreach (int first in (ReadOnlySpan<int>)[op.Entry, .. op.Derivatives])
            {
                if (op.Size > 0 && (first < 0 || first + (long)op.Size > entries))
                {
                    throw Invalid(o, $"entries {first}…{first + (long)op.Size - 1} lie outside the {(op.PerSample ? "per-sample" : "shared")} table of {entries} entries");
                }
            }
            int at = SmallCircuitOpFields * o;
            table[at] = (int)op.Kind;
            table[at + 1] = op.Q0;
            table[at + 2] = op.Q1;
            table[at + 3] = (int)op.ControlMask;
            table[at + 4] = op.Entry;
            table[at + 5] = op.PerSample ? 1 : 0;
            table[at + 6] = op.Derivatives.Length;
            table[at + 7] = table.Count;
            table[at + 8] = occurrence;
            table[at + 9] = op.Qubits.Length;
            table[at + 10] = mask;
            table.AddRange(op.Derivatives);
            occurrence += op.Derivatives.Length;
        }
        return [.. table];

        static ArgumentException Invalid(int o, string what) => new($"op {o} of the small-circuit program: {what}", nameof(p));
    }
}
