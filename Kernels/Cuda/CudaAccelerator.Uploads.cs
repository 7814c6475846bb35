namespace QSim.Kernels.Cuda;

/// <summary>
/// Uploads of small kernel inputs (gate descriptors, matrices) without an allocation or a wait per gate: a 1 MiB
/// device arena mirrored by 1 MiB of pinned host memory. An upload copies its data to the pinned mirror at the
/// next free offset and enqueues an async copy on the stream, so the copy and the kernels after it run in stream
/// order and the host returns at once. Offsets are reused only after a stream synchronisation, when every copy and
/// kernel that used them has finished and no upload is still held by an operation. Larger inputs, and uploads that
/// find the arena full while another upload is held, get their own allocation, freed on release after a wait.
/// </summary>
internal sealed unsafe partial class CudaAccelerator
{
    /// <summary>Bytes of the arena.</summary>
    public const long UploadArenaBytes = 1L << 20;

    private const long UploadAlignment = 256;

    private readonly object _uploadGate = new();
    private readonly HashSet<nint> _dedicatedUploads = [];
    private ulong _arenaDevice;
    private byte* _arenaHost;
    private long _arenaUsed;
    private int _arenaHeld;

    protected override nint UploadTemporary(void* data, long bytes)
    {
        MakeCurrent();
        long size = (bytes + UploadAlignment - 1) & ~(UploadAlignment - 1);
        lock (_uploadGate)
        {
            if (size <= UploadArenaBytes / 4)
            {
                EnsureArena();
                if (_arenaUsed + size > UploadArenaBytes && _arenaHeld == 0)
                {
                    CudaNative.Check(CudaNative.StreamSynchronize(_stream), "cuStreamSynchronize");
                    _arenaUsed = 0;
                }
                if (_arenaUsed + size <= UploadArenaBytes)
                {
                    long offset = _arenaUsed;
                    Buffer.MemoryCopy(data, _arenaHost + offset, bytes, bytes);
                    ulong target = _arenaDevice + (ulong)offset;
                    CudaNative.Check(CudaNative.MemcpyHtoDAsync(target, _arenaHost + offset, (nuint)bytes, _stream), "cuMemcpyHtoDAsync_v2");
                    _arenaUsed += size;
                    _arenaHeld++;
                    return (nint)target;
                }
            }
            nint dedicated = AllocateDevice(bytes);
            try
            {
                // From pageable memory: wait, so that the caller may reuse it.
                CudaNative.Check(CudaNative.MemcpyHtoDAsync((ulong)dedicated, data, (nuint)bytes, _stream), "cuMemcpyHtoDAsync_v2");
                CudaNative.Check(CudaNative.StreamSynchronize(_stream), "cuStreamSynchronize");
            }
            catch
            {
                CudaNative.MemFree((ulong)dedicated);
                throw;
            }
            _dedicatedUploads.Add(dedicated);
            return dedicated;
        }
    }

    protected override void ReleaseTemporary(nint handle)
    {
        lock (_uploadGate)
        {
            if (_dedicatedUploads.Remove(handle))
            {
                FreeDevice(handle);
                return;
            }
            _arenaHeld--;
        }
    }

    private void EnsureArena()
    {
        if (_arenaDevice != 0) return;
        void* host;
        CudaNative.Check(CudaNative.MemAllocHost(&host, (nuint)UploadArenaBytes), "cuMemAllocHost_v2");
        ulong device;
        int status = CudaNative.MemAlloc(&device, (nuint)UploadArenaBytes);
        if (status != CudaNative.Success)
        {
            CudaNative.MemFreeHost(host);
            if (status == CudaNative.ErrorOutOfMemory)
            {
                throw new InsufficientAcceleratorMemoryException($"{Name} could not allocate the {FormatBytes(UploadArenaBytes)} kernel-argument arena: {CudaNative.Describe(status)}", UploadArenaBytes, AvailableMemory);
            }
            CudaNative.Check(status, "cuMemAlloc_v2");
        }
        _arenaHost = (byte*)host;
        _arenaDevice = device;
        _arenaUsed = 0;
    }

    /// <summary>Frees the arena and any dedicated upload (the context is current and the stream idle).</summary>
    private void FreeUploadArena()
    {
        lock (_uploadGate)
        {
            foreach (nint d in _dedicatedUploads) CudaNative.MemFree((ulong)d);
            _dedicatedUploads.Clear();
            if (_arenaDevice != 0) CudaNative.MemFree(_arenaDevice);
            if (_arenaHost != null) CudaNative.MemFreeHost(_arenaHost);
            _arenaDevice = 0;
            _arenaHost = null;
        }
    }
}
