using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;
using QSim.Simulator;
using CVector = MathNet.Numerics.LinearAlgebra.Vector<System.Numerics.Complex>;

namespace QSim.Tests.Simulator;

// Expectations of weighted sums of Pauli strings on every accelerator (float and double), against ⟨ψ|O|ψ⟩ with the
// dense matrix of O built from Kronecker products; and, without an accelerator, Observable.Parse: accepted syntax,
// merging of like terms, ToString → Parse round trips, and malformed text rejected with the position.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class ObservableExpectationTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> Sizes() => Precisions.Each(1, 3, 5);

    [TestCaseSource(nameof(Sizes))]
    public void Expectation_WeightedSumOfPauliStrings_MatchesDenseReference<T>(int n) where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        var rng = new Random(1000 + n);
        const int batch = 3;
        var input = DenseReference.RandomBatch(n, batch, rng);
        using var state = NewState<T>(n, batch, input);
        var rounded = StateAssert.RoundedTo<T>(input);

        for (int trial = 0; trial < 6; trial++)
        {
            var observable = RandomObservable(n, terms: 1 + trial, rng);
            var dense = DenseMatrix(observable, n);
            double[] actual = sim.Expectation(state, observable);
            Assert.That(actual, Has.Length.EqualTo(batch));
            for (int b = 0; b < batch; b++)
            {
                var psi = CVector.Build.DenseOfArray(DenseReference.SampleOf(rounded, b, 1 << n));
                Complex expected = psi.ConjugateDotProduct(dense * psi);
                Assert.That(expected.Imaginary, Is.EqualTo(0).Within(1e-12), "a Hermitian observable has a real expectation");
                double scale = observable.Terms.Sum(t => Math.Abs(t.Coefficient));
                StateAssert.Close<T>(expected.Real, actual[b], scale, $"⟨{observable}⟩ sample {b}");
            }
        }
        // The state is not changed by taking expectations.
        StateAssert.Unchanged(StateAssert.RoundedTo<T>(rounded), Read(state), "state after Expectation");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void Expectations_SeveralObservablesOnACircuit_MatchDenseReferencePerSampleAndObservable<T>() where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var sim = new Simulator<T>(Accelerator);
        const int n = 4;
        var rng = new Random(1100);
        var gates = TextbookGates.RandomCircuit(n, rng, extra: 5);
        var circuit = TextbookGates.Build(n, gates);
        var psi = CVector.Build.DenseOfEnumerable(TextbookGates.CircuitOperator(n, gates).Column(0));
        var observables = new List<Observable>
        {
            Observable.Parse("0.5*Z0 Z1 - 0.25*X2 + Y3"),
            Observable.Parse("2 - 1.5*X0 Y1 Z2 X3 + 0.125*Z3"),  // with an identity term
            Observable.Z(2) * 3 + Observable.X(0) - (-Observable.Y(1)),
            Observable.Identity,
            Observable.FromPauli(PauliString.Parse("X0 X1 X2 X3"), -0.75),
        };
        var e = sim.Expectations(circuit, observables, batchSize: 2);
        Assert.That(e, Has.Length.EqualTo(2));
        for (int k = 0; k < observables.Count; k++)
        {
            double expected = psi.ConjugateDotProduct(DenseMatrix(observables[k], n) * psi).Real;
            double scale = observables[k].Terms.Sum(t => Math.Abs(t.Coefficient));
            for (int b = 0; b < 2; b++) StateAssert.Close<T>(expected, e[b][k], scale, $"⟨{observables[k]}⟩ sample {b}");
        }
        StateAssert.Close<T>(1, e[0][3], 1, "⟨I⟩ = 1");
    }

    /// <summary>The dense matrix of Σ c_k P_k.</summary>
    internal static Matrix<Complex> DenseMatrix(Observable o, int n)
    {
        var m = Matrix<Complex>.Build.Dense(1 << n, 1 << n);
        foreach (var (c, p) in o.Terms) m += DenseReference.PauliMatrix(p, n) * c;
        return m;
    }

    private static Observable RandomObservable(int n, int terms, Random rng)
    {
        var o = Observable.FromPauli(PauliString.Identity, 0);
        for (int t = 0; t < terms; t++)
        {
            ulong x = 0, z = 0;
            for (int q = 0; q < n; q++)
            {
                switch (rng.Next(4))
                {
                    case 1: x |= 1UL << q; break;
                    case 2: x |= 1UL << q; z |= 1UL << q; break;
                    case 3: z |= 1UL << q; break;
                }
            }
            o += Observable.FromPauli(new PauliString(x, z), Math.Round(rng.NextDouble() * 4 - 2, 3));
        }
        return o;
    }
}

