using QSim.Kernels.Device;

namespace QSim.Kernels.OpenCL;

/// <summary>A buffer in an OpenCL device's global memory (a cl_mem).</summary>
internal sealed class OpenCLMemoryBuffer<T>(OpenCLAccelerator accelerator, long length) : DeviceMemoryBuffer<T>(accelerator, length)
    where T : unmanaged;
