using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks small circuits built from kernel calls against closed forms, in float and double: Bell and GHZ states from
// H and controlled-X matrices (amplitudes, Pauli correlations, samples); the quantum Fourier transform of every basis
// state (one per sample) built from H, controlled phase diagonals and swaps, which must give uniform magnitudes
// 1/√N with phases e^{2πi·x·k/N}; and per-sample RY layers followed by a CNOT chain, whose ⟨Z_k⟩ is the product
// cos θ_0 ⋯ cos θ_k.
[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
public sealed class AnalyticCircuitTests(AcceleratorKind kind) : AcceleratorTestBase(kind)
{
    private static readonly double S = 1 / Math.Sqrt(2);
    private static readonly Complex[] Hadamard = [S, S, S, -S];
    private static readonly Complex[] PauliX = [0, 1, 1, 0];

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void BellCircuit_HThenControlledX_GivesBellStateInEverySample<T>() where T : unmanaged
    {
        using var state = NewState<T>(2, 3);
        Accelerator.ApplyMatrix(state, [0], Hadamard);
        Accelerator.ApplyMatrix(state, [1], PauliX, [0]);
        Complex[] bell = [S, 0, 0, S];
        StateAssert.Close<T>([.. bell, .. bell, .. bell], Read(state), 4, "(|00⟩ + |11⟩)/√2");

        var result = new double[3];
        Accelerator.ExpectationPauli(state, PauliString.Parse("Z0 Z1"), result);
        Assert.That(result, Is.All.EqualTo(1).Within(Tolerance.Of<T>()), "⟨Z0 Z1⟩");
        Accelerator.ExpectationPauli(state, PauliString.Parse("X0 X1"), result);
        Assert.That(result, Is.All.EqualTo(1).Within(Tolerance.Of<T>()), "⟨X0 X1⟩");
        Accelerator.ExpectationPauli(state, PauliString.Parse("Y0 Y1"), result);
        Assert.That(result, Is.All.EqualTo(-1).Within(Tolerance.Of<T>()), "⟨Y0 Y1⟩");
        Accelerator.ExpectationPauli(state, PauliString.Parse("Z0"), result);
        Assert.That(result, Is.All.EqualTo(0).Within(Tolerance.Of<T>()), "⟨Z0⟩");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void GhzCircuit_HThenControlledXChain_GivesGhzState<T>() where T : unmanaged
    {
        const int n = 5, batch = 2;
        using var state = NewState<T>(n, batch);
        Accelerator.ApplyMatrix(state, [0], Hadamard);
        for (int q = 1; q < n; q++) Accelerator.ApplyMatrix(state, [q], PauliX, [q - 1]);
        var ghz = new Complex[1 << n];
        ghz[0] = S;
        ghz[^1] = S;
        StateAssert.Close<T>([.. ghz, .. ghz], Read(state), 1 << n, "(|00000⟩ + |11111⟩)/√2");

        var result = new double[batch];
        Accelerator.ExpectationPauli(state, PauliString.Parse("X0 X1 X2 X3 X4"), result);
        Assert.That(result, Is.All.EqualTo(1).Within(Tolerance.Of<T>()), "⟨X⊗5⟩");
        Accelerator.ExpectationPauli(state, PauliString.Parse("Z0 Z4"), result);
        Assert.That(result, Is.All.EqualTo(1).Within(Tolerance.Of<T>()), "⟨Z0 Z4⟩");

        var shots = new long[batch * 500];
        Accelerator.Sample(state, 500, seed: 11, shots);
        Assert.That(shots, Is.All.EqualTo(0L).Or.EqualTo((1L << n) - 1), "only all-zeros and all-ones");
        Assert.That(shots.Count(x => x == 0), Is.InRange(150, 850), "both outcomes occur");
    }

    private static IEnumerable<TestCaseData> QftSizes() => Precisions.Each(1, 2, 3, 4, 5, 6);

    [TestCaseSource(nameof(QftSizes))]
    public void QuantumFourierTransform_EveryBasisState_GivesUniformMagnitudesWithFourierPhases<T>(int n) where T : unmanaged
    {
        int dim = 1 << n;
        // Sample x starts in |x⟩.
        var input = new Complex[dim * dim];
        for (int x = 0; x < dim; x++) input[x * dim + x] = Complex.One;
        using var state = NewState<T>(n, dim, input);

        // Qubit n−1 is the most significant bit: Hadamard on it first, then controlled phases π/2^(j−m) from every
        // less significant qubit m, and so on down; finally reverse the qubit order.
        for (int j = n - 1; j >= 0; j--)
        {
            Accelerator.ApplyMatrix(state, [j], Hadamard);
            for (int m = j - 1; m >= 0; m--)
            {
                Accelerator.ApplyDiagonal(state, [j], [Complex.One, Complex.FromPolarCoordinates(1, Math.PI / (1 << (j - m)))], [m]);
            }
        }
        for (int q = 0; q < n / 2; q++) Accelerator.Swap(state, q, n - 1 - q);

        var expected = new Complex[dim * dim];
        for (int x = 0; x < dim; x++)
        {
            for (int k = 0; k < dim; k++) expected[x * dim + k] = Complex.FromPolarCoordinates(1 / Math.Sqrt(dim), 2 * Math.PI * x * k / dim);
        }
        var actual = Read(state);
        StateAssert.Close<T>(expected, actual, dim, $"QFT on {n} qubits");
        Assert.That(actual.Select(a => a.Magnitude), Is.All.EqualTo(1 / Math.Sqrt(dim)).Within(Tolerance.Of<T>()), "uniform magnitudes");
    }

    [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
    public void PerSampleRyLayerThenCnotChain_ExpectationZ_IsProductOfCosines<T>() where T : unmanaged
    {
        const int n = 4, batch = 9;
        var rng = new Random(81000);
        var theta = new double[batch, n];
        using var state = NewState<T>(n, batch);
        for (int q = 0; q < n; q++)
        {
            var matrices = new Complex[batch * 4];
            for (int b = 0; b < batch; b++)
            {
                double t = theta[b, q] = 2 * Math.PI * rng.NextDouble();
                double c = Math.Cos(t / 2), s = Math.Sin(t / 2);
                new Complex[] { c, -s, s, c }.CopyTo(matrices, b * 4); // RY(θ) = exp(−iθY/2)
            }
            Accelerator.ApplyMatrixPerSample(state, [q], matrices);
        }
        for (int q = 0; q + 1 < n; q++) Accelerator.ApplyMatrix(state, [q + 1], PauliX, [q]);

        var result = new double[batch];
        for (int k = 0; k < n; k++)
        {
            Accelerator.ExpectationPauli(state, PauliString.Single('Z', k), result);
            for (int b = 0; b < batch; b++)
            {
                double expected = 1;
                for (int i = 0; i <= k; i++) expected *= Math.Cos(theta[b, i]);
                StateAssert.Close<T>(expected, result[b], 1, $"⟨Z{k}⟩ in sample {b}");
            }
        }
    }
}
