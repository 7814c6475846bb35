using System.Runtime.InteropServices;

namespace QSim.Kernels.Cpu;

/// <summary>
/// Native allocations for CPU buffers. Large buffers are aligned to 2 MiB and, on Linux, advised to use transparent
/// huge pages: a gate on a high qubit streams from several places half a state apart at once, and with 4 KiB pages
/// every stream misses the TLB at each page boundary.
/// </summary>
internal static unsafe partial class HostMemory
{
    /// <summary>Buffers at least this large get 2 MiB alignment and the huge-page advice.</summary>
    public const long HugePageThreshold = 4L << 20;

    private const nuint HugePage = 2u << 20;
    private const int MadviseHugePage = 14;

    private static bool _adviceFailed;

    /// <summary>Allocates <paramref name="bytes"/> bytes, 64-byte aligned (2 MiB aligned for large buffers).</summary>
    public static void* Allocate(long bytes)
    {
        if (bytes < HugePageThreshold) return NativeMemory.AlignedAlloc((nuint)bytes, 64);
        nuint rounded = ((nuint)bytes + HugePage - 1) & ~(HugePage - 1);
        void* p = NativeMemory.AlignedAlloc(rounded, HugePage);
        if (OperatingSystem.IsLinux() && !_adviceFailed)
        {
            try
            {
                // Advice only: the allocation is valid whether or not the kernel honours it.
                _ = Madvise(p, rounded, MadviseHugePage);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _adviceFailed = true;
            }
        }
        return p;
    }

    /// <summary>Frees memory from <see cref="Allocate"/>.</summary>
    public static void Free(void* p) => NativeMemory.AlignedFree(p);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
