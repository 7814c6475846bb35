using System.Numerics;
using System.Text;
using QSim.Kernels.Cpu;

namespace QSim.Kernels.OpenCL;

/// <summary>
/// An OpenCL device. Kernels come from the shared sources (prelude.h + gates.cl), built once per precision on first
/// use and cached for the accelerator's lifetime. The state layout is the CPU's, so transfers, sampling and the
/// host-side parts of measurement are the CPU's exact code.
/// </summary>
internal sealed unsafe partial class OpenCLAccelerator : Accelerator
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

    public nint Queue { get; }

    public bool IsReleased { get; private set; }

    // ------------------------------------------------------------------ plumbing

    public nint CreateBuffer(long bytes, ulong flags, void* host)
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

    /// <summary>A read-only device copy of small host data (gate descriptors, matrices), released by the caller.</summary>
    private nint Upload<TData>(ReadOnlySpan<TData> data) where TData : unmanaged
    {
        if (data.IsEmpty)
        {
            TData zero = default;
            return CreateBuffer(sizeof(TData), OpenCLNative.MemReadOnly | OpenCLNative.MemCopyHostPtr, &zero);
        }
        fixed (TData* p = data) return CreateBuffer((long)data.Length * sizeof(TData), OpenCLNative.MemReadOnly | OpenCLNative.MemCopyHostPtr, p);
    }

    private sealed class Program
    {
        public nint Handle;
        public readonly Dictionary<string, nint> Kernels = [];
    }

    private nint Kernel<T>(string name) where T : unmanaged
    {
        bool isDouble = typeof(T) == typeof(double);
        lock (_gate)
        {
            if (!_programs.TryGetValue(isDouble, out var program))
            {
                program = Build(isDouble);
                _programs[isDouble] = program;
            }
            if (!program.Kernels.TryGetValue(name, out nint kernel))
            {
                int error;
                byte[] bytes = Encoding.ASCII.GetBytes(name + "\0");
                fixed (byte* p = bytes) kernel = OpenCLNative.CreateKernel(program.Handle, p, &error);
                OpenCLNative.Check(error, $"clCreateKernel({name})");
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

    /// <summary>Sets kernel arguments in order and launches over <paramref name="count"/> work items (grid-stride).</summary>
    private void Launch(nint kernel, long count, params Arg[] args)
    {
        for (int i = 0; i < args.Length; i++) args[i].Set(kernel, (uint)i);
        // Kernels loop grid-stride, so any global size is correct; the runtime picks the work-group size. On a CPU
        // device (PoCL) one work item per element is fastest: a strided loop inside a work item walks memory 2^20
        // items apart and made gates on high qubits 6× slower.
        nuint global = (nuint)Math.Max(1, Math.Min(count, IsGpu ? 1L << 24 : 1L << 30));
        OpenCLNative.Check(OpenCLNative.EnqueueNDRangeKernel(Queue, kernel, 1, null, &global, null, 0, null, null), "clEnqueueNDRangeKernel");
    }

    /// <summary>One kernel argument: a buffer handle or a scalar.</summary>
    private readonly struct Arg
    {
        private readonly long _bits;
        private readonly int _size;

        private Arg(long bits, int size)
        {
            _bits = bits;
            _size = size;
        }

        public static Arg Mem(nint handle) => new(handle, sizeof(nint));

        public static Arg Int(int value) => new(value, 4);

        public static Arg Long(long value) => new(value, 8);

        /// <summary>A scalar of the kernel's precision.</summary>
        public static Arg Real<T>(double value) where T : unmanaged =>
            typeof(T) == typeof(double) ? new(BitConverter.DoubleToInt64Bits(value), 8) : new(BitConverter.SingleToInt32Bits((float)value), 4);

        public void Set(nint kernel, uint index)
        {
            long bits = _bits;
            OpenCLNative.Check(OpenCLNative.SetKernelArg(kernel, index, (nuint)_size, &bits), $"clSetKernelArg({index})");
        }
    }

    private static nint H<T>(BatchedState<T> s) where T : unmanaged => ((OpenCLMemoryBuffer<T>)s.Buffer).Handle;

    private static nint H<T>(MemoryBuffer<T> b) where T : unmanaged => ((OpenCLMemoryBuffer<T>)b).Handle;

    private static T[] ToReals<T>(ReadOnlySpan<Complex> values) where T : unmanaged
    {
        var r = new T[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            if (typeof(T) == typeof(double))
            {
                ((double[])(object)r)[2 * i] = values[i].Real;
                ((double[])(object)r)[2 * i + 1] = values[i].Imaginary;
            }
            else
            {
                ((float[])(object)r)[2 * i] = (float)values[i].Real;
                ((float[])(object)r)[2 * i + 1] = (float)values[i].Imaginary;
            }
        }
        return r;
    }

    protected override MemoryBuffer<T> AllocateCore<T>(long length) => new OpenCLMemoryBuffer<T>(this, length);

    protected override void Dispose(bool disposing)
    {
        if (IsReleased) return;
        IsReleased = true;
        foreach (var program in _programs.Values)
        {
            foreach (nint k in program.Kernels.Values) OpenCLNative.ReleaseKernel(k);
            OpenCLNative.ReleaseProgram(program.Handle);
        }
        _programs.Clear();
        OpenCLNative.ReleaseCommandQueue(Queue);
        OpenCLNative.ReleaseContext(_context);
    }
}
