using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// The same circuits on every non-CPU accelerator and on the CPU (the oracle): states and expectations agree within
// the precision's tolerance, and Sample draws the same indices for the same seed (documented: "the same on every
// accelerator") from a state written with SetState. The CPU fixture is skipped: it would compare with itself.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class CrossAcceleratorTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_RandomParameterizedCircuit_MatchesTheCpu<T>() where T : unmanaged
    {
        var (sim, cpu) = Simulators<T>();
        const int n = 6, batch = 5;
        var rng = new Random(1700);
        var b = Circuit.Create(n);
        foreach (var g in TextbookGates.RandomCircuit(n, rng, extra: 30)) TextbookGates.Add(b, g);
        for (int q = 0; q < n; q++)
        {
            b.RY(q, Angle.Of(Parameter.Input($"x{q % 2}"), 1.3, q)).CRX(q, (q + 1) % n, Parameter.Weight("w")).RZZ(q, (q + 2) % n, Parameter.Input("x1"));
        }
        var circuit = b.Build();
        var values = new ParameterValues().Weight("w", -0.6).Input("x0", TextbookGates.RandomAngles(batch, rng)).Input("x1", TextbookGates.RandomAngles(batch, rng));
        using var here = sim.Run(circuit, values);
        using var there = cpu.Run(circuit, values);
        StateAssert.Close<T>(cpu.Accelerator.GetState(there), Read(here), 1 << n, $"{Accelerator} vs CPU");

        var observables = new[] { Observable.Z(0), Observable.Parse("0.5*X1 Y2 Z3 - 2*Z4 Z5 + 0.25"), Observable.Y(5) };
        var e = sim.Expectations(circuit, observables, values);
        var reference = cpu.Expectations(circuit, observables, values);
        for (int s = 0; s < batch; s++)
        {
            for (int k = 0; k < observables.Length; k++) StateAssert.Close<T>(reference[s][k], e[s][k], 2.75, $"⟨{observables[k]}⟩ sample {s}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_RandomCircuitsOfEverySizeAndBatch_MatchTheCpu<T>() where T : unmanaged
    {
        // Random gates of every kind at random placements, n = 1…14 and batch sizes 1…33 (odd, power-of-two and
        // vector-straddling sizes), with per-sample inputs and shared weights mixed in.
        var (sim, cpu) = Simulators<T>();
        var rng = new Random(31337);
        (int N, int B)[] shapes = [(1, 1), (1, 33), (2, 3), (3, 8), (4, 17), (5, 1), (6, 32), (7, 2), (8, 5), (9, 16), (10, 3), (11, 1), (12, 7), (13, 2), (14, 1), (14, 3)];
        foreach (var (n, batch) in shapes)
        {
            var kinds = TextbookGates.AllKinds.Where(k => k == GateKind.Unitary || TextbookGates.Arity(k) <= n).ToList();
            var b = Circuit.Create(n);
            for (int g = 0; g < 40; g++) TextbookGates.Add(b, TextbookGates.RandomGate(kinds[rng.Next(kinds.Count)], n, rng));
            for (int q = 0; q < n; q += 2) b.RY(q, Parameter.Input("x")).RZ(n - 1 - q, Angle.Of(Parameter.Weight("w"), 0.5, q));
            var circuit = b.Build();
            var values = new ParameterValues().Weight("w", 0.8).Input("x", TextbookGates.RandomAngles(batch, rng));
            using var here = sim.Run(circuit, values, batch);
            using var there = cpu.Run(circuit, values, batch);
            StateAssert.Close<T>(cpu.Accelerator.GetState(there), Read(here), 1 << n, $"{Accelerator} vs CPU, n={n}, B={batch}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_SameSeedOnSameAmplitudes_DrawsTheSameIndicesAsTheCpu<T>() where T : unmanaged
    {
        var (sim, cpu) = Simulators<T>();
        // Amplitudes written by SetState (not computed by gates), so both accelerators hold exactly the same values.
        Complex[] amplitudes = [0.5, new Complex(0, 0.5), -0.5, new Complex(0, 0.5),
                                0, 0.6, new Complex(0, 0.8), 0];
        using var here = NewState<T>(2, 2, amplitudes);
        using var there = cpu.Accelerator.AllocateState<T>(2, 2);
        cpu.Accelerator.SetState(there, amplitudes);
        var a = sim.Sample(here, 1000, seed: 2024);
        var c = cpu.Sample(there, 1000, seed: 2024);
        for (int s = 0; s < 2; s++) Assert.That(a.Bitstrings[s], Is.EqualTo(c.Bitstrings[s]), $"draws of sample {s} on {Accelerator} vs CPU");
    }

    private (Simulator<T> Here, Simulator<T> Cpu) Simulators<T>() where T : unmanaged
    {
        Assume.That(Kind, Is.Not.EqualTo(AcceleratorKind.Cpu), "the CPU is the oracle; comparing it with itself proves nothing");
        TestAccelerators.AssumeSupports<T>(Accelerator);
        return (new Simulator<T>(Accelerator), new Simulator<T>(TestAccelerators.Get(AcceleratorKind.Cpu)));
    }
}
