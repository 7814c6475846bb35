using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Every GateKind run through Simulator<T>.Apply on random states prepared with SetState, compared with the textbook
// matrix (TextbookGates, written out by hand) embedded in 2^n × 2^n by a Kronecker product and a permutation. Every
// ordered placement of 1-, 2- and 3-qubit gates for n ≤ 4, a few random placements at n = 6 and 7, batch sizes 1 and 3,
// random angles, float and double. Parameterised gates are also run with per-sample input angles (one matrix per
// sample) and with shared weight angles.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class GateReferenceTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static readonly int[] Batches = [1, 3];

    private static IEnumerable<TestCaseData> EveryKind() => Precisions.Each(TextbookGates.AllKinds.Cast<object>().ToArray());

    private static IEnumerable<TestCaseData> ParameterizedKinds() => Precisions.Each(TextbookGates.ParameterizedKinds.Cast<object>().ToArray());

    [Test]
    public void TextbookOracle_CoversEveryGateKind()
    {
        foreach (GateKind k in Enum.GetValues<GateKind>())
        {
            if (k == GateKind.Unitary) continue;
            Assert.DoesNotThrow(() => TextbookGates.Matrix(k, new double[TextbookGates.AngleCount(k)]), $"no textbook matrix for {k}");
        }
        Assert.That(Enum.GetValues<GateKind>(), Has.Length.EqualTo(28), "a gate kind was added or removed: extend TextbookGates");
    }

    [TestCaseSource(nameof(EveryKind))]
    public void Apply_GateAtEveryPlacementUpToFourQubits_MatchesTextbookMatrix<T>(GateKind gate) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(100 + (int)gate);
        int checkedCases = 0;
        foreach (int k in Arities(gate))
        {
            for (int n = k; n <= 4; n++)
            {
                foreach (int[] qubits in TextbookGates.OrderedTuples(n, k))
                {
                    foreach (int batch in Batches)
                    {
                        CheckConstantGate(sim, n, batch, NewSpec(gate, qubits, rng), rng);
                        checkedCases++;
                    }
                }
            }
        }
        Assert.That(checkedCases, Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(EveryKind))]
    public void Apply_GateAtRandomPlacementsOnSixAndSevenQubits_MatchesTextbookMatrix<T>(GateKind gate) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(200 + (int)gate);
        foreach (int n in new[] { 6, 7 })
        {
            foreach (int k in Arities(gate))
            {
                // The highest qubits first (straddling the SIMD register for B = 1 and 3), then random ones.
                var placements = new List<int[]> { Enumerable.Range(n - k, k).Reverse().ToArray() };
                for (int r = 0; r < 3; r++) placements.Add(Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(k).ToArray());
                foreach (int[] qubits in placements)
                {
                    foreach (int batch in Batches) CheckConstantGate(sim, n, batch, NewSpec(gate, qubits, rng), rng);
                }
            }
        }
    }

    [TestCaseSource(nameof(ParameterizedKinds))]
    public void Apply_GateWithPerSampleInputAngles_MatchesTextbookMatrixOfEachSample<T>(GateKind gate) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(300 + (int)gate);
        int k = TextbookGates.Arity(gate), angleCount = TextbookGates.AngleCount(gate);
        foreach (int n in new[] { 3, 5 })
        {
            var placements = n == 3 ? TextbookGates.OrderedTuples(n, k).ToList() : [Enumerable.Range(n - k, k).Reverse().ToArray(), Enumerable.Range(0, k).ToArray()];
            foreach (int[] qubits in placements)
            {
                foreach (int batch in new[] { 1, 3, 5 })
                {
                    // Angle j = scale_j · x_j + offset_j with a different x_j per sample.
                    var scales = Enumerable.Range(0, angleCount).Select(_ => 0.5 + 2 * rng.NextDouble()).ToArray();
                    var offsets = TextbookGates.RandomAngles(angleCount, rng);
                    var values = new ParameterValues();
                    var angles = new Angle[angleCount];
                    var inputs = new double[angleCount][];
                    for (int j = 0; j < angleCount; j++)
                    {
                        inputs[j] = TextbookGates.RandomAngles(batch, rng);
                        values.Input($"x{j}", inputs[j]);
                        angles[j] = Angle.Of(Parameter.Input($"x{j}"), scales[j], offsets[j]);
                    }
                    var circuit = TextbookGates.Add(Circuit.Create(n), gate, qubits, angles).Build();

                    var ops = new List<Matrix<Complex>>();
                    for (int b = 0; b < batch; b++)
                    {
                        double[] a = Enumerable.Range(0, angleCount).Select(j => scales[j] * inputs[j][b] + offsets[j]).ToArray();
                        ops.Add(TextbookGates.Embed(n, qubits, TextbookGates.Matrix(gate, a)));
                    }
                    var input = DenseReference.RandomBatch(n, batch, rng);
                    using var state = NewState<T>(n, batch, input);
                    sim.Apply(state, circuit, values);
                    var expected = DenseReference.ApplyPerSample(ops, StateAssert.RoundedTo<T>(input));
                    StateAssert.Close<T>(expected, Read(state), 1 << n, $"{gate} q[{string.Join(", ", qubits)}] per-sample inputs, n={n}, B={batch}");
                }
            }
        }
    }

    [TestCaseSource(nameof(ParameterizedKinds))]
    public void Apply_GateWithWeightAngles_MatchesTextbookMatrixSharedByTheBatch<T>(GateKind gate) where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(400 + (int)gate);
        int k = TextbookGates.Arity(gate), angleCount = TextbookGates.AngleCount(gate);
        const int n = 4;
        foreach (int[] qubits in TextbookGates.OrderedTuples(n, k).Where((_, i) => i % 3 == 0))
        {
            double[] w = TextbookGates.RandomAngles(angleCount, rng);
            double[] scales = Enumerable.Range(0, angleCount).Select(_ => -1.5 + 3 * rng.NextDouble()).ToArray();
            double[] offsets = TextbookGates.RandomAngles(angleCount, rng);
            var values = new ParameterValues();
            var angles = new Angle[angleCount];
            for (int j = 0; j < angleCount; j++)
            {
                values.Weight($"w{j}", w[j]);
                angles[j] = Angle.Of(Parameter.Weight($"w{j}"), scales[j], offsets[j]);
            }
            var circuit = TextbookGates.Add(Circuit.Create(n), gate, qubits, angles).Build();
            double[] evaluated = Enumerable.Range(0, angleCount).Select(j => scales[j] * w[j] + offsets[j]).ToArray();
            var op = TextbookGates.Embed(n, qubits, TextbookGates.Matrix(gate, evaluated));
            const int batch = 3;
            var input = DenseReference.RandomBatch(n, batch, rng);
            using var state = NewState<T>(n, batch, input);
            sim.Apply(state, circuit, values);
            StateAssert.Close<T>(DenseReference.ApplyToBatch(op, StateAssert.RoundedTo<T>(input)), Read(state), 1 << n,
                $"{gate} q[{string.Join(", ", qubits)}] with weights");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_RandomCircuitOfEveryGateKind_MatchesProductOfTextbookMatrices<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        foreach (int n in new[] { 3, 5 })
        {
            var rng = new Random(500 + n);
            var gates = TextbookGates.RandomCircuit(n, rng, extra: 20);
            var circuit = TextbookGates.Build(n, gates);
            var u = TextbookGates.CircuitOperator(n, gates);
            using var state = sim.Run(circuit, batchSize: 3);
            // From |0…0⟩ the result is the first column of U, in every sample.
            var column = u.Column(0).ToArray();
            var expected = Enumerable.Repeat(column, 3).SelectMany(c => c).ToArray();
            StateAssert.Close<T>(expected, Read(state), 1 << n, $"random circuit on {n} qubits:\n{circuit}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_DiagonalUnitaryAtEveryPlacement_MatchesItsDiagonal<T>() where T : unmanaged
    {
        // A diagonal Unitary takes the diagonal kernel path: check it as thoroughly as the dense one.
        var sim = NewSimulator<T>();
        var rng = new Random(550);
        foreach (int k in new[] { 1, 2, 3 })
        {
            for (int n = k; n <= 4; n++)
            {
                foreach (int[] qubits in TextbookGates.OrderedTuples(n, k))
                {
                    var diagonal = Matrix<Complex>.Build.DenseOfDiagonalArray(DenseReference.RandomPhases(k, rng));
                    var spec = new TextbookGates.GateSpec(GateKind.Unitary, qubits, [], diagonal);
                    var gate = TextbookGates.Build(n, [spec]).Gates[0];
                    Assert.That(gate.IsDiagonal, Is.True, "a diagonal matrix makes a diagonal gate");
                    foreach (int batch in Batches) CheckConstantGate(sim, n, batch, spec, rng);
                }
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_UnitaryOnFourToSixQubitsInShuffledOrder_MatchesEmbeddedMatrix<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var rng = new Random(560);
        const int n = 7;
        foreach (int k in new[] { 4, 5, 6 })
        {
            int[] qubits = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(k).ToArray();
            CheckConstantGate(sim, n, 3, new TextbookGates.GateSpec(GateKind.Unitary, qubits, [], DenseReference.RandomUnitary(k, rng)), rng);
            var diagonal = Matrix<Complex>.Build.DenseOfDiagonalArray(DenseReference.RandomPhases(k, rng));
            CheckConstantGate(sim, n, 1, new TextbookGates.GateSpec(GateKind.Unitary, qubits, [], diagonal), rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_EmptyCircuit_GivesAllZerosInEverySample<T>() where T : unmanaged
    {
        var sim = NewSimulator<T>();
        var circuit = Circuit.Create(3).Build();
        Assert.That(circuit.Gates, Is.Empty);
        using var state = sim.Run(circuit, batchSize: 2);
        var expected = new Complex[16];
        expected[0] = expected[8] = 1;
        StateAssert.Unchanged(expected, Read(state), "empty circuit from |000>");
    }

    [Test]
    public void Build_Snapshot_IsNotChangedByLaterGates()
    {
        var b = Circuit.Create(2).H(0);
        var first = b.Build();
        b.CNOT(0, 1).RX(1, Parameter.Weight("w"));
        var second = b.Build();
        Assert.That(first.Gates, Has.Count.EqualTo(1));
        Assert.That(first.Weights, Is.Empty);
        Assert.That(second.Gates.Select(g => g.Kind), Is.EqualTo(new[] { GateKind.H, GateKind.CNOT, GateKind.RX }));
        Assert.That(second.Weights.Single().Name, Is.EqualTo("w"));
        Assert.That(second.Gates[1].Qubits, Is.EqualTo(new[] { 0, 1 }));
    }

    // ------------------------------------------------------------------ helpers

    private Simulator<T> NewSimulator<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        return new Simulator<T>(Accelerator);
    }

    private static IEnumerable<int> Arities(GateKind gate) => gate == GateKind.Unitary ? [1, 2, 3] : [TextbookGates.Arity(gate)];

    private static TextbookGates.GateSpec NewSpec(GateKind gate, int[] qubits, Random rng) =>
        new(gate, qubits, TextbookGates.RandomAngles(TextbookGates.AngleCount(gate), rng),
            gate == GateKind.Unitary ? DenseReference.RandomUnitary(qubits.Length, rng) : null);

    private void CheckConstantGate<T>(Simulator<T> sim, int n, int batch, TextbookGates.GateSpec spec, Random rng) where T : unmanaged
    {
        var circuit = TextbookGates.Build(n, [spec]);
        var input = DenseReference.RandomBatch(n, batch, rng);
        using var state = NewState<T>(n, batch, input);
        sim.Apply(state, circuit);
        var op = TextbookGates.Operator(n, spec, spec.Angles);
        var expected = DenseReference.ApplyToBatch(op, StateAssert.RoundedTo<T>(input));
        StateAssert.Close<T>(expected, Read(state), 1 << n, $"{spec}, n={n}, B={batch}");
    }
}
