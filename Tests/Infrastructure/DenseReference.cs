using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Kernels;
using CVector = MathNet.Numerics.LinearAlgebra.Vector<System.Numerics.Complex>;

namespace QSim.Tests;

/// <summary>
/// A dense-matrix oracle for the kernels (n ≤ 8 qubits), written with MathNet.Numerics and independent of the
/// kernels' index arithmetic.
/// </summary>
/// <remarks>
/// <para>Conventions (the accelerator's): qubit 0 is the least-significant bit of an amplitude index; a k-qubit gate
/// matrix is row-major 2^k × 2^k and bit j of its row/column index is the value of <c>targets[j]</c>; controls act
/// where every control qubit is 1; host amplitudes of a batch are sample-major (amplitude i of sample b at
/// <c>b·2^n + i</c>).</para>
/// <para>In Kronecker-product form the n-qubit operator of single-qubit factors is <c>O_{n−1} ⊗ … ⊗ O_1 ⊗ O_0</c>
/// (the left factor owns the most significant bit). <see cref="Operator"/> builds the operator element by element;
/// <see cref="KroneckerOperator"/> and <see cref="PauliMatrix"/> build theirs from Kronecker products, and
/// <c>DenseReferenceTests</c> checks the two routes against each other.</para>
/// </remarks>
public static class DenseReference
{
    /// <summary>The largest qubit count the dense oracle accepts (a 256 × 256 operator).</summary>
    public const int MaxQubits = 8;

    private static readonly MatrixBuilder<Complex> M = Matrix<Complex>.Build;

    /// <summary>The identity 2 × 2.</summary>
    public static Matrix<Complex> I2 => M.DenseIdentity(2);

    /// <summary>Pauli X.</summary>
    public static Matrix<Complex> X => M.DenseOfArray(new Complex[,] { { 0, 1 }, { 1, 0 } });

    /// <summary>Pauli Y = [[0, −i], [i, 0]].</summary>
    public static Matrix<Complex> Y => M.DenseOfArray(new Complex[,] { { 0, -Complex.ImaginaryOne }, { Complex.ImaginaryOne, 0 } });

    /// <summary>Pauli Z.</summary>
    public static Matrix<Complex> Z => M.DenseOfArray(new Complex[,] { { 1, 0 }, { 0, -1 } });

    /// <summary>Hadamard.</summary>
    public static Matrix<Complex> H => M.DenseOfArray(new Complex[,] { { 1, 1 }, { 1, -1 } }) / Math.Sqrt(2);

    // ------------------------------------------------------------------ operators

    /// <summary>
    /// The full 2^n × 2^n operator of a (controlled) k-qubit gate, built entry by entry: column c maps to itself
    /// unless every control bit of c is 1; then to every row r that agrees with c outside the targets, with the
    /// gate entry at (targets-bits of r, targets-bits of c).
    /// </summary>
    /// <param name="qubits">n, 1…8.</param>
    /// <param name="targets">k distinct target qubits; bit j of the gate index is <c>targets[j]</c>.</param>
    /// <param name="gate">Row-major 4^k entries.</param>
    /// <param name="controls">Control qubits, distinct from the targets.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> Operator(int qubits, int[] targets, Complex[] gate, int[]? controls = null)
    {
        controls ??= [];
        CheckQubits(qubits, targets, controls);
        int k = targets.Length, gdim = 1 << k, dim = 1 << qubits;
        if (gate.Length != gdim * gdim) throw new ArgumentException($"a {k}-qubit gate needs {gdim * gdim} entries, got {gate.Length}", nameof(gate));

        var op = M.Dense(dim, dim);
        for (int col = 0; col < dim; col++)
        {
            if (!controls.All(c => Bit(col, c) == 1))
            {
                op[col, col] = Complex.One;
                continue;
            }
            int gateCol = GateIndex(col, targets);
            for (int gateRow = 0; gateRow < gdim; gateRow++)
            {
                int row = col;
                for (int j = 0; j < k; j++) row = WithBit(row, targets[j], (gateRow >> j) & 1);
                op[row, col] = gate[gateRow * gdim + gateCol];
            }
        }
        return op;
    }

    /// <summary>The full operator of a (controlled) diagonal gate on <paramref name="targets"/>.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="targets">Targets; bit j of the diagonal index is <c>targets[j]</c>.</param>
    /// <param name="diagonal">2^k entries.</param>
    /// <param name="controls">Controls.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> DiagonalOperator(int qubits, int[] targets, Complex[] diagonal, int[]? controls = null) =>
        Operator(qubits, targets, RowMajor(M.DenseOfDiagonalArray(diagonal)), controls);

    /// <summary>The full operator of a (controlled) swap of two qubits.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="qubit0">First qubit.</param>
    /// <param name="qubit1">Second qubit.</param>
    /// <param name="controls">Controls.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> SwapOperator(int qubits, int qubit0, int qubit1, int[]? controls = null) =>
        Operator(qubits, [qubit0, qubit1], RowMajor(SwapGate), controls);

