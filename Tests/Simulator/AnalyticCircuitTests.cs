using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Circuits whose outcome is known in closed form: the four Bell states (amplitudes and ⟨ZZ⟩, ⟨XX⟩, ⟨YY⟩), GHZ states
// on 3…8 qubits, the quantum Fourier transform (built from H, CPhase and Swap) of every basis state, and a circuit
// followed by its Inverse() returning to |0…0⟩. Float and double.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class AnalyticCircuitTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static readonly double R2 = 1 / Math.Sqrt(2);

    // Prepared with X on qubit 0 and/or 1, then H(0), CNOT(0, 1). Amplitudes by index (q1 q0), then ⟨Z0Z1⟩, ⟨X0X1⟩, ⟨Y0Y1⟩.
    private static IEnumerable<TestCaseData> BellCases() => Precisions.Rows(
        [false, false, new[] { R2, 0, 0, R2 }, 1.0, 1.0, -1.0],
        [true, false, new[] { R2, 0, 0, -R2 }, 1.0, -1.0, 1.0],
        [false, true, new[] { 0, R2, R2, 0 }, -1.0, 1.0, 1.0],
        [true, true, new[] { 0, -R2, R2, 0 }, -1.0, -1.0, -1.0]);

    [TestCaseSource(nameof(BellCases))]
    public void Run_BellCircuit_GivesBellStateAndPauliCorrelations<T>(bool x0, bool x1, double[] amplitudes, double zz, double xx, double yy) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var b = Circuit.Create(2);
        if (x0) b.X(0);
        if (x1) b.X(1);
        var circuit = b.H(0).CNOT(0, 1).Build();
        const int batch = 3;
        using (var state = sim.Run(circuit, batchSize: batch))
        {
            var expected = Enumerable.Repeat(amplitudes.Select(a => new Complex(a, 0)), batch).SelectMany(a => a).ToArray();
            StateAssert.Close<T>(expected, Read(state), 4, $"Bell state X0={x0} X1={x1}");
        }
        var observables = new[] { Observable.Parse("Z0 Z1"), Observable.Parse("X0 X1"), Observable.Parse("Y0 Y1"), Observable.Z(0), Observable.X(1), Observable.Y(0) };
        var e = sim.Expectations(circuit, observables, batchSize: batch);
        Assert.That(e, Has.Length.EqualTo(batch));
        for (int s = 0; s < batch; s++)
        {
            double[] want = [zz, xx, yy, 0, 0, 0];
            for (int k = 0; k < want.Length; k++) StateAssert.Close<T>(want[k], e[s][k], 1, $"⟨{observables[k]}⟩ in sample {s}");
        }
    }

    private static IEnumerable<TestCaseData> GhzSizes() => Precisions.Each(3, 4, 5, 6, 7, 8);

    [TestCaseSource(nameof(GhzSizes))]
    public void Run_GhzCircuit_GivesEqualSuperpositionOfAllZerosAndAllOnes<T>(int n) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var b = Circuit.Create(n).H(0);
        for (int q = 0; q + 1 < n; q++) b.CNOT(q, q + 1);
        var circuit = b.Build();
        int dim = 1 << n;
        using (var state = sim.Run(circuit))
        {
            var expected = new Complex[dim];
            expected[0] = expected[dim - 1] = R2;
            StateAssert.Close<T>(expected, Read(state), dim, $"GHZ on {n} qubits");
            var p = sim.Probabilities(state)[0];
            Assert.That(p[0], Is.EqualTo(0.5).Within(Tolerance.Of<T>()));
            Assert.That(p[dim - 1], Is.EqualTo(0.5).Within(Tolerance.Of<T>()));
            Assert.That(p.Sum(), Is.EqualTo(1).Within(Tolerance.Of<T>()));
        }
        // ⟨Z_i Z_j⟩ = 1 for every pair, ⟨Z_i⟩ = 0, ⟨X^{⊗n}⟩ = 1, and ⟨Y0 Y1 X2…⟩ = −1.
        var observables = new List<Observable> { Observable.Parse(string.Join(" ", Enumerable.Range(0, n).Select(q => $"X{q}"))) };
        var expectedValues = new List<double> { 1 };
        observables.Add(Observable.Parse("Y0 Y1 " + string.Join(" ", Enumerable.Range(2, n - 2).Select(q => $"X{q}"))));
        expectedValues.Add(-1);
        for (int i = 0; i < n; i++)
        {
            observables.Add(Observable.Z(i));
            expectedValues.Add(0);
            for (int j = i + 1; j < n; j++)
            {
                observables.Add(Observable.Parse($"Z{i} Z{j}"));
                expectedValues.Add(1);
            }
        }
        var e = sim.Expectations(circuit, observables)[0];
        for (int k = 0; k < e.Length; k++) StateAssert.Close<T>(expectedValues[k], e[k], 1, $"⟨{observables[k]}⟩ in GHZ({n})");
    }

    private static IEnumerable<TestCaseData> QftSizes() => Precisions.Each(1, 2, 3, 4, 5);

    [TestCaseSource(nameof(QftSizes))]
    public void Apply_QftToEveryBasisState_GivesFourierAmplitudesWithCorrectMagnitudesAndPhases<T>(int n) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var qft = Qft(n);
        int dim = 1 << n;
        // One batch holding every basis state: sample j is |j⟩.
        var input = new Complex[dim * dim];
        for (int j = 0; j < dim; j++) input[j * dim + j] = 1;
        using var state = NewState<T>(n, dim, input);
        sim.Apply(state, qft);
        var actual = Read(state);

        double magnitude = 1 / Math.Sqrt(dim);
        double tol = Tolerance.Of<T>();
        var expected = new Complex[dim * dim];
        for (int j = 0; j < dim; j++)
        {
            for (int k = 0; k < dim; k++)
            {
                // e^{2πi jk/N}/√N, with the exponent reduced mod N to keep the phase exact.
                double phase = 2 * Math.PI * ((long)j * k % dim) / dim;
                expected[j * dim + k] = Complex.FromPolarCoordinates(magnitude, phase);
                Complex a = actual[j * dim + k];
                Assert.That(a.Magnitude, Is.EqualTo(magnitude).Within(tol), $"|QFT|{j}⟩| at {k}, n={n}");
                double dphi = Math.IEEERemainder(a.Phase - phase, 2 * Math.PI);
                Assert.That(Math.Abs(dphi), Is.LessThanOrEqualTo(tol / magnitude), $"phase of QFT|{j}⟩ at {k}, n={n}: expected {phase}, got {a.Phase}");
            }
        }
        StateAssert.Close<T>(expected, actual, dim, $"QFT on {n} qubits");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_QftThenInverse_RestoresRandomStates<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        const int n = 6, batch = 3;
        var qft = Qft(n);
        var input = DenseReference.RandomBatch(n, batch, new Random(600));
        using var state = NewState<T>(n, batch, input);
        sim.Apply(state, qft);
        sim.Apply(state, qft.Inverse());
        StateAssert.Close<T>(StateAssert.RoundedTo<T>(input), Read(state), 1 << n, "QFT then QFT†");
    }

    private static IEnumerable<TestCaseData> InverseSizes() => Precisions.Each(3, 4, 6);

    [TestCaseSource(nameof(InverseSizes))]
    public void Run_CircuitFollowedByItsInverse_ReturnsAllZeros<T>(int n) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(700 + n);
        var gates = TextbookGates.RandomCircuit(n, rng, extra: 30);
        // A diagonal Unitary too: its adjoint must stay diagonal and conjugated.
        gates.Insert(gates.Count / 2, new TextbookGates.GateSpec(GateKind.Unitary, [n - 1, 0], [],
            MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.DenseOfDiagonalArray(DenseReference.RandomPhases(2, rng))));
        var circuit = TextbookGates.Build(n, gates);
        var both = Circuit.Create(n).Append(circuit).Append(circuit.Inverse()).Build();
        Assert.That(both.Gates, Has.Count.EqualTo(2 * circuit.Gates.Count));
        using var state = sim.Run(both, batchSize: 2);
        var expected = new Complex[2 << n];
        expected[0] = expected[1 << n] = 1;
        StateAssert.Close<T>(expected, Read(state), 1 << n, $"U then U† on {n} qubits:\n{circuit}");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_InverseOfParameterizedCircuitWithSameBindings_ReturnsAllZerosInEverySample<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        const int n = 4, batch = 5;
        var rng = new Random(800);
        var b = Circuit.Create(n);
        var kinds = TextbookGates.ParameterizedKinds;
        for (int g = 0; g < 24; g++)
        {
            var gateKind = kinds[g % kinds.Count];
            int[] qubits = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(TextbookGates.Arity(gateKind)).ToArray();
            var angles = Enumerable.Range(0, TextbookGates.AngleCount(gateKind)).Select(j => ((g + j) % 3) switch
            {
                0 => Angle.Of(Parameter.Input($"x{(g + j) % n}"), 1.5, 0.2),
                1 => Angle.Of(Parameter.Weight($"w{g % 5}"), -0.8, 0.1),
                _ => (Angle)((rng.NextDouble() - 0.5) * 6),
            }).ToArray();
            TextbookGates.Add(b, gateKind, qubits, angles);
            b.SX(qubits[0]).ISwap(qubits[0], (qubits[0] + 1) % n); // fixed gates whose adjoint is a Unitary
        }
        var circuit = b.Build();
        var inverse = circuit.Inverse();
        Assert.That(inverse.Weights, Is.EqualTo(circuit.Weights), "the inverse keeps the weight order");
        Assert.That(inverse.Inputs, Is.EqualTo(circuit.Inputs), "the inverse keeps the input order");
        var values = new ParameterValues();
        foreach (var p in circuit.Inputs) values.Input(p.Name, TextbookGates.RandomAngles(batch, rng));
        foreach (var p in circuit.Weights) values.Weight(p.Name, rng.NextDouble() * 3);

        using var state = sim.Run(circuit, values);
        Assert.That(state.BatchSize, Is.EqualTo(batch));
        var middle = Read(state);
        Assert.That(middle.Where((_, i) => i % (1 << n) == 0).All(a => a.Magnitude < 0.999), Is.True, "the circuit should move away from |0…0⟩");
        sim.Apply(state, inverse, values);
        var expected = new Complex[batch << n];
        for (int s = 0; s < batch; s++) expected[s << n] = 1;
        StateAssert.Close<T>(expected, Read(state), 1 << n, "U(x, w) then U(x, w)†");
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>QFT with qubit 0 least significant: H and controlled phases from the top qubit down, then reverse the order.</summary>
    internal static Circuit Qft(int n)
    {
        var b = Circuit.Create(n);
        for (int q = n - 1; q >= 0; q--)
        {
            b.H(q);
            for (int m = q - 1; m >= 0; m--) b.CPhase(m, q, Math.PI / (1 << (q - m)));
        }
        for (int q = 0; q < n / 2; q++) b.Swap(q, n - 1 - q);
        return b.Build();
    }

    private Simulator<T> NewSimulator<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        return new Simulator<T>(Accelerator);
    }
}
