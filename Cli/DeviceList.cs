using QSim.Kernels;

namespace QSim.Cli;

/// <summary>The <c>devices</c> command.</summary>
internal static class DeviceList
{
    public static int Print(TextWriter output)
    {
        using var context = AcceleratorContext.Create();
        output.WriteLine("Accelerators:");
        foreach (var a in context.Accelerators)
        {
            output.WriteLine($"  {a.Kind,-7} {a.Name}");
            output.WriteLine($"          memory {Gib(a.MemorySize)}, largest buffer {Gib(a.MaxBufferBytes)}, compute units {a.ComputeUnits}, fp64 {(a.SupportsFloat64 ? "yes" : "no")}");
        }
        if (context.Unavailable.Count > 0)
        {
            output.WriteLine("Unavailable:");
            foreach (string reason in context.Unavailable) output.WriteLine($"  {reason}");
        }
        return 0;
    }

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.0} GiB";
}
