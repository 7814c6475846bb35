using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// States past the sizes the dense reference covers: 19 qubits (8 MiB in double, 4 MiB in float), so the CPU buffer
// takes the huge-page allocation path and the streaming kernels run with their software prefetch past the last row.
// A dense 2×2 gate and a dense 4×4 gate at low, middle and high qubits are checked element by element against a
// plain host loop over the same amplitudes, on every accelerator.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class LargeStateTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private const int Qubits = 19;

    private static IEnumerable<TestCaseData> Targets() => Precisions.Rows([0], [9], [18]);

    private static IEnumerable<TestCaseData> Pairs() => Precisions.Rows([0, 18], [9, 10], [17, 18]);

    [TestCaseSource(nameof(Targets))]
    public void OneQubitGate_On19Qubits_MatchesHostLoop<T>(int target) where T : unmanaged
    {
        var rng = new Random(5100 + target);
        Complex[] start = DenseReference.RandomState(Qubits, rng);
        Complex[] matrix = DenseReference.RowMajor(DenseReference.RandomUnitary(1, rng));
        using var state = NewState<T>(Qubits, 1, start);
        Accelerator.ApplyMatrix(state, [target], matrix);
        Complex[] expected = (Complex[])start.Clone();
        long bit = 1L << target;
        for (long i = 0; i < expected.Length; i++)
        {
            if ((i & bit) != 0) continue;
            Complex a = start[i], b = start[i | bit];
            expected[i] = matrix[0] * a + matrix[1] * b;
            expected[i | bit] = matrix[2] * a + matrix[3] * b;
        }
        AssertClose<T>(Read(state), expected);
    }

    [TestCaseSource(nameof(Pairs))]
    public void TwoQubitGate_On19Qubits_MatchesHostLoop<T>(int q0, int q1) where T : unmanaged
    {
        var rng = new Random(5200 + q0 * 31 + q1);
        Complex[] start = DenseReference.RandomState(Qubits, rng);
        Complex[] matrix = DenseReference.RowMajor(DenseReference.RandomUnitary(2, rng));
        using var state = NewState<T>(Qubits, 1, start);
        Accelerator.ApplyMatrix(state, [q0, q1], matrix);
        Complex[] expected = (Complex[])start.Clone();
        long b0 = 1L << q0, b1 = 1L << q1;
        Span<long> index = stackalloc long[4];
        for (long i = 0; i < expected.Length; i++)
        {
            if ((i & (b0 | b1)) != 0) continue;
            // Target setting t: bit 0 is q0, bit 1 is q1 (the first target is the matrix's low bit).
            index[0] = i; index[1] = i | b0; index[2] = i | b1; index[3] = i | b0 | b1;
            for (int r = 0; r < 4; r++)
            {
                Complex sum = Complex.Zero;
                for (int c = 0; c < 4; c++) sum += matrix[r * 4 + c] * start[index[c]];
                expected[index[r]] = sum;
            }
        }
        AssertClose<T>(Read(state), expected);
    }

    private static void AssertClose<T>(Complex[] actual, Complex[] expected)
    {
        // Amplitudes are ~1e-3 in size: an absolute bound a few float ulps above that scale.
        double tolerance = typeof(T) == typeof(float) ? 2e-8 : 1e-15;
        double worst = 0;
        long at = -1;
        for (long i = 0; i < expected.Length; i++)
        {
            double d = Complex.Abs(actual[i] - expected[i]);
            if (d > worst) { worst = d; at = i; }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance), $"largest difference {worst:E2} at amplitude {at}");
    }
}
