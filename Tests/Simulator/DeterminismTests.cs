using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Running the same circuit twice on the same accelerator gives bit-identical amplitudes, probabilities, expectations
// and samples, in float and double — including registers and batches large enough to take the multi-threaded paths.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class DeterminismTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    // (qubits, batch): small, a large register (threaded over amplitudes), a wide batch (threaded over samples).
    private static IEnumerable<TestCaseData> Shapes() => Precisions.Rows([4, 3], [16, 1], [10, 64]);

    [TestCaseSource(nameof(Shapes))]
    public void Run_SameCircuitTwice_GivesBitIdenticalResults<T>(int n, int batch) where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        var rng = new Random(1500 + n);
        var gates = TextbookGates.RandomCircuit(n, rng, extra: 20);
        var b = Circuit.Create(n);
        foreach (var g in gates) TextbookGates.Add(b, g);
        for (int q = 0; q < n; q++) b.RY(q, Angle.Of(Parameter.Input($"x{q % 3}"), 0.5 + q, 0.1)).RZ(q, Parameter.Weight("w"));
        var circuit = b.Build();
        var values = new ParameterValues().Weight("w", 0.37);
        for (int j = 0; j < 3; j++) values.Input($"x{j}", TextbookGates.RandomAngles(batch, rng));
        var observables = new[] { Observable.Z(0), Observable.Parse($"0.3*X0 Y{n - 1} - Z1 Z2") };

        Complex[] first, second;
        double[][] p1, p2;
        SampleResult s1, s2;
        using (var state = sim.Run(circuit, values))
        {
            first = Read(state);
            p1 = sim.Probabilities(state);
            s1 = sim.Sample(state, 200, seed: 5);
        }
        using (var state = sim.Run(circuit, values))
        {
            second = Read(state);
            p2 = sim.Probabilities(state);
            s2 = sim.Sample(state, 200, seed: 5);
        }
        StateAssert.Unchanged(first, second, $"second run of n={n}, B={batch}");
        for (int s = 0; s < batch; s++)
        {
            Assert.That(p2[s], Is.EqualTo(p1[s]), $"probabilities of sample {s}");
            Assert.That(s2.Bitstrings[s], Is.EqualTo(s1.Bitstrings[s]), $"draws of sample {s}");
        }
        var e1 = sim.Expectations(circuit, observables, values);
        var e2 = sim.Expectations(circuit, observables, values);
        for (int s = 0; s < batch; s++)
        {
            for (int k = 0; k < observables.Length; k++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(e2[s][k]), Is.EqualTo(BitConverter.DoubleToInt64Bits(e1[s][k])), $"⟨{observables[k]}⟩ sample {s}");
            }
        }
        // Not a trivially constant state: the test could notice a difference.
        Assert.That(first.Count(a => a != Complex.Zero), Is.GreaterThan(batch));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_SameCircuitToEqualStates_GivesBitIdenticalResults<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        const int n = 7, batch = 5;
        var rng = new Random(1600);
        var circuit = TextbookGates.Build(n, TextbookGates.RandomCircuit(n, rng, extra: 40));
        var input = DenseReference.RandomBatch(n, batch, rng);
        using var a = NewState<T>(n, batch, input);
        using var b = NewState<T>(n, batch, input);
        sim.Apply(a, circuit);
        sim.Apply(b, circuit);
        StateAssert.Unchanged(Read(a), Read(b), "two states with the same input");
    }
}
