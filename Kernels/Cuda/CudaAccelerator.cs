using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using QSim.Kernels.Device;

namespace QSim.Kernels.Cuda;

/// <summary>
/// An NVIDIA GPU through the CUDA driver API: the primitives of <see cref="DeviceAccelerator"/> (which holds every
/// operation) on the device's primary context and one stream of this accelerator. The shared kernel sources
/// (prelude.h + gates.cl) are compiled by NVRTC once per precision, for the device's compute capability, on first
/// use; the compiled image is cached for the process, the loaded module for the accelerator's lifetime.
/// </summary>
/// <remarks>
/// <para>The driver's current context is per thread, so every primitive makes the primary context current first
/// (a cheap call): the accelerator may be used from any thread, including the finalizer's.</para>
/// <para>Memory is plain <c>cuMemAlloc</c> device memory (no managed memory); <see cref="AvailableMemory"/> is the
/// driver's free memory, so a state that would not fit is refused before anything is allocated.</para>
/// </remarks>
internal sealed unsafe partial class CudaAccelerator : DeviceAccelerator
{
    /// <summary>Threads per block, unless a kernel allows fewer.</summary>
    public const int PreferredBlockSize = 256;

    /// <summary>Most blocks per launch: 2^16 blocks of 256 = 2^24 threads, like the OpenCL GPU cap; kernels
    /// loop grid-stride over the rest.</summary>
    public const long MaxBlocks = 1L << 16;

    /// <summary>Compiled images (PTX or CUBIN) by NVRTC options, shared by every accelerator of the process.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<NvrtcNative.Result>> s_images = new();

    private readonly int _device;
    private readonly nint _context;
    private readonly nint _stream;
    private readonly Dictionary<bool, Module> _modules = [];
    private readonly object _gate = new();

