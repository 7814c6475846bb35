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

    /// <summary>
    /// Runs <paramref name="body"/>(g0, g1, e0, e1) over groups [g0, g1) of a gate, touching elements [e0, e1) of each
    /// group's rows. With many groups, ranges of whole groups go to the cores; with fewer groups than cores (a gate on
    /// the highest qubits), each group's rows are split into aligned pieces so that every core still streams.
    /// </summary>
    public static void ForGroups(long groups, long chunk, long elementsPerGroup, Action<long, long, long, long> body)
    {
        if (groups >= Threads || groups * elementsPerGroup < SerialThreshold || Threads == 1 || chunk < 4096)
        {
            For(groups, elementsPerGroup, (_, g0, g1) => body(g0, g1, 0, chunk));
            return;
        }
        int pieces = (int)((2 * Threads + groups - 1) / groups);
        long tasks = groups * pieces;
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            long g = t / pieces;
            int p = (int)(t % pieces);
            long e0 = p == 0 ? 0 : (chunk * p / pieces) & ~63L;
            long e1 = p == pieces - 1 ? chunk : (chunk * (p + 1) / pieces) & ~63L;
            body(g, g + 1, e0, e1);
        });
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
