namespace QSim.Kernels.Device;

/// <summary>A buffer in a <see cref="DeviceAccelerator"/>'s memory, allocated and accessed through its primitives.</summary>
/// <typeparam name="T">Element type.</typeparam>
internal abstract unsafe class DeviceMemoryBuffer<T> : MemoryBuffer<T> where T : unmanaged
{
    private readonly DeviceAccelerator _owner;
    private readonly long _bytes;

    protected DeviceMemoryBuffer(DeviceAccelerator accelerator, long length) : base(accelerator, length)
    {
        _owner = accelerator;
        _bytes = Math.Max(1, length * sizeof(T));
        Handle = accelerator.AllocateDevice(_bytes);
        accelerator.TrackAllocation(_bytes);
    }

    ~DeviceMemoryBuffer()
    {
        DisposeCore();
    }

    /// <summary>The device handle (cl_mem or CUdeviceptr); 0 once disposed.</summary>
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

    /// <summary>Reads <paramref name="count"/> elements from <paramref name="offset"/> into host memory (blocking).</summary>
    public void Read(T* destination, long offset, long count) =>
        _owner.ReadDevice(Handle, offset * sizeof(T), destination, count * sizeof(T));

    /// <summary>Writes <paramref name="count"/> elements from host memory at <paramref name="offset"/>.</summary>
    public void Write(T* source, long offset, long count) =>
        _owner.WriteDevice(Handle, offset * sizeof(T), source, count * sizeof(T));

    protected override void DisposeCore()
    {
        nint h = Handle;
        if (h == 0) return;
        Handle = 0;
        if (!_owner.IsReleased) _owner.FreeDevice(h);
        Accelerator.TrackAllocation(-_bytes);
    }
}
