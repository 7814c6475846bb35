using QSim.Kernels.Device;

namespace QSim.Kernels.Cuda;

/// <summary>A buffer in a CUDA device's global memory (a <c>CUdeviceptr</c> from cuMemAlloc).</summary>
internal sealed class CudaMemoryBuffer<T>(CudaAccelerator accelerator, long length) : DeviceMemoryBuffer<T>(accelerator, length)
    where T : unmanaged;
