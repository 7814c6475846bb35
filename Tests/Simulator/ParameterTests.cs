using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Parameter binding on every accelerator, float and double: a batch of 5 samples with different inputs equals five
// single-sample runs (states and expectations); weights are shared by the batch; Angle.Of(p, scale, offset) is the
// affine angle; unused bindings are ignored; later bindings replace earlier ones; inputs are copied when bound.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class ParameterTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private const int Batch = 5;

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_BatchOfFiveInputs_EqualsEachSampleRunAlone<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        const int n = 4;
        var circuit = EncodingCircuit(n);
        var rng = new Random(900);
        var values = new ParameterValues();
        var inputs = circuit.Inputs.ToDictionary(p => p.Name, _ => TextbookGates.RandomAngles(Batch, rng));
        foreach (var (name, x) in inputs) values.Input(name, x);
        foreach (var w in circuit.Weights) values.Weight(w.Name, rng.NextDouble() * 4 - 2);
        Assert.That(sim.ResolveBatchSize(circuit, values), Is.EqualTo(Batch));

        var observables = new[] { Observable.Z(0), Observable.Parse("0.5*X1 X2 - 0.25*Y3 + Z0 Z3"), Observable.Parse("Y0 Y1 Y2 Y3") };
        using var batched = sim.Run(circuit, values);
        Assert.That(batched.BatchSize, Is.EqualTo(Batch));
        var all = Read(batched);
        var expectations = sim.Expectations(circuit, observables, values);

        for (int b = 0; b < Batch; b++)
        {
            var single = values.Clone();
            foreach (var (name, x) in inputs) single.Input(name, [x[b]]);
            using var alone = sim.Run(circuit, single);
            Assert.That(alone.BatchSize, Is.EqualTo(1));
            StateAssert.Close<T>(Read(alone), DenseReference.SampleOf(all, b, 1 << n), 1 << n, $"sample {b} of the batch vs run alone");
            var e = sim.Expectations(circuit, observables, single);
            for (int k = 0; k < observables.Length; k++)
            {
                StateAssert.Close<T>(e[0][k], expectations[b][k], 1, $"⟨{observables[k]}⟩ of sample {b}: batch vs alone");
            }
        }
        // The samples really differ (the test would not notice a batch that repeated sample 0).
        Assert.That((DenseReference.SampleOf(all, 0, 1 << n)[1] - DenseReference.SampleOf(all, 1, 1 << n)[1]).Magnitude, Is.GreaterThan(1e-3));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_WideBatchOnTenQubits_EachCheckedSampleEqualsItsRunAlone<T>() where T : unmanaged
    {
        // Large enough for the multi-threaded kernel paths, with per-sample dense, diagonal and controlled matrices.
        var sim = NewSimulator<T>();
        const int n = 10, batch = 37;
        var x = Parameter.Input("x");
        var b = Circuit.Create(n);
        for (int q = 0; q < n; q++) b.RY(q, Angle.Of(x, 0.3 + 0.1 * q, q)).CRZ(q, (q + 3) % n, Angle.Of(x, -1.1)).RXX(q, (q + 5) % n, x);
        var circuit = b.H(9).CPhase(9, 0, x).Build();
        double[] xs = TextbookGates.RandomAngles(batch, new Random(950));
        using var state = sim.Run(circuit, new ParameterValues().Input("x", xs));
        var all = Read(state);
        foreach (int s in new[] { 0, 1, 17, batch - 1 })
        {
            using var alone = sim.Run(circuit, new ParameterValues().Input("x", [xs[s]]));
            StateAssert.Close<T>(Read(alone), DenseReference.SampleOf(all, s, 1 << n), 1 << n, $"sample {s} of {batch}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_BatchOfFiveInputs_MatchesDenseReferenceOfEachSample<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        const int n = 3;
        var x = Parameter.Input("x");
        var y = Parameter.Input("y");
        var w = Parameter.Weight("w");
        var circuit = Circuit.Create(n)
            .RX(0, x).RY(1, Angle.Of(y, Math.PI, -0.3)).H(2)
            .CRZ(0, 2, Angle.Of(x, 2, 0.1)).RZZ(1, 2, w).U3(1, y, w, Angle.Of(x, -1, 0.5))
            .CNOT(2, 0).CPhase(1, 0, Angle.Of(w, 0.5, 0.25))
            .Build();
        double[] xs = [0.1, -1.2, 2.5, 0.0, 3.3];
        double[] ys = [1.1, 0.2, -0.5, 0.75, -2.0];
        const double wv = 0.8;
        var values = new ParameterValues().Input("x", xs).Input("y", ys).Weight("w", wv);
        using var state = sim.Run(circuit, values);
        var actual = Read(state);
        for (int b = 0; b < Batch; b++)
        {
            var gates = new List<TextbookGates.GateSpec>
            {
                new(GateKind.RX, [0], [xs[b]]),
                new(GateKind.RY, [1], [Math.PI * ys[b] - 0.3]),
                new(GateKind.H, [2], []),
                new(GateKind.CRZ, [0, 2], [2 * xs[b] + 0.1]),
                new(GateKind.RZZ, [1, 2], [wv]),
                new(GateKind.U3, [1], [ys[b], wv, -xs[b] + 0.5]),
                new(GateKind.CNOT, [2, 0], []),
                new(GateKind.CPhase, [1, 0], [0.5 * wv + 0.25]),
            };
            var expected = TextbookGates.CircuitOperator(n, gates).Column(0).ToArray();
            StateAssert.Close<T>(expected, DenseReference.SampleOf(actual, b, 1 << n), 1 << n, $"sample {b}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_WeightsOnly_AreSharedByEverySampleAndEqualConstantAngles<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        const int n = 3, batch = 4;
        var w0 = Parameter.Weight("w0");
        var w1 = Parameter.Weight("w1");
        var parameterized = Circuit.Create(n).RY(0, w0).RX(1, Angle.Of(w1, 3, -1)).CNOT(0, 2).CRY(2, 1, Angle.Of(w0, -2, 0.4)).RXX(0, 1, w1).Build();
        var constant = Circuit.Create(n).RY(0, 0.7).RX(1, 3 * -0.35 - 1).CNOT(0, 2).CRY(2, 1, -2 * 0.7 + 0.4).RXX(0, 1, -0.35).Build();
        var values = new ParameterValues().Weight("w0", 0.7).Weight("w1", -0.35);
        Assert.That(parameterized.Weights, Is.EqualTo(new[] { w0, w1 }));
        Assert.That(parameterized.Inputs, Is.Empty);

        using var a = sim.Run(parameterized, values, batch);
        using var c = sim.Run(constant);
        var batched = Read(a);
        var reference = Read(c);
        Assert.That(reference[0].Magnitude, Is.LessThan(0.99), "the circuit must do something");
        for (int b = 0; b < batch; b++)
        {
            StateAssert.Close<T>(reference, DenseReference.SampleOf(batched, b, 1 << n), 1 << n, $"sample {b} with weights vs constants");
        }

        // A different weight value changes every sample.
        values.Weight("w0", 1.9);
        using var changed = sim.Run(parameterized, values, batch);
        var after = Read(changed);
        for (int b = 0; b < batch; b++)
        {
            Assert.That((after[b << n] - batched[b << n]).Magnitude, Is.GreaterThan(1e-3), $"sample {b} follows the new weight");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_AffineAngle_EqualsConstantScaleTimesValuePlusOffset<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var x = Parameter.Input("x");
        var w = Parameter.Weight("w");
        const double scale = -2.5, offset = 0.3, wScale = 0.75, wOffset = -1.25, wv = 1.7;
        double[] xs = [0.4, -0.9, 1.3];
        var circuit = Circuit.Create(2).H(0).RY(0, Angle.Of(x, scale, offset)).RXX(0, 1, Angle.Of(w, wScale, wOffset)).Build();
        var values = new ParameterValues().Input("x", xs).Weight("w", wv);
        using var state = sim.Run(circuit, values);
        var actual = Read(state);
        for (int b = 0; b < xs.Length; b++)
        {
            using var alone = sim.Run(Circuit.Create(2).H(0).RY(0, scale * xs[b] + offset).RXX(0, 1, wScale * wv + wOffset).Build());
            StateAssert.Close<T>(Read(alone), DenseReference.SampleOf(actual, b, 4), 4, $"affine angle, sample {b}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_InputsWithBatchOfOneAndExplicitBatchSize_Agree<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var circuit = Circuit.Create(2).RX(0, Parameter.Input("x")).CNOT(0, 1).Build();
        var values = new ParameterValues().Input("x", [0.9]);
        using var a = sim.Run(circuit, values);
        using var b = sim.Run(circuit, values, batchSize: 1);
        Assert.That(Read(a), Is.EqualTo(Read(b)));
        double c = Math.Cos(0.45), s = Math.Sin(0.45);
        StateAssert.Close<T>([c, 0, 0, new Complex(0, -s)], Read(a), 4, "RX(0.9) then CNOT");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_UnusedBindingsAndRebinding_AreIgnoredAndReplaced<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var circuit = Circuit.Create(1).RY(0, Parameter.Weight("w")).Build();
        var values = new ParameterValues()
            .Weight("w", 5.0)
            .Weight("unused", double.NaN)           // not in the circuit: ignored, even though NaN
            .Input("also-unused", [1, 2, 3, 4, 5])  // would otherwise set the batch size
            .Weight("w", Math.PI);                  // replaces 5.0
        using var state = sim.Run(circuit, values);
        Assert.That(state.BatchSize, Is.EqualTo(1));
        StateAssert.Close<T>([0, 1], Read(state), 2, "RY(π)|0⟩ = |1⟩");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_InputArrayChangedAfterBinding_UsesTheValuesAtBindingTime<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var circuit = Circuit.Create(1).RY(0, Parameter.Input("x")).Build();
        double[] xs = [Math.PI, 0];
        var values = new ParameterValues().Input("x", xs);
        xs[0] = 0;
        xs[1] = Math.PI;
        using var state = sim.Run(circuit, values);
        StateAssert.Close<T>([0, 1, 1, 0], Read(state), 2, "inputs are copied when bound");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_InputsWithPerSampleValues_AppliedToAnExistingBatch<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        // RX(x_b) on |1⟩ in every sample: amplitudes (−i sin(x/2), cos(x/2)).
        double[] xs = [0.3, 1.1, -2.0, 2.9, 0.0];
        using var state = NewState<T>(1, Batch, Enumerable.Repeat(new Complex[] { 0, 1 }, Batch).SelectMany(a => a).ToArray());
        sim.Apply(state, Circuit.Create(1).RX(0, Parameter.Input("x")).Build(), new ParameterValues().Input("x", xs));
        var expected = xs.SelectMany(x => new[] { new Complex(0, -Math.Sin(x / 2)), new Complex(Math.Cos(x / 2), 0) }).ToArray();
        StateAssert.Close<T>(expected, Read(state), 2, "RX(x_b)|1⟩");
    }

    // ------------------------------------------------------------------ values without a state

    [Test]
    public void Angle_OfParameter_EvaluatesScaleTimesValuePlusOffsetAndFormats()
    {
        var x = Parameter.Input("x0");
        var a = Angle.Of(x, 2, 0.1);
        Assert.Multiple(() =>
        {
            Assert.That(a.IsConstant, Is.False);
            Assert.That(a.Parameter, Is.EqualTo(x));
            Assert.That(a.Scale, Is.EqualTo(2));
            Assert.That(a.Offset, Is.EqualTo(0.1));
            Assert.That(a.Evaluate(0.7), Is.EqualTo(2 * 0.7 + 0.1));
            Assert.That(a.ToString(), Is.EqualTo("2*x0 + 0.1"));
            Assert.That(Angle.Of(x, -1, -0.5).ToString(), Is.EqualTo("-x0 - 0.5"));
            Assert.That(((Angle)x).ToString(), Is.EqualTo("x0"));
            Assert.That(((Angle)x).Evaluate(1.25), Is.EqualTo(1.25));
            Angle c = 0.5;
            Assert.That(c.IsConstant, Is.True);
            Assert.That(c.Constant, Is.EqualTo(0.5));
            Assert.That(c.Evaluate(123), Is.EqualTo(0.5));
            Assert.That(default(Angle).Constant, Is.EqualTo(0));
        });
        var ex = Assert.Throws<InvalidOperationException>(() => _ = a.Constant)!;
        Assert.That(ex.Message, Does.Contain("x0").And.Contain("input"));
        Assert.Throws<ArgumentNullException>(() => Angle.Of(null!));
    }

    [Test]
    public void Parameter_EqualityByNameAndKind()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Parameter.Weight("a"), Is.EqualTo(Parameter.Weight("a")));
            Assert.That(Parameter.Weight("a") == Parameter.Weight("a"), Is.True);
            Assert.That(Parameter.Weight("a"), Is.Not.EqualTo(Parameter.Input("a")));
            Assert.That(Parameter.Weight("a"), Is.Not.EqualTo(Parameter.Weight("A")));
            Assert.That(Parameter.Weight("a").GetHashCode(), Is.EqualTo(Parameter.Weight("a").GetHashCode()));
        });
        var ex = Assert.Throws<ArgumentException>(() => Parameter.Input("  "))!;
        Assert.That(ex.Message, Does.Contain("empty"));
    }

    [Test]
    public void Circuit_WeightsAndInputs_ListDistinctParametersInOrderOfFirstAppearance()
    {
        var circuit = Circuit.Create(2)
            .RX(0, Parameter.Input("b")).RY(1, Parameter.Weight("z")).RZ(0, Parameter.Input("a"))
            .CRX(0, 1, Parameter.Weight("y")).RY(0, Parameter.Input("b")).RZZ(0, 1, Angle.Of(Parameter.Weight("z"), 2))
            .Build();
        Assert.That(circuit.Inputs.Select(p => p.Name), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(circuit.Weights.Select(p => p.Name), Is.EqualTo(new[] { "z", "y" }));
        Assert.That(circuit.Inputs.All(p => p.Kind == ParameterKind.Input) && circuit.Weights.All(p => p.Kind == ParameterKind.Weight), Is.True);
    }

    [Test]
    public void ParameterValues_WeightsVector_BindsInOrderAndChecksLengthAndKind()
    {
        var circuit = CircuitLibrary.Qnn(3, 2);
        double[] w = Enumerable.Range(0, circuit.Weights.Count).Select(i => 0.1 * i).ToArray();
        var values = new ParameterValues().Weights(circuit.Weights, w);
        for (int i = 0; i < w.Length; i++)
        {
            Assert.That(values.TryGetWeight(circuit.Weights[i].Name, out double v), Is.True);
            Assert.That(v, Is.EqualTo(w[i]));
        }
        var ex = Assert.Throws<ParameterBindingException>(() => values.Weights(circuit.Weights, w.AsSpan(1)))!;
        Assert.That(ex.Message, Does.Contain($"{w.Length} weights were given {w.Length - 1} values"));
        var ex2 = Assert.Throws<ParameterBindingException>(() => values.Weights(circuit.Inputs, new double[circuit.Inputs.Count]))!;
        Assert.That(ex2.Message, Does.Contain("'x0', is an input"));
        var ex3 = Assert.Throws<ParameterBindingException>(() => values.Set(Parameter.Input("x0"), 1.0))!;
        Assert.That(ex3.Message, Does.Contain("input 'x0' needs one value per sample"));
        var ex4 = Assert.Throws<ParameterBindingException>(() => values.Set(Parameter.Weight("w"), [1.0]))!;
        Assert.That(ex4.Message, Does.Contain("weight 'w' takes one value shared by the batch"));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Input encoding on every qubit (RX, affine RY), weighted entangling layers, and input-dependent 2-qubit gates.</summary>
    private static Circuit EncodingCircuit(int n)
    {
        var b = Circuit.Create(n);
        for (int q = 0; q < n; q++) b.RX(q, Parameter.Input($"x{q}")).RY(q, Angle.Of(Parameter.Input($"x{q}"), 0.5, 0.2));
        for (int l = 0; l < 2; l++)
        {
            for (int q = 0; q < n; q++) b.U3(q, Parameter.Weight($"a{l}_{q}"), Angle.Of(Parameter.Input($"x{(q + 1) % n}"), 1.3), Parameter.Weight($"c{l}"));
            for (int q = 0; q < n; q++) b.CNOT(q, (q + 1) % n);
            b.CRX(0, n - 1, Angle.Of(Parameter.Input("x1"), -1, 0.4)).RZZ(1, 2, Parameter.Input("x2")).CPhase(3, 0, Parameter.Input("x0"))
             .RYY(2, 0, Angle.Of(Parameter.Input("x3"), 2)).Toffoli(0, 1, 3).Phase(2, Parameter.Input("x1"));
        }
        return b.Build();
    }

    private Simulator<T> NewSimulator<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        return new Simulator<T>(Accelerator);
    }
}
