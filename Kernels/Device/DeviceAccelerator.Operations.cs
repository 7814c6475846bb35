using System.Numerics;
using QSim.Kernels.Cpu;

namespace QSim.Kernels.Device;

/// <summary>The accelerator operations, validated by <see cref="Accelerator"/> and run here for every device backend.</summary>
internal abstract unsafe partial class DeviceAccelerator
{
    protected override void CopyBufferCore<T>(MemoryBuffer<T> source, MemoryBuffer<T> destination) =>
        CopyDevice(H(source), H(destination), source.LengthInBytes);

    protected override void CopyCore<T>(BatchedState<T> source, BatchedState<T> destination) =>
        CopyDevice(H(source), H(destination), source.Buffer.LengthInBytes);

    protected override void SetBasisStateCore<T>(BatchedState<T> s, long basisIndex) =>
        Launch(Kernel<T>("qs_set_basis"), s.PlaneLength,
            KernelArgument.Buffer(H(s)), KernelArgument.Long(s.PlaneLength), KernelArgument.Int(s.BatchSize), KernelArgument.Long(basisIndex));

    // ------------------------------------------------------------------ host transfers (the CPU's exact code)

    private T[] ReadPlanes<T>(BatchedState<T> s) where T : unmanaged
    {
        var planes = new T[2 * s.PlaneLength];
        fixed (T* p = planes) ((DeviceMemoryBuffer<T>)s.Buffer).Read(p, 0, planes.LongLength);
        return planes;
    }

    protected override void SetStateCore<T>(BatchedState<T> s, ReadOnlySpan<Complex> amplitudes)
    {
        var planes = new T[2 * s.PlaneLength];
        fixed (T* p = planes)
        {
            if (typeof(T) == typeof(double)) CpuStateKernels<double>.SetState((double*)p, (double*)p + s.PlaneLength, s.Dimension, s.BatchSize, amplitudes);
            else CpuStateKernels<float>.SetState((float*)p, (float*)p + s.PlaneLength, s.Dimension, s.BatchSize, amplitudes);
            ((DeviceMemoryBuffer<T>)s.Buffer).Write(p, 0, planes.LongLength);
        }
    }

    protected override void GetStateCore<T>(BatchedState<T> s, Span<Complex> amplitudes)
    {
        var planes = ReadPlanes(s);
        fixed (T* p = planes)
        {
            if (typeof(T) == typeof(double)) CpuStateKernels<double>.GetState((double*)p, (double*)p + s.PlaneLength, s.Dimension, s.BatchSize, amplitudes);
            else CpuStateKernels<float>.GetState((float*)p, (float*)p + s.PlaneLength, s.Dimension, s.BatchSize, amplitudes);
        }
    }

    protected override void ProbabilitiesCore<T>(BatchedState<T> s, Span<double> result)
    {
        var planes = ReadPlanes(s);
        fixed (T* p = planes)
        {
            if (typeof(T) == typeof(double)) CpuStateKernels<double>.Probabilities((double*)p, (double*)p + s.PlaneLength, s.Dimension, s.BatchSize, result);
            else CpuStateKernels<float>.Probabilities((float*)p, (float*)p + s.PlaneLength, s.Dimension, s.BatchSize, result);
        }
    }

    protected override void SampleCore<T>(BatchedState<T> s, int shots, ulong seed, Span<long> result)
    {
        var planes = ReadPlanes(s);
        fixed (T* p = planes)
        {
            if (typeof(T) == typeof(double)) CpuStateKernels<double>.Sample((double*)p, (double*)p + s.PlaneLength, s.Dimension, s.BatchSize, shots, seed, result);
            else CpuStateKernels<float>.Sample((float*)p, (float*)p + s.PlaneLength, s.Dimension, s.BatchSize, shots, seed, result);
        }
    }

    // ------------------------------------------------------------------ gates

