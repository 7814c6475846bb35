namespace QSim.Tests;

/// <summary>Qubit tuples, control sets and batch sizes that gate tests sweep over.</summary>
public static class GateCases
{
    /// <summary>
    /// Batch sizes: 1 (a plain single-state layout), powers of two below and at the SIMD widths (8 doubles / 16 floats
    /// in AVX-512, 4 / 8 in AVX2; the CPU's in-register kernels take power-of-two batches narrower than a register),
    /// and odd sizes that leave a scalar remainder.
    /// </summary>
    public static IReadOnlyList<int> BatchSizes { get; } = [1, 2, 3, 4, 8, 17, 33];

    /// <summary>Power-of-two batch sizes up to one AVX-512 register of floats.</summary>
    public static IReadOnlyList<int> PowerOfTwoBatchSizes { get; } = [1, 2, 4, 8, 16];

    /// <summary>
    /// Control sets for a gate on <paramref name="targets"/>: none, one control at the lowest, highest and a middle
    /// free qubit, and two controls (in ascending and descending order).
    /// </summary>
    /// <param name="qubits">n.</param>
    /// <param name="targets">The gate's targets.</param>
    /// <returns>Distinct control sets.</returns>
    public static IEnumerable<int[]> ControlSets(int qubits, int[] targets)
    {
        int[] free = Enumerable.Range(0, qubits).Except(targets).ToArray();
        var sets = new List<int[]> { Array.Empty<int>() };
        if (free.Length >= 1)
        {
            sets.Add([free[0]]);
            sets.Add([free[^1]]);
            sets.Add([free[free.Length / 2]]);
        }
        if (free.Length >= 2)
        {
            sets.Add([free[0], free[^1]]);
            sets.Add([free[^1], free[(free.Length - 1) / 2]]);
        }
        return sets.DistinctBy(s => string.Join(",", s));
    }

    /// <summary>
    /// Ordered k-tuples of distinct qubits: every one when there are at most <paramref name="limit"/>, otherwise the
    /// ascending and descending extremes, the lowest and highest tuples, and a seeded random selection.
    /// </summary>
    /// <param name="qubits">n.</param>
    /// <param name="k">Tuple length.</param>
    /// <param name="limit">Largest number of tuples returned.</param>
    /// <param name="rng">Seeded generator for the selection.</param>
    /// <returns>Tuples (each a new array).</returns>
    public static IReadOnlyList<int[]> OrderedTuples(int qubits, int k, int limit, Random rng)
    {
        var all = new List<int[]>();
        Build([]);
        if (all.Count <= limit) return all;

        List<int[]> chosen =
        [
            Enumerable.Range(0, k).ToArray(),                                  // lowest, ascending
            Enumerable.Range(0, k).Reverse().ToArray(),                        // lowest, descending
            Enumerable.Range(qubits - k, k).ToArray(),                         // highest, ascending
            Enumerable.Range(qubits - k, k).Reverse().ToArray(),               // highest, descending
            [qubits - 1, .. Enumerable.Range(0, k - 1).Select(j => j * (qubits - 1) / k)], // spread, highest first
        ];
        chosen = chosen.Where(t => t.Distinct().Count() == k && t.All(q => q < qubits)).ToList();
        foreach (var t in all.OrderBy(_ => rng.Next())) chosen.Add(t);
        return chosen.DistinctBy(t => string.Join(",", t)).Take(limit).ToList();

        void Build(List<int> prefix)
        {
            if (prefix.Count == k)
            {
                all.Add([.. prefix]);
                return;
            }
            for (int q = 0; q < qubits; q++)
            {
                if (prefix.Contains(q)) continue;
                prefix.Add(q);
                Build(prefix);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    /// <summary>A short description of a gate case for assertion messages.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="targets">Targets.</param>
    /// <param name="controls">Controls.</param>
    /// <returns>The text.</returns>
    public static string Describe(int qubits, int batchSize, int[] targets, int[] controls) =>
        $"n={qubits}, B={batchSize}, targets [{string.Join(", ", targets)}], controls [{string.Join(", ", controls)}]";
}