    /// <summary>The 4 × 4 swap gate.</summary>
    public static Matrix<Complex> SwapGate => M.DenseOfArray(new Complex[,]
    {
        { 1, 0, 0, 0 },
        { 0, 0, 1, 0 },
        { 0, 1, 0, 0 },
        { 0, 0, 0, 1 },
    });

    /// <summary>
    /// The operator of single-qubit factors by Kronecker products: <c>factors[q]</c> acts on qubit q (null = I),
    /// result <c>F_{n−1} ⊗ … ⊗ F_0</c>.
    /// </summary>
    /// <param name="factors">One 2 × 2 matrix (or null) per qubit, qubit 0 first.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> KroneckerOperator(params Matrix<Complex>?[] factors)
    {
        Matrix<Complex> result = M.DenseIdentity(1);
        for (int q = factors.Length - 1; q >= 0; q--) result = result.KroneckerProduct(factors[q] ?? I2);
        return result;
    }

    /// <summary>
    /// A gate on the contiguous qubits <c>low…low+k−1</c> (targets in ascending order) by Kronecker products:
    /// <c>I ⊗ G ⊗ I</c>.
    /// </summary>
    /// <param name="qubits">n.</param>
    /// <param name="low">Lowest target.</param>
    /// <param name="gate">2^k × 2^k gate; its row index has targets[j] = low + j at bit j.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> KroneckerOperatorContiguous(int qubits, int low, Matrix<Complex> gate)
    {
        int k = (int)Math.Log2(gate.RowCount);
        return M.DenseIdentity(1 << (qubits - low - k)).KroneckerProduct(gate).KroneckerProduct(M.DenseIdentity(1 << low));
    }

    /// <summary>The dense matrix of a Pauli string on n qubits, from Kronecker products of I, X, Y, Z.</summary>
    /// <param name="pauli">The string.</param>
    /// <param name="qubits">n.</param>
    /// <returns>The 2^n × 2^n matrix.</returns>
    public static Matrix<Complex> PauliMatrix(PauliString pauli, int qubits)
    {
        var factors = new Matrix<Complex>?[qubits];
        for (int q = 0; q < qubits; q++)
        {
            factors[q] = pauli[q] switch { 'I' => I2, 'X' => X, 'Y' => Y, 'Z' => Z, var c => throw new ArgumentException($"bad Pauli '{c}'") };
        }
        return KroneckerOperator(factors);
    }

    /// <summary>⟨ψ|P|ψ⟩ (not normalised), by the dense Pauli matrix.</summary>
    /// <param name="pauli">The string.</param>
    /// <param name="state">2^n amplitudes.</param>
    /// <returns>The complex value (its imaginary part is zero up to rounding).</returns>
    public static Complex Expectation(PauliString pauli, Complex[] state)
    {
        int n = QubitsOf(state.Length);
        var psi = CVector.Build.DenseOfArray(state);
        return psi.ConjugateDotProduct(PauliMatrix(pauli, n) * psi);
    }

    // ------------------------------------------------------------------ applying to batches

    /// <summary>Applies one operator to every sample of a sample-major batch.</summary>
    /// <param name="op">2^n × 2^n operator.</param>
    /// <param name="batch">B·2^n amplitudes.</param>
    /// <returns>The new amplitudes.</returns>
    public static Complex[] ApplyToBatch(Matrix<Complex> op, Complex[] batch)
    {
        int dim = op.ColumnCount;
        int samples = batch.Length / dim;
        // Column b of the matrix is sample b; MathNet stores column-major, so the sample-major host array is its storage.
        var columns = M.DenseOfColumnMajor(dim, samples, batch);
        return (op * columns).ToColumnMajorArray();
    }

    /// <summary>Applies a different operator to each sample.</summary>
    /// <param name="ops">B operators.</param>
    /// <param name="batch">B·2^n amplitudes.</param>
    /// <returns>The new amplitudes.</returns>
    public static Complex[] ApplyPerSample(IReadOnlyList<Matrix<Complex>> ops, Complex[] batch)
    {
        int dim = ops[0].ColumnCount;
        var result = new Complex[batch.Length];
        for (int b = 0; b < ops.Count; b++)
        {
            // A plain loop over the column-major storage: MathNet's generic complex matrix-vector product is far slower.
            Complex[] op = ops[b].AsColumnMajorArray() ?? ops[b].ToColumnMajorArray();
            for (int c = 0; c < dim; c++)
            {
                Complex x = batch[b * dim + c];
                if (x == Complex.Zero) continue;
                for (int r = 0; r < dim; r++) result[b * dim + r] += op[c * dim + r] * x;
            }
        }
        return result;
    }

    /// <summary>Sample b of a sample-major batch.</summary>
    /// <param name="batch">B·dim amplitudes.</param>
    /// <param name="b">Sample.</param>
    /// <param name="dim">2^n.</param>
    /// <returns>A copy of the sample's amplitudes.</returns>
    public static Complex[] SampleOf(Complex[] batch, int b, int dim) => batch.AsSpan(b * dim, dim).ToArray();

    // ------------------------------------------------------------------ random data (seeded)

