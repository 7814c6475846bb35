using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.ApplyMatrix (one dense matrix shared by the batch) against the dense MathNet reference, in float
// and double: random 1-, 2- and 3-qubit unitaries on every target / many ordered target tuples (reversed orders
// included), with 0, 1 and 2 controls at various positions, for batch sizes 1, 2, 3, 8, 17, 33 (so that the
// contiguous run B·2^q falls below, on and across the SIMD widths), larger gates up to the whole register, a
// non-unitary matrix, and a batch large enough to take the multi-threaded path.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class ApplyMatrixTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> OneQubitCounts() => Precisions.Each(1, 2, 3, 4, 5, 6, 7);

    private static IEnumerable<TestCaseData> TwoQubitCounts() => Precisions.Each(2, 3, 4, 5, 6, 7);

    private static IEnumerable<TestCaseData> ThreeQubitCounts() => Precisions.Each(3, 4, 5, 6, 7);

    [TestCaseSource(nameof(OneQubitCounts))]
    public void ApplyMatrix_OneQubitUnitaryOnEveryTargetAndBatchSize_MatchesDenseReference<T>(int qubits) where T : unmanaged
    {
        var rng = new Random(1000 + qubits);
        foreach (int batch in GateCases.BatchSizes)
        {
            for (int t = 0; t < qubits; t++)
            {
                foreach (int[] controls in GateCases.ControlSets(qubits, [t]))
                {
                    CheckAgainstReference<T>(qubits, batch, [t], DenseReference.RandomUnitary(1, rng), controls, rng);
                }
            }
        }
    }

    [TestCaseSource(nameof(TwoQubitCounts))]
    public void ApplyMatrix_TwoQubitUnitaryOnOrderedPairs_MatchesDenseReference<T>(int qubits) where T : unmanaged
    {
        var rng = new Random(2000 + qubits);
        int caseIndex = 0;
        foreach (int[] targets in GateCases.OrderedTuples(qubits, 2, limit: 30, rng))
        {
            foreach (int[] controls in GateCases.ControlSets(qubits, targets))
            {
                int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                CheckAgainstReference<T>(qubits, batch, targets, DenseReference.RandomUnitary(2, rng), controls, rng);
            }
        }
    }

    [TestCaseSource(nameof(ThreeQubitCounts))]
    public void ApplyMatrix_ThreeQubitUnitaryOnOrderedTriples_MatchesDenseReference<T>(int qubits) where T : unmanaged
    {
        var rng = new Random(3000 + qubits);
        int caseIndex = 0;
        foreach (int[] targets in GateCases.OrderedTuples(qubits, 3, limit: 24, rng))
        {
            foreach (int[] controls in GateCases.ControlSets(qubits, targets))
            {
                int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                CheckAgainstReference<T>(qubits, batch, targets, DenseReference.RandomUnitary(3, rng), controls, rng);
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_EveryBatchSizeOnStraddlingTargets_MatchesDenseReference<T>() where T : unmanaged
    {
        // B·2^q around 8 (doubles) and 16 (floats) per register: q = 2, 3, 4 with every batch size, as the low and
        // as the high target of a pair.
        var rng = new Random(3500);
        const int n = 6;
        foreach (int batch in GateCases.BatchSizes)
        {
            foreach (int q in new[] { 2, 3, 4 })
            {
                CheckAgainstReference<T>(n, batch, [q], DenseReference.RandomUnitary(1, rng), [], rng);
                CheckAgainstReference<T>(n, batch, [q, 5], DenseReference.RandomUnitary(2, rng), [], rng);
                CheckAgainstReference<T>(n, batch, [5, q], DenseReference.RandomUnitary(2, rng), [0], rng);
                CheckAgainstReference<T>(n, batch, [q, 0, 5], DenseReference.RandomUnitary(3, rng), [1], rng);
            }
        }
    }

    private static IEnumerable<TestCaseData> RegisterPathQubitCounts() => Precisions.Each(3, 4, 5, 6);

    [TestCaseSource(nameof(RegisterPathQubitCounts))]
    public void ApplyMatrix_PowerOfTwoBatchWithTargetsInsideOneRegister_MatchesDenseReference<T>(int qubits) where T : unmanaged
    {
        // Power-of-two batches narrower than a register put several rows of a state in one SIMD register, so targets
        // and controls below log2(width / B) are lanes of the same register: every mix of such "low" and "high"
        // targets and controls, for 1-, 2- and 3-qubit gates.
        var rng = new Random(3700 + qubits);
        foreach (int batch in GateCases.PowerOfTwoBatchSizes)
        {
            for (int k = 1; k <= Math.Min(3, qubits); k++)
            {
                foreach (int[] targets in GateCases.OrderedTuples(qubits, k, limit: k == 3 ? 10 : 30, rng))
                {
                    foreach (int[] controls in GateCases.ControlSets(qubits, targets))
                    {
                        CheckAgainstReference<T>(qubits, batch, targets, DenseReference.RandomUnitary(k, rng), controls, rng);
                    }
                }
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_LargeStateGateOnHighestQubits_MatchesDenseReference<T>() where T : unmanaged
    {
        // Few groups with long rows (a gate on the top qubits of a large state): the CPU splits each row across cores.
        var rng = new Random(3800);
        foreach (int batch in new[] { 160, 129 })
        {
            CheckAgainstReference<T>(8, batch, [7], DenseReference.RandomUnitary(1, rng), [], rng);
            CheckAgainstReference<T>(8, batch, [6, 7], DenseReference.RandomUnitary(2, rng), [], rng);
            CheckAgainstReference<T>(8, batch, [7, 5, 6], DenseReference.RandomUnitary(3, rng), [], rng);
            CheckAgainstReference<T>(8, batch, [7], DenseReference.RandomUnitary(1, rng), [6], rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_GateOnWholeRegister_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(4000);
        for (int n = 1; n <= 5; n++)
        {
            int[] ascending = Enumerable.Range(0, n).ToArray();
            int[] shuffled = ascending.OrderBy(_ => rng.Next()).ToArray();
            CheckAgainstReference<T>(n, 3, ascending, DenseReference.RandomUnitary(n, rng), [], rng);
            CheckAgainstReference<T>(n, 17, shuffled, DenseReference.RandomUnitary(n, rng), [], rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_FourAndFiveQubitGatesWithControls_MatchDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(4500);
        CheckAgainstReference<T>(7, 2, [6, 1, 3, 0], DenseReference.RandomUnitary(4, rng), [5], rng);
        CheckAgainstReference<T>(7, 9, [2, 4, 0, 5], DenseReference.RandomUnitary(4, rng), [6, 1], rng);
        CheckAgainstReference<T>(8, 1, [7, 0, 3, 5, 1], DenseReference.RandomUnitary(5, rng), [2], rng);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_EightQubitGateReversedOnEightQubits_MatchesDenseReference<T>() where T : unmanaged
    {
        // A scaled Gaussian matrix: the kernel does not require unitarity, and it spares a 256 × 256 QR decomposition.
        var rng = new Random(4600);
        CheckAgainstReference<T>(8, 3, [7, 6, 5, 4, 3, 2, 1, 0], DenseReference.RandomGaussianMatrix(8, rng) / 16.0, [], rng);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_NonUnitaryMatrix_MatchesDenseReferenceWithoutRenormalising<T>() where T : unmanaged
    {
        var rng = new Random(5000);
        CheckAgainstReference<T>(4, 3, [2], DenseReference.RandomGaussianMatrix(1, rng), [0], rng);
        CheckAgainstReference<T>(5, 8, [0, 3], DenseReference.RandomGaussianMatrix(2, rng), [], rng);
        CheckAgainstReference<T>(5, 17, [4, 1, 2], DenseReference.RandomGaussianMatrix(3, rng), [], rng);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_BatchAboveParallelThreshold_MatchesDenseReference<T>() where T : unmanaged
    {
        // 2^8 · 160 = 40960 amplitudes per plane: above the CPU's serial threshold (2^15), so the work is split over cores.
        var rng = new Random(6000);
        const int n = 8, batch = 160;
        CheckAgainstReference<T>(n, batch, [0], DenseReference.RandomUnitary(1, rng), [], rng);
        CheckAgainstReference<T>(n, batch, [7], DenseReference.RandomUnitary(1, rng), [3], rng);
        CheckAgainstReference<T>(n, batch, [5, 2], DenseReference.RandomUnitary(2, rng), [7, 0], rng);
        CheckAgainstReference<T>(n, batch, [1, 6, 4], DenseReference.RandomUnitary(3, rng), [], rng);
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_ThenAdjoint_RestoresState<T>() where T : unmanaged
    {
        var rng = new Random(7000);
        const int n = 6, batch = 17;
        var input = DenseReference.RandomBatch(n, batch, rng);
        var u = DenseReference.RandomUnitary(3, rng);
        using var state = NewState<T>(n, batch, input);
        Accelerator.ApplyMatrix(state, [4, 0, 2], DenseReference.RowMajor(u), [5]);
        Accelerator.ApplyMatrix(state, [4, 0, 2], DenseReference.RowMajor(u.ConjugateTranspose()), [5]);
        StateAssert.Close<T>(input, Read(state), 1 << n, "U then U† on [4, 0, 2] controlled by 5");
    }

    private void CheckAgainstReference<T>(int qubits, int batch, int[] targets, Matrix<Complex> gate, int[] controls, Random rng) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(qubits, batch, rng);
        Complex[] matrix = DenseReference.RowMajor(gate);
        var expected = DenseReference.ApplyToBatch(DenseReference.Operator(qubits, targets, matrix, controls), input);
        using var state = NewState<T>(qubits, batch, input);
        Accelerator.ApplyMatrix(state, targets, matrix, controls);
        StateAssert.Close<T>(expected, Read(state), 1 << qubits, $"ApplyMatrix {GateCases.Describe(qubits, batch, targets, controls)}");
    }
}
