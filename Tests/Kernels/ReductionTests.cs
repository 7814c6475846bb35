using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks the reductions against the dense reference in float and double, per sample of a batch: NormSquared (also
// of unnormalised states), InnerProduct (conjugate-linear in the bra, linear in the ket), Probabilities, and
// ExpectationPauli for random Pauli strings with X, Y and Z on random states (via dense Kronecker-product Pauli
// matrices), including the identity and a batch large enough to be reduced over several threads.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class ReductionTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static IEnumerable<TestCaseData> Shapes() => Precisions.Rows([1, 1], [2, 3], [3, 2], [4, 8], [5, 4], [6, 16], [5, 17], [7, 33], [8, 160]);

    // Shapes too large for a dense Pauli matrix: power-of-two batches narrower than a register, several threads, and
    // reductions long enough to be flushed in pieces.
    private static IEnumerable<TestCaseData> LargeShapes() => Precisions.Rows([10, 1], [13, 2], [15, 1], [12, 4], [11, 3], [9, 64]);

    [TestCaseSource(nameof(Shapes))]
    public void NormSquared_ScaledRandomStates_EqualsSumOfSquares<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(51000 + n * 100 + batch);
        var input = DenseReference.RandomBatch(n, batch, rng);
        var scales = Enumerable.Range(0, batch).Select(b => 0.25 + b % 5).ToArray();
        for (int x = 0; x < input.Length; x++) input[x] *= scales[x >> n];
        using var state = NewState<T>(n, batch, input);
        var result = new double[batch];
        Accelerator.NormSquared(state, result);
        for (int b = 0; b < batch; b++)
        {
            double expected = scales[b] * scales[b];
            StateAssert.Close<T>(expected, result[b], expected, $"‖ψ_{b}‖² (n={n}, B={batch})");
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void InnerProduct_RandomStates_EqualsConjugateDotProduct<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(52000 + n * 100 + batch);
        int dim = 1 << n;
        var a = DenseReference.RandomBatch(n, batch, rng);
        var k = DenseReference.RandomBatch(n, batch, rng);
        using var bra = NewState<T>(n, batch, a);
        using var ket = NewState<T>(n, batch, k);
        var result = new Complex[batch];
        Accelerator.InnerProduct(bra, ket, result);
        for (int b = 0; b < batch; b++)
        {
            Complex expected = Complex.Zero;
            for (int i = 0; i < dim; i++) expected += Complex.Conjugate(a[b * dim + i]) * k[b * dim + i];
            StateAssert.Close<T>(expected, result[b], 1, $"⟨a_{b}|k_{b}⟩ (n={n}, B={batch})");
        }

        // ⟨a|a⟩ = ‖a‖², real.
        Accelerator.InnerProduct(bra, bra, result);
        for (int b = 0; b < batch; b++) StateAssert.Close<T>(Complex.One, result[b], 1, $"⟨a_{b}|a_{b}⟩");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void InnerProduct_ScaledBraAndKet_IsConjugateLinearInBraAndLinearInKet<T>() where T : unmanaged
    {
        const int n = 4, batch = 3;
        var rng = new Random(53000);
        var a = DenseReference.RandomBatch(n, batch, rng);
        var k = DenseReference.RandomBatch(n, batch, rng);
        var c = new Complex(0.3, 1.7);
        using var bra = NewState<T>(n, batch, a);
        using var ket = NewState<T>(n, batch, k);
        using var scaledBra = NewState<T>(n, batch, a.Select(x => c * x).ToArray());
        using var scaledKet = NewState<T>(n, batch, k.Select(x => c * x).ToArray());
        var plain = new Complex[batch];
        var braScaled = new Complex[batch];
        var ketScaled = new Complex[batch];
        Accelerator.InnerProduct(bra, ket, plain);
        Accelerator.InnerProduct(scaledBra, ket, braScaled);
        Accelerator.InnerProduct(bra, scaledKet, ketScaled);
        for (int b = 0; b < batch; b++)
        {
            StateAssert.Close<T>(Complex.Conjugate(c) * plain[b], braScaled[b], c.Magnitude, $"⟨c·a|k⟩ = c̄⟨a|k⟩, sample {b}");
            StateAssert.Close<T>(c * plain[b], ketScaled[b], c.Magnitude, $"⟨a|c·k⟩ = c⟨a|k⟩, sample {b}");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void InnerProduct_BasisStates_IsKroneckerDelta<T>() where T : unmanaged
    {
        using var bra = NewState<T>(3, 2);
        using var ket = NewState<T>(3, 2);
        var result = new Complex[2];
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                Accelerator.SetBasisState(bra, i);
                Accelerator.SetBasisState(ket, j);
                Accelerator.InnerProduct(bra, ket, result);
                Assert.That(result, Is.All.EqualTo(i == j ? Complex.One : Complex.Zero), $"⟨{i}|{j}⟩");
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void Probabilities_RandomStates_EqualSquaredMagnitudes<T>(int n, int batch) where T : unmanaged
    {
        var input = DenseReference.RandomBatch(n, batch, new Random(54000 + n * 100 + batch));
        using var state = NewState<T>(n, batch, input);
        var result = new double[input.Length];
        Accelerator.Probabilities(state, result);
        for (int x = 0; x < input.Length; x++)
        {
            double expected = input[x].Magnitude * input[x].Magnitude;
            StateAssert.Close<T>(expected, result[x], 1, $"p(host index {x}) (n={n}, B={batch})");
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void ExpectationPauli_RandomStringsOnRandomStates_MatchesDensePauliMatrix<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(55000 + n * 100 + batch);
        int dim = 1 << n;
        var input = DenseReference.RandomBatch(n, batch, rng);
        for (int x = 0; x < input.Length; x++) input[x] *= 1 + (x >> n) % 3; // unnormalised samples too
        using var state = NewState<T>(n, batch, input);
        var result = new double[batch];
        var strings = Enumerable.Range(0, n <= 2 ? 16 : 10).Select(_ => DenseReference.RandomPauli(n, rng)).ToList();
        strings.Add(PauliString.Identity);
        strings.Add(new PauliString((1UL << n) - 1, (1UL << n) - 1)); // Y on every qubit
        strings.Add(PauliString.Single('Y', n - 1));
        strings.Add(new PauliString(0, (1UL << n) - 1));                   // Z on every qubit (a weighted-norm reduction)
        strings.Add(new PauliString(0, 0x5555_5555_5555_5555UL & ((1UL << n) - 1))); // Z on every other qubit
        strings.Add(PauliString.Single('Z', n - 1));
        int referenceSamples = Math.Min(batch, 6); // the dense Pauli matrix costs 4^n per sample: spot-check large batches
        foreach (PauliString p in strings)
        {
            Accelerator.ExpectationPauli(state, p, result);
            for (int b = 0; b < batch; b += Math.Max(1, batch / referenceSamples))
            {
                var sample = DenseReference.SampleOf(input, b, dim);
                Complex expected = DenseReference.Expectation(p, sample);
                double norm2 = sample.Sum(a => a.Magnitude * a.Magnitude);
                Assert.That(expected.Imaginary, Is.EqualTo(0).Within(1e-12 * norm2), "a Pauli expectation is real");
                StateAssert.Close<T>(expected.Real, result[b], norm2, $"⟨ψ_{b}|{p}|ψ_{b}⟩ (n={n}, B={batch})");
            }
        }
    }

    [TestCaseSource(nameof(LargeShapes))]
    public void NormSquaredAndProbabilities_LargeStates_EqualHostSums<T>(int n, int batch) where T : unmanaged
    {
        var rng = new Random(56000 + n * 100 + batch);
        int dim = 1 << n;
        var input = DenseReference.RandomBatch(n, batch, rng);
        for (int x = 0; x < input.Length; x++) input[x] *= 1 + (x >> n) % 4;
        using var state = NewState<T>(n, batch, input);
        var stored = Read(state);
        var norms = new double[batch];
        Accelerator.NormSquared(state, norms);
        var probabilities = new double[input.Length];
        Accelerator.Probabilities(state, probabilities);
        for (int b = 0; b < batch; b++)
        {
            double expected = 0, fromProbabilities = 0;
            for (int i = 0; i < dim; i++)
            {
                Complex a = stored[b * dim + i];
                expected += a.Real * a.Real + a.Imaginary * a.Imaginary;
                fromProbabilities += probabilities[b * dim + i];
            }
            StateAssert.Close<T>(expected, norms[b], expected, $"‖ψ_{b}‖² (n={n}, B={batch})");
            StateAssert.Close<T>(expected, fromProbabilities, expected, $"Σ probabilities of sample {b}");
        }
    }

    [TestCaseSource(nameof(LargeShapes))]
    public void ExpectationPauli_LargeStates_EqualsInnerProductWithPauliAppliedState<T>(int n, int batch) where T : unmanaged
    {
        // ⟨ψ|P|ψ⟩ = ⟨ψ|φ⟩ with φ = Pψ built from single-qubit X, Y, Z matrices (ApplyMatrix is checked against the
        // dense reference elsewhere).
        var rng = new Random(57000 + n * 100 + batch);
        var input = DenseReference.RandomBatch(n, batch, rng);
        using var psi = NewState<T>(n, batch, input);
        using var phi = NewState<T>(n, batch);
        var strings = new List<PauliString>
        {
            new(0, (1UL << n) - 1),
            PauliString.Single('Z', n - 1),
            PauliString.Single('Z', 0),
            new(0, 0b1011UL << (n - 4)),
            PauliString.Single('X', n - 1),
            PauliString.Single('Y', 0),
            DenseReference.RandomPauli(n, rng),
            DenseReference.RandomPauli(n, rng),
        };
        var result = new double[batch];
        var overlap = new Complex[batch];
        foreach (PauliString p in strings)
        {
            Accelerator.Copy(psi, phi);
            for (int q = 0; q < n; q++)
            {
                var m = p[q] switch { 'X' => DenseReference.X, 'Y' => DenseReference.Y, 'Z' => DenseReference.Z, _ => null };
                if (m is not null) Accelerator.ApplyMatrix(phi, [q], DenseReference.RowMajor(m));
            }
            Accelerator.InnerProduct(psi, phi, overlap);
            Accelerator.ExpectationPauli(psi, p, result);
            for (int b = 0; b < batch; b++) StateAssert.Close<T>(overlap[b].Real, result[b], 1, $"⟨ψ_{b}|{p}|ψ_{b}⟩ (n={n}, B={batch})");
        }
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void ExpectationPauli_SingleQubitEigenstates_ArePlusMinusOne<T>() where T : unmanaged
    {
        // Samples: |0⟩, |1⟩, |+⟩, |−⟩, |+i⟩, |−i⟩ on qubit 0 of a 2-qubit state (qubit 1 in |0⟩).
        double s = 1 / Math.Sqrt(2);
        Complex i = Complex.ImaginaryOne;
        Complex[][] singles = [[1, 0], [0, 1], [s, s], [s, -s], [s, s * i], [s, -s * i]];
        var input = singles.SelectMany(q0 => new[] { q0[0], q0[1], Complex.Zero, Complex.Zero }).ToArray();
        using var state = NewState<T>(2, singles.Length, input);
        var result = new double[singles.Length];
        var cases = new (string Pauli, double[] Expected)[]
        {
            ("Z0", [1, -1, 0, 0, 0, 0]),
            ("X0", [0, 0, 1, -1, 0, 0]),
            ("Y0", [0, 0, 0, 0, 1, -1]),
            ("Z1", [1, 1, 1, 1, 1, 1]),
            ("X1", [0, 0, 0, 0, 0, 0]),
            ("Y0 Z1", [0, 0, 0, 0, 1, -1]),
        };
        foreach (var (pauli, expected) in cases)
        {
            Accelerator.ExpectationPauli(state, PauliString.Parse(pauli), result);
            for (int b = 0; b < singles.Length; b++) StateAssert.Close<T>(expected[b], result[b], 1, $"⟨{pauli}⟩ in sample {b}");
        }
    }
}
