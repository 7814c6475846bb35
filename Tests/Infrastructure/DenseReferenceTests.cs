using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;

namespace QSim.Tests;

// Checks the oracle itself, independently of any accelerator: the entry-by-entry operator of DenseReference agrees
// with Kronecker-product constructions (qubit 0 = least-significant bit, bit j of the gate index = targets[j],
// controls act on 1), textbook matrices (CNOT, SWAP), the Pauli algebra (Y = iXZ), and the random generators give
// unitaries and normalised states.
[TestFixture]
public sealed class DenseReferenceTests
{
    private const double Eps = 1e-12;

    [Test]
    public void Operator_ControlledXWithControl0Target1_IsTextbookCnotInLittleEndianOrder()
    {
        // |q1 q0⟩: index 1 = |01⟩ (q0 = 1) ↔ index 3 = |11⟩; indices 0 and 2 (q0 = 0) are fixed.
        var expected = Matrix<Complex>.Build.DenseOfArray(new Complex[,]
        {
            { 1, 0, 0, 0 },
            { 0, 0, 0, 1 },
            { 0, 0, 1, 0 },
            { 0, 1, 0, 0 },
        });
        var op = DenseReference.Operator(2, [1], DenseReference.RowMajor(DenseReference.X), [0]);
        AssertEqual(expected, op, "CNOT(0→1)");
    }

    [Test]
    public void SwapOperator_TwoQubits_ExchangesIndices1And2()
    {
        AssertEqual(DenseReference.SwapGate, DenseReference.SwapOperator(2, 0, 1), "SWAP(0,1)");
        AssertEqual(DenseReference.SwapGate, DenseReference.SwapOperator(2, 1, 0), "SWAP(1,0)");
    }

    [Test]
    public void Operator_OneQubitGateOnEveryTarget_EqualsKroneckerProduct([Range(1, 6)] int qubits)
    {
        var rng = new Random(100 + qubits);
        for (int t = 0; t < qubits; t++)
        {
            var u = DenseReference.RandomUnitary(1, rng);
            var factors = new Matrix<Complex>?[qubits];
            factors[t] = u;
            AssertEqual(DenseReference.KroneckerOperator(factors), DenseReference.Operator(qubits, [t], DenseReference.RowMajor(u)), $"target {t}");
        }
    }

    [Test]
    public void Operator_ContiguousAscendingTargets_EqualsKroneckerProduct([Values(2, 3)] int k, [Range(3, 6)] int qubits)
    {
        var rng = new Random(200 + 10 * k + qubits);
        for (int low = 0; low + k <= qubits; low++)
        {
            var u = DenseReference.RandomUnitary(k, rng);
            int[] targets = Enumerable.Range(low, k).ToArray();
            AssertEqual(DenseReference.KroneckerOperatorContiguous(qubits, low, u), DenseReference.Operator(qubits, targets, DenseReference.RowMajor(u)), $"targets {low}…{low + k - 1}");
        }
    }

    [Test]
    public void Operator_ReversedTargetPair_EqualsSwapConjugatedGate()
    {
        var rng = new Random(300);
        var u = DenseReference.RandomUnitary(2, rng);
        var s = DenseReference.SwapGate;
        for (int low = 0; low + 2 <= 4; low++)
        {
            // targets [low+1, low]: bit 0 of the gate index is the higher qubit, so the gate is S·U·S in Kronecker order.
            AssertEqual(DenseReference.KroneckerOperatorContiguous(4, low, s * u * s), DenseReference.Operator(4, [low + 1, low], DenseReference.RowMajor(u)), $"targets [{low + 1}, {low}]");
        }
    }

    [Test]
    public void Operator_ProductGateOnArbitraryPair_EqualsProductOfOneQubitOperators()
    {
        // A two-qubit gate A ⊗ B on targets [a, b]: bit 1 of the gate index (targets[1] = b) is the Kronecker-left factor A.
        var rng = new Random(400);
        const int n = 5;
        foreach (var (a, b) in new[] { (0, 4), (4, 0), (1, 3), (3, 1), (2, 0) })
        {
            var ua = DenseReference.RandomUnitary(1, rng);
            var ub = DenseReference.RandomUnitary(1, rng);
            var gate = ua.KroneckerProduct(ub); // A on targets[1] = b, B on targets[0] = a
            var expected = DenseReference.Operator(n, [b], DenseReference.RowMajor(ua)) * DenseReference.Operator(n, [a], DenseReference.RowMajor(ub));
            AssertEqual(expected, DenseReference.Operator(n, [a, b], DenseReference.RowMajor(gate)), $"targets [{a}, {b}]");
        }
    }

