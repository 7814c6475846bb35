using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.Measure and Collapse in float and double: outcome frequencies over many seeds (and over a batch
// of identical samples) match the qubit's probability within 4 binomial standard deviations; after Measure every
// sample is normalised and equals the reference projection onto its outcome; the same seed gives the same outcomes;
// Collapse with forced outcomes projects and renormalises (unnormalised inputs too); and Collapse on an outcome of
// probability zero in any sample throws InvalidOperationException and leaves the whole batch unchanged.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class MeasureTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Measure_ManySeeds_OutcomeFrequencyMatchesProbability<T>() where T : unmanaged
    {
        const int n = 3, seeds = 600;
        var psi = DenseReference.RandomState(n, new Random(71000));
        using var state = NewState<T>(n, 1, psi);
        var outcome = new int[1];
        for (int qubit = 0; qubit < n; qubit++)
        {
            double p1 = ProbabilityOne(psi, qubit);
            int ones = 0;
            for (int seed = 0; seed < seeds; seed++)
            {
                Accelerator.SetState(state, psi);
                Accelerator.Measure(state, qubit, (ulong)seed, outcome);
                ones += outcome[0];
            }
            AssertBinomial(ones, seeds, p1, $"qubit {qubit} over {seeds} seeds");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Measure_BatchOfIdenticalSamples_OutcomeFrequencyMatchesProbability<T>() where T : unmanaged
    {
        const int n = 4, batch = 1000, qubit = 2;
        var psi = DenseReference.RandomState(n, new Random(72000));
        using var state = NewState<T>(n, batch, Enumerable.Repeat(psi, batch).SelectMany(a => a).ToArray());
        var outcomes = new int[batch];
        Accelerator.Measure(state, qubit, seed: 42, outcomes);
        AssertBinomial(outcomes.Sum(), batch, ProbabilityOne(psi, qubit), $"qubit {qubit} over a batch of {batch}");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Measure_RandomBatch_LeavesEachSampleNormalisedAndProjectedOntoItsOutcome<T>() where T : unmanaged
    {
        const int n = 5, batch = 17;
        int dim = 1 << n;
        var rng = new Random(73000);
        for (int qubit = 0; qubit < n; qubit++)
        {
            var input = DenseReference.RandomBatch(n, batch, rng);
            using var state = NewState<T>(n, batch, input);
            var outcomes = new int[batch];
            Accelerator.Measure(state, qubit, (ulong)(1000 + qubit), outcomes);
            Assert.That(outcomes, Is.All.InRange(0, 1));
            StateAssert.Close<T>(Projected(input, dim, qubit, outcomes), Read(state), dim, $"after measuring qubit {qubit}");
            var norms = new double[batch];
            Accelerator.NormSquared(state, norms);
            for (int b = 0; b < batch; b++) StateAssert.Close<T>(1.0, norms[b], 1, $"‖ψ_{b}‖² after measuring qubit {qubit}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Measure_SameSeed_GivesSameOutcomesAndState<T>() where T : unmanaged
    {
        var input = DenseReference.RandomBatch(4, 33, new Random(74000));
        using var a = NewState<T>(4, 33, input);
        using var b = NewState<T>(4, 33, input);
        var oa = new int[33];
        var ob = new int[33];
        Accelerator.Measure(a, 1, seed: 77, oa);
        Accelerator.Measure(b, 1, seed: 77, ob);
        Assert.That(ob, Is.EqualTo(oa));
        StateAssert.Unchanged(Read(a), Read(b), "same seed, same post-measurement state");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Measure_DeterministicQubit_AlwaysGivesCertainOutcome<T>() where T : unmanaged
    {
        // Basis state |0b1010⟩ in every sample: qubit q is measured as bit q, whatever the seed.
        using var state = NewState<T>(4, 3);
        var outcomes = new int[3];
        for (int q = 0; q < 4; q++)
        {
            for (ulong seed = 0; seed < 20; seed++)
            {
                Accelerator.SetBasisState(state, 0b1010);
                Accelerator.Measure(state, q, seed, outcomes);
                Assert.That(outcomes, Is.All.EqualTo((0b1010 >> q) & 1), $"qubit {q}, seed {seed}");
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Collapse_ForcedOutcomes_ProjectsAndRenormalisesEverySample<T>() where T : unmanaged
    {
        const int n = 4, batch = 6;
        int dim = 1 << n;
        var input = DenseReference.RandomBatch(n, batch, new Random(75000));
        for (int x = 0; x < input.Length; x++) input[x] *= 0.5 + (x >> n); // unnormalised samples
        int[] outcomes = [0, 1, 1, 0, 1, 0];
        for (int qubit = 0; qubit < n; qubit++)
        {
            using var state = NewState<T>(n, batch, input);
            Accelerator.Collapse(state, qubit, outcomes);
            StateAssert.Close<T>(Projected(input, dim, qubit, outcomes), Read(state), dim, $"collapse of qubit {qubit}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Collapse_ZeroProbabilityOutcomeInOneSample_ThrowsAndLeavesBatchUnchanged<T>() where T : unmanaged
    {
        const int n = 3, batch = 3;
        var rng = new Random(76000);
        var input = DenseReference.RandomBatch(n, batch, rng);
        // Sample 2 has qubit 1 certainly 0 (amplitudes with bit 1 set are zero).
        for (int i = 0; i < 1 << n; i++) if ((i & 2) != 0) input[(2 << n) + i] = Complex.Zero;
        using var state = NewState<T>(n, batch, input);
        var before = Read(state);

        var ex = Assert.Throws<InvalidOperationException>(() => Accelerator.Collapse(state, 1, [1, 1, 1]));
        Assert.That(ex!.Message, Does.Contain("outcome 1").And.Contain("qubit 1").And.Contain("sample 2"));
        StateAssert.Unchanged(before, Read(state), "a failed collapse must not touch any sample");

        // The possible outcome still works.
        Accelerator.Collapse(state, 1, [1, 0, 0]);
        var norms = new double[batch];
        Accelerator.NormSquared(state, norms);
        Assert.That(norms, Is.All.EqualTo(1.0).Within(Tolerance.Of<T>()));
    }

    private static IEnumerable<TestCaseData> LargeShapes() => Precisions.Rows([8, 1], [10, 3], [13, 1], [13, 3], [14, 2]);

    [TestCaseSource(nameof(LargeShapes))]
    public void Collapse_ImpossibleOutcomeZeroOnLargerStates_ThrowsAndLeavesStateUnchanged<T>(int n, int batch) where T : unmanaged
    {
        // Every sample has qubit q certainly 1 (all amplitudes with bit q = 0 are exactly zero), so outcome 0 has
        // probability exactly zero and must be refused, whatever the size of the state and the qubit.
        int dim = 1 << n;
        var failures = new List<string>();
        for (int q = 0; q < n; q++)
        {
            var input = DenseReference.RandomBatch(n, batch, new Random(5));
            for (int x = 0; x < input.Length; x++) if ((((x % dim) >> q) & 1) == 0) input[x] = Complex.Zero;
            using var state = NewState<T>(n, batch, input);
            var before = Read(state);
            try
            {
                Accelerator.Collapse(state, q, new int[batch]);
                var norms = new double[batch];
                Accelerator.NormSquared(state, norms);
                failures.Add($"qubit {q}: no exception; norms after the collapse: {string.Join(", ", norms)}");
            }
            catch (InvalidOperationException)
            {
                StateAssert.Unchanged(before, Read(state), $"qubit {q}: after the refused collapse");
            }
        }
        Assert.That(failures, Is.Empty, $"Collapse onto outcome 0 of a qubit that is certainly 1 (n={n}, B={batch})");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Collapse_ZeroStateSample_ThrowsAndLeavesBatchUnchanged<T>() where T : unmanaged
    {
        var input = DenseReference.RandomBatch(2, 2, new Random(77000));
        for (int i = 4; i < 8; i++) input[i] = Complex.Zero; // sample 1 is the zero vector
        using var state = NewState<T>(2, 2, input);
        var before = Read(state);
        Assert.Throws<InvalidOperationException>(() => Accelerator.Collapse(state, 0, [0, 0]));
        StateAssert.Unchanged(before, Read(state), "after a failed collapse");
        var ex = Assert.Throws<InvalidOperationException>(() => Accelerator.Measure(state, 0, 1, new int[2]));
        Assert.That(ex!.Message, Does.Contain("sample 1"));
        StateAssert.Unchanged(before, Read(state), "after a failed measurement");
    }

    private static double ProbabilityOne(Complex[] psi, int qubit) =>
        Enumerable.Range(0, psi.Length).Where(i => ((i >> qubit) & 1) == 1).Sum(i => psi[i].Magnitude * psi[i].Magnitude)
        / psi.Sum(a => a.Magnitude * a.Magnitude);

    /// <summary>The reference post-measurement state: P_outcome ψ / ‖P_outcome ψ‖ per sample.</summary>
    private static Complex[] Projected(Complex[] input, int dim, int qubit, int[] outcomes)
    {
        var result = new Complex[input.Length];
        for (int b = 0; b < outcomes.Length; b++)
        {
            double kept = 0;
            for (int i = 0; i < dim; i++)
            {
                if (((i >> qubit) & 1) != outcomes[b]) continue;
                result[b * dim + i] = input[b * dim + i];
                kept += input[b * dim + i].Magnitude * input[b * dim + i].Magnitude;
            }
            for (int i = 0; i < dim; i++) result[b * dim + i] /= Math.Sqrt(kept);
        }
        return result;
    }

    private static void AssertBinomial(int ones, int trials, double p, string context)
    {
        double mean = trials * p, sigma = Math.Sqrt(trials * p * (1 - p));
        Assert.That(ones, Is.InRange(mean - Tolerance.BinomialSigmas * sigma, mean + Tolerance.BinomialSigmas * sigma),
            $"{context}: {ones} ones, expected {mean:F1} ± {Tolerance.BinomialSigmas}·{sigma:F1}");
    }
}
