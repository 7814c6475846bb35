using System.Numerics;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>
/// The host CPU: explicit SIMD (Vector512, else Vector256, else scalar) over all cores. Its kernels are the oracle
/// every other accelerator is tested against.
/// </summary>
internal sealed unsafe class CpuAccelerator : Accelerator
{
    public CpuAccelerator()
    {
        string isa = Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "scalar";
        Name = $"{CpuModelName()} ({Environment.ProcessorCount} threads, {isa})";
        MemorySize = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    public override AcceleratorKind Kind => AcceleratorKind.Cpu;

    public override string Name { get; }

    public override long MemorySize { get; }

    public override long MaxBufferBytes => MemorySize;

    public override bool SupportsFloat64 => true;

    public override int ComputeUnits => CpuParallel.Threads;

    public override long AvailableMemory
    {
        get
        {
            long free = base.AvailableMemory;
            long? os = MemAvailable();
            return os is long v ? Math.Min(free, v) : free;
        }
    }

    private static string CpuModelName()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "CPU";
    }

    private static long? MemAvailable()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        catch (FormatException) { }
        return null;
    }

    protected override MemoryBuffer<T> AllocateCore<T>(long length) => new CpuMemoryBuffer<T>(this, length);

    protected override void CopyBufferCore<T>(MemoryBuffer<T> source, MemoryBuffer<T> destination)
    {
        long bytes = source.LengthInBytes;
        Buffer.MemoryCopy(((CpuMemoryBuffer<T>)source).Pointer, ((CpuMemoryBuffer<T>)destination).Pointer, destination.LengthInBytes, bytes);
    }

    private static T* Re<T>(BatchedState<T> s) where T : unmanaged => ((CpuMemoryBuffer<T>)s.Buffer).Pointer;

    private static T* Im<T>(BatchedState<T> s) where T : unmanaged => Re(s) + s.ImaginaryOffset;

    /// <summary>Half a page between the planes: without it both planes share their offset within every 4 KiB page.</summary>
    protected override int PlaneGapBytes => 2048;

    // Each Core dispatches on the precision; the casts are free after JIT specialisation.
    protected override void SetBasisStateCore<T>(BatchedState<T> s, long basisIndex)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.SetBasis((double*)Re(s), (double*)Im(s), s.PlaneLength, s.BatchSize, basisIndex);
        else CpuStateKernels<float>.SetBasis((float*)Re(s), (float*)Im(s), s.PlaneLength, s.BatchSize, basisIndex);
    }

    protected override void SetStateCore<T>(BatchedState<T> s, ReadOnlySpan<Complex> amplitudes)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.SetState((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, amplitudes);
        else CpuStateKernels<float>.SetState((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, amplitudes);
    }

    protected override void GetStateCore<T>(BatchedState<T> s, Span<Complex> amplitudes)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.GetState((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, amplitudes);
        else CpuStateKernels<float>.GetState((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, amplitudes);
    }

    protected override void CopyCore<T>(BatchedState<T> source, BatchedState<T> destination)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.Copy((double*)Re(source), (double*)Re(destination), source.Buffer.Length);
        else CpuStateKernels<float>.Copy((float*)Re(source), (float*)Re(destination), source.Buffer.Length);
    }

    protected override void ApplyMatrixCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrix)
    {
        if (typeof(T) == typeof(double)) CpuGateKernels<double>.Dense((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, targets, controls, matrix);
        else CpuGateKernels<float>.Dense((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, targets, controls, matrix);
    }

    protected override void ApplyMatrixPerSampleCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrices)
    {
        if (s.BatchSize == 1)
        {
            ApplyMatrixCore(s, targets, controls, matrices);
            return;
        }
        if (typeof(T) == typeof(double)) CpuGateKernels<double>.DensePerSample((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, targets, controls, matrices);
        else CpuGateKernels<float>.DensePerSample((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, targets, controls, matrices);
    }

    protected override void ApplyDiagonalCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonal)
    {
        if (typeof(T) == typeof(double)) CpuGateKernels<double>.Diagonal((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, targets, controls, diagonal);
        else CpuGateKernels<float>.Diagonal((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, targets, controls, diagonal);
    }

    protected override void ApplyDiagonalPerSampleCore<T>(BatchedState<T> s, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonals)
    {
        if (s.BatchSize == 1)
        {
            ApplyDiagonalCore(s, targets, controls, diagonals);
            return;
        }
        if (typeof(T) == typeof(double)) CpuGateKernels<double>.DiagonalPerSample((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, targets, controls, diagonals);
        else CpuGateKernels<float>.DiagonalPerSample((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, targets, controls, diagonals);
    }

    protected override void SwapCore<T>(BatchedState<T> s, int qubit0, int qubit1, ReadOnlySpan<int> controls)
    {
        if (typeof(T) == typeof(double)) CpuGateKernels<double>.Swap((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, qubit0, qubit1, controls);
        else CpuGateKernels<float>.Swap((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, qubit0, qubit1, controls);
    }

    protected override void NormSquaredCore<T>(BatchedState<T> s, Span<double> result)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.NormSquared((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, result);
        else CpuStateKernels<float>.NormSquared((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, result);
    }

    internal override bool SupportsSmallCircuits => true;

    internal override bool SupportsSmallCircuitProbabilities => true;

    internal override void RunSmallCircuit<T>(Circuits.SmallCircuitProgram program, double[] values, double[][]? seeds, double[][][]? gradients)
    {
        if (typeof(T) == typeof(double))
        {
            if (Vector512.IsHardwareAccelerated) SmallCircuitEngine<double, Vec512<double>>.Run(program, values, seeds, gradients);
            else if (Vector256.IsHardwareAccelerated) SmallCircuitEngine<double, Vec256<double>>.Run(program, values, seeds, gradients);
            else SmallCircuitEngine<double, VecScalar<double>>.Run(program, values, seeds, gradients);
        }
        else
        {
            if (Vector512.IsHardwareAccelerated) SmallCircuitEngine<float, Vec512<float>>.Run(program, values, seeds, gradients);
            else if (Vector256.IsHardwareAccelerated) SmallCircuitEngine<float, Vec256<float>>.Run(program, values, seeds, gradients);
            else SmallCircuitEngine<float, VecScalar<float>>.Run(program, values, seeds, gradients);
        }
    }

    protected override void AddScaledCore<T>(BatchedState<T> source, ReadOnlySpan<Complex> factors, BatchedState<T> destination)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.AddScaled((double*)Re(source), (double*)Im(source), (double*)Re(destination), (double*)Im(destination), source.Dimension, source.BatchSize, factors);
        else CpuStateKernels<float>.AddScaled((float*)Re(source), (float*)Im(source), (float*)Re(destination), (float*)Im(destination), source.Dimension, source.BatchSize, factors);
    }

    protected override void InnerProductCore<T>(BatchedState<T> bra, BatchedState<T> ket, Span<Complex> result)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.InnerProduct((double*)Re(bra), (double*)Im(bra), (double*)Re(ket), (double*)Im(ket), bra.Dimension, bra.BatchSize, result);
        else CpuStateKernels<float>.InnerProduct((float*)Re(bra), (float*)Im(bra), (float*)Re(ket), (float*)Im(ket), bra.Dimension, bra.BatchSize, result);
    }

    protected override void ProbabilitiesCore<T>(BatchedState<T> s, Span<double> result)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.Probabilities((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, result);
        else CpuStateKernels<float>.Probabilities((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, result);
    }

    protected override void ExpectationPauliCore<T>(BatchedState<T> s, PauliString pauli, Span<double> result)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.ExpectationPauli((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, pauli, result);
        else CpuStateKernels<float>.ExpectationPauli((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, pauli, result);
    }

    protected override void SampleCore<T>(BatchedState<T> s, int shots, ulong seed, Span<long> result)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.Sample((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, shots, seed, result);
        else CpuStateKernels<float>.Sample((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, shots, seed, result);
    }

    protected override void QubitProbabilityCore<T>(BatchedState<T> s, int qubit, Span<double> probabilityZero, Span<double> probabilityOne)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.QubitProbability((double*)Re(s), (double*)Im(s), s.Dimension, s.BatchSize, qubit, probabilityZero, probabilityOne);
        else CpuStateKernels<float>.QubitProbability((float*)Re(s), (float*)Im(s), s.Dimension, s.BatchSize, qubit, probabilityZero, probabilityOne);
    }

    protected override void CollapseCore<T>(BatchedState<T> s, int qubit, ReadOnlySpan<int> outcomes, ReadOnlySpan<double> probabilityZero, ReadOnlySpan<double> probabilityOne)
    {
        if (typeof(T) == typeof(double)) CpuStateKernels<double>.Collapse((double*)Re(s), (double*)Im(s), s.Qubits, s.BatchSize, qubit, outcomes, probabilityZero, probabilityOne);
        else CpuStateKernels<float>.Collapse((float*)Re(s), (float*)Im(s), s.Qubits, s.BatchSize, qubit, outcomes, probabilityZero, probabilityOne);
    }
}
