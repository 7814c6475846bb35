using System.Text;
using QSim.Kernels.Device;

namespace QSim.Kernels.OpenCL;

/// <summary>
/// An OpenCL device: the primitives of <see cref="DeviceAccelerator"/> (which holds every operation) over one
/// in-order command queue. Kernels come from the shared sources (prelude.h + gates.cl), built once per precision on
/// first use and cached for the accelerator's lifetime.
/// </summary>
internal sealed unsafe class OpenCLAccelerator : DeviceAccelerator
{
    private readonly nint _device;
    private readonly nint _context;
    private readonly Dictionary<bool, Program> _programs = [];
    private readonly object _gate = new();

    public OpenCLAccelerator(nint platform, nint device)
    {
        _device = device;
        string platformName = OpenCLNative.PlatformString(platform, OpenCLNative.PlatformName);
        Name = $"{OpenCLNative.DeviceString(device, OpenCLNative.DeviceName)} ({platformName}, {OpenCLNative.DeviceString(device, OpenCLNative.DeviceVersion)})";
        MemorySize = (long)OpenCLNative.DeviceValue<ulong>(device, OpenCLNative.DeviceGlobalMemSize);
        MaxBufferBytes = (long)OpenCLNative.DeviceValue<ulong>(device, OpenCLNative.DeviceMaxMemAllocSize);
        SupportsFloat64 = OpenCLNative.DeviceValue<ulong>(device, OpenCLNative.DeviceDoubleFpConfig) != 0;
        ComputeUnits = (int)OpenCLNative.DeviceValue<uint>(device, OpenCLNative.DeviceMaxComputeUnits);
        IsGpu = (OpenCLNative.DeviceValue<ulong>(device, OpenCLNative.DeviceType) & OpenCLNative.DeviceTypeGpu) != 0;
        int error;
        nint d = device;
        _context = OpenCLNative.CreateContext(null, 1, &d, 0, 0, &error);
        OpenCLNative.Check(error, "clCreateContext");
        Queue = OpenCLNative.CreateCommandQueue(_context, device, 0, &error);
        OpenCLNative.Check(error, "clCreateCommandQueue");
    }

    public override AcceleratorKind Kind => AcceleratorKind.OpenCL;

    public override string Name { get; }

    public override long MemorySize { get; }

    public override long MaxBufferBytes { get; }

    public override bool SupportsFloat64 { get; }

    public override int ComputeUnits { get; }

    public bool IsGpu { get; }

    /// <summary>Sample innermost (coalesced) on a GPU; each sample's own block on a CPU device such as PoCL.</summary>
    protected override bool SmallCircuitSampleInnermost => IsGpu;

    public nint Queue { get; }

    // ------------------------------------------------------------------ primitives

    /// <summary>clCreateBuffer; allocation failures become <see cref="InsufficientAcceleratorMemoryException"/>.</summary>
    private nint CreateBuffer(long bytes, ulong flags, void* host)
    {
        int error;
        nint mem = OpenCLNative.CreateBuffer(_context, flags, (nuint)bytes, host, &error);
        if (error is -4 or -5 or -6 or -61)
        {
            throw new InsufficientAcceleratorMemoryException($"{Name} could not allocate {bytes} bytes (OpenCL status {error})", bytes, AvailableMemory);
        }
        OpenCLNative.Check(error, "clCreateBuffer");
        return mem;
    }

    public override nint AllocateDevice(long bytes) => CreateBuffer(bytes, OpenCLNative.MemReadWrite, null);

    public override void FreeDevice(nint handle) => OpenCLNative.ReleaseMemObject(handle);

    public override void ReadDevice(nint source, long byteOffset, void* destination, long bytes) =>
        OpenCLNative.Check(OpenCLNative.EnqueueReadBuffer(Queue, source, 1, (nuint)byteOffset, (nuint)bytes, destination, 0, null, null), "clEnqueueReadBuffer");

    public override void WriteDevice(nint destination, long byteOffset, void* source, long bytes) =>
        OpenCLNative.Check(OpenCLNative.EnqueueWriteBuffer(Queue, destination, 1, (nuint)byteOffset, (nuint)bytes, source, 0, null, null), "clEnqueueWriteBuffer");

    protected override void CopyDevice(nint source, nint destination, long bytes) =>
        OpenCLNative.Check(OpenCLNative.EnqueueCopyBuffer(Queue, source, destination, 0, 0, (nuint)bytes, 0, null, null), "clEnqueueCopyBuffer");

