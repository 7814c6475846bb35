using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// The fusion pass: a pure function of the circuit's structure whose blocks respect the size limits and keep every
// gate in order, and fused runs that agree with unfused runs (one kernel pass per gate) on random circuits, with
// shared and per-sample parameters, in both precisions, on every accelerator.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class FusionTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static Circuit RandomCircuit(int n, Random rng, int gates)
    {
        var kinds = TextbookGates.AllKinds.Where(k => k == GateKind.Unitary || TextbookGates.Arity(k) <= n).ToList();
        var b = Circuit.Create(n);
        for (int g = 0; g < gates; g++) TextbookGates.Add(b, TextbookGates.RandomGate(kinds[rng.Next(kinds.Count)], n, rng));
        for (int q = 0; q < n; q++) b.RY(q, Parameter.Input("x")).RZ(q, Angle.Of(Parameter.Weight("w"), 1.0, q)).CNOT(q, (q + 1) % n);
        return b.Build();
    }

    [TestCase(1, 2)]
    [TestCase(2, 6)]
    [TestCase(3, 10)]
    public void Fuse_RandomCircuits_BlocksRespectLimitsAndKeepEveryGateOnce(int maxQubits, int maxDiagonal)
    {
        var rng = new Random(11);
        var options = new FusionOptions { MaxQubits = maxQubits, MaxDiagonalQubits = maxDiagonal };
        for (int trial = 0; trial < 20; trial++)
        {
            int n = rng.Next(2, 9);
            var circuit = RandomCircuit(n, rng, 40);
            var program = Fuser.Fuse(circuit, options);
            var seen = program.Blocks.SelectMany(b => b.Gates).ToList();
            Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, circuit.Gates.Count)), "every gate exactly once");
            // Gates sharing a qubit keep their order: for each qubit, the gate indices in program order ascend.
            for (int q = 0; q < n; q++)
            {
                var onQ = seen.Where(g => circuit.Gates[g].Qubits.Contains(q)).ToList();
                Assert.That(onQ, Is.Ordered, $"gates on qubit {q} stay in order");
            }
            foreach (var block in program.Blocks.Where(b => !b.IsNative))
            {
                int limit = block.IsDiagonal ? maxDiagonal : maxQubits;
                Assert.That(block.Qubits.Length, Is.LessThanOrEqualTo(limit), "block size");
                Assert.That(block.Gates.SelectMany(g => circuit.Gates[g].Qubits).Distinct().Order(), Is.EqualTo(block.Qubits), "block qubits are its gates' qubits");
                Assert.That(block.IsDiagonal, Is.EqualTo(block.Gates.All(g => circuit.Gates[g].IsDiagonal)), "diagonal flag");
            }
        }
    }

    [Test]
    public void Fuse_LayeredCircuit_UsesFewerPassesThanGates()
    {
        var circuit = CircuitLibrary.Layered(12, 3);
        var program = Fuser.Fuse(circuit, new FusionOptions { MaxQubits = 2 });
        Assert.That(program.Blocks.Count, Is.LessThan(circuit.Gates.Count * 3 / 4), "passes vs gates");
        Assert.That(Fuser.Fuse(circuit, FusionOptions.Disabled).Blocks.Count, Is.EqualTo(circuit.Gates.Count));
    }

    [Test]
    public void Program_SameCircuitNewValues_ReusesTheFusedStructure()
    {
        var sim = new Simulator<double>(Accelerator);
        var circuit = CircuitLibrary.Qnn(4, 2);
        var first = sim.Program(circuit);
        var values = new ParameterValues();
        for (int q = 0; q < 4; q++) values.Input($"x{q}", [0.1 * q, 0.2, 0.3]);
        foreach (var w in circuit.Weights) values.Weight(w.Name, 0.5);
        sim.Expectations(circuit, CircuitLibrary.ZOnEveryQubit(4), values);
        foreach (var w in circuit.Weights) values.Weight(w.Name, -1.5);
        sim.Expectations(circuit, CircuitLibrary.ZOnEveryQubit(4), values);
        Assert.That(sim.Program(circuit), Is.SameAs(first), "the program depends on the structure only");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_RandomCircuits_FusedEqualsUnfused<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var rng = new Random(2025);
        var unfused = new Simulator<T>(Accelerator, FusionOptions.Disabled);
        foreach (int maxQubits in new[] { 2, 3, 4 })
        {
            var fused = new Simulator<T>(Accelerator, new FusionOptions { MaxQubits = maxQubits });
            foreach (var (n, batch) in new[] { (2, 1), (3, 5), (5, 1), (6, 17), (9, 2), (11, 1) })
            {
                var circuit = RandomCircuit(n, rng, 30);
                var values = new ParameterValues().Weight("w", 0.7).Input("x", TextbookGates.RandomAngles(batch, rng));
                using var a = fused.Run(circuit, values, batch);
                using var b = unfused.Run(circuit, values, batch);
                StateAssert.Close<T>(Accelerator.GetState(b), Read(a), 1 << n, $"fused (k={maxQubits}) vs unfused, n={n}, B={batch}");
            }
        }
    }

    [Test]
    public void Simulator_FusionLimitOutOfRange_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Simulator<double>(Accelerator, new FusionOptions { MaxQubits = 0 }));
        Assert.That(ex!.Message, Does.Contain("got 0"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Simulator<double>(Accelerator, new FusionOptions { MaxQubits = 11 }));
        Assert.That(ex!.Message, Does.Contain("1…10").And.Contain("got 11"));
    }
}
