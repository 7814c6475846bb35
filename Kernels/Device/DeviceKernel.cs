namespace QSim.Kernels.Device;

/// <summary>A compiled kernel of a <see cref="DeviceAccelerator"/>: a cl_kernel or a CUfunction.</summary>
/// <param name="Name">The kernel's name in the shared sources.</param>
/// <param name="Handle">The backend's handle.</param>
/// <param name="BlockSize">Work items per work group / threads per block the backend launches it with (0: the runtime chooses).</param>
internal sealed record DeviceKernel(string Name, nint Handle, int BlockSize);