    protected override void ApplyMatrixCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrix) =>
        Dense(s, targets, controls, matrix, perSample: false);

    protected override void ApplyMatrixPerSampleCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrices) =>
        Dense(s, targets, controls, matrices, perSample: true);

    protected override void SwapCore<T>(BatchedState<T> s, int qubit0, int qubit1, ReadOnlySpan<int> controls) =>
        Dense(s, [qubit0, qubit1], controls, GateMath.SwapMatrix, perSample: false);

    private void Dense<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrix, bool perSample) where T : unmanaged
    {
        int[] sorted = [.. targets, .. controls];
        Array.Sort(sorted);
        long controlMask = 0;
        foreach (int c in controls) controlMask |= 1L << c;
        int dim = 1 << targets.Length;
        var offsets = new long[dim];
        for (int t = 0; t < dim; t++)
        {
            long off = 0;
            for (int j = 0; j < targets.Length; j++) if (((t >> j) & 1) != 0) off |= 1L << targets[j];
            offsets[t] = off * s.BatchSize;
        }
        long work = (s.Dimension >> sorted.Length) * s.BatchSize;
        if (dim == 2 && !perSample)
        {
            nint bSorted1 = Upload<int>(sorted);
            try
            {
                Launch(Kernel<T>("qs_apply_1q"), work, KernelArgument.Buffer(H(s)), KernelArgument.Long(s.PlaneLength), KernelArgument.Long(work), KernelArgument.Int(s.BatchSize),
                    KernelArgument.Buffer(bSorted1), KernelArgument.Int(sorted.Length), KernelArgument.Long(controlMask), KernelArgument.Long(offsets[1]),
                    KernelArgument.Real<T>(matrix[0].Real), KernelArgument.Real<T>(matrix[0].Imaginary), KernelArgument.Real<T>(matrix[1].Real), KernelArgument.Real<T>(matrix[1].Imaginary),
                    KernelArgument.Real<T>(matrix[2].Real), KernelArgument.Real<T>(matrix[2].Imaginary), KernelArgument.Real<T>(matrix[3].Real), KernelArgument.Real<T>(matrix[3].Imaginary));
            }
            finally
            {
                ReleaseTemporary(bSorted1);
            }
            return;
        }
        nint bSorted = Upload<int>(sorted), bOffsets = Upload<long>(offsets), bMatrix = Upload<T>(ToReals<T>(matrix));
        try
        {
            if (dim <= 16)
            {
                Launch(Kernel<T>("qs_apply_dense"), work, KernelArgument.Buffer(H(s)), KernelArgument.Long(s.PlaneLength), KernelArgument.Long(work), KernelArgument.Int(s.BatchSize),
                    KernelArgument.Buffer(bSorted), KernelArgument.Int(sorted.Length), KernelArgument.Long(controlMask), KernelArgument.Buffer(bOffsets), KernelArgument.Int(dim),
                    KernelArgument.Buffer(bMatrix), KernelArgument.Int(perSample ? 1 : 0));
                return;
            }
            // Wide matrices: out of place into a copy of the state, then back.
            long bytes = s.Buffer.LengthInBytes;
            nint copy = AllocateDevice(bytes);
            try
            {
                CopyDevice(H(s), copy, bytes);
                Launch(Kernel<T>("qs_apply_dense_oop"), work, KernelArgument.Buffer(H(s)), KernelArgument.Buffer(copy), KernelArgument.Long(s.PlaneLength), KernelArgument.Long(work),
                    KernelArgument.Int(s.BatchSize), KernelArgument.Buffer(bSorted), KernelArgument.Int(sorted.Length), KernelArgument.Long(controlMask), KernelArgument.Buffer(bOffsets),
                    KernelArgument.Int(dim), KernelArgument.Buffer(bMatrix), KernelArgument.Int(perSample ? 1 : 0));
                CopyDevice(copy, H(s), bytes);
            }
            finally
            {
                FreeDevice(copy);
            }
        }
        finally
        {
            // Released after enqueueing: the backend keeps an upload alive until the commands using it complete.
            ReleaseTemporary(bSorted);
            ReleaseTemporary(bOffsets);
            ReleaseTemporary(bMatrix);
        }
    }

    protected override void ApplyDiagonalCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonal) =>
        Diagonal(s, GateMath.DiagonalOrder(targets, controls), GateMath.FoldControls(diagonal, targets.Length, controls.Length, 1), perSample: false);

    protected override void ApplyDiagonalPerSampleCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonals) =>
        Diagonal(s, GateMath.DiagonalOrder(targets, controls), GateMath.FoldControls(diagonals, targets.Length, controls.Length, s.BatchSize), perSample: true);

    private void Diagonal<T>(BatchedState<T> s, int[] order, Complex[] diagonals, bool perSample) where T : unmanaged
    {
        nint bOrder = Upload<int>(order), bDiag = Upload<T>(ToReals<T>(diagonals));
        try
        {
            Launch(Kernel<T>("qs_apply_diagonal"), s.PlaneLength, KernelArgument.Buffer(H(s)), KernelArgument.Long(s.PlaneLength), KernelArgument.Int(s.BatchSize),
                KernelArgument.Buffer(bOrder), KernelArgument.Int(order.Length), KernelArgument.Buffer(bDiag), KernelArgument.Int(perSample ? 1 : 0));
        }
        finally
        {
            ReleaseTemporary(bOrder);
            ReleaseTemporary(bDiag);
        }
    }

    // ------------------------------------------------------------------ reductions

    /// <summary>Work items per reduction: enough slices of rows to fill the device, partial sums added on the host in double.</summary>
    private int Slices(long rows, int batch) => (int)Math.Clamp((Math.Max(ComputeUnits, 1) * 1024L + batch - 1) / batch, 1, rows);

    private void WeightedNorms<T>(BatchedState<T> s, long signMask, long requireMask, long requireValue, Span<double> result) where T : unmanaged
    {
        int batch = s.BatchSize, slices = Slices(s.Dimension, batch);
        long count = (long)slices * batch;
        T[] partials;
        nint bPartials = AllocateDevice(count * sizeof(T));
        try
        {
            Launch(Kernel<T>("qs_weighted_norm"), count, KernelArgument.Buffer(H(s)), KernelArgument.Long(s.Dimension), KernelArgument.Int(batch), KernelArgument.Int(slices),
                KernelArgument.Long(signMask), KernelArgument.Long(requireMask), KernelArgument.Long(requireValue), KernelArgument.Buffer(bPartials));
            partials = ReadAll<T>(bPartials, count);
        }
        finally
        {
            FreeDevice(bPartials);
        }
        result.Clear();
        for (long x = 0; x < partials.LongLength; x++) result[(int)(x % batch)] += ToDouble(partials[x]);
    }

    private void PairProducts<T>(BatchedState<T> bra, BatchedState<T> ket, long flip, long signMask, Span<Complex> result) where T : unmanaged
    {
        int batch = bra.BatchSize, slices = Slices(bra.Dimension, batch);
        long count = (long)slices * batch;
        T[] pr, pi;
        nint bRe = AllocateDevice(count * sizeof(T));
        nint bIm = 0;
        try
        {
            bIm = AllocateDevice(count * sizeof(T));
            Launch(Kernel<T>("qs_pair_product"), count, KernelArgument.Buffer(H(bra)), KernelArgument.Buffer(H(ket)), KernelArgument.Long(bra.Dimension), KernelArgument.Int(batch),
                KernelArgument.Int(slices), KernelArgument.Long(flip), KernelArgument.Long(signMask), KernelArgument.Buffer(bRe), KernelArgument.Buffer(bIm));
            pr = ReadAll<T>(bRe, count);
            pi = ReadAll<T>(bIm, count);
        }
        finally
        {
            FreeDevice(bRe);
            if (bIm != 0) FreeDevice(bIm);
        }
        var re = new double[batch];
        var im = new double[batch];
        for (long x = 0; x < count; x++)
        {
            re[x % batch] += ToDouble(pr[x]);
            im[x % batch] += ToDouble(pi[x]);
        }
        for (int b = 0; b < batch; b++) result[b] = new Complex(re[b], im[b]);
    }

    protected override void NormSquaredCore<T>(BatchedState<T> s, Span<double> result) => WeightedNorms(s, 0, 0, 0, result);

    protected override void AddScaledCore<T>(BatchedState<T> source, ReadOnlySpan<Complex> factors, BatchedState<T> destination)
    {
        int batch = source.BatchSize;
        // Kernel layout: B real parts, then B imaginary parts.
        var reals = ToReals<T>(factors);
        var a = new T[2 * batch];
        for (int b = 0; b < batch; b++)
        {
            a[b] = reals[2 * b];
            a[batch + b] = reals[2 * b + 1];
        }
        nint buffer = Upload<T>(a);
        try
        {
            Launch(Kernel<T>("qs_add_scaled"), source.PlaneLength, KernelArgument.Buffer(H(source)), KernelArgument.Buffer(H(destination)),
                KernelArgument.Long(source.PlaneLength), KernelArgument.Int(batch), KernelArgument.Buffer(buffer));
        }
        finally
        {
            // Released after enqueueing: the backend keeps an upload alive until the commands using it complete.
            ReleaseTemporary(buffer);
        }
    }

    protected override void InnerProductCore<T>(BatchedState<T> bra, BatchedState<T> ket, Span<Complex> result) => PairProducts(bra, ket, 0, 0, result);

    protected override void ExpectationPauliCore<T>(BatchedState<T> s, PauliString pauli, Span<double> result)
    {
        if (pauli.XMask == 0)
        {
            WeightedNorms(s, (long)pauli.ZMask, 0, 0, result);
            return;
        }
        var sums = new Complex[s.BatchSize];
        PairProducts(s, s, (long)pauli.XMask, (long)pauli.ZMask, sums);
        // ⟨ψ|P|ψ⟩ = Re(i^{nY} Σ conj(a_{i⊕x}) a_i (−1)^{|i ∧ z|}), as on the CPU.
        int ny = pauli.YCount & 3;
        for (int b = 0; b < result.Length; b++)
        {
            result[b] = ny switch { 0 => sums[b].Real, 1 => -sums[b].Imaginary, 2 => -sums[b].Real, _ => sums[b].Imaginary };
        }
    }

    protected override void QubitProbabilityCore<T>(BatchedState<T> s, int qubit, Span<double> probabilityZero, Span<double> probabilityOne)
    {
        WeightedNorms(s, 0, 1L << qubit, 0, probabilityZero);
        WeightedNorms(s, 0, 1L << qubit, 1L << qubit, probabilityOne);
    }

    protected override void CollapseCore<T>(BatchedState<T> s, int qubit, ReadOnlySpan<int> outcomes, ReadOnlySpan<double> probabilityZero, ReadOnlySpan<double> probabilityOne)
    {
        var diagonals = new Complex[2 * s.BatchSize];
        for (int b = 0; b < s.BatchSize; b++)
        {
            double p = outcomes[b] == 1 ? probabilityOne[b] : probabilityZero[b];
            diagonals[2 * b + outcomes[b]] = 1.0 / Math.Sqrt(p);
        }
        Diagonal(s, [qubit], diagonals, perSample: true);
    }
}
