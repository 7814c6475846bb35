namespace QSim.Kernels.OpenCL;

/// <summary>An OpenCL call that returned an error status.</summary>
internal sealed class OpenCLException : Exception
{
    public OpenCLException(string call, int status)
        : base($"{call} failed with OpenCL status {status} ({Describe(status)})")
    {
        Status = status;
    }

    public int Status { get; }

    private static string Describe(int status) => status switch
    {
        -1 => "CL_DEVICE_NOT_FOUND",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -30 => "CL_INVALID_VALUE",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -38 => "CL_INVALID_MEM_OBJECT",
        -46 => "CL_INVALID_KERNEL_NAME",
        -48 => "CL_INVALID_KERNEL",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR (no OpenCL driver is installed)",
        _ => "see the OpenCL specification",
    };
}
