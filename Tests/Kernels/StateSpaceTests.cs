using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks state preparation and transfer in float and double: AllocateState starts every sample in |0…0⟩ and is
// accounted in AllocatedBytes until disposed; SetBasisState; SetState/GetState round trips (exact in double, exact
// float rounding in float) with the sample-major host layout; both GetState overloads agree; Copy duplicates a state
// without touching the source.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class StateSpaceTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> Shapes() => Precisions.Rows([1, 1], [1, 17], [3, 2], [4, 8], [5, 33], [7, 3], [8, 160]);

    [TestCaseSource(nameof(Shapes))]
    public void AllocateState_AnyShape_EverySampleIsZeroState<T>(int n, int batch) where T : unmanaged
    {
        using var state = NewState<T>(n, batch);
        Assert.That(state.Qubits, Is.EqualTo(n));
        Assert.That(state.BatchSize, Is.EqualTo(batch));
        Assert.That(state.Dimension, Is.EqualTo(1L << n));
        Assert.That(state.PlaneLength, Is.EqualTo((long)batch << n));
        Assert.That(state.Accelerator, Is.SameAs(Accelerator));
        var amplitudes = Read(state);
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < 1 << n; i++)
            {
                Assert.That(amplitudes[(b << n) + i], Is.EqualTo(i == 0 ? Complex.One : Complex.Zero), $"sample {b}, amplitude {i}");
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void AllocateState_ThenDispose_AllocatedBytesRiseAndReturn<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        long before = SettledAllocatedBytes();
        var state = Accelerator.AllocateState<T>(6, 5);
        Assert.That(Accelerator.AllocatedBytes - before, Is.GreaterThanOrEqualTo(Accelerator.StateBytes<T>(6, 5)), "a live state is accounted");
        state.Dispose();
        Assert.That(state.IsDisposed, Is.True);
        Assert.That(Accelerator.AllocatedBytes, Is.EqualTo(before), "disposing returns every byte");
        state.Dispose(); // idempotent
        Assert.That(Accelerator.AllocatedBytes, Is.EqualTo(before), "a second Dispose releases nothing more");
    }

    [Test]
    public void StateBytes_KnownShapes_AreSplitPlaneSizes()
    {
        Assert.That(Accelerator.StateBytes<double>(3, 5), Is.EqualTo(8 * 5 * 2 * 8));
        Assert.That(Accelerator.StateBytes<float>(10, 1), Is.EqualTo(1024 * 2 * 4));
        Assert.That(Accelerator.StateBytes<double>(62, 4), Is.EqualTo(long.MaxValue), "overflow saturates");
    }

    [TestCaseSource(nameof(Shapes))]
    public void SetBasisState_EveryIndexOfSmallStates_SetsOneAmplitudeInEverySample<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(41000 + n * 100 + batch);
        using var state = NewState<T>(n, batch, DenseReference.RandomBatch(n, batch, rng));
        long[] indices = n <= 4 ? Enumerable.Range(0, 1 << n).Select(i => (long)i).ToArray() : [0, 1, (1L << n) - 1, (1L << n) / 2 + 1];
        foreach (long index in indices)
        {
            Accelerator.SetBasisState(state, index);
            var amplitudes = Read(state);
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < 1 << n; i++)
                {
                    if (amplitudes[(b << n) + i] != (i == index ? Complex.One : Complex.Zero))
                    {
                        Assert.Fail($"basis state {index}: sample {b}, amplitude {i} is {amplitudes[(b << n) + i]}");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void SetState_ThenGetState_RoundTripsInThePrecision<T>(int n, int batch) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(n, batch, new Random(42000 + n * 100 + batch));
        using var state = NewState<T>(n, batch, input);
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(input), Read(state), "GetState after SetState");

        var intoSpan = new Complex[input.Length];
        Accelerator.GetState(state, intoSpan);
        StateAssert.Unchanged(Read(state), intoSpan, "GetState(span) vs GetState()");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void SetState_DistinctSamples_KeepsSampleMajorHostLayout<T>() where T : unmanaged
    {
        // Amplitude i of sample b is b + i/16 + i·1i: every value identifies its place.
        const int n = 4, batch = 5;
        var input = new Complex[batch << n];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < 1 << n; i++) input[(b << n) + i] = new Complex(b + i / 16.0, i);
        }
        using var state = NewState<T>(n, batch, input);
        var probabilities = new double[input.Length];
        Accelerator.Probabilities(state, probabilities);
        for (int x = 0; x < input.Length; x++)
        {
            Assert.That(probabilities[x], Is.EqualTo(input[x].Real * input[x].Real + input[x].Imaginary * input[x].Imaginary).Within(1e-12), $"host index {x}");
        }
        // A gate on sample-independent data shows the layout too: X on qubit 0 swaps neighbouring amplitudes of each sample.
        Accelerator.ApplyMatrix(state, [0], DenseReference.RowMajor(DenseReference.X));
        var after = Read(state);
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < 1 << n; i++) Assert.That(after[(b << n) + i], Is.EqualTo(input[(b << n) + (i ^ 1)]), $"sample {b}, amplitude {i}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void SetState_UnnormalisedAmplitudes_StoredWithoutRenormalising<T>() where T : unmanaged
    {
        var input = DenseReference.RandomBatch(3, 2, new Random(43000)).Select(a => a * 3.5).ToArray();
        using var state = NewState<T>(3, 2, input);
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(input), Read(state), "unnormalised amplitudes");
    }

    [TestCaseSource(nameof(Shapes))]
    public void Copy_SameShape_DuplicatesStateAndLeavesSource<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(44000 + n * 100 + batch);
        var input = DenseReference.RandomBatch(n, batch, rng);
        using var source = NewState<T>(n, batch, input);
        using var destination = NewState<T>(n, batch, DenseReference.RandomBatch(n, batch, rng));
        Accelerator.Copy(source, destination);
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(input), Read(destination), "destination");
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(input), Read(source), "source");

        // The copy is independent: changing it leaves the source alone.
        Accelerator.SetBasisState(destination, 0);
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(input), Read(source), "source after changing the copy");
    }
}