    /// <summary>Opens device <paramref name="ordinal"/>: retains its primary context and creates a stream.</summary>
    /// <param name="ordinal">CUDA device ordinal.</param>
    /// <exception cref="CudaException">A driver call failed.</exception>
    public CudaAccelerator(int ordinal)
    {
        int device, value;
        CudaNative.Check(CudaNative.DeviceGet(&device, ordinal), "cuDeviceGet");
        _device = device;
        Ordinal = ordinal;

        byte* name = stackalloc byte[256];
        CudaNative.Check(CudaNative.DeviceGetName(name, 256, device), "cuDeviceGetName");
        string deviceName = Marshal.PtrToStringUTF8((nint)name)?.Trim() ?? $"CUDA device {ordinal}";
        nuint total;
        CudaNative.Check(CudaNative.DeviceTotalMem(&total, device), "cuDeviceTotalMem_v2");
        MemorySize = (long)total;
        MaxBufferBytes = (long)total;
        CudaNative.Check(CudaNative.DeviceGetAttribute(&value, CudaNative.AttributeMultiprocessorCount, device), "cuDeviceGetAttribute(MULTIPROCESSOR_COUNT)");
        ComputeUnits = value;
        CudaNative.Check(CudaNative.DeviceGetAttribute(&value, CudaNative.AttributeComputeCapabilityMajor, device), "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MAJOR)");
        int major = value;
        CudaNative.Check(CudaNative.DeviceGetAttribute(&value, CudaNative.AttributeComputeCapabilityMinor, device), "cuDeviceGetAttribute(COMPUTE_CAPABILITY_MINOR)");
        int minor = value;
        ComputeCapability = (major, minor);
        Architecture = CudaCompilation.Architecture(major, minor);
        int driver = 0;
        CudaNative.DriverGetVersion(&driver);
        DriverVersion = driver;
        Name = $"{deviceName} (CUDA driver {driver / 1000}.{driver % 1000 / 10}, compute capability {major}.{minor}, {ComputeUnits} SMs)";

        nint context;
        CudaNative.Check(CudaNative.DevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        _context = context;
        try
        {
            CudaNative.Check(CudaNative.CtxSetCurrent(context), "cuCtxSetCurrent");
            nint stream;
            CudaNative.Check(CudaNative.StreamCreate(&stream, CudaNative.StreamDefault), "cuStreamCreate");
            _stream = stream;
        }
        catch
        {
            CudaNative.DevicePrimaryCtxRelease(device);
            throw;
        }
    }

    public override AcceleratorKind Kind => AcceleratorKind.Cuda;

    public override string Name { get; }

    public override long MemorySize { get; }

    public override long MaxBufferBytes { get; }

    /// <summary>Every CUDA GPU QSim can drive computes in double precision (compute capability ≥ 1.3).</summary>
    public override bool SupportsFloat64 => true;

    /// <summary>Streaming multiprocessors.</summary>
    public override int ComputeUnits { get; }

    /// <summary>The device's CUDA ordinal.</summary>
    public int Ordinal { get; }

    /// <summary>Compute capability (major, minor), e.g. (9, 0) for an H100.</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>Compute capability as NVRTC's architecture number (90 for 9.0).</summary>
    public int Architecture { get; }

    /// <summary>The driver's CUDA version, e.g. 12040 for 12.4.</summary>
    public int DriverVersion { get; }

    /// <summary>The driver's free device memory (it accounts for every allocation of every process).</summary>
    public override long AvailableMemory
    {
        get
        {
            if (IsReleased) return 0;
            nuint free, total;
            if (CudaNative.CtxSetCurrent(_context) == CudaNative.Success && CudaNative.MemGetInfo(&free, &total) == CudaNative.Success)
            {
                return (long)free;
            }
            return base.AvailableMemory;
        }
    }

    private void MakeCurrent() => CudaNative.Check(CudaNative.CtxSetCurrent(_context), "cuCtxSetCurrent");

    // ------------------------------------------------------------------ memory primitives

    public override nint AllocateDevice(long bytes)
    {
        MakeCurrent();
        ulong pointer;
        int status = CudaNative.MemAlloc(&pointer, (nuint)bytes);
        if (status == CudaNative.ErrorOutOfMemory)
        {
            throw new InsufficientAcceleratorMemoryException($"{Name} could not allocate {FormatBytes(bytes)}: {CudaNative.Describe(status)}", bytes, AvailableMemory);
        }
        CudaNative.Check(status, "cuMemAlloc_v2");
        return (nint)pointer;
    }

    /// <summary>Waits for the stream (a kernel may still use the memory), then cuMemFree; errors are ignored.</summary>
    public override void FreeDevice(nint handle)
    {
        if (CudaNative.CtxSetCurrent(_context) != CudaNative.Success) return;
        CudaNative.StreamSynchronize(_stream);
        CudaNative.MemFree((ulong)handle);
    }

    public override void ReadDevice(nint source, long byteOffset, void* destination, long bytes)
    {
        MakeCurrent();
        CudaNative.Check(CudaNative.MemcpyDtoHAsync(destination, (ulong)source + (ulong)byteOffset, (nuint)bytes, _stream), "cuMemcpyDtoHAsync_v2");
        CudaNative.Check(CudaNative.StreamSynchronize(_stream), "cuStreamSynchronize");
    }

    /// <summary>An async copy on the stream, then a wait: the host memory is pageable and the caller reuses it.</summary>
    public override void WriteDevice(nint destination, long byteOffset, void* source, long bytes)
    {
        MakeCurrent();
        CudaNative.Check(CudaNative.MemcpyHtoDAsync((ulong)destination + (ulong)byteOffset, source, (nuint)bytes, _stream), "cuMemcpyHtoDAsync_v2");
        CudaNative.Check(CudaNative.StreamSynchronize(_stream), "cuStreamSynchronize");
    }

    protected override void CopyDevice(nint source, nint destination, long bytes)
    {
        MakeCurrent();
        CudaNative.Check(CudaNative.MemcpyDtoDAsync((ulong)destination, (ulong)source, (nuint)bytes, _stream), "cuMemcpyDtoDAsync_v2");
    }

    protected override DeviceMemoryBuffer<T> CreateBuffer<T>(long length) => new CudaMemoryBuffer<T>(this, length);

    protected override void SynchronizeCore()
    {
        MakeCurrent();
        CudaNative.Check(CudaNative.StreamSynchronize(_stream), "cuStreamSynchronize");
    }

    // ------------------------------------------------------------------ kernels

    private sealed class Module(nint handle)
    {
        public nint Handle { get; } = handle;

        public Dictionary<string, DeviceKernel> Kernels { get; } = [];
    }

    protected override DeviceKernel Kernel<T>(string name)
    {
        bool isDouble = typeof(T) == typeof(double);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsReleased, this);
            if (!_modules.TryGetValue(isDouble, out var module))
            {
                module = LoadModule(isDouble);
                _modules[isDouble] = module;
            }
            if (!module.Kernels.TryGetValue(name, out var kernel))
            {
                MakeCurrent();
                nint function;
                byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
                fixed (byte* p = bytes) CudaNative.Check(CudaNative.ModuleGetFunction(&function, module.Handle, p), $"cuModuleGetFunction({name})");
                int maxThreads;
                CudaNative.Check(CudaNative.FuncGetAttribute(&maxThreads, CudaNative.FunctionAttributeMaxThreadsPerBlock, function), $"cuFuncGetAttribute({name}, MAX_THREADS_PER_BLOCK)");
                kernel = new DeviceKernel(name, function, BlockSize(maxThreads));
                module.Kernels[name] = kernel;
            }
            return kernel;
        }
    }

    /// <summary>Threads per block: <see cref="PreferredBlockSize"/>, or the kernel's limit rounded down to whole warps.</summary>
    internal static int BlockSize(int maxThreadsPerBlock) =>
        maxThreadsPerBlock >= PreferredBlockSize ? PreferredBlockSize : Math.Max(1, maxThreadsPerBlock >= 32 ? maxThreadsPerBlock & ~31 : maxThreadsPerBlock);

    /// <summary>Blocks for a grid-stride launch over <paramref name="count"/> elements: enough for one thread per
    /// element, at least 1, at most <see cref="MaxBlocks"/>.</summary>
    internal static long Blocks(long count, int blockSize) => Math.Clamp((count + blockSize - 1) / blockSize, 1, MaxBlocks);

    private Module LoadModule(bool isDouble)
    {
        var api = NvrtcNative.TryGet(out string why) ?? throw new AcceleratorNotAvailableException($"CUDA: {why}");
        int[] supported = api.SupportedArchitectures();
        int architecture = CudaCompilation.ChooseArchitecture(Architecture, supported)
            ?? throw new KernelCompilationException(
                $"{api} compiles only for architectures {string.Join(", ", supported)}, all newer than {Name}; use an NVRTC that supports compute_{Architecture}", "");
        string[] options = CudaCompilation.Options(isDouble, architecture);
        var compiled = Compile(api, options, cubin: false);
        if (compiled.Image is null)
        {
            throw new KernelCompilationException(
                $"NVRTC did not compile the CUDA kernels for {Name} with options '{string.Join(' ', options)}' ({api}: {api.Describe(compiled.Status)})", compiled.Log);
        }
        MakeCurrent();
        int status = Load(compiled.Image, out nint module);
        if (status == CudaNative.ErrorUnsupportedPtxVersion && architecture == Architecture)
        {
            // NVRTC is newer than the driver, which then cannot compile its PTX; a CUBIN for this exact GPU needs no
            // compilation by the driver.
            string[] cubinOptions = CudaCompilation.Options(isDouble, architecture, cubin: true);
            var cubin = Compile(api, cubinOptions, cubin: true);
            if (cubin.Image is not null)
            {
                int cubinStatus = Load(cubin.Image, out module);
                if (cubinStatus == CudaNative.Success) return new Module(module);
            }
        }
        if (status != CudaNative.Success)
        {
            string hint = status == CudaNative.ErrorUnsupportedPtxVersion
                ? $"; the PTX of {api} is newer than driver {DriverVersion / 1000}.{DriverVersion % 1000 / 10} accepts: use an NVRTC no newer than the driver, or update the driver"
                : "";
            throw new KernelCompilationException(
                $"the CUDA driver could not load the kernels NVRTC compiled for {Name} with options '{string.Join(' ', options)}': {CudaNative.Describe(status)}{hint}", compiled.Log);
        }
        return new Module(module);
    }

    private static NvrtcNative.Result Compile(NvrtcNative.Api api, string[] options, bool cubin)
    {
        string key = $"{api.Path}|{(cubin ? "cubin" : "ptx")}|{string.Join(' ', options)}";
        return s_images.GetOrAdd(key, _ => new Lazy<NvrtcNative.Result>(() => NvrtcNative.Compile(api, KernelSource.All, "qsim_gates.cu", options, cubin))).Value;
    }

    private static int Load(byte[] image, out nint module)
    {
        nint m;
        int status;
        fixed (byte* p = image) status = CudaNative.ModuleLoadData(&m, p);
        module = status == CudaNative.Success ? m : 0;
        return status;
    }

    /// <summary>Launches <paramref name="kernel"/> on the stream: its block size, blocks per <see cref="Blocks"/>.</summary>
    protected override void Launch(DeviceKernel kernel, long count, params ReadOnlySpan<KernelArgument> arguments)
    {
        MakeCurrent();
        int n = arguments.Length;
        long* values = stackalloc long[Math.Max(1, n)];
        void** parameters = stackalloc void*[Math.Max(1, n)];
        for (int i = 0; i < n; i++)
        {
            // cuLaunchKernel copies each parameter from its pointer, taking the size from the kernel image: the low
            // bytes of the 64-bit slot (little-endian) for an int or a float.
            values[i] = arguments[i].Bits;
            parameters[i] = values + i;
        }
        long blocks = Blocks(count, kernel.BlockSize);
        CudaNative.Check(
            CudaNative.LaunchKernel(kernel.Handle, (uint)blocks, 1, 1, (uint)kernel.BlockSize, 1, 1, 0, _stream, parameters, null),
            $"cuLaunchKernel({kernel.Name})");
    }

    // ------------------------------------------------------------------ lifetime

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            if (IsReleased) return;
            IsReleased = true;
        }
        try
        {
            if (CudaNative.CtxSetCurrent(_context) != CudaNative.Success) return;
            CudaNative.StreamSynchronize(_stream);
            foreach (var module in _modules.Values) CudaNative.ModuleUnload(module.Handle);
            _modules.Clear();
            FreeUploadArena();
            CudaNative.StreamDestroy(_stream);
        }
        finally
        {
            CudaNative.DevicePrimaryCtxRelease(_device);
        }
    }
}
