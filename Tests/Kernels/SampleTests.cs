using System.Numerics;
using MathNet.Numerics.Distributions;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.Sample in float and double: a chi-square goodness-of-fit test of 20000 shots against the
// probabilities of a random 4-qubit state (fixed seed, false-alarm probability 1e-4); per-sample distributions in a
// batch (random, basis, unnormalised, with zero-probability outcomes that must never be drawn); reproducibility (same
// seed → same bitstrings, different seeds → different bitstrings); the documented draw order (SplitMix64, samples in
// order, shots in order, inverse CDF over basis index order); and that sampling leaves the state unchanged.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class SampleTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private const int Shots = 20000;

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_RandomFourQubitState_PassesChiSquareGoodnessOfFit<T>() where T : unmanaged
    {
        var psi = DenseReference.RandomState(4, new Random(61000));
        using var state = NewState<T>(4, 1, psi);
        var shots = new long[Shots];
        Accelerator.Sample(state, Shots, seed: 20240601, shots);
        AssertFits(Probabilities(psi), shots, "random 4-qubit state");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_BatchWithDifferentDistributions_EachSampleFitsItsOwn<T>() where T : unmanaged
    {
        const int n = 4, dim = 1 << n;
        var rng = new Random(62000);
        var random = DenseReference.RandomState(n, rng);
        var basis = new Complex[dim];
        basis[11] = Complex.ImaginaryOne; // |11⟩ with a phase
        var evenOnly = DenseReference.RandomState(n, rng).Select((a, i) => i % 2 == 0 ? 2.5 * a : Complex.Zero).ToArray(); // unnormalised
        var skewed = Enumerable.Range(0, dim).Select(i => new Complex(Math.Sqrt(i + 1), 0)).ToArray(); // p ∝ i + 1, unnormalised
        Complex[][] samples = [random, basis, evenOnly, skewed];

        using var state = NewState<T>(n, samples.Length, samples.SelectMany(s => s).ToArray());
        var shots = new long[samples.Length * Shots];
        Accelerator.Sample(state, Shots, seed: 7, shots);
        for (int b = 0; b < samples.Length; b++)
        {
            var mine = shots.AsSpan(b * Shots, Shots).ToArray();
            AssertFits(Probabilities(samples[b]), mine, $"sample {b}");
        }
        Assert.That(shots.AsSpan(Shots, Shots).ToArray(), Is.All.EqualTo(11L), "a basis state always gives its index");
        Assert.That(shots.AsSpan(2 * Shots, Shots).ToArray().Where(i => i % 2 == 1), Is.Empty, "zero-probability outcomes are never drawn");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_SameSeed_GivesSameBitstrings<T>() where T : unmanaged
    {
        using var state = NewState<T>(5, 3, DenseReference.RandomBatch(5, 3, new Random(63000)));
        var first = new long[3 * 1000];
        var second = new long[3 * 1000];
        Accelerator.Sample(state, 1000, seed: 99, first);
        Accelerator.Sample(state, 1000, seed: 99, second);
        Assert.That(second, Is.EqualTo(first));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_DifferentSeeds_GiveDifferentBitstrings<T>() where T : unmanaged
    {
        using var state = NewState<T>(5, 3, DenseReference.RandomBatch(5, 3, new Random(64000)));
        var first = new long[3 * 1000];
        var second = new long[3 * 1000];
        Accelerator.Sample(state, 1000, seed: 1, first);
        Accelerator.Sample(state, 1000, seed: 2, second);
        int differences = first.Zip(second).Count(p => p.First != p.Second);
        Assert.That(differences, Is.GreaterThan(first.Length / 2), "independent draws from a spread-out distribution differ most of the time");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_FixedSeed_FollowsDocumentedSplitMix64InverseCdf<T>() where T : unmanaged
    {
        // The contract that makes sampling reproducible across accelerators: one SplitMix64(seed), samples b = 0…B−1 in
        // order, shots in order, u = NextDouble()·Σp, outcome = first index whose running sum of p exceeds u.
        const int n = 3, batch = 5, shots = 200;
        var input = DenseReference.RandomBatch(n, batch, new Random(65000));
        using var state = NewState<T>(n, batch, input);
        var stored = Read(state); // the amplitudes in the state's precision
        var actual = new long[batch * shots];
        Accelerator.Sample(state, shots, seed: 123456789, actual);

        var rng = new SplitMix64(123456789);
        var expected = new long[batch * shots];
        for (int b = 0; b < batch; b++)
        {
            double[] p = Probabilities(DenseReference.SampleOf(stored, b, 1 << n));
            double total = 0;
            foreach (double x in p) total += x;
            for (int s = 0; s < shots; s++)
            {
                double u = rng.NextDouble() * total, cumulative = 0;
                int index = 0;
                while (index < p.Length - 1 && !(u < cumulative + p[index])) cumulative += p[index++];
                expected[b * shots + s] = index;
            }
        }
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_AnyState_LeavesStateUnchanged<T>() where T : unmanaged
    {
        using var state = NewState<T>(4, 3, DenseReference.RandomBatch(4, 3, new Random(66000)));
        var before = Read(state);
        Accelerator.Sample(state, 100, seed: 5, new long[300]);
        StateAssert.Unchanged(before, Read(state), "after sampling");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_LargeBatch_EverySampleOfABasisBatchGivesItsIndex<T>() where T : unmanaged
    {
        // 160 samples, sample b in basis state |b mod 256⟩: checks the sample-major result layout.
        const int n = 8, batch = 160, shots = 3;
        var input = new Complex[batch << n];
        for (int b = 0; b < batch; b++) input[(b << n) + (b * 37 % 256)] = Complex.One;
        using var state = NewState<T>(n, batch, input);
        var result = new long[batch * shots];
        Accelerator.Sample(state, shots, seed: 3, result);
        for (int b = 0; b < batch; b++)
        {
            Assert.That(result.AsSpan(b * shots, shots).ToArray(), Is.All.EqualTo((long)(b * 37 % 256)), $"sample {b}");
        }
    }

    private static double[] Probabilities(Complex[] amplitudes) =>
        amplitudes.Select(a => a.Real * a.Real + a.Imaginary * a.Imaginary).ToArray();

    /// <summary>Pearson's chi-square test over the outcomes with non-zero probability.</summary>
    private static void AssertFits(double[] weights, long[] draws, string context)
    {
        double total = weights.Sum();
        var counts = new long[weights.Length];
        foreach (long d in draws)
        {
            Assert.That(d, Is.InRange(0, weights.Length - 1), $"{context}: outcome out of range");
            counts[d]++;
        }
        var support = Enumerable.Range(0, weights.Length).Where(i => weights[i] > 0).ToArray();
        Assert.That(support.Where(i => counts[i] == 0 && weights[i] / total * draws.Length > 50), Is.Empty, $"{context}: likely outcomes never drawn");
        Assert.That(Enumerable.Range(0, weights.Length).Where(i => weights[i] == 0 && counts[i] > 0), Is.Empty, $"{context}: impossible outcomes drawn");
        if (support.Length < 2) return;

        foreach (int i in support)
        {
            Assume.That(weights[i] / total * draws.Length, Is.GreaterThanOrEqualTo(5), $"{context}: expected count of outcome {i} too small for a chi-square test");
        }
        double chi2 = support.Sum(i =>
        {
            double expected = weights[i] / total * draws.Length;
            return (counts[i] - expected) * (counts[i] - expected) / expected;
        });
        int dof = support.Length - 1;
        double critical = ChiSquared.InvCDF(dof, 1 - Tolerance.FalseAlarmProbability);
        Assert.That(chi2, Is.LessThan(critical), $"{context}: chi-square {chi2:F2} with {dof} degrees of freedom exceeds the critical value {critical:F2} (p = {Tolerance.FalseAlarmProbability})");
    }
}
