using QSim.Kernels;
using QSim.Kernels.Circuits;
using QSim.Kernels.Device;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// The fused small-circuit kernel (one launch per batch, state kept in cache per group of samples) against the
// general gate-by-gate path: expectation values and adjoint gradients on random circuits of every gate kind, batch
// sizes that are and are not multiples of the SIMD width, both precisions; the specialisations (product-state
// prefix, real amplitudes) are chosen when they apply and agree with the general path. Every accelerator has the
// kernel (the CPU engine; small_circuit.cl on OpenCL and CUDA), and on a device the tests check that it was launched,
// so that they cannot pass by both sides taking the general path.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class SmallCircuitKernelTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static readonly FusionOptions General = new() { SmallCircuitMaxQubits = 0 };

    private static Circuit RandomCircuit(int n, Random rng)
    {
        var kinds = TextbookGates.AllKinds.Where(k => k == GateKind.Unitary || TextbookGates.Arity(k) <= n).ToList();
        var b = Circuit.Create(n);
        for (int q = 0; q < n; q++) b.RX(q, Angle.Of(Parameter.Input($"x{q % 3}"), 1.3, 0.1 * q));
        for (int g = 0; g < 30; g++)
        {
            var spec = TextbookGates.RandomGate(kinds[rng.Next(kinds.Count)], n, rng);
            if (spec.Kind == GateKind.Unitary && spec.Qubits.Length > 2) continue;
            TextbookGates.Add(b, spec);
            if (g % 5 == 0)
            {
                int c = rng.Next(n);
                b.CRY(c, (c + 1 + rng.Next(n - 1)) % n, Parameter.Weight($"w{g}"));
            }
        }
        for (int q = 0; q < n; q++) b.RY(q, Parameter.Weight($"v{q}")).RZ(q, Angle.Of(Parameter.Input("x0"), -0.7, q));
        return b.Build();
    }

    private static ParameterValues Bind(Circuit c, Random rng, int batch)
    {
        var v = new ParameterValues();
        foreach (var w in c.Weights) v.Weight(w.Name, rng.NextDouble() * 6 - 3);
        foreach (var x in c.Inputs) v.Input(x.Name, Enumerable.Range(0, batch).Select(_ => rng.NextDouble() * 6 - 3).ToArray());
        return v;
    }

    private static Observable[] Observables(int n) =>
        [Observable.Z(0), Observable.Parse($"0.4 X0 Z{n - 1} + 0.9 Y1 - 0.25"), Observable.Z(n - 1)];

    /// <summary>Runs <paramref name="run"/> and checks that it took the fused kernel (on a device: that it was launched).</summary>
    private T Fused<T>(Func<T> run)
    {
        Assert.That(Accelerator.SupportsSmallCircuits, Is.True, $"{Accelerator} has the fused small-circuit kernel");
        long before = (Accelerator as DeviceAccelerator)?.SmallCircuitLaunches ?? 0;
        var result = run();
        if (Accelerator is DeviceAccelerator device) Assert.That(device.SmallCircuitLaunches, Is.GreaterThan(before), "the device's fused kernel ran");
        return result;
    }

    private static void AssertEqual(double[][] actual, double[][] expected, double tolerance, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int b = 0; b < expected.Length; b++) Assert.That(actual[b], Is.EqualTo(expected[b]).Within(tolerance), $"{what}, sample {b}");
    }

    private static void AssertEqual(double[][][] actual, double[][][] expected, double tolerance, string what)
    {
        for (int b = 0; b < expected.Length; b++) AssertEqual(actual[b], expected[b], tolerance, $"{what}, sample {b}");
    }

    [TestCase(2, 1)]
    [TestCase(3, 7)]
    [TestCase(5, 9)]
    [TestCase(7, 33)]
    public void RandomCircuits_ValuesAndGradients_MatchGeneralPath(int n, int batch)
    {
        var fused = new Simulator<double>(Accelerator);
        var general = new Simulator<double>(Accelerator, General);
        var rng = new Random(n * 31 + batch);
        for (int trial = 0; trial < 3; trial++)
        {
            var circuit = RandomCircuit(n, rng);
            Assert.That(fused.UsesSmallCircuitKernel(circuit), Is.EqualTo(Accelerator.SupportsSmallCircuits));
            Assert.That(general.UsesSmallCircuitKernel(circuit), Is.False);
            var obs = Observables(n);
            var values = Bind(circuit, rng, batch);
            AssertEqual(Fused(() => fused.Expectations(circuit, obs, values)), general.Expectations(circuit, obs, values), 1e-11, "values");
            var a = Fused(() => fused.Gradients(circuit, obs, values));
            var e = general.Gradients(circuit, obs, values);
            AssertEqual(a.Values, e.Values, 1e-11, "gradient values");
            AssertEqual(a.WeightJacobian, e.WeightJacobian, 1e-10, "weight Jacobian");
            AssertEqual(a.InputJacobian, e.InputJacobian, 1e-10, "input Jacobian");
            var upstream = Enumerable.Range(0, batch).Select(_ => obs.Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
            var va = Fused(() => fused.Backward(circuit, obs, values, upstream));
            var ve = general.Backward(circuit, obs, values, upstream);
            Assert.That(va.WeightGradients, Is.EqualTo(ve.WeightGradients).Within(1e-9), "backward weights");
            AssertEqual(va.InputGradients, ve.InputGradients, 1e-10, "backward inputs");
        }
    }

    [Test]
    public void Float_MatchesDoubleGeneralPath()
    {
        var rng = new Random(3);
        var circuit = RandomCircuit(6, rng);
        var obs = Observables(6);
        var values = Bind(circuit, rng, 21);
        var f = Fused(() => new Simulator<float>(Accelerator).Gradients(circuit, obs, values));
        var d = new Simulator<double>(Accelerator, General).Gradients(circuit, obs, values);
        AssertEqual(f.Values, d.Values, 1e-4, "values");
        AssertEqual(f.WeightJacobian, d.WeightJacobian, 5e-4, "weight Jacobian");
        AssertEqual(f.InputJacobian, d.InputJacobian, 5e-4, "input Jacobian");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Qnn_SpecialisationsChosenAndMatchGeneralPath(bool ryEncoding)
    {
        // RY encoding + RY/CNOT layers keeps real amplitudes; RX encoding does not. Either way the encoding layer on
        // |0…0⟩ becomes a product state.
        int n = 6, batch = 19;
        var builder = Circuit.Create(n);
        for (int q = 0; q < n; q++)
        {
            if (ryEncoding) builder.RY(q, Parameter.Input($"x{q}"));
            else builder.RX(q, Parameter.Input($"x{q}"));
        }
        for (int l = 0; l < 2; l++)
        {
            for (int q = 0; q < n; q++) builder.RY(q, Parameter.Weight($"w{l}_{q}"));
            for (int q = 0; q < n; q++) builder.CNOT(q, (q + 1) % n);
        }
        var circuit = builder.Build();
        var obs = CircuitLibrary.ZOnEveryQubit(n);
        var rng = new Random(8);
        var values = Bind(circuit, rng, batch);
        var program = SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, values, null), obs, withDerivatives: true);
        Assert.That(program.IsReal, Is.EqualTo(ryEncoding), "real-amplitude specialisation");
        Assert.That(program.PrefixLength, Is.EqualTo(2 * n), "encoding and first RY layer form the product-state prefix");
        var fused = new Simulator<double>(Accelerator);
        var general = new Simulator<double>(Accelerator, General);
        var a = Fused(() => fused.Gradients(circuit, obs, values));
        var e = general.Gradients(circuit, obs, values);
        AssertEqual(a.Values, e.Values, 1e-11, "values");
        AssertEqual(a.WeightJacobian, e.WeightJacobian, 1e-10, "weights");
        AssertEqual(a.InputJacobian, e.InputJacobian, 1e-10, "inputs");
    }

    // A deep run of shared gates: 5 layers of RY (and RZ when complex) on 4 qubits plus a CZ ring.
    private static Circuit DeepSharedCircuit(bool complexBlock, bool trainableMiddle)
    {
        int n = 4;
        var b = Circuit.Create(n);
        for (int q = 0; q < n; q++) b.RX(q, Parameter.Input($"x{q}"));
        for (int half = 0; half < 2; half++)
        {
            for (int l = 0; l < 5; l++)
            {
                for (int q = 0; q < n; q++)
                {
                    b.RY(q, 0.3 + 0.17 * q + 0.05 * l + half);
                    if (complexBlock) b.RZ(q, 0.7 - 0.11 * q + 0.02 * l);
                }
                for (int q = 0; q < n; q++) b.CZ(q, (q + 1) % n);
            }
            // Between the two constant blocks: trainable gates (derivatives break the run) or nothing.
            if (trainableMiddle && half == 0) for (int q = 0; q < n; q++) b.RY(q, Parameter.Weight($"w{q}"));
        }
        return b.Build();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void DeepSharedRun_BecomesOneDenseBlock_AndMatchesGeneralPath(bool complexBlock)
    {
        var circuit = DeepSharedCircuit(complexBlock, trainableMiddle: false);
        var rng = new Random(complexBlock ? 12 : 13);
        var values = Bind(circuit, rng, 13);
        var obs = Observables(4);
        var program = SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, values, null), obs, withDerivatives: false);
        var blocks = program.Ops.Where(o => o.Kind == SmallOpKind.MatrixK).ToList();
        Assert.That(blocks, Is.Not.Empty, "the deep shared run is multiplied out");
        Assert.That(blocks.All(o => o.RealEntries != complexBlock), Is.True, "RY/CZ blocks are real, RZ makes them complex");
        Assert.That(program.Ops.Length, Is.LessThan(circuit.Gates.Count / 4), "the run collapses to a few ops");
        var fused = new Simulator<double>(Accelerator).Expectations(circuit, obs, values);
        var general = new Simulator<double>(Accelerator, General).Expectations(circuit, obs, values);
        AssertEqual(fused, general, 1e-11, "values");
        var single = new Simulator<float>(Accelerator).Expectations(circuit, obs, values);
        AssertEqual(single, general, 2e-5, "float values");
    }

    [Test]
    public void DenseBlocksBetweenTrainableLayers_GradientsMatchGeneralPath()
    {
        var circuit = DeepSharedCircuit(complexBlock: true, trainableMiddle: true);
        var rng = new Random(14);
        var values = Bind(circuit, rng, 11);
        var obs = Observables(4);
        var program = SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, values, null), obs, withDerivatives: true);
        Assert.That(program.Ops.Count(o => o.Kind == SmallOpKind.MatrixK), Is.EqualTo(2), "one block on each side of the trainable layer");
        var fused = new Simulator<double>(Accelerator);
        var general = new Simulator<double>(Accelerator, General);
        var a = fused.Gradients(circuit, obs, values);
        var e = general.Gradients(circuit, obs, values);
        AssertEqual(a.Values, e.Values, 1e-11, "values");
        AssertEqual(a.WeightJacobian, e.WeightJacobian, 1e-10, "weights");
        AssertEqual(a.InputJacobian, e.InputJacobian, 1e-10, "inputs");
        var upstream = Enumerable.Range(0, 11).Select(_ => obs.Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        var va = fused.Backward(circuit, obs, values, upstream);
        var ve = general.Backward(circuit, obs, values, upstream);
        Assert.That(va.WeightGradients, Is.EqualTo(ve.WeightGradients).Within(1e-9), "backward weights");
        AssertEqual(va.InputGradients, ve.InputGradients, 1e-10, "backward inputs");
    }

    [Test]
    public void ShallowQnnLayers_StayGateByGate()
    {
        // One RY layer and a CNOT ring on 8 qubits cost ~24 multiply-adds per amplitude gate by gate, a dense block 256.
        var circuit = CircuitLibrary.Qnn(8, 2);
        var values = Bind(circuit, new Random(15), 5);
        var program = SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, values, null), CircuitLibrary.ZOnEveryQubit(8), withDerivatives: false);
        Assert.That(program.Ops.Any(o => o.Kind == SmallOpKind.MatrixK), Is.False);
    }

    [TestCase(3, 1)]
    [TestCase(5, 9)]
    [TestCase(7, 21)]
    public void Probabilities_OneLaunch_MatchStatePath(int n, int batch)
    {
        if (Kind == AcceleratorKind.Cpu) Assert.That(Accelerator.SupportsSmallCircuitProbabilities, Is.True, "the CPU writes probabilities from the fused kernel");
        var rng = new Random(n * 7 + batch);
        var circuit = RandomCircuit(n, rng);
        var values = Bind(circuit, rng, batch);
        var general = new Simulator<double>(Accelerator, General);
        using var state = general.Run(circuit, values);
        var expected = general.Probabilities(state);
        var fused = new Simulator<double>(Accelerator).Probabilities(circuit, values);
        AssertEqual(fused, expected, 1e-12, "probabilities");
        foreach (var row in fused) Assert.That(row.Sum(), Is.EqualTo(1).Within(1e-12));
        var single = new Simulator<float>(Accelerator).Probabilities(circuit, values);
        AssertEqual(single, expected, 1e-5, "float probabilities");
    }

    [Test]
    public void Compile_YObservable_IsNotReal()
    {
        var circuit = Circuit.Create(2).RY(0, 0.3).CNOT(0, 1).Build();
        var program = SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, null, null), [Observable.Parse("Y0 Y1")], false);
        Assert.That(program.IsReal, Is.False);
        var fused = Fused(() => new Simulator<double>(Accelerator).Expectations(circuit, [Observable.Parse("Y0 Y1"), Observable.Parse("X0 X1")]));
        // RY(0.3) then CNOT: cos(.15)|00> + sin(.15)|11>; <YY> = −sin 0.3, <XX> = sin 0.3.
        Assert.That(fused[0][0], Is.EqualTo(-Math.Sin(0.3)).Within(1e-12));
        Assert.That(fused[0][1], Is.EqualTo(Math.Sin(0.3)).Within(1e-12));
    }

    [Test]
    public void CanCompile_TooLargeOrThreeQubitUnitary_FallsBack()
    {
        var big = Circuit.Create(13).H(0).Build();
        Assert.That(SmallCircuitCompiler.CanCompile(big, 12), Is.False);
        var u = DenseReference.RandomUnitary(3, new Random(1));
        var arr = new System.Numerics.Complex[8, 8];
        for (int r = 0; r < 8; r++) for (int c = 0; c < 8; c++) arr[r, c] = u[r, c];
        var threeQubit = Circuit.Create(3).Unitary(arr, 0, 1, 2).Build();
        Assert.That(SmallCircuitCompiler.CanCompile(threeQubit, 12), Is.False);
        Assert.That(SmallCircuitCompiler.CanCompile(Circuit.Create(3).Toffoli(0, 1, 2).Build(), 12), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Simulator<double>(Accelerator, new FusionOptions { SmallCircuitMaxQubits = 13 }));
    }
}
