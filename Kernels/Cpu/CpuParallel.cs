namespace QSim.Kernels.Cpu;

/// <summary>
/// Splits a range of independent work items over the cores, in fixed, contiguous ranges so that results
/// (including floating-point reductions) are the same from run to run.
/// </summary>
internal static class CpuParallel
{
    /// <summary>Below this many elements touched, a kernel runs on the calling thread.</summary>
    public const long SerialThreshold = 1L << 15;

    public static int Threads { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Number of ranges <see cref="For"/> uses for <paramref name="items"/> items of <paramref name="elementsPerItem"/> elements each.</summary>
    public static int Ranges(long items, long elementsPerItem)
    {
        if (items <= 1 || items * elementsPerItem < SerialThreshold || Threads == 1) return 1;
        return (int)Math.Min(items, Threads);
    }

    /// <summary>Runs <paramref name="body"/>(range, start, end) over <see cref="Ranges"/> contiguous ranges of [0, items).</summary>
    public static void For(long items, long elementsPerItem, Action<int, long, long> body)
    {
        int ranges = Ranges(items, elementsPerItem);
        if (ranges == 1)
        {
            body(0, 0, items);
            return;
        }
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Threads }, r =>
        {
            long start = items * r / ranges, end = items * (r + 1) / ranges;
            body(r, start, end);
        });
    }
}
