using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Simulator.Sample and Probabilities on every accelerator, float and double: a chi-square goodness-of-fit test of
// 20000 shots against |ψ(i)|² (fixed seed; critical value for p = 1e-4 at 7 degrees of freedom), reproducibility for a
// fixed seed, different draws for different seeds, counts summing to the shots, bitstrings printed with qubit n−1
// leftmost, and the state left unchanged by sampling.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class SamplingTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    /// <summary>χ² critical value at 7 degrees of freedom for an upper-tail probability of 1e-4.</summary>
    private const double ChiSquare7Dof1e4 = 29.88;

    private const int Shots = 20000;

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_RandomThreeQubitCircuit_PassesChiSquareGoodnessOfFit<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        // Per-sample inputs give the two samples of the batch different distributions.
        var x = Parameter.Input("x");
        var circuit = Circuit.Create(3)
            .RY(0, 1.1).RX(1, Angle.Of(x, 1, 0.4)).H(2).CNOT(0, 1).RY(2, 0.7).CRY(1, 2, 0.9).U3(0, 0.8, 0.3, Angle.Of(x, 2)).RXX(0, 2, 0.6)
            .Build();
        var values = new ParameterValues().Input("x", [0.3, 1.7]);
        using var state = sim.Run(circuit, values);
        var amplitudes = Read(state);
        var result = sim.Sample(state, Shots, seed: 12345);
        Assert.That(result.BatchSize, Is.EqualTo(2));
        Assert.That(result.Shots, Is.EqualTo(Shots));
        Assert.That(result.Qubits, Is.EqualTo(3));

        var probabilities = sim.Probabilities(state);
        for (int b = 0; b < 2; b++)
        {
            // Expected probabilities from the amplitudes (independent of the Probabilities kernel, which is checked too).
            double[] p = Enumerable.Range(0, 8).Select(i => Norm2(amplitudes[b * 8 + i])).ToArray();
            for (int i = 0; i < 8; i++) StateAssert.Close<T>(p[i], probabilities[b][i], 1, $"Probabilities[{b}][{i}]");
            Assert.That(p.Min() * Shots, Is.GreaterThanOrEqualTo(20), "the test circuit must give every outcome a usable expected count");

            var counts = result.Counts(b);
            Assert.That(counts.Values.Sum(), Is.EqualTo(Shots), $"counts of sample {b}");
            Assert.That(result.Bitstrings[b], Has.Length.EqualTo(Shots));
            Assert.That(result.Bitstrings[b].All(i => i is >= 0 and < 8), Is.True, "every index is a basis state");
            double chi2 = 0;
            for (int i = 0; i < 8; i++)
            {
                double expected = p[i] * Shots;
                double observed = counts.TryGetValue(i, out int c) ? c : 0;
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
            Assert.That(chi2, Is.LessThan(ChiSquare7Dof1e4),
                $"sample {b}: χ² = {chi2:F2} over 7 dof; expected {string.Join(", ", p.Select(v => (v * Shots).ToString("F0")))}, observed {string.Join(", ", Enumerable.Range(0, 8).Select(i => counts.TryGetValue(i, out int c) ? c : 0))}");
        }
        Assert.That(Enumerable.Range(0, 8).Any(i => Math.Abs(probabilities[0][i] - probabilities[1][i]) > 0.01), Is.True, "the two samples should differ");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_DegenerateDistributions_DrawOnlyThePossibleOutcomes<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        // Bell state: only 00 and 11, each about half the time (4σ binomial bound).
        using var bell = sim.Run(Circuit.Create(2).H(0).CNOT(0, 1).Build());
        var counts = sim.Sample(bell, 10000, seed: 7).Counts(0);
        Assert.That(counts.Keys, Is.SubsetOf(new long[] { 0, 3 }));
        double sigma = Math.Sqrt(10000 * 0.25);
        Assert.That(counts[0], Is.EqualTo(5000).Within(Tolerance.BinomialSigmas * sigma));
        // A basis state: always the same index.
        using var basis = sim.Run(Circuit.Create(4).X(1).X(3).Build());
        Assert.That(sim.Sample(basis, 100, seed: 1).Bitstrings[0], Is.All.EqualTo(0b1010));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_SameSeed_IsReproducibleAndDifferentSeedsDiffer<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        using var state = sim.Run(Circuit.Create(3).H(0).H(1).H(2).Build(), batchSize: 3);
        var before = Read(state);
        var a = sim.Sample(state, 500, seed: 99);
        var b = sim.Sample(state, 500, seed: 99);
        var c = sim.Sample(state, 500, seed: 100);
        for (int s = 0; s < 3; s++)
        {
            Assert.That(b.Bitstrings[s], Is.EqualTo(a.Bitstrings[s]), $"same seed, sample {s}");
            Assert.That(c.Bitstrings[s], Is.Not.EqualTo(a.Bitstrings[s]), $"different seed, sample {s}");
        }
        // The samples of one batch draw independently (identical sequences would be a shared stream).
        Assert.That(a.Bitstrings[1], Is.Not.EqualTo(a.Bitstrings[0]), "samples of a batch draw independent streams");
        StateAssert.Unchanged(before, Read(state), "state after sampling");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void SampleFormat_XOnQubitZeroOfThree_Prints001<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        using var state = sim.Run(Circuit.Create(3).X(0).Build());
        var result = sim.Sample(state, 10, seed: 3);
        var counts = result.Counts(0);
        Assert.That(counts, Has.Count.EqualTo(1));
        var (index, count) = counts.Single();
        Assert.That(count, Is.EqualTo(10));
        Assert.That(result.Format(index), Is.EqualTo("001"));

        using var top = sim.Run(Circuit.Create(3).X(2).Build());
        var topResult = sim.Sample(top, 4, seed: 3);
        Assert.That(topResult.Format(topResult.Bitstrings[0][0]), Is.EqualTo("100"));
    }

    [Test]
    public void SampleFormat_AndCounts_ValidateTheirArguments()
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        var sim = new Simulator<double>(Accelerator);
        using var state = sim.Run(Circuit.Create(3).H(0).Build(), batchSize: 2);
        var result = sim.Sample(state, 5, seed: 1);
        Assert.That(result.Format(6), Is.EqualTo("110"));
        Assert.That(result.Format(0), Is.EqualTo("000"));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => result.Format(8))!;
        Assert.That(ex.Message, Does.Contain("basis index 8 is out of range for 3 qubits").And.Contain("0…7"));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Format(-1));
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => result.Counts(2))!;
        Assert.That(ex2.Message, Does.Contain("sample 2 is out of range for a batch of 2"));
        var ex3 = Assert.Throws<ArgumentOutOfRangeException>(() => sim.Sample(state, 0, seed: 1))!;
        Assert.That(ex3.Message, Does.Contain("shots must be at least 1, got 0"));
        // Counts come in increasing index order.
        Assert.That(result.Counts(0).Keys, Is.Ordered);
    }

    // ------------------------------------------------------------------ helpers

    private static double Norm2(Complex a) => a.Real * a.Real + a.Imaginary * a.Imaginary;

    private Simulator<T> NewSimulator<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        return new Simulator<T>(Accelerator);
    }
}
