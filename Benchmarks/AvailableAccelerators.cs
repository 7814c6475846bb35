using QSim.Kernels;

namespace QSim.Benchmarks;

/// <summary>The accelerator kinds present on this machine, as a BenchmarkDotNet parameter source.</summary>
public static class AvailableAccelerators
{
    /// <summary>Every kind with at least one device here, the CPU first.</summary>
    public static IEnumerable<AcceleratorKind> Kinds
    {
        get
        {
            using var context = AcceleratorContext.Create();
            return context.Accelerators.Select(a => a.Kind).Distinct().ToArray();
        }
    }
}
