using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.ApplyMatrixPerSample (a different dense matrix per sample) in float and double: the batched
// result equals applying each sample's matrix to that sample alone (a B = 1 state through ApplyMatrix) and the dense
// MathNet reference, for 1-, 2- and 3-qubit random unitaries on ordered targets with 0–2 controls and batch sizes
// that are not multiples of the SIMD width; plus a batch above the multi-threading threshold.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class ApplyMatrixPerSampleTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> TargetCounts() => Precisions.Each(1, 2, 3);

    [TestCaseSource(nameof(TargetCounts))]
    public void ApplyMatrixPerSample_RandomUnitaryPerSample_MatchesEachSampleAlone<T>(int k) where T : unmanaged
    {
        var rng = new Random(11000 + k);
        int caseIndex = 0;
        for (int n = k; n <= 6; n++)
        {
            foreach (int[] targets in GateCases.OrderedTuples(n, k, limit: 6, rng))
            {
                foreach (int[] controls in GateCases.ControlSets(n, targets))
                {
                    int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                    CheckAgainstSingles<T>(n, batch, targets, controls, rng);
                }
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrixPerSample_EveryBatchSize_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(12000);
        foreach (int batch in GateCases.BatchSizes)
        {
            CheckAgainstReference<T>(5, batch, [3], [], rng);
            CheckAgainstReference<T>(5, batch, [0], [4], rng);
            CheckAgainstReference<T>(5, batch, [4, 1], [2], rng);
            CheckAgainstReference<T>(5, batch, [2, 0, 3], [], rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrixPerSample_SameMatrixForEverySample_EqualsApplyMatrix<T>() where T : unmanaged
    {
        var rng = new Random(13000);
        const int n = 5, batch = 17;
        var input = DenseReference.RandomBatch(n, batch, rng);
        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(2, rng));
        var repeated = Enumerable.Repeat(u, batch).SelectMany(m => m).ToArray();
        using var shared = NewState<T>(n, batch, input);
        using var perSample = NewState<T>(n, batch, input);
        Accelerator.ApplyMatrix(shared, [3, 1], u, [4]);
        Accelerator.ApplyMatrixPerSample(perSample, [3, 1], repeated, [4]);
        StateAssert.Close<T>(Read(shared), Read(perSample), 1 << n, "per-sample copies of one matrix vs the shared matrix");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrixPerSample_BatchAboveParallelThreshold_MatchesEachSampleAlone<T>() where T : unmanaged
    {
        // 2^8 · 130 amplitudes per plane: above the CPU's serial threshold (2^15); each B = 1 state stays below it.
        var rng = new Random(14000);
        CheckAgainstSingles<T>(8, 130, [6], [1], rng);
        CheckAgainstSingles<T>(8, 130, [0, 7], [], rng);
        CheckAgainstSingles<T>(8, 130, [3, 5, 2], [7], rng);
    }

    private void CheckAgainstSingles<T>(int n, int batch, int[] targets, int[] controls, Random rng) where T : unmanaged
    {
        int dim = 1 << n;
        var input = DenseReference.RandomBatch(n, batch, rng);
        var gates = Enumerable.Range(0, batch).Select(_ => DenseReference.RowMajor(DenseReference.RandomUnitary(targets.Length, rng))).ToArray();
        using var state = NewState<T>(n, batch, input);
        Accelerator.ApplyMatrixPerSample(state, targets, gates.SelectMany(g => g).ToArray(), controls);
        var batched = Read(state);

        var singles = new Complex[batched.Length];
        for (int b = 0; b < batch; b++)
        {
            using var single = NewState<T>(n, 1, DenseReference.SampleOf(input, b, dim));
            Accelerator.ApplyMatrix(single, targets, gates[b], controls);
            Read(single).CopyTo(singles, b * dim);
        }
        StateAssert.Close<T>(singles, batched, dim, $"ApplyMatrixPerSample vs single samples, {GateCases.Describe(n, batch, targets, controls)}");
    }

    private void CheckAgainstReference<T>(int n, int batch, int[] targets, int[] controls, Random rng) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(n, batch, rng);
        var gates = Enumerable.Range(0, batch).Select(_ => DenseReference.RandomUnitary(targets.Length, rng)).ToArray();
        var ops = gates.Select(g => DenseReference.Operator(n, targets, DenseReference.RowMajor(g), controls)).ToList<Matrix<Complex>>();
        var expected = DenseReference.ApplyPerSample(ops, input);
        using var state = NewState<T>(n, batch, input);
        Accelerator.ApplyMatrixPerSample(state, targets, gates.SelectMany(DenseReference.RowMajor).ToArray(), controls);
        StateAssert.Close<T>(expected, Read(state), 1 << n, $"ApplyMatrixPerSample {GateCases.Describe(n, batch, targets, controls)}");
    }
}
