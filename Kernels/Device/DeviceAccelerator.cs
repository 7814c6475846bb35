using System.Numerics;

namespace QSim.Kernels.Device;

/// <summary>
/// The host side of every accelerator that runs the shared kernel sources (prelude.h + gates.cl) on a device with
/// its own memory: OpenCL and CUDA. Which kernel each operation launches, with which arguments and over how many
/// work items, the host-side state transfers (the CPU's exact code), the reductions and the measurement arithmetic
/// live here once (<c>DeviceAccelerator.Operations.cs</c>); a backend supplies only the primitives below.
/// </summary>
/// <remarks>
/// <para>Primitives: compile or look up a kernel by name for a precision, launch it over a 1-D range with arguments
/// (the backend chooses the work-group/block size and caps the grid: every kernel loops grid-stride with
/// <c>QS_FOR</c>, so any launch size is correct), allocate/free/read/write/copy device memory, upload small read-only
/// data for the kernels enqueued next, and wait for queued work.</para>
/// <para>Ordering: every primitive is issued on one in-order queue (OpenCL command queue, CUDA stream). Reads to the
/// host block until the data is there; writes from the host may return before the device has the data only if the
/// host memory may be reused at once.</para>
/// </remarks>
internal abstract unsafe partial class DeviceAccelerator : Accelerator
{
    /// <summary>True once <see cref="Accelerator.Dispose()"/> has released the device context: buffers freed later
    /// (finalizers) must not touch it.</summary>
    public bool IsReleased { get; protected set; }

    // ------------------------------------------------------------------ backend primitives

    /// <summary>The kernel <paramref name="name"/> built for precision <typeparamref name="T"/> (built on first use, then cached).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">Kernel name in gates.cl.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="KernelCompilationException">The sources did not compile; carries the compiler's log.</exception>
    protected abstract DeviceKernel Kernel<T>(string name) where T : unmanaged;

    /// <summary>Enqueues <paramref name="kernel"/> over at least one and at most <paramref name="count"/> work items
    /// (the kernel strides over the rest) with the arguments in order.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="count">Elements the kernel's grid-stride loop covers.</param>
    /// <param name="arguments">Every kernel parameter, in order.</param>
    protected abstract void Launch(DeviceKernel kernel, long count, params ReadOnlySpan<KernelArgument> arguments);

    /// <summary>Allocates <paramref name="bytes"/> of device memory (contents unspecified).</summary>
    /// <param name="bytes">Size, at least 1.</param>
    /// <returns>The handle (cl_mem or CUdeviceptr).</returns>
    /// <exception cref="InsufficientAcceleratorMemoryException">The device refused the allocation.</exception>
    public abstract nint AllocateDevice(long bytes);

    /// <summary>Frees device memory once the work queued so far no longer needs it. Never throws (finalizers call it).</summary>
    /// <param name="handle">A handle from <see cref="AllocateDevice"/>.</param>
    public abstract void FreeDevice(nint handle);

    /// <summary>Copies device memory to the host, after the work queued so far; returns when the data is there.</summary>
    /// <param name="source">Device handle.</param>
    /// <param name="byteOffset">Offset in the device memory.</param>
    /// <param name="destination">Host memory.</param>
    /// <param name="bytes">Bytes to copy.</param>
    public abstract void ReadDevice(nint source, long byteOffset, void* destination, long bytes);

    /// <summary>Copies host memory to the device, in queue order; the host memory may be reused when this returns.</summary>
    /// <param name="destination">Device handle.</param>
    /// <param name="byteOffset">Offset in the device memory.</param>
    /// <param name="source">Host memory.</param>
    /// <param name="bytes">Bytes to copy.</param>
    public abstract void WriteDevice(nint destination, long byteOffset, void* source, long bytes);

    /// <summary>Enqueues a device-to-device copy of <paramref name="bytes"/> from the start of each buffer.</summary>
    /// <param name="source">Source handle.</param>
    /// <param name="destination">Destination handle.</param>
    /// <param name="bytes">Bytes.</param>
    protected abstract void CopyDevice(nint source, nint destination, long bytes);

    /// <summary>A read-only device copy of small host data (gate descriptors, matrices) for the kernels enqueued
    /// before <see cref="ReleaseTemporary"/>; the host memory may be reused when this returns.</summary>
    /// <param name="data">Host data.</param>
    /// <param name="bytes">Its size, at least 1.</param>
    /// <returns>A handle to pass as a kernel argument.</returns>
    protected abstract nint UploadTemporary(void* data, long bytes);

    /// <summary>Gives back an upload once every kernel using it has been enqueued (the backend keeps it alive until they ran).</summary>
    /// <param name="handle">From <see cref="UploadTemporary"/>.</param>
    protected abstract void ReleaseTemporary(nint handle);

    /// <summary>Creates the backend's buffer type over <see cref="AllocateDevice"/>.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="length">Elements.</param>
    /// <returns>The buffer.</returns>
    protected abstract DeviceMemoryBuffer<T> CreateBuffer<T>(long length) where T : unmanaged;

    // ------------------------------------------------------------------ helpers over the primitives

    protected sealed override MemoryBuffer<T> AllocateCore<T>(long length) => CreateBuffer<T>(length);

    /// <summary>The device handle of a state's buffer.</summary>
    protected static nint H<T>(BatchedState<T> s) where T : unmanaged => ((DeviceMemoryBuffer<T>)s.Buffer).Handle;

    /// <summary>The device handle of a buffer.</summary>
    protected static nint H<T>(MemoryBuffer<T> b) where T : unmanaged => ((DeviceMemoryBuffer<T>)b).Handle;

    /// <summary>Uploads a span with <see cref="UploadTemporary"/>; an empty span uploads one zero element (kernels may not take null).</summary>
    private nint Upload<TData>(ReadOnlySpan<TData> data) where TData : unmanaged
    {
        if (data.IsEmpty)
        {
            TData zero = default;
            return UploadTemporary(&zero, sizeof(TData));
        }
        fixed (TData* p = data) return UploadTemporary(p, (long)data.Length * sizeof(TData));
    }

    /// <summary>Interleaved (re, im) pairs in the kernel's precision.</summary>
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

    private static double ToDouble<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(double) ? (double)(object)value : (float)(object)value;

    /// <summary>Reads a whole device buffer of <paramref name="count"/> elements into a new host array.</summary>
    private T[] ReadAll<T>(nint handle, long count) where T : unmanaged
    {
        var host = new T[count];
        fixed (T* p = host) ReadDevice(handle, 0, p, count * sizeof(T));
        return host;
    }
}
