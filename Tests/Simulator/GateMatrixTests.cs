using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

// Gate.GetMatrix and Gate's properties against the hand-written textbook matrices (after converting the textbook's
// first-qubit-most-significant order to the simulator's first-qubit-least-significant order), and the textbook
// matrices themselves against algebraic identities (exponentials by Taylor series, SX² = X, S² = Z, …) so that the
// oracle is not merely a copy of the implementation. No accelerator is involved.
[TestFixture]
public sealed class GateMatrixTests
{
    private const double Tol = 1e-12;

    private static IEnumerable<GateKind> BuiltInKinds() => TextbookGates.AllKinds.Where(k => k != GateKind.Unitary);

    [TestCaseSource(nameof(BuiltInKinds))]
    public void GetMatrix_BuiltInGateWithRandomAngles_EqualsTextbookMatrix(GateKind kind)
    {
        var rng = new Random(10 + (int)kind);
        int k = TextbookGates.Arity(kind);
        for (int trial = 0; trial < 5; trial++)
        {
            // GetMatrix does not depend on which register qubits the gate acts on: use a shuffled placement on 5 qubits.
            int[] qubits = Enumerable.Range(0, 5).OrderBy(_ => rng.Next()).Take(k).ToArray();
            double[] angles = TextbookGates.RandomAngles(TextbookGates.AngleCount(kind), rng);
            var gate = TextbookGates.Add(Circuit.Create(5), kind, qubits, angles.Select(a => (Angle)a).ToArray()).Build().Gates[0];

            var expected = TextbookGates.ReverseBits(TextbookGates.Matrix(kind, angles));
            AssertMatrix(expected, gate.GetMatrix(angles), $"{kind}({string.Join(", ", angles)})");
            // An empty span uses the constant angles.
            AssertMatrix(expected, gate.GetMatrix([]), $"{kind} with an empty angle span");

            Assert.Multiple(() =>
            {
                Assert.That(gate.Kind, Is.EqualTo(kind));
                Assert.That(gate.Qubits, Is.EqualTo(qubits));
                Assert.That(gate.Angles.Select(a => a.Constant), Is.EqualTo(angles));
                Assert.That(gate.IsParameterized, Is.False);
                Assert.That(gate.IsDiagonal, Is.EqualTo(IsDiagonal(TextbookGates.Matrix(kind, angles))), $"IsDiagonal of {kind}");
            });
        }
    }

