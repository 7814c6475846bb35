namespace QSim.Kernels.Device;

/// <summary>
/// One kernel argument: a device buffer handle or a scalar, held as its little-endian bits. OpenCL passes
/// (<see cref="Size"/>, pointer to <see cref="Bits"/>) to clSetKernelArg; CUDA passes a pointer to <see cref="Bits"/>
/// in cuLaunchKernel's parameter array (the kernel image knows each parameter's size).
/// </summary>
internal readonly struct KernelArgument
{
    private KernelArgument(long bits, int size)
    {
        Bits = bits;
        Size = size;
    }

    /// <summary>The value's bits, zero-extended to 64 (the value is in the low <see cref="Size"/> bytes).</summary>
    public long Bits { get; }

    /// <summary>Bytes of the kernel parameter: 8 for a handle or long, 4 for an int or float.</summary>
    public int Size { get; }

    /// <summary>A device buffer: a cl_mem or a CUdeviceptr.</summary>
    public static KernelArgument Buffer(nint handle) => new(handle, sizeof(long));

    /// <summary>An <c>int</c> parameter.</summary>
    public static KernelArgument Int(int value) => new((uint)value, sizeof(int));

    /// <summary>A <c>qs_long</c> (64-bit) parameter.</summary>
    public static KernelArgument Long(long value) => new(value, sizeof(long));

    /// <summary>A <c>real</c> parameter: a float or a double, as the kernel's precision <typeparamref name="T"/>.</summary>
    public static KernelArgument Real<T>(double value) where T : unmanaged =>
        typeof(T) == typeof(double)
            ? new(BitConverter.DoubleToInt64Bits(value), sizeof(double))
            : new((uint)BitConverter.SingleToInt32Bits((float)value), sizeof(float));
}
