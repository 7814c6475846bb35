using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Long and unusual sequences of launches against the CPU oracle, on every accelerator: thousands of gates in a row
// (on CUDA they cycle the kernel-argument arena several times), per-sample and 8-qubit matrices too large for the
// arena (CUDA gives them their own allocation; the 8-qubit one also takes the out-of-place kernel), work issued from
// threads other than the one that allocated the state (CUDA's current context is per thread), and a state released
// by the finalizer thread. Double precision only: after thousands of gates float rounding exceeds its tolerance.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class LaunchSequenceTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static Accelerator Cpu => TestAccelerators.Context.Cpu;

    /// <summary>Runs the same operations on the accelerator under test and on the CPU, then compares the states.</summary>
    private void OnBoth(int qubits, int batch, int seed, Action<Accelerator, BatchedState<double>> operations, string context)
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        Complex[] initial = DenseReference.RandomBatch(qubits, batch, new Random(seed));
        using var expected = Cpu.AllocateState<double>(qubits, batch);
        using var actual = NewState<double>(qubits, batch, initial);
        Cpu.SetState(expected, initial);
        operations(Cpu, expected);
        operations(Accelerator, actual);
        StateAssert.Close<double>(Cpu.GetState(expected), Read(actual), 1 << qubits, context);
    }

    [Test]
    public void MixedGates_ThreeThousandInARow_MatchCpu()
    {
        const int qubits = 6, batch = 3, gates = 3000;
        var rng = new Random(61);
        var program = new List<Action<Accelerator, BatchedState<double>>>();
        for (int g = 0; g < gates; g++)
        {
            int[] order = [.. Enumerable.Range(0, qubits).OrderBy(_ => rng.Next())];
            int a = order[0], b = order[1], c = order[2];
            switch (g % 5)
            {
                case 0:
                    {
                        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(1, rng));
                        program.Add((acc, s) => acc.ApplyMatrix(s, [a], u));
                        break;
                    }
                case 1:
                    {
                        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(2, rng));
                        program.Add((acc, s) => acc.ApplyMatrix(s, [a, b], u));
                        break;
                    }
                case 2:
                    {
                        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(1, rng));
                        program.Add((acc, s) => acc.ApplyMatrix(s, [a], u, [b]));
                        break;
                    }
                case 3:
                    {
                        Complex[] d = DenseReference.RandomPhases(2, rng);
                        program.Add((acc, s) => acc.ApplyDiagonal(s, [a, b], d, [c]));
                        break;
                    }
                default:
                    program.Add((acc, s) => acc.Swap(s, a, b));
                    break;
            }
        }
        OnBoth(qubits, batch, 610, (acc, s) =>
        {
            foreach (var op in program) op(acc, s);
        }, $"{gates} mixed gates");
    }

    [Test]
    public void ApplyMatrixPerSample_MatricesLargerThanAQuarterMegabyte_MatchCpu()
    {
        const int qubits = 5, batch = 300;
        var rng = new Random(62);
        Complex[] matrices = Enumerable.Range(0, batch).SelectMany(_ => DenseReference.RowMajor(DenseReference.RandomUnitary(3, rng))).ToArray();
        Assert.That(matrices.Length * 16L, Is.GreaterThan(256 * 1024), "the matrices exceed a quarter of CUDA's 1 MiB argument arena");
        OnBoth(qubits, batch, 620, (acc, s) =>
        {
            acc.ApplyMatrixPerSample(s, [4, 0, 2], matrices);
            acc.ApplyMatrix(s, [1], DenseReference.RowMajor(DenseReference.H));
            acc.ApplyMatrixPerSample(s, [1, 3, 4], matrices, [0]);
        }, "per-sample 3-qubit matrices for 300 samples");
    }

    [Test]
    public void ApplyMatrix_EightQubitMatrixOnNineQubits_MatchesCpu()
    {
        var rng = new Random(63);
        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(8, rng));
        int[] targets = [3, 0, 8, 1, 7, 2, 6, 4];
        OnBoth(9, 3, 630, (acc, s) =>
        {
            acc.ApplyMatrix(s, targets, u);
            acc.ApplyMatrix(s, [8, 1, 6, 2, 4, 0, 7, 5], u, [3]);
        }, "an 8-qubit dense matrix (1 MiB), plain and controlled");
    }

    [Test]
    public void Operations_FromOtherThreads_MatchCpu()
    {
        var rng = new Random(64);
        Complex[] u = DenseReference.RowMajor(DenseReference.RandomUnitary(2, rng));
        Complex[] d = DenseReference.RandomPhases(1, rng);
        OnBoth(7, 5, 640, (acc, s) =>
        {
            for (int round = 0; round < 4; round++)
            {
                int r = round;
                var worker = new Thread(() =>
                {
                    acc.ApplyMatrix(s, [r, r + 2], u);
                    acc.ApplyDiagonal(s, [6 - r], d);
                });
                worker.Start();
                worker.Join();
            }
        }, "gates issued from four fresh threads");
    }

    [Test]
    public void Reductions_FromAnotherThread_MatchCpu()
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        Complex[] amplitudes = DenseReference.RandomBatch(6, 4, new Random(65));
        using var expected = Cpu.AllocateState<double>(6, 4);
        using var actual = NewState<double>(6, 4, amplitudes);
        Cpu.SetState(expected, amplitudes);
        var want = new double[4];
        var got = new double[4];
        var pauli = PauliString.Parse("X0 Z1 Y3 Z4");
        Cpu.ExpectationPauli(expected, pauli, want);
        var worker = new Thread(() => Accelerator.ExpectationPauli(actual, pauli, got));
        worker.Start();
        worker.Join();
        for (int b = 0; b < 4; b++) StateAssert.Close<double>(want[b], got[b], 1, $"⟨{pauli}⟩ of sample {b}");
    }

    [Test]
    public void DroppedState_IsFreedByTheFinalizer()
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        long before = SettledAllocatedBytes();
        AllocateAndDrop();
        Assert.That(SettledAllocatedBytes(), Is.EqualTo(before), "the finalizer returned the dropped state's memory");
        using var state = NewState<double>(3, 2);
        Accelerator.ApplyMatrix(state, [1], DenseReference.RowMajor(DenseReference.X));
        Assert.That(Read(state)[2].Real, Is.EqualTo(1.0), "the accelerator still works after a finalizer freed memory");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void AllocateAndDrop()
    {
        var state = Accelerator.AllocateState<double>(8, 3);
        Accelerator.ApplyMatrix(state, [0], DenseReference.RowMajor(DenseReference.H));
    }
}
