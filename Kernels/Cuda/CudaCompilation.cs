namespace QSim.Kernels.Cuda;

/// <summary>
/// How the shared kernel sources are compiled for a CUDA device: pure functions of the precision, the device's
/// compute capability and what the NVRTC at hand supports, so that they are tested without a GPU.
/// </summary>
internal static class CudaCompilation
{
    /// <summary>The architecture number of a compute capability: 8.6 → 86, 9.0 → 90, 10.0 → 100, 12.0 → 120.</summary>
    /// <param name="major">Compute capability major (≥ 1).</param>
    /// <param name="minor">Compute capability minor (0…9).</param>
    /// <returns>The number NVRTC's <c>compute_XY</c> / <c>sm_XY</c> names use.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not a compute capability.</exception>
    public static int Architecture(int major, int minor)
    {
        if (major < 1 || minor < 0 || minor > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(major), $"compute capability {major}.{minor} is not valid: expected a major ≥ 1 and a minor 0…9");
        }
        return major * 10 + minor;
    }

    /// <summary>
    /// The architecture to compile for: the device's own if NVRTC supports it (or cannot say which it supports),
    /// else the newest supported one below it (PTX for an older virtual architecture runs on newer GPUs: the
    /// driver compiles it on load). Null when every supported architecture is newer than the device (an NVRTC too
    /// new for an old GPU).
    /// </summary>
    /// <param name="deviceArchitecture">From <see cref="Architecture"/>.</param>
    /// <param name="supported">From <c>nvrtcGetSupportedArchs</c>, any order; empty if unknown.</param>
    /// <returns>The architecture number, or null.</returns>
    public static int? ChooseArchitecture(int deviceArchitecture, ReadOnlySpan<int> supported)
    {
        if (supported.IsEmpty) return deviceArchitecture;
        int? best = null;
        foreach (int a in supported)
        {
            if (a <= deviceArchitecture && (best is null || a > best)) best = a;
        }
        return best;
    }

    /// <summary>
    /// NVRTC options for the shared sources: the precision macro, the target, device functions by default (the
    /// prelude's helpers are plain functions in OpenCL C) and C++17.
    /// </summary>
    /// <param name="isDouble">Double precision (<c>QS_DOUBLE=1</c>) or float.</param>
    /// <param name="architecture">From <see cref="ChooseArchitecture"/>.</param>
    /// <param name="cubin">Target the real architecture <c>sm_XY</c> (a CUBIN the driver loads as is) instead of
    /// the virtual <c>compute_XY</c> (PTX the driver compiles on load).</param>
    /// <returns>The options, in order.</returns>
    public static string[] Options(bool isDouble, int architecture, bool cubin = false) =>
    [
        $"-DQS_DOUBLE={(isDouble ? 1 : 0)}",
        $"--gpu-architecture={(cubin ? "sm" : "compute")}_{architecture}",
        "-default-device",
        "--std=c++17",
    ];
}
