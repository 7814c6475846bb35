using System.Runtime.InteropServices;

namespace QSim.Kernels.Cpu;

/// <summary>A buffer in 64-byte aligned native memory (a cache line, and one AVX-512 register).</summary>
internal sealed unsafe class CpuMemoryBuffer<T> : MemoryBuffer<T> where T : unmanaged
{
    private readonly long _bytes;

    public CpuMemoryBuffer(CpuAccelerator accelerator, long length) : base(accelerator, length)
    {
        _bytes = Math.Max(1, length * sizeof(T));
        try
        {
            Pointer = (T*)HostMemory.Allocate(_bytes);
        }
        catch (OutOfMemoryException)
        {
            throw new InsufficientAcceleratorMemoryException(
                $"the host could not allocate {Accelerator.FormatBytes(_bytes)} for a CPU buffer", _bytes, accelerator.AvailableMemory);
        }
        accelerator.TrackAllocation(_bytes);
    }

    ~CpuMemoryBuffer()
    {
        DisposeCore();
    }

    public T* Pointer { get; private set; }

    protected override void CopyFromHostCore(ReadOnlySpan<T> source, long offset) =>
        source.CopyTo(new Span<T>(Pointer + offset, source.Length));

    protected override void CopyToHostCore(Span<T> destination, long offset) =>
        new ReadOnlySpan<T>(Pointer + offset, destination.Length).CopyTo(destination);

    protected override void DisposeCore()
    {
        T* p = Pointer;
        if (p == null) return;
        Pointer = null;
        HostMemory.Free(p);
        Accelerator.TrackAllocation(-_bytes);
    }
}
