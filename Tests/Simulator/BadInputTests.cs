using System.Globalization;
using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Invalid input to the builder and to the simulator: each case asserts the exception type, that the message names
// the problem and the expected value, and — where a state is involved — that the state is bit-for-bit unchanged
// (GetState before and after) and that no accelerator memory leaked. Float and double where a state is computed.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class BadInputTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    // ------------------------------------------------------------------ builder (no state)

    [TestCase(9)]
    [TestCase(8)]
    [TestCase(-1)]
    public void Builder_QubitOutOfRange_ThrowsArgumentOutOfRangeNamingQubitAndRange(int qubit)
    {
        var b = Circuit.Create(8).H(0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => b.CNOT(0, qubit))!;
        Assert.That(ex.Message, Does.Contain($"qubit {qubit} is out of range for a 8-qubit circuit").And.Contain("0…7"));
        Assert.That(b.Count, Is.EqualTo(1), "the failed gate was not added");
        Assert.Throws<ArgumentOutOfRangeException>(() => b.RX(qubit, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Toffoli(1, 2, qubit));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Unitary(new Complex[,] { { 0, 1 }, { 1, 0 } }, qubit));
        Assert.That(b.Count, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(63)]
    public void Builder_QubitCountOutOfRange_ThrowsArgumentOutOfRangeWithTheLimits(int qubits)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Circuit.Create(qubits))!;
        Assert.That(ex.Message, Does.Contain($"1…62 qubits, got {qubits}"));
    }

    [Test]
    public void Builder_SameQubitTwiceInOneGate_ThrowsArgumentExceptionNamingTheQubit()
    {
        var b = Circuit.Create(4);
        var cases = new (string Gate, TestDelegate Call)[]
        {
            ("CNOT", () => b.CNOT(2, 2)),
            ("Swap", () => b.Swap(1, 1)),
            ("RZZ", () => b.RZZ(3, 3, 0.5)),
            ("Toffoli", () => b.Toffoli(0, 2, 2)),
            ("Unitary", () => b.Unitary(DenseReference.RandomUnitary(2, new Random(1)).ToArray(), 1, 1)),
        };
        foreach (var (gate, call) in cases)
        {
            var ex = Assert.Throws<ArgumentException>(call, gate)!;
            Assert.That(ex.Message, Does.Match(@"qubit \d appears twice in " + gate).And.Contain("distinct"), gate);
        }
        Assert.That(b.Count, Is.Zero);
    }

    [Test]
    public void Builder_NonUnitaryMatrix_ThrowsNonUnitaryMatrixExceptionWithDeviationAndTolerance()
    {
        var b = Circuit.Create(3);
        var m = DenseReference.RandomUnitary(2, new Random(2)).ToArray();
        m[1, 2] += 1e-6; // far beyond the 1e-9 tolerance
        var ex = Assert.Throws<NonUnitaryMatrixException>(() => b.Unitary(m, 0, 2))!;
        Assert.That(ex, Is.InstanceOf<ArgumentException>());
        Assert.That(ex.Message, Does.Contain("is not unitary").And.Contain("qubits [0, 2]").And.Contain("tolerance"));
        Assert.That(ex.Deviation, Is.GreaterThan(1e-7).And.LessThan(1e-5));
        Assert.That(ex.Tolerance, Is.EqualTo(1e-9));
        Assert.That(ex.Message, Does.Contain(ex.Tolerance.ToString("G3", CultureInfo.CurrentCulture)));
        // A scaled unitary is not unitary either.
        Assert.Throws<NonUnitaryMatrixException>(() => b.Unitary(new Complex[,] { { 2, 0 }, { 0, 2 } }, 1));
        // Within the tolerance is accepted.
        var ok = DenseReference.RandomUnitary(1, new Random(3)).ToArray();
        ok[0, 0] += 1e-12;
        Assert.DoesNotThrow(() => b.Unitary(ok, 1));
        Assert.That(b.Count, Is.EqualTo(1));
    }

    [TestCase(1, 2)]
    [TestCase(2, 2)]
    [TestCase(2, 8)]
    [TestCase(3, 4)]
    public void Builder_WrongSizeUnitary_ThrowsArgumentExceptionWithExpectedSize(int k, int size)
    {
        var m = new Complex[size, size];
        for (int i = 0; i < size; i++) m[i, i] = 1;
        int dim = 1 << k;
        var b = Circuit.Create(4);
        if (dim == size)
        {
            Assert.DoesNotThrow(() => b.Unitary(m, Enumerable.Range(0, k).ToArray()));
            return;
        }
        var ex = Assert.Throws<ArgumentException>(() => b.Unitary(m, Enumerable.Range(0, k).ToArray()))!;
        Assert.That(ex.Message, Does.Contain($"needs a {dim} × {dim} matrix, got {size} × {size}"));
        var rect = Assert.Throws<ArgumentException>(() => b.Unitary(new Complex[dim, dim + 1], Enumerable.Range(0, k).ToArray()))!;
        Assert.That(rect.Message, Does.Contain($"got {dim} × {dim + 1}"));
        var none = Assert.Throws<ArgumentException>(() => b.Unitary(new Complex[1, 1]))!;
        Assert.That(none.Message, Does.Contain("1…10 qubits, got 0"));
        Assert.That(b.Count, Is.Zero);
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Builder_NonFiniteConstantAngle_ThrowsArgumentExceptionNamingTheValue(double bad)
    {
        var b = Circuit.Create(3);
        string text = bad.ToString(CultureInfo.CurrentCulture);
        var calls = new (string Gate, TestDelegate Call)[]
        {
            ("RX", () => b.RX(0, bad)),
            ("RZ", () => b.RZ(2, bad)),
            ("U3", () => b.U3(0, 0.1, bad, 0.2)),
            ("CPhase", () => b.CPhase(0, 1, bad)),
            ("RYY", () => b.RYY(1, 2, bad)),
        };
        foreach (var (gate, call) in calls)
        {
            var ex = Assert.Throws<ArgumentException>(call, gate)!;
            Assert.That(ex.Message, Does.Contain($"the angle of {gate} is {text}").And.Contain("must be finite"), gate);
        }
        var scale = Assert.Throws<ArgumentException>(() => b.RY(0, Angle.Of(Parameter.Weight("w"), bad)))!;
        Assert.That(scale.Message, Does.Contain($"scale {text}").And.Contain("'w'"));
        var offset = Assert.Throws<ArgumentException>(() => b.RY(0, Angle.Of(Parameter.Input("x"), 1, bad)))!;
        Assert.That(offset.Message, Does.Contain($"offset {text}").And.Contain("'x'"));
        var unitary = Assert.Throws<ArgumentException>(() => b.Unitary(new Complex[,] { { bad, 0 }, { 0, 1 } }, 0))!;
        Assert.That(unitary.Message, Does.Contain("entry [0, 0]").And.Contain("finite"));
        Assert.That(b.Count, Is.Zero);
    }

    [Test]
    public void Builder_NameUsedAsWeightAndInput_ThrowsArgumentExceptionNamingBothKinds()
    {
        var b = Circuit.Create(2).RX(0, Parameter.Weight("t"));
        var ex = Assert.Throws<ArgumentException>(() => b.RY(1, Parameter.Input("t")))!;
        Assert.That(ex.Message, Does.Contain("'t'").And.Contain("is an input").And.Contain("as a weight"));
        var other = Circuit.Create(2).RZ(0, Parameter.Input("t")).Build();
        Assert.Throws<ArgumentException>(() => b.Append(other));
        var big = Assert.Throws<ArgumentException>(() => b.Append(Circuit.Create(3).H(2).Build()))!;
        Assert.That(big.Message, Does.Contain("3-qubit circuit to a 2-qubit circuit").And.Contain("at most 2"));
        Assert.That(b.Count, Is.EqualTo(1));
    }

    // ------------------------------------------------------------------ binding at run time (state unchanged)

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_NaNOrInfiniteWeightValue_ThrowsParameterBindingExceptionAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(3, 2);
        using (state)
        {
            var circuit = Circuit.Create(3).H(0).RX(1, Parameter.Weight("w")).Build();
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                var ex = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Weight("w", bad)))!;
                Assert.That(ex.Message, Does.Contain($"weight 'w' is {bad.ToString(CultureInfo.CurrentCulture)}").And.Contain("must be finite"));
                Assert.That(ex.ParameterName, Is.EqualTo("w"));
                StateAssert.Unchanged(before, Read(state), $"weight {bad}");
            }
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_NaNInputValue_ThrowsParameterBindingExceptionNamingIndexAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(2, 4);
        using (state)
        {
            var circuit = Circuit.Create(2).H(0).RY(1, Parameter.Input("x")).Build();
            var ex = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Input("x", [0.1, 0.2, double.NaN, 0.4])))!;
            Assert.That(ex.Message, Does.Contain("input 'x' is NaN at index 2").And.Contain("must be finite"));
            Assert.That(ex.ParameterName, Is.EqualTo("x"));
            StateAssert.Unchanged(before, Read(state), "NaN input");
            var inf = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Input("x", [double.NegativeInfinity, 0.2, 0.3, 0.4])))!;
            Assert.That(inf.Message, Does.Contain($"is {double.NegativeInfinity.ToString(CultureInfo.CurrentCulture)} at index 0"));
            StateAssert.Unchanged(before, Read(state), "−Inf input");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_AngleThatOverflowsToInfinity_ThrowsParameterBindingExceptionAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(2, 1);
        using (state)
        {
            var circuit = Circuit.Create(2).X(0).RZ(1, Angle.Of(Parameter.Weight("w"), 1e300)).Build();
            var ex = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Weight("w", 1e10)))!;
            Assert.That(ex.Message, Does.Contain("angle 0 of gate 1").And.Contain("evaluates to").And.Contain("must be finite"));
            StateAssert.Unchanged(before, Read(state), "overflowing angle");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_UnboundWeightOrInput_ThrowsUnboundParameterExceptionNamingItAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(3, 2);
        using (state)
        {
            var w = Parameter.Weight("theta");
            var x = Parameter.Input("x7");
            var circuit = Circuit.Create(3).H(2).RX(0, w).RY(1, x).Build();

            var ex = Assert.Throws<UnboundParameterException>(() => sim.Apply(state, circuit, new ParameterValues().Input("x7", [1, 2])))!;
            Assert.That(ex.Parameter, Is.EqualTo(w));
            Assert.That(ex.Message, Does.Contain("weight 'theta' has no value").And.Contain("ParameterValues.Weight(\"theta\", value)"));
            StateAssert.Unchanged(before, Read(state), "unbound weight");

            var ex2 = Assert.Throws<UnboundParameterException>(() => sim.Apply(state, circuit, new ParameterValues().Weight("theta", 1)))!;
            Assert.That(ex2.Parameter, Is.EqualTo(x));
            Assert.That(ex2.Message, Does.Contain("input 'x7' has no values").And.Contain("ParameterValues.Input(\"x7\", perSample)"));
            StateAssert.Unchanged(before, Read(state), "unbound input");

            var ex3 = Assert.Throws<UnboundParameterException>(() => sim.Apply(state, circuit))!;
            Assert.That(ex3.Parameter, Is.EqualTo(w), "with no values at all the first parameter is reported");
            StateAssert.Unchanged(before, Read(state), "no values");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_WeightBoundAsInputAndTheReverse_ThrowsParameterBindingExceptionAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(2, 2);
        using (state)
        {
            var circuit = Circuit.Create(2).RX(0, Parameter.Weight("w")).RY(1, Parameter.Input("x")).Build();
            var ex = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Input("w", [1, 2]).Input("x", [1, 2])))!;
            Assert.That(ex.Message, Does.Contain("weight 'w' is bound as an input").And.Contain("Weight(\"w\", value)"));
            var ex2 = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Weight("w", 1).Weight("x", 2)))!;
            Assert.That(ex2.Message, Does.Contain("input 'x' is bound as a weight").And.Contain("Input(\"x\", perSample)"));
            StateAssert.Unchanged(before, Read(state), "kind mismatch");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_WrongNumberOfPerSampleInputs_ThrowsParameterBindingExceptionWithExpectedCountAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(2, 4);
        using (state)
        {
            var circuit = Circuit.Create(2).RX(0, Parameter.Input("x0")).RY(1, Parameter.Input("x1")).Build();
            var ex = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Input("x0", [1, 2, 3]).Input("x1", [1, 2, 3, 4])))!;
            Assert.That(ex.Message, Does.Contain("input 'x0' has 3 values, expected one per sample: 4"));
            Assert.That(ex.ParameterName, Is.EqualTo("x0"));
            StateAssert.Unchanged(before, Read(state), "3 inputs for a batch of 4");
            var empty = Assert.Throws<ParameterBindingException>(() => sim.Apply(state, circuit, new ParameterValues().Input("x0", []).Input("x1", [1, 2, 3, 4])))!;
            Assert.That(empty.Message, Does.Contain("input 'x0' has no values: expected one per sample"));
            StateAssert.Unchanged(before, Read(state), "empty input");
        }
        // Without a state: inputs that disagree with each other or with the requested batch size.
        var sim2 = new Simulator<T>(Accelerator);
        var c2 = Circuit.Create(2).RX(0, Parameter.Input("a")).RY(1, Parameter.Input("b")).Build();
        long allocated = SettledAllocatedBytes();
        var mismatch = Assert.Throws<ParameterBindingException>(() => sim2.Run(c2, new ParameterValues().Input("a", [1, 2]).Input("b", [1, 2, 3])))!;
        Assert.That(mismatch.Message, Does.Contain("input 'b' has 3 values, expected one per sample: 2 (from input 'a')"));
        var vsBatch = Assert.Throws<ParameterBindingException>(() => sim2.Run(c2, new ParameterValues().Input("a", [1, 2]).Input("b", [1, 2]), batchSize: 5))!;
        Assert.That(vsBatch.Message, Does.Contain("input 'a' has 2 values, expected one per sample: 5 (from the batch size)"));
        var badBatch = Assert.Throws<ArgumentOutOfRangeException>(() => sim2.Run(Circuit.Create(1).H(0).Build(), batchSize: 0))!;
        Assert.That(badBatch.Message, Does.Contain("batch size must be at least 1, got 0"));
        Assert.That(SettledAllocatedBytes(), Is.EqualTo(allocated), "no state leaked by failed runs");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Apply_CircuitWithDifferentQubitCount_ThrowsArgumentExceptionWithBothCountsAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(3, 2);
        using (state)
        {
            foreach (int n in new[] { 2, 4 })
            {
                var ex = Assert.Throws<ArgumentException>(() => sim.Apply(state, Circuit.Create(n).X(0).Build()))!;
                Assert.That(ex.Message, Does.Contain($"the state has 3 qubits but the circuit has {n}").And.Contain("must be equal"));
                StateAssert.Unchanged(before, Read(state), $"{n}-qubit circuit");
            }
        }
    }

    // ------------------------------------------------------------------ memory, ownership, observables

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Run_FortyQubitCircuit_ThrowsInsufficientMemoryAndAllocatesNothing<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        var circuit = Circuit.Create(40).H(0).CNOT(0, 39).Build();
        long before = SettledAllocatedBytes();
        long bytes = Accelerator.StateAllocationBytes<T>(40, 1);
        var ex = Assert.Throws<InsufficientAcceleratorMemoryException>(() => sim.Run(circuit))!;
        Assert.That(ex.RequestedBytes, Is.EqualTo(bytes));
        Assert.That(ex.LimitBytes, Is.LessThan(bytes));
        Assert.That(ex.Message, Does.Contain("2^40").And.Contain(bytes.ToString(CultureInfo.InvariantCulture)));
        Assert.That(Accelerator.AllocatedBytes, Is.EqualTo(before), "nothing allocated");
        var ex2 = Assert.Throws<InsufficientAcceleratorMemoryException>(() => sim.Expectations(circuit, [Observable.Z(39)]))!;
        Assert.That(ex2.RequestedBytes, Is.EqualTo(bytes));
        Assert.That(Accelerator.AllocatedBytes, Is.EqualTo(before), "nothing allocated by Expectations");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Simulator_StateOfAnotherAccelerator_ThrowsAcceleratorMismatchAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        using var otherContext = AcceleratorContext.Create();
        var other = otherContext.Get(Kind);
        Assert.That(other, Is.Not.SameAs(Accelerator));
        using var foreign = other.AllocateState<T>(2, 3);
        var input = DenseReference.RandomBatch(2, 3, new Random(1300));
        other.SetState(foreign, input);
        var before = other.GetState(foreign);
        var circuit = Circuit.Create(2).H(0).CNOT(0, 1).Build();

        var calls = new (string What, TestDelegate Call)[]
        {
            ("Apply", () => sim.Apply(foreign, circuit)),
            ("Expectation", () => sim.Expectation(foreign, Observable.Z(0))),
            ("Probabilities", () => sim.Probabilities(foreign)),
            ("Sample", () => sim.Sample(foreign, 10, 1)),
        };
        foreach (var (what, call) in calls)
        {
            var ex = Assert.Throws<AcceleratorMismatchException>(call, what)!;
            Assert.That(ex.Message, Does.Contain("belongs to accelerator").And.Contain("not to this simulator's"), what);
            StateAssert.Unchanged(before, other.GetState(foreign), what);
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Simulator_DisposedState_ThrowsObjectDisposedException<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        var state = sim.Run(Circuit.Create(2).H(0).Build());
        state.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sim.Apply(state, Circuit.Create(2).X(0).Build()));
        Assert.Throws<ObjectDisposedException>(() => sim.Sample(state, 1, 1));
        Assert.Throws<ObjectDisposedException>(() => sim.Expectation(state, Observable.Z(0)));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Expectation_ObservableOnQubitOutsideCircuit_ThrowsArgumentOutOfRangeAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        var (sim, state, before) = Prepared<T>(3, 2);
        using (state)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sim.Expectation(state, Observable.Parse("Z0 X5")))!;
            Assert.That(ex.Message, Does.Contain("acts on qubit 5, out of range for a 3-qubit state (expected 0…2)"));
            StateAssert.Unchanged(before, Read(state), "observable outside the state");
        }
        long allocated = SettledAllocatedBytes();
        var circuit = Circuit.Create(3).H(0).Build();
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => sim.Expectations(circuit, [Observable.Z(0), Observable.Y(3) + Observable.Z(1)]))!;
        Assert.That(ex2.Message, Does.Contain("observable 1").And.Contain("acts on qubit 3, out of range for a 3-qubit circuit (expected 0…2)"));
        Assert.That(SettledAllocatedBytes(), Is.EqualTo(allocated), "checked before a state is allocated");
        Assert.Throws<ArgumentNullException>(() => sim.Expectations(circuit, [Observable.Z(0), null!]));
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Sample_ZeroNormSample_ThrowsInvalidOperationNamingTheSampleAndLeavesStateUnchanged<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        var amplitudes = new Complex[8];
        amplitudes[2] = 1; // sample 0 is |10>, sample 1 is all zeros
        using var state = NewState<T>(2, 2, amplitudes);
        var before = Read(state);
        var ex = Assert.Throws<InvalidOperationException>(() => sim.Sample(state, 10, seed: 1))!;
        Assert.That(ex.Message, Does.Contain("sample 1 has zero norm"));
        StateAssert.Unchanged(before, Read(state), "zero-norm sampling");
    }

    [Test]
    public void Simulator_UnsupportedPrecision_ThrowsNotSupportedException()
    {
        var ex = Assert.Throws<NotSupportedException>(() => new Simulator<int>(Accelerator))!;
        Assert.That(ex.Message, Does.Contain("Int32").And.Contain("expected float or double"));
        Assert.Throws<ArgumentNullException>(() => new Simulator<double>(null!));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>A simulator and a random state (snapshotted) to check that failed calls leave it untouched.</summary>
    private (Simulator<T> Sim, BatchedState<T> State, Complex[] Before) Prepared<T>(int n, int batch) where T : unmanaged
    {
        var state = NewState<T>(n, batch, DenseReference.RandomBatch(n, batch, new Random(1400 + n * 10 + batch)));
        return (new Simulator<T>(Accelerator), state, Read(state));
    }
}