[TestFixture]
public sealed class ObservableParseTests
{
    [Test]
    public void Parse_DocumentedExample_GivesTheTermsInOrder()
    {
        var o = Observable.Parse("0.5*Z0 Z1 - 0.25*X2 + Y3");
        Assert.That(o.Terms, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(o.Terms[0], Is.EqualTo((0.5, new PauliString(0, 0b11))));
            Assert.That(o.Terms[1], Is.EqualTo((-0.25, new PauliString(0b100, 0))));
            Assert.That(o.Terms[2], Is.EqualTo((1.0, new PauliString(0b1000, 0b1000))));
            Assert.That(o.MaxQubit, Is.EqualTo(3));
            Assert.That(o.ToString(), Is.EqualTo("0.5*Z0 Z1 - 0.25*X2 + Y3"));
        });
    }

    [TestCase("Z0Z1", "Z0 Z1")]
    [TestCase("z0 * z1", "Z0 Z1")]
    [TestCase("  -X3  ", "-X3")]
    [TestCase("2 Y1", "2*Y1")]
    [TestCase("1.5e-3*X0", "0.0015*X0")]
    [TestCase("3", "3")]
    [TestCase("I", "1")]
    [TestCase("-2*I + Z0", "-2 + Z0")]
    [TestCase("Z0 + Z0", "2*Z0")]
    [TestCase("Z0 - Z0", "0")]
    [TestCase("X1 Z0 + 0.5*Z0 X1", "1.5*Z0 X1")]
    [TestCase("Z63", "Z63")]
    public void Parse_AcceptedSyntax_NormalisesToTheExpectedText(string text, string expected)
    {
        Assert.That(Observable.Parse(text).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ToStringThenParse_RandomObservables_RoundTripExactly()
    {
        var rng = new Random(1200);
        for (int trial = 0; trial < 200; trial++)
        {
            var terms = new List<(double, PauliString)>();
            var o = Observable.FromPauli(PauliString.Identity, 0);
            int count = rng.Next(1, 6);
            for (int t = 0; t < count; t++)
            {
                ulong x = (ulong)rng.NextInt64() & (ulong)rng.NextInt64();
                ulong z = (ulong)rng.NextInt64() & (ulong)rng.NextInt64();
                if (rng.Next(5) == 0) { x = 0; z = 0; }
                double c = rng.Next(4) switch
                {
                    0 => 1,
                    1 => -1,
                    2 => (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20)),
                    _ => rng.NextDouble(),
                };
                o += Observable.FromPauli(new PauliString(x, z), c);
            }
            var back = Observable.Parse(o.ToString());
            Assert.That(back.Terms, Is.EqualTo(o.Terms), $"round trip of '{o}'");
        }
    }

    [Test]
    public void Arithmetic_MergesLikeTermsAndDropsCancelledOnes()
    {
        var o = 2 * Observable.Z(0) + Observable.Parse("X1") - Observable.Z(0) * 2;
        Assert.That(o.Terms, Has.Count.EqualTo(1));
        Assert.That(o.ToString(), Is.EqualTo("X1"));
        Assert.That((-o).ToString(), Is.EqualTo("-X1"));
        Assert.That((0 * o).Terms, Is.Empty);
        Assert.That((0 * o).MaxQubit, Is.EqualTo(-1));
        var ex = Assert.Throws<ArgumentException>(() => _ = double.NaN * o)!;
        Assert.That(ex.Message, Does.Contain("NaN").And.Contain("finite"));
        var overflow = Assert.Throws<ArgumentException>(() => _ = Observable.FromPauli(PauliString.Single('Z', 0), double.MaxValue) + Observable.FromPauli(PauliString.Single('Z', 0), double.MaxValue))!;
        Assert.That(overflow.Message, Does.Contain("finite"));
    }

    [TestCase("", 0, "empty")]
    [TestCase("   ", 3, "empty")]
    [TestCase("Z", 0, "'Z' has no qubit index")]
    [TestCase("Z0 Z0", 3, "qubit 0 appears twice")]
    [TestCase("0.5*", 4, "ends where a Pauli factor was expected")]
    [TestCase("Z0 +", 4, "ends where a Pauli factor was expected")]
    [TestCase("Q1", 0, "unexpected 'Q'")]
    [TestCase("Z0 & Z1", 3, "unexpected '&'")]
    [TestCase("Z64", 1, "qubit index 64 is out of range: expected 0…63")]
    [TestCase("1e999*Z0", 0, "'1e999' is not a finite number")]
    [TestCase("Z0 - -Z1", 5, "unexpected '-'")]
    public void Parse_MalformedText_ThrowsFormatExceptionWithThePositionAndTheProblem(string text, int position, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => Observable.Parse(text))!;
        Assert.That(ex.Message, Does.Contain($"'{text}' is not a valid observable"));
        Assert.That(ex.Message, Does.Contain(problem));
        if (text.Trim().Length > 0) Assert.That(ex.Message, Does.Contain($"at position {position}"));
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => Observable.Parse(null!));
}
