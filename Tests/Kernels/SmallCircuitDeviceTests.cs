using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;
using QSim.Kernels.Circuits;
using QSim.Kernels.Device;
using QSim.Simulator;

namespace QSim.Tests.Kernels;

// The device's fused small-circuit kernel (Kernels/Sources/small_circuit.cl through DeviceAccelerator) against the CPU
// engine (SmallCircuitEngine via the CPU accelerator's RunSmallCircuit) on the same SmallCircuitProgram: values and
// the adjoint gradients of several seeds, in both precisions, with batches split into several chunks (and the
// default chunking), on programs holding every op kind: controlled 2×2 ops and bit flips, SWAP, 1- and 2-qubit
// diagonals, 4×4 matrices, per-sample and shared entries, and, built by hand since the compiler does not emit them
// yet, MatrixK blocks (checked against the CPU running the block's gates one by one); in both scratch layouts (sample
// innermost as on a GPU, sample by sample as on a CPU device). Every run asserts that the kernel was launched once per
// chunk. Only device accelerators: on the CPU this would compare the engine with itself.
[TestFixtureSource(nameof(DeviceKinds))]
public sealed class SmallCircuitDeviceTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static readonly Complex I = Complex.ImaginaryOne;

    /// <summary>The accelerators that have a device kernel.</summary>
    public static IEnumerable<AcceleratorKind> DeviceKinds => [AcceleratorKind.OpenCL, AcceleratorKind.Cuda];

    private DeviceAccelerator Device => (DeviceAccelerator)Accelerator;

    private static Accelerator Cpu => TestAccelerators.Get(AcceleratorKind.Cpu);

    // ------------------------------------------------------------------ programs from the compiler

    /// <summary>A circuit whose program has every op kind the compiler emits, controlled and not, shared and per sample.</summary>
    private static Circuit EveryKindCircuit(int n)
    {
        var b = Circuit.Create(n);
        for (int q = 0; q < n; q++) b.RX(q, Angle.Of(Parameter.Input($"x{q % 3}"), 1.1, 0.2 * q));
        b.H(0).U3(1, Parameter.Weight("u0"), Parameter.Weight("u1"), Parameter.Weight("u2"));
        b.CRY(0, 2, Parameter.Weight("c0"));                 // controlled 2×2
        b.Toffoli(0, 1, 3).CNOT(3, n - 1);                   // controlled bit flips
        b.Swap(1, n - 1);                                    // SWAP
        b.RZZ(2, 3, Parameter.Input("x1"));                  // per-sample 2-qubit diagonal
        b.CPhase(n - 1, 0, Parameter.Weight("p0"));          // controlled phase
        b.RZ(2, Parameter.Weight("z0"));                     // 1-qubit diagonal
        b.RXX(0, n - 1, Parameter.Weight("r0"));             // shared 4×4
        b.RYY(1, 2, Parameter.Input("x2"));                  // per-sample 4×4
        b.ISwap(3, 0).Y(2).S(3).T(n - 1);
        b.CRX(n - 1, 1, Parameter.Input("x0"));              // per-sample controlled 2×2
        b.CZ(1, 3).CY(2, 0);
        for (int q = 0; q < n; q++) b.RY(q, Parameter.Weight($"v{q}"));
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
        [Observable.Z(0), Observable.Parse($"0.4 X0 Z{n - 1} + 0.9 Y1 - 0.25"), Observable.Parse("0.3 Y2 Y3 + X1 X2 - 0.5 Z3")];

    private static SmallCircuitProgram Compile(int n, int batch, int seed)
    {
        var circuit = EveryKindCircuit(n);
        var values = Bind(circuit, new Random(seed), batch);
        return SmallCircuitCompiler.Compile(BoundCircuit.Bind(circuit, values, null), Observables(n), withDerivatives: true);
    }

    private static IEnumerable<TestCaseData> CompiledCases() => Precisions.Rows([5, 23, 5], [6, 17, 17], [12, 3, 2]);

    [TestCaseSource(nameof(CompiledCases))]
    public void CompiledProgram_EveryOpKind_MatchesCpuEngine<T>(int n, int batch, int chunk) where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var program = Compile(n, batch, 100 * n + batch);
        var kinds = program.Ops.Select(o => o.Kind).ToHashSet();
        Assert.That(kinds, Is.SupersetOf(new[] { SmallOpKind.Matrix1, SmallOpKind.Matrix2, SmallOpKind.Diagonal1, SmallOpKind.Diagonal2, SmallOpKind.Not, SmallOpKind.Swap }),
            "the program holds every op kind the compiler emits");
        Assert.That(program.Ops.Any(o => o.Kind == SmallOpKind.Matrix1 && o.ControlMask != 0 && o.Derivatives.Length > 0), "a differentiated controlled 2×2 op");
        Assert.That(program.Ops.Any(o => o.Kind == SmallOpKind.Not && BitOperations.PopCount((ulong)o.ControlMask) == 2), "a Toffoli");
        Assert.That(program.Ops.Any(o => o.PerSample && o.Derivatives.Length > 0), "a differentiated per-sample op");
        Assert.That(program.Occurrences, Is.GreaterThan(5));
        var rng = new Random(n);
        // No seed, one seed, three seeds (the scratch holds other planes in each), in both scratch layouts.
        foreach (bool innermost in new[] { true, false })
        {
            foreach (int seeds in new[] { 0, 1, 3 }) AssertMatchesCpu<T>(program, program, RandomSeeds(program, seeds, rng), chunk, innermost);
        }
    }

    [Test]
    public void CompiledProgram_DefaultChunking_MatchesCpuEngine()
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        var program = Compile(6, 45, 7);
        AssertMatchesCpu<double>(program, program, RandomSeeds(program, 2, new Random(2)), int.MaxValue, null);
    }

    // ------------------------------------------------------------------ hand-built programs with MatrixK

    /// <summary>Builds a <see cref="SmallCircuitProgram"/> op by op, keeping the shared and per-sample entry tables.</summary>
    private sealed class ProgramBuilder(int qubits, int batch)
    {
        private readonly List<double> _shared = [];
        private readonly List<double[]> _perSample = []; // rows of B values: re, im per entry
        private readonly List<SmallOp> _ops = [];

        public int Batch => batch;

        public int Shared(ReadOnlySpan<Complex> entries)
        {
            int first = _shared.Count / 2;
            foreach (var z in entries)
            {
                _shared.Add(z.Real);
                _shared.Add(z.Imaginary);
            }
            return first;
        }

        public int PerSample(int size, Func<int, Complex[]> entriesOf)
        {
            int first = _perSample.Count / 2;
            var rows = new double[2 * size][];
            for (int r = 0; r < rows.Length; r++) rows[r] = new double[batch];
            for (int b = 0; b < batch; b++)
            {
                var e = entriesOf(b);
                for (int j = 0; j < size; j++)
                {
                    rows[2 * j][b] = e[j].Real;
                    rows[2 * j + 1][b] = e[j].Imaginary;
                }
            }
            _perSample.AddRange(rows);
            return first;
        }

        public void Add(SmallOp op) => _ops.Add(op);

        public SmallCircuitProgram Build((int, double, long, long)[] terms, int observables) =>
            new(qubits, batch, [.. _ops], 0, [.. _shared], [.. _perSample.SelectMany(r => r)], _perSample.Count, terms, observables, isReal: false);
    }

    private static Complex[] Entries(Matrix<Complex> m) => DenseReference.RowMajor(m);

    private static Complex[] RandomEntries(int count, Random rng) =>
        Enumerable.Range(0, count).Select(_ => new Complex(rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>
    /// Adds a shared MatrixK op on <paramref name="qubits"/> to <paramref name="withBlocks"/>, equal to the product of
    /// random 1- and 2-qubit unitaries that <paramref name="expanded"/> gets one by one instead.
    /// </summary>
    private static void AddBlock(ProgramBuilder withBlocks, ProgramBuilder expanded, int[] qubits, Random rng)
    {
        int k = qubits.Length;
        var product = Matrix<Complex>.Build.DenseIdentity(1 << k);
        for (int g = 0; g < 2 * k; g++)
        {
            int a = rng.Next(k);
            if (k > 1 && g % 2 == 1)
            {
                int c = (a + 1 + rng.Next(k - 1)) % k;
                var u = Entries(DenseReference.RandomUnitary(2, rng));
                product = DenseReference.Operator(k, [a, c], u) * product;
                expanded.Add(new SmallOp(SmallOpKind.Matrix2, qubits[a], qubits[c], 0, expanded.Shared(u), false, [], g, []));
            }
            else
            {
                var u = Entries(DenseReference.RandomUnitary(1, rng));
                product = DenseReference.Operator(k, [a], u) * product;
                expanded.Add(new SmallOp(SmallOpKind.Matrix1, qubits[a], -1, 0, expanded.Shared(u), false, [], g, []));
            }
        }
        withBlocks.Add(new SmallOp(SmallOpKind.MatrixK, qubits[0], k > 1 ? qubits[1] : -1, 0, withBlocks.Shared(Entries(product)), false, [], -1, [])
        {
            Qubits = qubits,
        });
    }

    /// <summary>The same op (entries copied into each builder's own tables) added to both programs.</summary>
    private static void AddToBoth(ProgramBuilder[] both, SmallOpKind kind, int q0, int q1, long controls, int size, Func<int, Complex[]>? perSample,
        Complex[]? shared, params Func<int, Complex[]>[] derivatives)
    {
        foreach (var p in both)
        {
            int entry = perSample is not null ? p.PerSample(size, perSample) : shared is not null ? p.Shared(shared) : -1;
            var ds = derivatives.Select(d => perSample is not null ? p.PerSample(size, d) : p.Shared(d(0))).ToArray();
            p.Add(new SmallOp(kind, q0, q1, controls, entry, perSample is not null, ds, 0, [.. Enumerable.Range(0, ds.Length)]));
        }
    }

    private static (SmallCircuitProgram WithBlocks, SmallCircuitProgram Expanded) MatrixKPrograms(int batch, Random rng)
    {
        const int n = 5;
        var withBlocks = new ProgramBuilder(n, batch);
        var expanded = new ProgramBuilder(n, batch);
        ProgramBuilder[] both = [withBlocks, expanded];
        var angles = Enumerable.Range(0, batch).Select(_ => rng.NextDouble() * 6 - 3).ToArray();
        Complex[] Rx(int b) { double c = Math.Cos(angles[b] / 2), s = Math.Sin(angles[b] / 2); return [c, -I * s, -I * s, c]; }
        Complex[] DRx(int b) { double c = Math.Cos(angles[b] / 2), s = Math.Sin(angles[b] / 2); return [-s / 2, -I * c / 2, -I * c / 2, -s / 2]; }
        for (int q = 0; q < n; q++) AddToBoth(both, SmallOpKind.Matrix1, q, -1, 0, 4, Rx, null, DRx);
        var m1 = Entries(DenseReference.RandomUnitary(1, rng));
        var d1 = RandomEntries(4, rng);
        AddToBoth(both, SmallOpKind.Matrix1, 3, -1, 0, 4, null, m1, _ => d1);
        AddBlock(withBlocks, expanded, [0, 2, 3], rng);
        var diag = Enumerable.Range(0, batch).Select(_ => RandomEntries(4, rng)).ToArray();
        var ddiag = Enumerable.Range(0, batch).Select(_ => RandomEntries(4, rng)).ToArray();
        AddToBoth(both, SmallOpKind.Diagonal2, 4, 1, 1L << 0, 4, b => diag[b], null, b => ddiag[b]);
        AddToBoth(both, SmallOpKind.Swap, 1, 3, 1L << 2, 0, null, null);
        AddBlock(withBlocks, expanded, [1], rng);
        var m2 = Enumerable.Range(0, batch).Select(_ => Entries(DenseReference.RandomUnitary(2, rng))).ToArray();
        var dm2a = Enumerable.Range(0, batch).Select(_ => RandomEntries(16, rng)).ToArray();
        var dm2b = Enumerable.Range(0, batch).Select(_ => RandomEntries(16, rng)).ToArray();
        AddToBoth(both, SmallOpKind.Matrix2, 4, 2, 0, 16, b => m2[b], null, b => dm2a[b], b => dm2b[b]);
        AddToBoth(both, SmallOpKind.Not, 1, -1, (1L << 0) | (1L << 4), 0, null, null);
        var cm1 = Entries(DenseReference.RandomUnitary(1, rng));
        var dcm1 = RandomEntries(4, rng);
        AddToBoth(both, SmallOpKind.Matrix1, 4, -1, 1L << 2, 4, null, cm1, _ => dcm1);
        AddBlock(withBlocks, expanded, [0, 1, 2, 3, 4], rng);
        var d1s = RandomEntries(2, rng);
        var dd1s = RandomEntries(2, rng);
        AddToBoth(both, SmallOpKind.Diagonal1, 2, -1, 0, 2, null, d1s, _ => dd1s);
        AddBlock(withBlocks, expanded, [1, 4], rng);
        (int, double, long, long)[] terms =
        [
            (0, 1.0, 0, 0b00001), (1, 0.4, 0b00001, 0b10000), (1, 0.9, 0b00010, 0b00010), (1, -0.25, 0, 0),
            (2, 0.3, 0b01100, 0b01100), (2, -0.7, 0b10100, 0b00001),
        ];
        return (withBlocks.Build(terms, 3), expanded.Build(terms, 3));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void MatrixKProgram_MatchesCpuOnTheBlocksGates<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var (withBlocks, expanded) = MatrixKPrograms(19, new Random(41));
        Assert.That(withBlocks.Ops.Count(o => o.Kind == SmallOpKind.MatrixK), Is.EqualTo(4));
        Assert.That(withBlocks.Occurrences, Is.EqualTo(expanded.Occurrences));
        var rng = new Random(5);
        foreach (bool innermost in new[] { true, false })
        {
            foreach (int seeds in new[] { 0, 1, 3 }) AssertMatchesCpu<T>(withBlocks, expanded, RandomSeeds(withBlocks, seeds, rng), 4, innermost);
            // The expanded program (no MatrixK) on the device too.
            AssertMatchesCpu<T>(expanded, expanded, RandomSeeds(expanded, 2, rng), 7, innermost);
        }
    }

    [Test]
    public void BrokenProgram_IsRefusedBeforeLaunch()
    {
        var (withBlocks, _) = MatrixKPrograms(3, new Random(1));
        var ops = withBlocks.Ops.ToArray();
        int k = Array.FindIndex(ops, o => o.Kind == SmallOpKind.MatrixK);
        ops[k] = ops[k] with { Qubits = [3, 0, 2] };
        var broken = new SmallCircuitProgram(5, 3, ops, 0, withBlocks.Shared, withBlocks.PerSample, withBlocks.PerSampleRows, withBlocks.Terms, withBlocks.Observables, false);
        long launches = Device.SmallCircuitLaunches;
        var ex = Assert.Throws<ArgumentException>(() => Device.RunSmallCircuit<float>(broken, new double[9], null, null, int.MaxValue));
        Assert.That(ex!.Message, Does.Contain("not ascending"));
        Assert.That(Device.SmallCircuitLaunches, Is.EqualTo(launches));
    }

    // ------------------------------------------------------------------ comparison

    private static double[][]? RandomSeeds(SmallCircuitProgram p, int count, Random rng) =>
        count == 0 ? null : Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, p.Batch * p.Observables).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();

    private static double[][][]? NewGradients(SmallCircuitProgram p, double[][]? seeds) =>
        seeds?.Select(_ => Enumerable.Range(0, p.Occurrences).Select(_ => new double[p.Batch]).ToArray()).ToArray();

    /// <summary>Runs <paramref name="onDevice"/> here in chunks of <paramref name="chunk"/> samples (scratch sample
    /// innermost, sample by sample, or the device's choice when null) and <paramref name="onCpu"/> on the CPU engine,
    /// and compares values and gradients.</summary>
    private void AssertMatchesCpu<T>(SmallCircuitProgram onDevice, SmallCircuitProgram onCpu, double[][]? seeds, int chunk, bool? innermost) where T : unmanaged
    {
        var values = new double[onDevice.Batch * onDevice.Observables];
        var gradients = NewGradients(onDevice, seeds);
        long launches = Device.SmallCircuitLaunches;
        Device.RunSmallCircuit<T>(onDevice, values, seeds, gradients, chunk, innermost);
        int chunks = chunk >= onDevice.Batch ? 1 : (onDevice.Batch + chunk - 1) / chunk;
        Assert.That(Device.SmallCircuitLaunches - launches, Is.EqualTo(chunks), "one launch per chunk");

        var expectedValues = new double[values.Length];
        var expectedGradients = NewGradients(onCpu, seeds);
        Cpu.RunSmallCircuit<T>(onCpu, expectedValues, seeds, expectedGradients);
        double tolerance = typeof(T) == typeof(double) ? 1e-10 : 1e-4;
        string layout = innermost switch { true => "sample innermost", false => "sample by sample", null => "device layout" };
        string what = $"{typeof(T).Name}, {seeds?.Length ?? 0} seeds, chunks of {chunk}, {layout}";
        Assert.That(expectedValues.Select(Math.Abs).Max(), Is.GreaterThan(0.01), "the values are not trivially zero");
        for (int i = 0; i < values.Length; i++)
        {
            Assert.That(values[i], Is.EqualTo(expectedValues[i]).Within(tolerance * Math.Max(1, Math.Abs(expectedValues[i]))), $"{what}: value {i}");
        }
        if (seeds is null) return;
        for (int s = 0; s < seeds.Length; s++)
        {
            Assert.That(expectedGradients![s].SelectMany(r => r).Select(Math.Abs).Max(), Is.GreaterThan(0.01), "the gradients are not trivially zero");
            for (int o = 0; o < onDevice.Occurrences; o++)
            {
                for (int b = 0; b < onDevice.Batch; b++)
                {
                    double e = expectedGradients[s][o][b];
                    Assert.That(gradients![s][o][b], Is.EqualTo(e).Within(tolerance * Math.Max(1, Math.Abs(e))), $"{what}: seed {s}, occurrence {o}, sample {b}");
                }
            }
        }
    }
}
