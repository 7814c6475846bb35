namespace QSim.Kernels;

/// <summary>The kind of hardware an <see cref="Accelerator"/> drives.</summary>
public enum AcceleratorKind
{
    /// <summary>The managed, multi-threaded SIMD backend on the host CPU. Always available; the oracle for the others.</summary>
    Cpu,

    /// <summary>An OpenCL device reached through <c>libOpenCL.so.1</c>.</summary>
    OpenCL,

    /// <summary>An NVIDIA GPU reached through the CUDA driver API and NVRTC.</summary>
    Cuda,
}
