using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Gradients of expectation values: adjoint differentiation and the parameter-shift rule, each compared with central
// finite differences in double precision on random circuits (n ≤ 6) that use every rotation and controlled-rotation
// gate, with shared weights and per-sample inputs (with scales and offsets), Z-only and mixed Pauli observables, on
// every accelerator; the backward (vector-Jacobian) product against the contracted Jacobian; bad input.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class GradientTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private const double FdStep = 1e-5;
    private const double Tolerance = 2e-7;

    private static readonly GateKind[] Parameterised =
    [
        GateKind.RX, GateKind.RY, GateKind.RZ, GateKind.Phase, GateKind.U3, GateKind.CRX, GateKind.CRY, GateKind.CRZ,
        GateKind.CPhase, GateKind.RXX, GateKind.RYY, GateKind.RZZ,
    ];

    /// <summary>A random circuit using every parameterised kind at least once, with fixed gates in between.</summary>
    private static Circuit RandomCircuit(int n, Random rng, bool withInputs)
    {
        var weights = Enumerable.Range(0, 4).Select(i => Parameter.Weight($"w{i}")).ToArray();
        var inputs = Enumerable.Range(0, 3).Select(i => Parameter.Input($"x{i}")).ToArray();
        Angle RandomAngle()
        {
            int pick = rng.Next(withInputs ? 3 : 2);
            double scale = Math.Round(rng.NextDouble() * 2 - 1, 2) + (rng.Next(2) == 0 ? 1 : -1);
            double offset = Math.Round(rng.NextDouble() * 2 - 1, 2);
            return pick switch
            {
                0 => Angle.Of(weights[rng.Next(weights.Length)], scale, offset),
                1 => rng.NextDouble() * 6 - 3,
                _ => Angle.Of(inputs[rng.Next(inputs.Length)], scale, offset),
            };
        }
        (int, int) Pair()
        {
            int a = rng.Next(n), b;
            do b = rng.Next(n); while (b == a);
            return (a, b);
        }
        var builder = Circuit.Create(n);
        for (int q = 0; q < n; q++) builder.H(q);
        var order = Parameterised.Concat(Enumerable.Range(0, 8).Select(_ => Parameterised[rng.Next(Parameterised.Length)]))
            .OrderBy(_ => rng.Next()).ToList();
        foreach (var k in order)
        {
            int q = rng.Next(n);
            var (c, t) = Pair();
            switch (k)
            {
                case GateKind.RX: builder.RX(q, RandomAngle()); break;
                case GateKind.RY: builder.RY(q, RandomAngle()); break;
                case GateKind.RZ: builder.RZ(q, RandomAngle()); break;
                case GateKind.Phase: builder.Phase(q, RandomAngle()); break;
                case GateKind.U3: builder.U3(q, RandomAngle(), RandomAngle(), RandomAngle()); break;
                case GateKind.CRX: builder.CRX(c, t, RandomAngle()); break;
                case GateKind.CRY: builder.CRY(c, t, RandomAngle()); break;
                case GateKind.CRZ: builder.CRZ(c, t, RandomAngle()); break;
                case GateKind.CPhase: builder.CPhase(c, t, RandomAngle()); break;
                case GateKind.RXX: builder.RXX(c, t, RandomAngle()); break;
                case GateKind.RYY: builder.RYY(c, t, RandomAngle()); break;
                default: builder.RZZ(c, t, RandomAngle()); break;
            }
            switch (rng.Next(4))
            {
                case 0: builder.CNOT(c, t); break;
                case 1: builder.SX(q); break;
                case 2: builder.Swap(c, t); break;
                default: builder.T(q); break;
            }
        }
        return builder.Build();
    }

    private static Observable[] Observables(int n) =>
    [
        Observable.Z(0),
        Observable.Parse($"0.5 Z0 Z{n - 1} - 1.5 Z1"),
        Observable.Parse($"0.7 X0 Y1 + 0.3 Z{n - 1} - 0.2 Y{n - 2}"),
    ];

    private static ParameterValues Bind(Circuit circuit, Random rng, int batch)
    {
        var values = new ParameterValues();
        foreach (var w in circuit.Weights) values.Weight(w.Name, rng.NextDouble() * 4 - 2);
        foreach (var x in circuit.Inputs) values.Input(x.Name, Enumerable.Range(0, batch).Select(_ => rng.NextDouble() * 4 - 2).ToArray());
        return values;
    }

    /// <summary>Central finite differences: [b][k][w] and [b][k][i].</summary>
    private static (double[][][] W, double[][][] X) FiniteDifferences(Simulator<double> sim, Circuit circuit, Observable[] obs, ParameterValues values, int batch)
    {
        var w = new double[batch][][];
        var x = new double[batch][][];
        for (int b = 0; b < batch; b++)
        {
            w[b] = new double[obs.Length][];
            x[b] = new double[obs.Length][];
            for (int k = 0; k < obs.Length; k++)
            {
                w[b][k] = new double[circuit.Weights.Count];
                x[b][k] = new double[circuit.Inputs.Count];
            }
        }
        for (int p = 0; p < circuit.Weights.Count; p++)
        {
            string name = circuit.Weights[p].Name;
            values.TryGetWeight(name, out double v0);
            var plus = sim.Expectations(circuit, obs, values.Clone().Weight(name, v0 + FdStep), batch);
            var minus = sim.Expectations(circuit, obs, values.Clone().Weight(name, v0 - FdStep), batch);
            for (int b = 0; b < batch; b++)
            {
                for (int k = 0; k < obs.Length; k++) w[b][k][p] = (plus[b][k] - minus[b][k]) / (2 * FdStep);
            }
        }
        for (int p = 0; p < circuit.Inputs.Count; p++)
        {
            string name = circuit.Inputs[p].Name;
            values.TryGetInput(name, out var v0);
            var plus = sim.Expectations(circuit, obs, values.Clone().Input(name, v0!.Select(v => v + FdStep).ToArray()));
            var minus = sim.Expectations(circuit, obs, values.Clone().Input(name, v0!.Select(v => v - FdStep).ToArray()));
            for (int b = 0; b < batch; b++)
            {
                for (int k = 0; k < obs.Length; k++) x[b][k][p] = (plus[b][k] - minus[b][k]) / (2 * FdStep);
            }
        }
        return (w, x);
    }

    private static void AssertClose(double[][][] actual, double[][][] expected, double tolerance, string what)
    {
        for (int b = 0; b < expected.Length; b++)
        {
            for (int k = 0; k < expected[b].Length; k++)
            {
                Assert.That(actual[b][k], Is.EqualTo(expected[b][k]).Within(tolerance), $"{what}, sample {b}, observable {k}");
            }
        }
    }

    [TestCase(GradientMethod.Adjoint, 2, 1, false)]
    [TestCase(GradientMethod.Adjoint, 4, 3, true)]
    [TestCase(GradientMethod.Adjoint, 6, 5, true)]
    [TestCase(GradientMethod.ParameterShift, 2, 1, false)]
    [TestCase(GradientMethod.ParameterShift, 4, 3, true)]
    [TestCase(GradientMethod.ParameterShift, 5, 2, true)]
    public void Gradients_RandomCircuits_MatchFiniteDifferences(GradientMethod method, int n, int batch, bool withInputs)
    {
        var sim = new Simulator<double>(Accelerator);
        var rng = new Random(100 * n + batch);
        for (int trial = 0; trial < 3; trial++)
        {
            var circuit = RandomCircuit(n, rng, withInputs);
            var obs = Observables(n);
            var values = Bind(circuit, rng, batch);
            var result = sim.Gradients(circuit, obs, values, batch, method);
            var (fdW, fdX) = FiniteDifferences(sim, circuit, obs, values, batch);
            var expected = sim.Expectations(circuit, obs, values, batch);
            Assert.That(result.Weights, Is.EqualTo(circuit.Weights));
            Assert.That(result.Inputs, Is.EqualTo(circuit.Inputs));
            for (int b = 0; b < batch; b++) Assert.That(result.Values[b], Is.EqualTo(expected[b]).Within(1e-12), "values");
            AssertClose(result.WeightJacobian, fdW, Tolerance, $"{method} weights, trial {trial}");
            AssertClose(result.InputJacobian, fdX, Tolerance, $"{method} inputs, trial {trial}");
        }
    }

    [Test]
    public void Gradients_AdjointAndParameterShift_AgreeToRounding()
    {
        var sim = new Simulator<double>(Accelerator);
        var rng = new Random(5);
        var circuit = RandomCircuit(5, rng, withInputs: true);
        var obs = Observables(5);
        var values = Bind(circuit, rng, 4);
        var adjoint = sim.Gradients(circuit, obs, values, method: GradientMethod.Adjoint);
        var shift = sim.Gradients(circuit, obs, values, method: GradientMethod.ParameterShift);
        AssertClose(adjoint.WeightJacobian, shift.WeightJacobian, 1e-10, "weights");
        AssertClose(adjoint.InputJacobian, shift.InputJacobian, 1e-10, "inputs");
    }

    [Test]
    public void Gradients_Float_AgreeWithDoubleToSinglePrecision()
    {
        var rng = new Random(9);
        var circuit = RandomCircuit(4, rng, withInputs: true);
        var obs = Observables(4);
        var values = Bind(circuit, rng, 3);
        var d = new Simulator<double>(Accelerator).Gradients(circuit, obs, values);
        var f = new Simulator<float>(Accelerator).Gradients(circuit, obs, values);
        AssertClose(f.WeightJacobian, d.WeightJacobian, 2e-4, "weights");
        AssertClose(f.InputJacobian, d.InputJacobian, 2e-4, "inputs");
    }

    [TestCase(GradientMethod.Adjoint)]
    [TestCase(GradientMethod.ParameterShift)]
    public void Backward_EqualsUpstreamContractedWithJacobian(GradientMethod method)
    {
        var sim = new Simulator<double>(Accelerator);
        var rng = new Random(21);
        var circuit = RandomCircuit(4, rng, withInputs: true);
        var obs = Observables(4);
        int batch = 5;
        var values = Bind(circuit, rng, batch);
        var upstream = Enumerable.Range(0, batch).Select(_ => obs.Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        var vjp = sim.Backward(circuit, obs, values, upstream, method);
        var jac = sim.Gradients(circuit, obs, values, batch);
        for (int w = 0; w < circuit.Weights.Count; w++)
        {
            double expected = 0;
            for (int b = 0; b < batch; b++) for (int k = 0; k < obs.Length; k++) expected += upstream[b][k] * jac.WeightJacobian[b][k][w];
            Assert.That(vjp.WeightGradients[w], Is.EqualTo(expected).Within(1e-9), $"weight {circuit.Weights[w]}");
        }
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < circuit.Inputs.Count; i++)
            {
                double expected = 0;
                for (int k = 0; k < obs.Length; k++) expected += upstream[b][k] * jac.InputJacobian[b][k][i];
                Assert.That(vjp.InputGradients[b][i], Is.EqualTo(expected).Within(1e-9), $"input {circuit.Inputs[i]}, sample {b}");
            }
            Assert.That(vjp.Values[b], Is.EqualTo(jac.Values[b]).Within(1e-12));
        }
    }

    [Test]
    public void Gradients_SingleRy_IsMinusSine()
    {
        // ⟨Z⟩ after RY(θ)|0⟩ is cos θ, so the derivative is −sin θ; with angle 2w + 0.3 the chain rule doubles it.
        var sim = new Simulator<double>(Accelerator);
        var w = Parameter.Weight("w");
        var circuit = Circuit.Create(1).RY(0, Angle.Of(w, 2, 0.3)).Build();
        var result = sim.Gradients(circuit, [Observable.Z(0)], new ParameterValues().Weight("w", 0.4));
        Assert.That(result.Values[0][0], Is.EqualTo(Math.Cos(1.1)).Within(1e-12));
        Assert.That(result.WeightJacobian[0][0][0], Is.EqualTo(-2 * Math.Sin(1.1)).Within(1e-12));
    }

    [Test]
    public void Backward_BadUpstream_ThrowsNamingShape()
    {
        var sim = new Simulator<double>(Accelerator);
        var circuit = Circuit.Create(2).RY(0, Parameter.Input("x")).CNOT(0, 1).Build();
        var values = new ParameterValues().Input("x", [0.1, 0.2]);
        Observable[] obs = [Observable.Z(1)];
        var ex = Assert.Throws<ArgumentException>(() => sim.Backward(circuit, obs, values, [[1.0], [1.0, 2.0]]));
        Assert.That(ex!.Message, Does.Contain("row 1 has 2 entries, expected one per observable: 1"));
        ex = Assert.Throws<ArgumentException>(() => sim.Backward(circuit, obs, values, [[1.0], [double.NaN]]));
        Assert.That(ex!.Message, Does.Contain("upstream[1][0] is NaN"));
        Assert.Throws<ParameterBindingException>(() => sim.Backward(circuit, obs, values, [[1.0], [1.0], [1.0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Gradients(circuit, [Observable.Z(2)], values));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Gradients(circuit, obs, values, method: (GradientMethod)7));
    }
}
