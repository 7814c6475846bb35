namespace QSim.Kernels.OpenCL;

/// <summary>A buffer in an OpenCL device's global memory.</summary>
internal sealed unsafe class OpenCLMemoryBuffer<T> : MemoryBuffer<T> where T : unmanaged
{
    private readonly OpenCLAccelerator _owner;
    private readonly long _bytes;

    public OpenCLMemoryBuffer(OpenCLAccelerator accelerator, long length) : base(accelerator, length)
    {
        _owner = accelerator;
        _bytes = Math.Max(1, length * sizeof(T));
        Handle = accelerator.CreateBuffer(_bytes, OpenCLNative.MemReadWrite, null);
        accelerator.TrackAllocation(_bytes);
    }

    ~OpenCLMemoryBuffer()
    {
        DisposeCore();
    }

    public nint Handle { get; private set; }

    protected override void CopyFromHostCore(ReadOnlySpan<T> source, long offset)
    {
        if (source.IsEmpty) return;
        fixed (T* p = source) Write(p, offset, source.Length);
    }

    protected override void CopyToHostCore(Span<T> destination, long offset)
    {
        if (destination.IsEmpty) return;
        fixed (T* p = destination) Read(p, offset, destination.Length);
    }

    /// <summary>Reads <paramref name="count"/> elements from <paramref name="offset"/> into host memory.</summary>
    public void Read(T* destination, long offset, long count) =>
        OpenCLNative.Check(OpenCLNative.EnqueueReadBuffer(_owner.Queue, Handle, 1, (nuint)(offset * sizeof(T)), (nuint)(count * sizeof(T)), destination, 0, null, null), "clEnqueueReadBuffer");

    /// <summary>Writes <paramref name="count"/> elements from host memory at <paramref name="offset"/>.</summary>
    public void Write(T* source, long offset, long count) =>
        OpenCLNative.Check(OpenCLNative.EnqueueWriteBuffer(_owner.Queue, Handle, 1, (nuint)(offset * sizeof(T)), (nuint)(count * sizeof(T)), source, 0, null, null), "clEnqueueWriteBuffer");

    protected override void DisposeCore()
    {
        nint h = Handle;
        if (h == 0) return;
        Handle = 0;
        if (!_owner.IsReleased) OpenCLNative.ReleaseMemObject(h);
        Accelerator.TrackAllocation(-_bytes);
    }
}
