using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.ApplyDiagonal (one diagonal for the batch) and ApplyDiagonalPerSample (one per sample) against
// the dense MathNet reference in float and double: random phases (and general complex entries) on 1–4 ordered
// targets, the whole register, with 0–2 controls, every test batch size, and a batch above the threading threshold.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class DiagonalTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> TargetCounts() => Precisions.Each(1, 2, 3, 4);

    [TestCaseSource(nameof(TargetCounts))]
    public void ApplyDiagonal_RandomPhasesOnOrderedTargets_MatchesDenseReference<T>(int k) where T : unmanaged
    {
        var rng = new Random(21000 + k);
        int caseIndex = 0;
        for (int n = k; n <= 7; n++)
        {
            foreach (int[] targets in GateCases.OrderedTuples(n, k, limit: 8, rng))
            {
                foreach (int[] controls in GateCases.ControlSets(n, targets))
                {
                    int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                    CheckShared<T>(n, batch, targets, DenseReference.RandomPhases(k, rng), controls, rng);
                }
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyDiagonal_WholeRegisterAndGeneralEntries_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(22000);
        for (int n = 1; n <= 6; n++)
        {
            int[] reversed = Enumerable.Range(0, n).Reverse().ToArray();
            CheckShared<T>(n, 3, reversed, DenseReference.RandomPhases(n, rng), [], rng);
        }
        // Not unitary: arbitrary complex entries are applied as given, without renormalising.
        var general = Enumerable.Range(0, 4).Select(_ => new Complex(DenseReference.Gaussian(rng), DenseReference.Gaussian(rng))).ToArray();
        CheckShared<T>(5, 8, [4, 2], general, [0], rng);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyDiagonal_EveryBatchSize_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(23000);
        foreach (int batch in GateCases.BatchSizes)
        {
            for (int q = 0; q < 6; q++)
            {
                CheckShared<T>(6, batch, [q], DenseReference.RandomPhases(1, rng), [], rng);
                CheckShared<T>(6, batch, [q, (q + 3) % 6], DenseReference.RandomPhases(2, rng), [(q + 1) % 6], rng);
            }
        }
    }

    [TestCaseSource(nameof(TargetCounts))]
    public void ApplyDiagonalPerSample_RandomPhasesPerSample_MatchesDenseReference<T>(int k) where T : unmanaged
    {
        var rng = new Random(24000 + k);
        int caseIndex = 0;
        for (int n = k; n <= 6; n++)
        {
            foreach (int[] targets in GateCases.OrderedTuples(n, k, limit: 6, rng))
            {
                foreach (int[] controls in GateCases.ControlSets(n, targets))
                {
                    int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                    CheckPerSample<T>(n, batch, targets, controls, rng);
                }
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyDiagonalPerSample_EveryBatchSize_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(25000);
        foreach (int batch in GateCases.BatchSizes)
        {
            CheckPerSample<T>(4, batch, [0], [], rng);
            CheckPerSample<T>(4, batch, [3], [1], rng);
            CheckPerSample<T>(4, batch, [2, 0], [3, 1], rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyDiagonal_BatchAboveParallelThreshold_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(26000);
        CheckShared<T>(8, 160, [0], DenseReference.RandomPhases(1, rng), [7], rng);
        CheckShared<T>(8, 160, [6, 2, 4], DenseReference.RandomPhases(3, rng), [], rng);
        CheckPerSample<T>(8, 130, [5], [], rng, referenceSamples: 3);
        CheckPerSample<T>(8, 130, [1, 7], [0], rng, referenceSamples: 3);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyDiagonal_PowerOfTwoBatchesAndHighestQubits_MatchesDenseReference<T>() where T : unmanaged
    {
        // Narrow power-of-two batches (several rows per SIMD register) and long rows on the top qubits of a large state.
        var rng = new Random(27000);
        foreach (int batch in GateCases.PowerOfTwoBatchSizes)
        {
            foreach (int[] targets in GateCases.OrderedTuples(5, 2, limit: 20, rng))
            {
                foreach (int[] controls in GateCases.ControlSets(5, targets))
                {
                    CheckShared<T>(5, batch, targets, DenseReference.RandomPhases(2, rng), controls, rng);
                }
            }
            CheckShared<T>(5, batch, [0], DenseReference.RandomPhases(1, rng), [], rng);
            CheckShared<T>(5, batch, [4, 0, 2], DenseReference.RandomPhases(3, rng), [1], rng);
        }
        CheckShared<T>(8, 160, [7], DenseReference.RandomPhases(1, rng), [], rng);
        CheckShared<T>(8, 129, [6, 7], DenseReference.RandomPhases(2, rng), [], rng);
    }

    private void CheckShared<T>(int n, int batch, int[] targets, Complex[] diagonal, int[] controls, Random rng) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(n, batch, rng);
        var expected = DenseReference.ApplyToBatch(DenseReference.DiagonalOperator(n, targets, diagonal, controls), input);
        using var state = NewState<T>(n, batch, input);
        Accelerator.ApplyDiagonal(state, targets, diagonal, controls);
        StateAssert.Close<T>(expected, Read(state), 1 << n, $"ApplyDiagonal {GateCases.Describe(n, batch, targets, controls)}");
    }

    /// <summary>
    /// Per-sample diagonals vs the dense reference; with <paramref name="referenceSamples"/> set, only that many
    /// samples are checked against the reference (spread over the batch) and the rest against the same diagonal
    /// applied to a B = 1 state.
    /// </summary>
    private void CheckPerSample<T>(int n, int batch, int[] targets, int[] controls, Random rng, int? referenceSamples = null) where T : unmanaged
    {
        int dim = 1 << n;
        var input = DenseReference.RandomBatch(n, batch, rng);
        var diagonals = Enumerable.Range(0, batch).Select(_ => DenseReference.RandomPhases(targets.Length, rng)).ToArray();
        using var state = NewState<T>(n, batch, input);
        Accelerator.ApplyDiagonalPerSample(state, targets, diagonals.SelectMany(d => d).ToArray(), controls);
        var actual = Read(state);
        string what = $"ApplyDiagonalPerSample {GateCases.Describe(n, batch, targets, controls)}";

        var expected = new Complex[actual.Length];
        int stride = referenceSamples is int r ? Math.Max(1, batch / r) : 1;
        for (int b = 0; b < batch; b++)
        {
            Complex[] sample = DenseReference.SampleOf(input, b, dim);
            if (b % stride == 0)
            {
                DenseReference.ApplyToBatch(DenseReference.DiagonalOperator(n, targets, diagonals[b], controls), sample).CopyTo(expected, b * dim);
            }
            else
            {
                using var single = NewState<T>(n, 1, sample);
                Accelerator.ApplyDiagonal(single, targets, diagonals[b], controls);
                Read(single).CopyTo(expected, b * dim);
            }
        }
        StateAssert.Close<T>(expected, actual, dim, what);
    }
}
