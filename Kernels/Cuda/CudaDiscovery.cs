namespace QSim.Kernels.Cuda;

/// <summary>Finds the CUDA GPUs of this machine, or says in one line beginning with "CUDA:" why there are none.</summary>
internal static unsafe class CudaDiscovery
{
    /// <summary>Opens every CUDA device; each reason for having none goes to <paramref name="unavailable"/>. Never throws.</summary>
    /// <param name="unavailable">Receives the reasons.</param>
    /// <returns>The devices.</returns>
    public static List<Accelerator> Discover(List<string> unavailable)
    {
        var found = new List<Accelerator>();
        try
        {
            int status = CudaNative.Init(0);
            if (status != CudaNative.Success)
            {
                unavailable.Add(InitFailure(status));
                return found;
            }
            int count;
            CudaNative.Check(CudaNative.DeviceGetCount(&count), "cuDeviceGetCount");
            if (count == 0)
            {
                unavailable.Add("CUDA: the NVIDIA driver is loaded but reports no CUDA device");
                return found;
            }
            if (NvrtcNative.TryGet(out string why) is null)
            {
                unavailable.Add($"CUDA: {count} device(s) found, but {why}");
                return found;
            }
            for (int ordinal = 0; ordinal < count; ordinal++)
            {
                try
                {
                    found.Add(new CudaAccelerator(ordinal));
                }
                catch (Exception e) when (e is CudaException or ArgumentException or EntryPointNotFoundException)
                {
                    unavailable.Add($"CUDA: device {ordinal} could not be opened: {e.Message}");
                }
            }
        }
        catch (DllNotFoundException)
        {
            unavailable.Add("CUDA: libcuda.so.1 (the NVIDIA driver) was not found; a CUDA GPU needs the NVIDIA driver installed");
        }
        catch (EntryPointNotFoundException e)
        {
            unavailable.Add($"CUDA: libcuda.so.1 lacks an entry point QSim needs (driver too old?): {e.Message}");
        }
        catch (CudaException e)
        {
            unavailable.Add($"CUDA: discovery failed: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            // Probing for NVRTC reads folders and opens libraries; a failure there must not stop the other backends.
            unavailable.Add($"CUDA: discovery failed: {e.GetType().Name}: {e.Message}");
        }
        return found;
    }

    /// <summary>The line for a failed <c>cuInit</c>.</summary>
    internal static string InitFailure(int status) => status switch
    {
        CudaNative.ErrorNoDevice => $"CUDA: the NVIDIA driver found no CUDA device (cuInit: {CudaNative.Describe(status)}); check CUDA_VISIBLE_DEVICES",
        CudaNative.ErrorStubLibrary => $"CUDA: libcuda.so.1 is the CUDA toolkit's stub, not the NVIDIA driver (cuInit: {CudaNative.Describe(status)})",
        CudaNative.ErrorInsufficientDriver => $"CUDA: the NVIDIA driver is too old for this CUDA library (cuInit: {CudaNative.Describe(status)})",
        CudaNative.ErrorSystemDriverMismatch => $"CUDA: the NVIDIA kernel module and libcuda.so.1 are different driver versions (cuInit: {CudaNative.Describe(status)})",
        _ => $"CUDA: the NVIDIA driver failed to initialise (cuInit: {CudaNative.Describe(status)})",
    };
}
