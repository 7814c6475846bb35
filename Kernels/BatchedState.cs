namespace QSim.Kernels;

/// <summary>
/// A batch of <see cref="BatchSize"/> state vectors of <see cref="Qubits"/> qubits each, held in one accelerator's memory.
/// </summary>
/// <remarks>
/// <para>Layout ("split planes, batch innermost"): the buffer holds a real plane followed by an imaginary plane, each
/// of <c>2^n × B</c> elements; amplitude <c>i</c> of sample <c>b</c> sits at element <c>i·B + b</c> of each plane.
/// A gate on qubit <c>q</c> pairs rows <c>B·2^q</c> elements apart, so every gate is a sweep of contiguous SIMD
/// vectors over all samples at once, a per-sample matrix is a vector load of its coefficients, and <c>B = 1</c> is
/// exactly the layout of a single-state simulator with separate real and imaginary arrays.</para>
/// <para>An accelerator may leave a small gap between the planes: the CPU leaves 2 KiB so that the two planes do not
/// sit at the same offset within a 4 KiB page, which would make every load of one plane wait on the stores to the
/// other ("4K aliasing"; measured: a gate on qubit 6 of a 24-qubit state ran at 36 GB/s without the gap, 55 with it).</para>
/// <para>Qubit 0 is the least-significant bit of the amplitude index.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BatchedState<T> : IDisposable where T : unmanaged
{
    internal BatchedState(Accelerator accelerator, MemoryBuffer<T> buffer, int qubits, int batchSize, long imaginaryOffset)
    {
        ImaginaryOffset = imaginaryOffset;
        Accelerator = accelerator;
        Buffer = buffer;
        Qubits = qubits;
        BatchSize = batchSize;
    }

    /// <summary>The accelerator that owns the state.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Number of qubits n.</summary>
    public int Qubits { get; }

    /// <summary>Number of samples B.</summary>
    public int BatchSize { get; }

    /// <summary>Amplitudes per sample, 2^n.</summary>
    public long Dimension => 1L << Qubits;

    /// <summary>Elements in one plane, 2^n · B.</summary>
    public long PlaneLength => Dimension * BatchSize;

    /// <summary>Whether the state has been disposed.</summary>
    public bool IsDisposed => Buffer.IsDisposed;

    /// <summary>Element offset of the imaginary plane in <see cref="Buffer"/>: the plane length plus the accelerator's gap.</summary>
    internal long ImaginaryOffset { get; }

    /// <summary>The backing buffer: real plane, then imaginary plane.</summary>
    internal MemoryBuffer<T> Buffer { get; }

    /// <summary>Releases the accelerator memory.</summary>
    public void Dispose() => Buffer.Dispose();
}