    /// <summary>A random normalised state: Gaussian amplitudes divided by their norm.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>2^n amplitudes.</returns>
    public static Complex[] RandomState(int qubits, Random rng)
    {
        var v = new Complex[1 << qubits];
        double norm2 = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = new Complex(Gaussian(rng), Gaussian(rng));
            norm2 += v[i].Real * v[i].Real + v[i].Imaginary * v[i].Imaginary;
        }
        double scale = 1 / Math.Sqrt(norm2);
        for (int i = 0; i < v.Length; i++) v[i] *= scale;
        return v;
    }

    /// <summary>B random normalised states, sample-major.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>B·2^n amplitudes.</returns>
    public static Complex[] RandomBatch(int qubits, int batchSize, Random rng)
    {
        var all = new Complex[batchSize << qubits];
        for (int b = 0; b < batchSize; b++) RandomState(qubits, rng).CopyTo(all, b << qubits);
        return all;
    }

    /// <summary>A Haar-random unitary: QR of a complex Gaussian matrix, with the phases of R's diagonal moved into Q.</summary>
    /// <param name="qubits">k: the matrix is 2^k × 2^k.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The unitary.</returns>
    public static Matrix<Complex> RandomUnitary(int qubits, Random rng)
    {
        var g = RandomGaussianMatrix(qubits, rng);
        var qr = g.QR();
        var q = qr.Q;
        var r = qr.R;
        var phases = M.DenseOfDiagonalArray(Enumerable.Range(0, r.RowCount).Select(i => r[i, i] / r[i, i].Magnitude).ToArray());
        return q * phases;
    }

    /// <summary>A matrix of independent complex Gaussian entries (not unitary).</summary>
    /// <param name="qubits">k: the matrix is 2^k × 2^k.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The matrix.</returns>
    public static Matrix<Complex> RandomGaussianMatrix(int qubits, Random rng)
    {
        int dim = 1 << qubits;
        return M.Dense(dim, dim, (_, _) => new Complex(Gaussian(rng), Gaussian(rng)));
    }

    /// <summary>A diagonal of random unit phases.</summary>
    /// <param name="qubits">k.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>2^k entries.</returns>
    public static Complex[] RandomPhases(int qubits, Random rng) =>
        Enumerable.Range(0, 1 << qubits).Select(_ => Complex.FromPolarCoordinates(1, 2 * Math.PI * rng.NextDouble())).ToArray();

    /// <summary>A random Pauli string on n qubits in which every operator (I, X, Y, Z) is equally likely.</summary>
    /// <param name="qubits">n.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The string.</returns>
    public static PauliString RandomPauli(int qubits, Random rng)
    {
        ulong x = 0, z = 0;
        for (int q = 0; q < qubits; q++)
        {
            int op = rng.Next(4); // 0 I, 1 X, 2 Y, 3 Z
            if (op is 1 or 2) x |= 1UL << q;
            if (op is 2 or 3) z |= 1UL << q;
        }
        return new PauliString(x, z);
    }

    /// <summary>A standard normal deviate (Box–Muller).</summary>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The value.</returns>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0, 1]
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // ------------------------------------------------------------------ small helpers

    /// <summary>The row-major entries of a matrix (the layout the accelerator takes).</summary>
    /// <param name="m">The matrix.</param>
    /// <returns>Row-major entries.</returns>
    public static Complex[] RowMajor(Matrix<Complex> m) => m.ToRowMajorArray();

    /// <summary>A matrix from row-major entries.</summary>
    /// <param name="rowMajor">Entries.</param>
    /// <returns>The square matrix.</returns>
    public static Matrix<Complex> FromRowMajor(Complex[] rowMajor)
    {
        int dim = (int)Math.Round(Math.Sqrt(rowMajor.Length));
        return M.DenseOfRowMajor(dim, dim, rowMajor);
    }

    /// <summary>n from a per-sample dimension 2^n.</summary>
    /// <param name="dimension">2^n.</param>
    /// <returns>n.</returns>
    public static int QubitsOf(int dimension) => System.Numerics.BitOperations.Log2((uint)dimension);

    private static int Bit(int index, int qubit) => (index >> qubit) & 1;

    private static int WithBit(int index, int qubit, int value) => (index & ~(1 << qubit)) | (value << qubit);

    private static int GateIndex(int index, int[] targets)
    {
        int g = 0;
        for (int j = 0; j < targets.Length; j++) g |= Bit(index, targets[j]) << j;
        return g;
    }

    private static void CheckQubits(int qubits, int[] targets, int[] controls)
    {
        if (qubits < 1 || qubits > MaxQubits) throw new ArgumentOutOfRangeException(nameof(qubits), $"the dense reference handles 1…{MaxQubits} qubits, got {qubits}");
        var all = targets.Concat(controls).ToArray();
        if (all.Any(q => q < 0 || q >= qubits) || all.Distinct().Count() != all.Length)
        {
            throw new ArgumentException($"bad qubits: targets [{string.Join(", ", targets)}], controls [{string.Join(", ", controls)}] on {qubits} qubits");
        }
    }
}