    [Test]
    public void Operator_ControlledGate_EqualsProjectorSum()
    {
        // C_c(U_t) = Π0(c) + Π1(c) U_t; with two controls, I + Π1(c1) Π1(c2) (U_t − I).
        var rng = new Random(500);
        const int n = 4;
        var p1 = Matrix<Complex>.Build.DenseOfArray(new Complex[,] { { 0, 0 }, { 0, 1 } });
        var id = Matrix<Complex>.Build.DenseIdentity(1 << n);
        foreach (var (t, c1, c2) in new[] { (0, 3, 1), (3, 0, 2), (2, 1, 0) })
        {
            var u = DenseReference.RandomUnitary(1, rng);
            var ut = DenseReference.Operator(n, [t], DenseReference.RowMajor(u));
            var proj1 = Kron(n, c1, p1);
            var proj2 = Kron(n, c2, p1);
            AssertEqual(id + proj1 * (ut - id), DenseReference.Operator(n, [t], DenseReference.RowMajor(u), [c1]), $"C{c1}(U{t})");
            AssertEqual(id + proj1 * proj2 * (ut - id), DenseReference.Operator(n, [t], DenseReference.RowMajor(u), [c1, c2]), $"C{c1}C{c2}(U{t})");
        }
    }

    [Test]
    public void PauliMatrix_Y_EqualsIXZ()
    {
        var ixz = Complex.ImaginaryOne * DenseReference.X * DenseReference.Z;
        AssertEqual(DenseReference.Y, ixz, "Y");
        AssertEqual(DenseReference.Y, DenseReference.PauliMatrix(PauliString.Parse("Y0"), 1), "Y0 on one qubit");
    }

    [Test]
    public void PauliMatrix_StringOnThreeQubits_IsKroneckerInQubitOrder()
    {
        // "X0 Z2" on 3 qubits = Z ⊗ I ⊗ X.
        var expected = DenseReference.Z.KroneckerProduct(DenseReference.I2).KroneckerProduct(DenseReference.X);
        AssertEqual(expected, DenseReference.PauliMatrix(PauliString.Parse("X0 Z2"), 3), "X0 Z2");
    }

    [Test]
    public void Expectation_ZOnBasisStates_IsPlusMinusOne()
    {
        var one = new Complex[] { 0, 1 };
        var zero = new Complex[] { 1, 0 };
        Assert.That(DenseReference.Expectation(PauliString.Parse("Z0"), zero).Real, Is.EqualTo(1).Within(Eps));
        Assert.That(DenseReference.Expectation(PauliString.Parse("Z0"), one).Real, Is.EqualTo(-1).Within(Eps));
        var plusI = new Complex[] { 1 / Math.Sqrt(2), Complex.ImaginaryOne / Math.Sqrt(2) };
        Assert.That(DenseReference.Expectation(PauliString.Parse("Y0"), plusI).Real, Is.EqualTo(1).Within(Eps), "⟨+i|Y|+i⟩");
    }

    [Test]
    public void RandomUnitary_AnySize_IsUnitary([Range(1, 4)] int k)
    {
        var u = DenseReference.RandomUnitary(k, new Random(600 + k));
        AssertEqual(Matrix<Complex>.Build.DenseIdentity(1 << k), u.ConjugateTranspose() * u, "U†U");
    }

    [Test]
    public void RandomState_SameSeed_IsNormalisedAndReproducible()
    {
        var a = DenseReference.RandomState(5, new Random(7));
        var b = DenseReference.RandomState(5, new Random(7));
        Assert.That(a.Sum(x => x.Real * x.Real + x.Imaginary * x.Imaginary), Is.EqualTo(1).Within(Eps));
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void ApplyToBatch_SampleMajorBatch_AppliesOperatorToEachSample()
    {
        var rng = new Random(800);
        var op = DenseReference.RandomUnitary(3, rng);
        var batch = DenseReference.RandomBatch(3, 4, rng);
        var result = DenseReference.ApplyToBatch(op, batch);
        for (int b = 0; b < 4; b++)
        {
            var expected = op * MathNet.Numerics.LinearAlgebra.Vector<Complex>.Build.DenseOfArray(DenseReference.SampleOf(batch, b, 8));
            StateAssert.Close(expected.ToArray(), DenseReference.SampleOf(result, b, 8), 8, Eps, $"sample {b}");
        }
    }

    private static Matrix<Complex> Kron(int n, int qubit, Matrix<Complex> m)
    {
        var factors = new Matrix<Complex>?[n];
        factors[qubit] = m;
        return DenseReference.KroneckerOperator(factors);
    }

    private static void AssertEqual(Matrix<Complex> expected, Matrix<Complex> actual, string context)
    {
        Assert.That(actual.RowCount, Is.EqualTo(expected.RowCount), context);
        double worst = (expected - actual).Enumerate().Max(x => x.Magnitude);
        Assert.That(worst, Is.LessThan(Eps), $"{context}: largest entry difference");
    }
}