    /// <summary>A read-only buffer created from the host data (CL_MEM_COPY_HOST_PTR copies it before returning).</summary>
    protected override nint UploadTemporary(void* data, long bytes) =>
        CreateBuffer(bytes, OpenCLNative.MemReadOnly | OpenCLNative.MemCopyHostPtr, data);

    /// <summary>clReleaseMemObject: OpenCL keeps a memory object alive until the commands using it complete.</summary>
    protected override void ReleaseTemporary(nint handle) => OpenCLNative.ReleaseMemObject(handle);

    protected override DeviceMemoryBuffer<T> CreateBuffer<T>(long length) => new OpenCLMemoryBuffer<T>(this, length);

    protected override void SynchronizeCore() => OpenCLNative.Check(OpenCLNative.Finish(Queue), "clFinish");

    private sealed class Program
    {
        public nint Handle;
        public readonly Dictionary<string, DeviceKernel> Kernels = [];
    }

    protected override DeviceKernel Kernel<T>(string name)
    {
        bool isDouble = typeof(T) == typeof(double);
        lock (_gate)
        {
            if (!_programs.TryGetValue(isDouble, out var program))
            {
                program = Build(isDouble);
                _programs[isDouble] = program;
            }
            if (!program.Kernels.TryGetValue(name, out var kernel))
            {
                int error;
                nint handle;
                byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
                fixed (byte* p = bytes) handle = OpenCLNative.CreateKernel(program.Handle, p, &error);
                OpenCLNative.Check(error, $"clCreateKernel({name})");
                kernel = new DeviceKernel(name, handle, 0);
                program.Kernels[name] = kernel;
            }
            return kernel;
        }
    }

    private Program Build(bool isDouble)
    {
        string options = $"-DQS_DOUBLE={(isDouble ? 1 : 0)}";
        byte[] source = Encoding.UTF8.GetBytes(KernelSource.All);
        int error;
        nint handle;
        fixed (byte* ps = source)
        {
            byte* strings = ps;
            nuint length = (nuint)source.Length;
            handle = OpenCLNative.CreateProgramWithSource(_context, 1, &strings, &length, &error);
        }
        OpenCLNative.Check(error, "clCreateProgramWithSource");
        byte[] opts = Encoding.ASCII.GetBytes(options + "\0");
        nint device = _device;
        int status;
        fixed (byte* po = opts) status = OpenCLNative.BuildProgram(handle, 1, &device, po, 0, 0);
        if (status != OpenCLNative.Success)
        {
            string log = BuildLog(handle);
            OpenCLNative.ReleaseProgram(handle);
            throw new KernelCompilationException($"the OpenCL kernels did not build for {Name} with options '{options}' (status {status})", log);
        }
        return new Program { Handle = handle };
    }

    private string BuildLog(nint program)
    {
        nuint size;
        if (OpenCLNative.GetProgramBuildInfo(program, _device, OpenCLNative.ProgramBuildLog, 0, null, &size) != 0) return "(no build log)";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) OpenCLNative.GetProgramBuildInfo(program, _device, OpenCLNative.ProgramBuildLog, size, p, null);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>Sets the arguments in order and launches over <paramref name="count"/> work items (grid-stride).</summary>
    protected override void Launch(DeviceKernel kernel, long count, params ReadOnlySpan<KernelArgument> arguments)
    {
        for (int i = 0; i < arguments.Length; i++)
        {
            long bits = arguments[i].Bits;
            OpenCLNative.Check(OpenCLNative.SetKernelArg(kernel.Handle, (uint)i, (nuint)arguments[i].Size, &bits), $"clSetKernelArg({kernel.Name}, {i})");
        }
        // Kernels loop grid-stride, so any global size is correct; the runtime picks the work-group size. On a CPU
        // device (PoCL) one work item per element is fastest: a strided loop inside a work item walks memory 2^20
        // items apart and made gates on high qubits 6× slower.
        nuint global = (nuint)Math.Max(1, Math.Min(count, IsGpu ? 1L << 24 : 1L << 30));
        OpenCLNative.Check(OpenCLNative.EnqueueNDRangeKernel(Queue, kernel.Handle, 1, null, &global, null, 0, null, null), "clEnqueueNDRangeKernel");
    }

    protected override void Dispose(bool disposing)
    {
        if (IsReleased) return;
        IsReleased = true;
        foreach (var program in _programs.Values)
        {
            foreach (var k in program.Kernels.Values) OpenCLNative.ReleaseKernel(k.Handle);
            OpenCLNative.ReleaseProgram(program.Handle);
        }
        _programs.Clear();
        OpenCLNative.ReleaseCommandQueue(Queue);
        OpenCLNative.ReleaseContext(_context);
    }
}
