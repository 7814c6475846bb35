using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks that every public Accelerator method rejects bad input before doing any work, in float and double: the
// exception has the documented type, its message names the offending value (and ParamName the parameter), and the
// state is bit-for-bit unchanged afterwards. Covers qubits out of range, repeated qubits (target twice, target also
// control), wrong matrix/diagonal/result lengths, NaN and infinite entries, bad shots/outcomes/basis indices, shape
// mismatches, AllocateState sizes out of range or too large for memory (nothing allocated), unsupported precisions,
// states of another accelerator, disposed and null states, and Pauli strings beyond the state.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class BadInputTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private const int N = 3, B = 2;
    private static readonly Complex[] X = [0, 1, 1, 0];

    // ------------------------------------------------------------------ qubits

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_QubitOutOfRange_ThrowsArgumentOutOfRangeNamingQubit<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyMatrix(s, [3], X), "targets", "qubit 3", "3-qubit");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyMatrix(s, [-1], X), "targets", "qubit -1");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyMatrix(s, [0], X, [7]), "controls", "qubit 7");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyMatrix(s, [0, 64], Identity(2)), "targets", "qubit 64");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyMatrixPerSample(s, [5], Repeat(X)), "targets", "qubit 5");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyDiagonal(s, [0], [1, 1], [-2]), "controls", "qubit -2");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ApplyDiagonalPerSample(s, [3], new Complex[2 * B]), "targets", "qubit 3");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Swap(s, 0, 3), "targets", "qubit 3");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Measure(s, 3, 1, new int[B]), "qubit", "qubit 3");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Collapse(s, -1, new int[B]), "qubit", "qubit -1");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_RepeatedQubit_ThrowsArgumentExceptionNamingQubit<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [1, 1], Identity(2)), "targets", "qubit 1 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [2], X, [2]), "controls", "qubit 2 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [0], X, [1, 1]), "controls", "qubit 1 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrixPerSample(s, [0], Repeat(X), [0]), "controls", "qubit 0 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonal(s, [1, 0, 1], new Complex[8]), "targets", "qubit 1 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonalPerSample(s, [2], new Complex[2 * B], [2]), "controls", "qubit 2 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.Swap(s, 1, 1), "targets", "qubit 1 appears twice");
        Rejects<ArgumentException, T>(s, () => Accelerator.Swap(s, 0, 1, [1]), "controls", "qubit 1 appears twice");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_NoTargetsOrTooManyTargets_ThrowsArgumentException<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [], [Complex.One]), "targets", "at least one target");
        using var big = NewState<T>(11, 1);
        int[] eleven = Enumerable.Range(0, 11).ToArray();
        Rejects<ArgumentException, T>(big, () => Accelerator.ApplyMatrix(big, eleven, new Complex[1 << 22]), "targets", "11 target qubits", $"limit of {Accelerator.MaxMatrixQubits}");
    }

    // ------------------------------------------------------------------ matrix contents

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_WrongMatrixLength_ThrowsArgumentExceptionNamingLengths<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [0], [1, 0, 0]), "matrix", "needs 4 entries", "got 3");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [0, 1], X), "matrix", "needs 16 entries", "got 4");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrixPerSample(s, [0], X), "matrices", $"need {4 * B} entries", "got 4");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonal(s, [0, 2], [1, 1]), "diagonal", "needs 4 entries", "got 2");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonalPerSample(s, [1], [1, 1]), "diagonals", $"need {2 * B} entries", "got 2");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ApplyMatrix_NaNOrInfiniteEntry_ThrowsArgumentExceptionNamingEntry<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [1], [1, 0, new Complex(double.NaN, 0), 1]), "matrix", "entry 2", "NaN");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrix(s, [1], [1, new Complex(0, double.PositiveInfinity), 0, 1], [0]), "matrix", "entry 1");
        var perSample = Repeat(X);
        perSample[6] = double.NegativeInfinity;
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyMatrixPerSample(s, [2], perSample), "matrices", "entry 6");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonal(s, [0], [1, double.NaN]), "diagonal", "entry 1");
        Rejects<ArgumentException, T>(s, () => Accelerator.ApplyDiagonalPerSample(s, [0], [1, 1, new Complex(0, double.NaN), 1]), "diagonals", "entry 2");
        Rejects<ArgumentException, T>(s, () => Accelerator.SetState(s, Enumerable.Repeat(new Complex(double.NaN, 0), B << N).ToArray()), "amplitudes", "entry 0");
    }

    // ------------------------------------------------------------------ other arguments

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Reductions_WrongResultLength_ThrowArgumentExceptionNamingLengths<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        using var other = RandomState<T>();
        Rejects<ArgumentException, T>(s, () => Accelerator.NormSquared(s, new double[B + 1]), "result", $"length {B}", $"got {B + 1}");
        Rejects<ArgumentException, T>(s, () => Accelerator.InnerProduct(s, other, new Complex[1]), "result", $"length {B}", "got 1");
        Rejects<ArgumentException, T>(s, () => Accelerator.Probabilities(s, new double[B]), "result", $"length {B << N}", $"got {B}");
        Rejects<ArgumentException, T>(s, () => Accelerator.ExpectationPauli(s, PauliString.Parse("Z0"), new double[0]), "result", $"length {B}", "got 0");
        Rejects<ArgumentException, T>(s, () => Accelerator.Sample(s, 10, 1, new long[10]), "result", $"length {10 * B}", "got 10");
        Rejects<ArgumentException, T>(s, () => Accelerator.Measure(s, 0, 1, new int[B + 2]), "outcomes", $"length {B}", $"got {B + 2}");
        Rejects<ArgumentException, T>(s, () => Accelerator.Collapse(s, 0, new int[1]), "outcomes", $"length {B}", "got 1");
        Rejects<ArgumentException, T>(s, () => Accelerator.GetState(s, new Complex[(B << N) - 1]), "amplitudes", $"{B << N} amplitudes", $"got {(B << N) - 1}");
        Rejects<ArgumentException, T>(s, () => Accelerator.SetState(s, new Complex[(B << N) + 1]), "amplitudes", $"expected {B << N} amplitudes", $"got {(B << N) + 1}");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void SampleMeasureCollapse_BadShotsOutcomesOrIndex_ThrowArgumentOutOfRangeNamingValue<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Sample(s, 0, 1, []), "shots", "got 0");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Sample(s, -5, 1, []), "shots", "got -5");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Collapse(s, 0, [0, 2]), "outcomes", "outcome 2 of sample 1");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.Collapse(s, 0, [-1, 0]), "outcomes", "outcome -1 of sample 0");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.SetBasisState(s, 1 << N), "basisIndex", $"basis index {1 << N}", $"0…{(1 << N) - 1}");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.SetBasisState(s, -1), "basisIndex", "basis index -1");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ExpectationPauli_StringBeyondState_ThrowsArgumentOutOfRangeNamingQubit<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ExpectationPauli(s, PauliString.Parse("X0 Z5"), new double[B]), "pauli", "qubit 5", "'X0 Z5'", "3-qubit");
        Rejects<ArgumentOutOfRangeException, T>(s, () => Accelerator.ExpectationPauli(s, PauliString.Single('Y', 63), new double[B]), "pauli", "qubit 63");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void CopyAndInnerProduct_DifferentShapes_ThrowArgumentExceptionNamingShapes<T>() where T : unmanaged
    {
        using var s = RandomState<T>();
        using var moreQubits = NewState<T>(N + 1, B);
        using var moreSamples = NewState<T>(N, B + 1);
        Rejects<ArgumentException, T>(moreQubits, () => Accelerator.Copy(s, moreQubits), "destination", $"{B} × {N} qubits", $"{B} × {N + 1} qubits");
        Rejects<ArgumentException, T>(s, () => Accelerator.Copy(moreSamples, s), "destination", $"{B + 1} × {N} qubits");
        Rejects<ArgumentException, T>(s, () => Accelerator.InnerProduct(s, moreSamples, new Complex[B]), "ket", $"{B + 1} × {N} qubits");
    }

    // ------------------------------------------------------------------ allocation

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void AllocateState_CountsOutOfRange_ThrowsArgumentOutOfRangeAndAllocatesNothing<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        long before = SettledAllocatedBytes();
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.AllocateState<T>(0, 1), before, "qubits", "got 0");
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.AllocateState<T>(-3, 1), before, "qubits", "got -3");
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.AllocateState<T>(Accelerator.MaxQubits + 1, 1), before, "qubits", $"got {Accelerator.MaxQubits + 1}");
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.AllocateState<T>(2, 0), before, "batchSize", "got 0");
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.AllocateState<T>(2, -1), before, "batchSize", "got -1");
        AllocationRejected<ArgumentOutOfRangeException>(() => Accelerator.Allocate<T>(-1), before, "length", "-1");
    }

    [Test]
    public void AllocateState_LargerThanLargestSingleAllocation_ThrowsNamingTheLimit()
    {
        // The smallest float state above the device's largest single buffer (PoCL: 2 GiB), where that is below its
        // memory: refused up front, naming the limit, with nothing allocated.
        int n = 1;
        while (Accelerator.StateAllocationBytes<float>(n, 1) <= Accelerator.MaxBufferBytes) n++;
        Assume.That(Accelerator.StateAllocationBytes<float>(n, 1), Is.LessThanOrEqualTo(Accelerator.MemorySize),
            $"{Accelerator} can allocate all of its memory in one buffer");
        long before = SettledAllocatedBytes();
        var ex = AllocationRejected<InsufficientAcceleratorMemoryException>(() => Accelerator.AllocateState<float>(n, 1), before, null,
            "largest single allocation", Accelerator.MaxBufferBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(ex.LimitBytes, Is.EqualTo(Accelerator.MaxBufferBytes));
    }

    [Test]
    public void AllocateState_FortyQubitsDouble_ThrowsInsufficientMemoryAndAllocatesNothing()
    {
        TestAccelerators.AssumeSupports<double>(Accelerator);
        long before = SettledAllocatedBytes();
        var ex = AllocationRejected<InsufficientAcceleratorMemoryException>(() => Accelerator.AllocateState<double>(40, 1), before, null, "2^40", "Double");
        Assert.That(ex.RequestedBytes, Is.EqualTo(Accelerator.StateAllocationBytes<double>(40, 1)), "2^40 amplitudes × 16 bytes, plus the plane gap");
        Assert.That(Accelerator.StateAllocationBytes<double>(40, 1), Is.GreaterThanOrEqualTo(16L << 40));
        Assert.That(ex.LimitBytes, Is.LessThan(ex.RequestedBytes));
    }

    [Test]
    public void AllocateState_SizeOverflowingSixtyFourBits_ThrowsInsufficientMemoryAndAllocatesNothing()
    {
        long before = SettledAllocatedBytes();
        var ex = AllocationRejected<InsufficientAcceleratorMemoryException>(() => Accelerator.AllocateState<float>(62, 4), before, null, "2^62", "2^63 bytes");
        Assert.That(ex.RequestedBytes, Is.EqualTo(long.MaxValue));
        AllocationRejected<InsufficientAcceleratorMemoryException>(() => Accelerator.Allocate<double>(long.MaxValue / 2), before, null, "Double");
    }

    [Test]
    public void AllocateState_UnsupportedElementType_ThrowsNotSupportedNamingType()
    {
        long before = SettledAllocatedBytes();
        AllocationRejected<NotSupportedException>(() => Accelerator.AllocateState<int>(2, 1), before, null, "Int32", "float or double");
        AllocationRejected<NotSupportedException>(() => Accelerator.AllocateState<Half>(2, 1), before, null, "Half");
    }

    // ------------------------------------------------------------------ ownership and lifetime

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void AnyMethod_StateOfAnotherAccelerator_ThrowsAcceleratorMismatchAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        using var otherContext = AcceleratorContext.Create();
        Accelerator foreignAccelerator = otherContext.Cpu;
        TestAccelerators.AssumeSupports<T>(foreignAccelerator);
        using var foreign = foreignAccelerator.AllocateState<T>(N, B);
        foreignAccelerator.SetState(foreign, DenseReference.RandomBatch(N, B, new Random(99000)));
        using var mine = RandomState<T>();
        var foreignBefore = foreignAccelerator.GetState(foreign);

        void Check(Action call, string param)
        {
            var ex = Assert.Throws<AcceleratorMismatchException>(() => call());
            Assert.That(ex!.ParamName, Is.EqualTo(param));
            Assert.That(ex.Message, Does.Contain("belongs to accelerator").And.Contain(foreignAccelerator.Name));
            StateAssert.Unchanged(foreignBefore, foreignAccelerator.GetState(foreign), "the foreign state");
        }

        var mineBefore = Read(mine);
        Check(() => Accelerator.ApplyMatrix(foreign, [0], X), "state");
        Check(() => Accelerator.ApplyDiagonal(foreign, [0], [1, -1]), "state");
        Check(() => Accelerator.Swap(foreign, 0, 1), "state");
        Check(() => Accelerator.SetBasisState(foreign, 1), "state");
        Check(() => Accelerator.SetState(foreign, new Complex[B << N]), "state");
        Check(() => Accelerator.GetState(foreign), "state");
        Check(() => Accelerator.NormSquared(foreign, new double[B]), "state");
        Check(() => Accelerator.Collapse(foreign, 0, new int[B]), "state");
        Check(() => Accelerator.Copy(foreign, mine), "source");
        Check(() => Accelerator.Copy(mine, foreign), "destination");
        Check(() => Accelerator.InnerProduct(mine, foreign, new Complex[B]), "ket");
        Check(() => Accelerator.InnerProduct(foreign, mine, new Complex[B]), "bra");
        StateAssert.Unchanged(mineBefore, Read(mine), "this accelerator's state");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void AnyMethod_DisposedState_ThrowsObjectDisposed<T>() where T : unmanaged
    {
        var s = RandomState<T>();
        using var live = RandomState<T>();
        var liveBefore = Read(live);
        s.Dispose();
        Assert.That(s.IsDisposed, Is.True);
        void Check(Action call)
        {
            var ex = Assert.Throws<ObjectDisposedException>(() => call());
            Assert.That(ex!.Message, Does.Contain("state has been disposed"), "names the disposed object");
        }
        Check(() => Accelerator.ApplyMatrix(s, [0], X));
        Check(() => Accelerator.ApplyMatrixPerSample(s, [0], Repeat(X)));
        Check(() => Accelerator.ApplyDiagonalPerSample(s, [0], new Complex[2 * B]));
        Check(() => Accelerator.Swap(s, 0, 1));
        Check(() => Accelerator.GetState(s));
        Check(() => Accelerator.SetState(s, new Complex[B << N]));
        Check(() => Accelerator.SetBasisState(s, 0));
        Check(() => Accelerator.NormSquared(s, new double[B]));
        Check(() => Accelerator.Probabilities(s, new double[B << N]));
        Check(() => Accelerator.ExpectationPauli(s, PauliString.Identity, new double[B]));
        Check(() => Accelerator.Sample(s, 1, 1, new long[B]));
        Check(() => Accelerator.Measure(s, 0, 1, new int[B]));
        Check(() => Accelerator.Copy(live, s));
        Check(() => Accelerator.InnerProduct(live, s, new Complex[B]));
        StateAssert.Unchanged(liveBefore, Read(live), "the live state used alongside the disposed one");
    }

    [Test]
    public void AnyMethod_NullState_ThrowsArgumentNullNamingParameter()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => Accelerator.ApplyMatrix<double>(null!, [0], X))!.ParamName, Is.EqualTo("state"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => Accelerator.NormSquared<float>(null!, new double[1]))!.ParamName, Is.EqualTo("state"));
        using var s = RandomState<double>();
        Assert.That(Assert.Throws<ArgumentNullException>(() => Accelerator.Copy(s, null!))!.ParamName, Is.EqualTo("destination"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => Accelerator.InnerProduct(null!, s, new Complex[B]))!.ParamName, Is.EqualTo("bra"));
    }

    // ------------------------------------------------------------------ helpers

    private BatchedState<T> RandomState<T>() where T : unmanaged => NewState<T>(N, B, DenseReference.RandomBatch(N, B, new Random(98000)));

    private static Complex[] Identity(int k) => DenseReference.RowMajor(MathNet.Numerics.LinearAlgebra.Matrix<Complex>.Build.DenseIdentity(1 << k));

    private static Complex[] Repeat(Complex[] matrix) => Enumerable.Repeat(matrix, B).SelectMany(m => m).ToArray();

    /// <summary>
    /// The call throws exactly <typeparamref name="TException"/> with the given ParamName and message fragments,
    /// and leaves <paramref name="state"/> bit-for-bit unchanged.
    /// </summary>
    private void Rejects<TException, T>(BatchedState<T> state, Action call, string paramName, params string[] fragments)
        where TException : ArgumentException
        where T : unmanaged
    {
        var before = Read(state);
        var ex = Assert.Throws<TException>(() => call())!;
        Assert.That(ex.ParamName, Is.EqualTo(paramName), $"ParamName of: {ex.Message}");
        foreach (string f in fragments) Assert.That(ex.Message, Does.Contain(f), "the message names the offending value");
        StateAssert.Unchanged(before, Read(state), $"after the rejected call ({ex.Message})");
    }

    /// <summary>The allocation throws exactly <typeparamref name="TException"/> naming the fragments, and allocates nothing.</summary>
    private TException AllocationRejected<TException>(Func<object> allocate, long bytesBefore, string? paramName, params string[] fragments)
        where TException : Exception
    {
        var ex = Assert.Throws<TException>(() => allocate())!;
        if (paramName is not null) Assert.That((ex as ArgumentException)?.ParamName, Is.EqualTo(paramName), ex.Message);
        foreach (string f in fragments) Assert.That(ex.Message, Does.Contain(f), "the message names the offending value");
        Assert.That(Accelerator.AllocatedBytes, Is.EqualTo(bytesBefore), $"nothing may be allocated by a rejected request ({ex.Message})");
        return ex;
    }
}
