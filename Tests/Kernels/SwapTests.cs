using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks Accelerator.Swap against the dense reference's swap operator, in float and double: every ordered pair of
// qubits for n = 2…7, with 0, 1 and 2 controls (a Fredkin gate with one), every test batch size, a batch above the
// threading threshold; and that swapping twice is the identity.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class SwapTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> QubitCounts() => Precisions.Each(2, 3, 4, 5, 6, 7);

    [TestCaseSource(nameof(QubitCounts))]
    public void Swap_EveryOrderedPairWithControls_MatchesDenseReference<T>(int n) where T : unmanaged
    {
        var rng = new Random(31000 + n);
        int caseIndex = 0;
        foreach (int[] pair in GateCases.OrderedTuples(n, 2, limit: 42, rng))
        {
            foreach (int[] controls in GateCases.ControlSets(n, pair))
            {
                int batch = GateCases.BatchSizes[caseIndex++ % GateCases.BatchSizes.Count];
                Check<T>(n, batch, pair[0], pair[1], controls, rng);
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Swap_EveryBatchSize_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(32000);
        foreach (int batch in GateCases.BatchSizes)
        {
            Check<T>(5, batch, 0, 1, [], rng);
            Check<T>(5, batch, 4, 2, [], rng);
            Check<T>(5, batch, 1, 3, [0], rng);
            Check<T>(5, batch, 0, 4, [3, 2], rng);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Swap_BatchAboveParallelThreshold_MatchesDenseReference<T>() where T : unmanaged
    {
        var rng = new Random(33000);
        Check<T>(8, 160, 0, 7, [], rng);
        Check<T>(8, 160, 5, 2, [3], rng);
        Check<T>(8, 160, 6, 7, [], rng); // one group: rows split across cores
        Check<T>(8, 129, 7, 6, [], rng);
        Check<T>(8, 129, 7, 5, [6], rng); // rows of 129·32 elements: pieces not a multiple of the register width
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Swap_Twice_RestoresStateExactly<T>() where T : unmanaged
    {
        var rng = new Random(34000);
        var input = DenseReference.RandomBatch(5, 3, rng);
        using var state = NewState<T>(5, 3, input);
        var before = Read(state);
        Accelerator.Swap(state, 1, 4, [2]);
        Accelerator.Swap(state, 4, 1, [2]);
        StateAssert.Unchanged(before, Read(state), "a swap is a permutation: applying it twice must restore every bit");
    }

    private void Check<T>(int n, int batch, int q0, int q1, int[] controls, Random rng) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(n, batch, rng);
        var expected = DenseReference.ApplyToBatch(DenseReference.SwapOperator(n, q0, q1, controls), input);
        using var state = NewState<T>(n, batch, input);
        Accelerator.Swap(state, q0, q1, controls);
        StateAssert.Close<T>(expected, Read(state), 1 << n, $"Swap {GateCases.Describe(n, batch, [q0, q1], controls)}");
    }
}