    [Test]
    public void GetMatrix_ControlledGates_PutTheControlOnBitZero()
    {
        // Spelled out for CNOT(c, t): bit 0 is the control, so indices 1 (c=1,t=0) and 3 (c=1,t=1) swap.
        var cnot = Circuit.Create(2).CNOT(1, 0).Build().Gates[0].GetMatrix([]);
        Complex[] expected = [1, 0, 0, 0, /**/ 0, 0, 0, 1, /**/ 0, 0, 1, 0, /**/ 0, 1, 0, 0];
        Assert.That(cnot, Is.EqualTo(expected));
        // Toffoli(c0, c1, t): only indices 3 (c0=c1=1, t=0) and 7 swap.
        var toffoli = Circuit.Create(3).Toffoli(0, 1, 2).Build().Gates[0].GetMatrix([]);
        for (int r = 0; r < 8; r++)
        {
            for (int c = 0; c < 8; c++)
            {
                int image = c == 3 ? 7 : c == 7 ? 3 : c;
                Assert.That(toffoli[r * 8 + c], Is.EqualTo(r == image ? Complex.One : Complex.Zero), $"Toffoli[{r}, {c}]");
            }
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void GetMatrix_UnitaryGate_ReturnsACopyOfTheGivenMatrix(int k)
    {
        var rng = new Random(20 + k);
        var u = DenseReference.RandomUnitary(k, rng);
        var given = u.ToArray();
        var gate = Circuit.Create(4).Unitary(given, Enumerable.Range(0, k).Reverse().ToArray()).Build().Gates[0];
        given[0, 0] = 42; // the builder copied the matrix
        var m = gate.GetMatrix([]);
        AssertMatrix(u, m, $"Unitary on {k} qubits");
        m[0] = 7; // GetMatrix returns a copy
        AssertMatrix(u, gate.GetMatrix([]), "second GetMatrix");
        Assert.That(gate.IsDiagonal, Is.False);
        Assert.That(Circuit.Create(2).Unitary(new Complex[,] { { 1, 0 }, { 0, Complex.ImaginaryOne } }, 1).Build().Gates[0].IsDiagonal, Is.True);
    }

    [Test]
    public void GetMatrix_ParameterizedGate_UsesTheEvaluatedAngleValues()
    {
        var x = Parameter.Input("x");
        var w = Parameter.Weight("w");
        var gate = Circuit.Create(1).U3(0, Angle.Of(x, 2, 0.5), w, 0.25).Build().Gates[0];
        Assert.That(gate.IsParameterized, Is.True);
        double[] values = [2 * 0.3 + 0.5, -0.7, 0.25];
        AssertMatrix(TextbookGates.ReverseBits(TextbookGates.Matrix(GateKind.U3, values)), gate.GetMatrix(values), "U3");
        var ex = Assert.Throws<ArgumentException>(() => gate.GetMatrix([]))!;
        Assert.That(ex.Message, Does.Contain("3 angle value(s), got 0"));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void GetMatrix_NonFiniteAngleValue_ThrowsArgumentExceptionNamingTheValue(double bad)
    {
        var gate = Circuit.Create(2).CRX(0, 1, Parameter.Weight("w")).Build().Gates[0];
        var ex = Assert.Throws<ArgumentException>(() => gate.GetMatrix([bad]))!;
        Assert.That(ex.Message, Does.Contain(bad.ToString()).And.Contain("finite"));
    }

    [Test]
    public void GetMatrix_WrongNumberOfAngleValues_ThrowsArgumentExceptionWithTheExpectedCount()
    {
        var gate = Circuit.Create(1).RX(0, 0.3).Build().Gates[0];
        var ex = Assert.Throws<ArgumentException>(() => gate.GetMatrix([0.1, 0.2]))!;
        Assert.That(ex.Message, Does.Contain("RX").And.Contain("1 angle value(s), got 2"));
    }

    // ------------------------------------------------------------------ the oracle against algebra

    [Test]
    public void Textbook_EveryMatrixIsUnitary()
    {
        var rng = new Random(30);
        foreach (var kind in BuiltInKinds())
        {
            var m = TextbookGates.Matrix(kind, TextbookGates.RandomAngles(TextbookGates.AngleCount(kind), rng));
            AssertMatrix(Matrix<Complex>.Build.DenseIdentity(m.RowCount), m.ConjugateTranspose() * m, $"{kind}†{kind}");
        }
    }

    [Test]
    public void Textbook_RotationsEqualExponentialsOfPauliProducts()
    {
        var x = TextbookGates.PauliX;
        var y = TextbookGates.PauliY;
        var z = TextbookGates.PauliZ;
        foreach (double theta in new[] { -2.7, -0.4, 0.9, 3.1, 5.5 })
        {
            AssertMatrix(Exp(x, theta), TextbookGates.Matrix(GateKind.RX, theta), $"RX({theta})");
            AssertMatrix(Exp(y, theta), TextbookGates.Matrix(GateKind.RY, theta), $"RY({theta})");
            AssertMatrix(Exp(z, theta), TextbookGates.Matrix(GateKind.RZ, theta), $"RZ({theta})");
            AssertMatrix(Exp(x.KroneckerProduct(x), theta), TextbookGates.Matrix(GateKind.RXX, theta), $"RXX({theta})");
            AssertMatrix(Exp(y.KroneckerProduct(y), theta), TextbookGates.Matrix(GateKind.RYY, theta), $"RYY({theta})");
            AssertMatrix(Exp(z.KroneckerProduct(z), theta), TextbookGates.Matrix(GateKind.RZZ, theta), $"RZZ({theta})");
            // Phase(φ) = e^{iφ/2} RZ(φ); U3(θ, −π/2, π/2) = RX(θ); U3(θ, 0, 0) = RY(θ).
            AssertMatrix(TextbookGates.Matrix(GateKind.RZ, theta) * Complex.FromPolarCoordinates(1, theta / 2), TextbookGates.Matrix(GateKind.Phase, theta), $"Phase({theta})");
            AssertMatrix(TextbookGates.Matrix(GateKind.RX, theta), TextbookGates.Matrix(GateKind.U3, theta, -Math.PI / 2, Math.PI / 2), $"U3 as RX({theta})");
            AssertMatrix(TextbookGates.Matrix(GateKind.RY, theta), TextbookGates.Matrix(GateKind.U3, theta, 0, 0), $"U3 as RY({theta})");
        }
    }

    [Test]
    public void Textbook_FixedGatesSatisfyTheirIdentities()
    {
        Matrix<Complex> G(GateKind k) => TextbookGates.Matrix(k);
        AssertMatrix(G(GateKind.X), G(GateKind.SX) * G(GateKind.SX), "SX² = X");
        AssertMatrix(G(GateKind.Z), G(GateKind.S) * G(GateKind.S), "S² = Z");
        AssertMatrix(G(GateKind.S), G(GateKind.T) * G(GateKind.T), "T² = S");
        AssertMatrix(G(GateKind.S).ConjugateTranspose(), G(GateKind.Sdg), "S† = Sdg");
        AssertMatrix(G(GateKind.T).ConjugateTranspose(), G(GateKind.Tdg), "T† = Tdg");
        AssertMatrix(G(GateKind.Z), G(GateKind.H) * G(GateKind.X) * G(GateKind.H), "HXH = Z");
        AssertMatrix(G(GateKind.Y), G(GateKind.X) * G(GateKind.Z) * Complex.ImaginaryOne, "Y = iXZ");
        // SWAP = CNOT(a,b) CNOT(b,a) CNOT(a,b); CZ = (I⊗H) CNOT (I⊗H).
        var cnotAb = G(GateKind.CNOT);
        var cnotBa = TextbookGates.ReverseBits(cnotAb);
        AssertMatrix(G(GateKind.Swap), cnotAb * cnotBa * cnotAb, "SWAP from three CNOTs");
        var ih = TextbookGates.Id2.KroneckerProduct(G(GateKind.H));
        AssertMatrix(G(GateKind.CZ), ih * cnotAb * ih, "CZ from CNOT and H");
        // iSWAP = exp(iπ/4 (XX + YY)) = RXX(−π/2) RYY(−π/2).
        AssertMatrix(G(GateKind.ISwap), TextbookGates.Matrix(GateKind.RXX, -Math.PI / 2) * TextbookGates.Matrix(GateKind.RYY, -Math.PI / 2), "iSWAP");
        // Toffoli maps |110⟩ ↔ |111⟩ (first qubit most significant) and fixes everything else.
        var toffoli = G(GateKind.Toffoli);
        for (int c = 0; c < 8; c++)
        {
            int image = c == 6 ? 7 : c == 7 ? 6 : c;
            Assert.That(toffoli[image, c], Is.EqualTo(Complex.One), $"Toffoli column {c}");
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>exp(−iθ/2 P) by its Taylor series (40 terms).</summary>
    private static Matrix<Complex> Exp(Matrix<Complex> p, double theta)
    {
        var a = p * new Complex(0, -theta / 2);
        var term = Matrix<Complex>.Build.DenseIdentity(p.RowCount);
        var sum = term.Clone();
        for (int j = 1; j < 40; j++)
        {
            term = term * a / j;
            sum += term;
        }
        return sum;
    }

    private static bool IsDiagonal(Matrix<Complex> m)
    {
        for (int r = 0; r < m.RowCount; r++)
        {
            for (int c = 0; c < m.ColumnCount; c++)
            {
                if (r != c && m[r, c].Magnitude > 1e-15) return false;
            }
        }
        return true;
    }

    private static void AssertMatrix(Matrix<Complex> expected, Matrix<Complex> actual, string context)
    {
        Assert.That(actual.RowCount, Is.EqualTo(expected.RowCount), $"{context}: size");
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                double d = (expected[r, c] - actual[r, c]).Magnitude;
                if (!(d <= Tol)) Assert.Fail($"{context}: entry [{r}, {c}] expected {expected[r, c]}, got {actual[r, c]}");
            }
        }
    }

    private static void AssertMatrix(Matrix<Complex> expected, Complex[] rowMajor, string context)
    {
        Assert.That(rowMajor, Has.Length.EqualTo(expected.RowCount * expected.ColumnCount), $"{context}: entry count");
        AssertMatrix(expected, TextbookGates.FromRowMajor(rowMajor), context);
    }
}
