using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using QSim.Simulator;

namespace QSim.Tests.Simulator;

/// <summary>
/// An independent oracle for the simulator's gates: every gate of <see cref="GateKind"/> written out as its textbook
/// matrix, and a MathNet embedding into the full 2^n × 2^n operator by a Kronecker product with the identity and a
/// basis permutation. Nothing here calls <see cref="Gate.GetMatrix"/> or the kernels' index arithmetic.
/// </summary>
/// <remarks>
/// <para>Textbook convention (Nielsen &amp; Chuang): the FIRST qubit of a gate is the MOST significant bit of the gate
/// matrix's index, i.e. a k-qubit gate on (q_0, …, q_{k−1}) is written for |q_0 q_1 … q_{k−1}⟩, and a controlled gate
/// is |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U with the control as the left factor. The simulator's <see cref="Gate.GetMatrix"/>
/// uses the opposite order (bit j of the index is <c>Qubits[j]</c>); <see cref="ReverseBits"/> converts between the two.</para>
/// <para>In the full register qubit 0 is the least-significant bit of the amplitude index.</para>
/// </remarks>
public static class TextbookGates
{
    private static readonly MatrixBuilder<Complex> M = Matrix<Complex>.Build;
    private static readonly Complex I = Complex.ImaginaryOne;

    /// <summary>Every gate kind the simulator has (the test asserts none is missing from <see cref="Arity"/>).</summary>
    public static IReadOnlyList<GateKind> AllKinds { get; } = Enum.GetValues<GateKind>();

    /// <summary>Number of qubits of a built-in gate (1…3 for <see cref="GateKind.Unitary"/> as tested here: taken from the matrix).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>k.</returns>
    public static int Arity(GateKind kind) => kind switch
    {
        GateKind.H or GateKind.X or GateKind.Y or GateKind.Z or GateKind.S or GateKind.Sdg or GateKind.T or GateKind.Tdg
            or GateKind.SX or GateKind.RX or GateKind.RY or GateKind.RZ or GateKind.Phase or GateKind.U3 => 1,
        GateKind.CNOT or GateKind.CY or GateKind.CZ or GateKind.Swap or GateKind.ISwap or GateKind.CRX or GateKind.CRY
            or GateKind.CRZ or GateKind.CPhase or GateKind.RXX or GateKind.RYY or GateKind.RZZ => 2,
        GateKind.Toffoli => 3,
        GateKind.Unitary => throw new ArgumentException("Unitary takes its arity from the matrix", nameof(kind)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"gate kind {kind} is not known to the textbook oracle"),
    };

    /// <summary>Number of angles of a gate kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>0, 1 or 3.</returns>
    public static int AngleCount(GateKind kind) => kind switch
    {
        GateKind.RX or GateKind.RY or GateKind.RZ or GateKind.Phase or GateKind.CRX or GateKind.CRY or GateKind.CRZ
            or GateKind.CPhase or GateKind.RXX or GateKind.RYY or GateKind.RZZ => 1,
        GateKind.U3 => 3,
        _ => 0,
    };

    /// <summary>The kinds that take at least one angle.</summary>
    public static IReadOnlyList<GateKind> ParameterizedKinds { get; } = AllKinds.Where(k => AngleCount(k) > 0).ToArray();

    // ------------------------------------------------------------------ textbook matrices (first qubit = MSB)

    /// <summary>Pauli X.</summary>
    public static Matrix<Complex> PauliX => Of(new Complex[,] { { 0, 1 }, { 1, 0 } });

    /// <summary>Pauli Y.</summary>
    public static Matrix<Complex> PauliY => Of(new Complex[,] { { 0, -I }, { I, 0 } });

    /// <summary>Pauli Z.</summary>
    public static Matrix<Complex> PauliZ => Of(new Complex[,] { { 1, 0 }, { 0, -1 } });

    /// <summary>2 × 2 identity.</summary>
    public static Matrix<Complex> Id2 => M.DenseIdentity(2);

    /// <summary>
    /// The textbook matrix of a built-in gate, first qubit most significant.
    /// </summary>
    /// <param name="kind">Any kind but <see cref="GateKind.Unitary"/>.</param>
    /// <param name="a">Angles in radians (θ; or θ, φ, λ for U3).</param>
    /// <returns>2^k × 2^k.</returns>
    public static Matrix<Complex> Matrix(GateKind kind, params double[] a)
    {
        if (a.Length != AngleCount(kind)) throw new ArgumentException($"{kind} takes {AngleCount(kind)} angles, got {a.Length}", nameof(a));
        double r2 = 1 / Math.Sqrt(2);
        return kind switch
        {
            GateKind.H => Of(new Complex[,] { { r2, r2 }, { r2, -r2 } }),
            GateKind.X => PauliX,
            GateKind.Y => PauliY,
            GateKind.Z => PauliZ,
            GateKind.S => Diag(1, I),
            GateKind.Sdg => Diag(1, -I),
            GateKind.T => Diag(1, Complex.FromPolarCoordinates(1, Math.PI / 4)),
            GateKind.Tdg => Diag(1, Complex.FromPolarCoordinates(1, -Math.PI / 4)),
            GateKind.SX => Of(new Complex[,] { { new(0.5, 0.5), new(0.5, -0.5) }, { new(0.5, -0.5), new(0.5, 0.5) } }),
            GateKind.RX => Of(new Complex[,] { { C(a[0]), -I * S(a[0]) }, { -I * S(a[0]), C(a[0]) } }),
            GateKind.RY => Of(new Complex[,] { { C(a[0]), -S(a[0]) }, { S(a[0]), C(a[0]) } }),
            GateKind.RZ => Diag(Cis(-a[0] / 2), Cis(a[0] / 2)),
            GateKind.Phase => Diag(1, Cis(a[0])),
            GateKind.U3 => Of(new Complex[,]
            {
                { C(a[0]), -Cis(a[2]) * S(a[0]) },
                { Cis(a[1]) * S(a[0]), Cis(a[1] + a[2]) * C(a[0]) },
            }),
            GateKind.CNOT => Controlled(PauliX),
            GateKind.CY => Controlled(PauliY),
            GateKind.CZ => Controlled(PauliZ),
            GateKind.CRX => Controlled(Matrix(GateKind.RX, a[0])),
            GateKind.CRY => Controlled(Matrix(GateKind.RY, a[0])),
            GateKind.CRZ => Controlled(Matrix(GateKind.RZ, a[0])),
            GateKind.CPhase => Controlled(Matrix(GateKind.Phase, a[0])),
            GateKind.Swap => Of(new Complex[,] { { 1, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 1, 0, 0 }, { 0, 0, 0, 1 } }),
            GateKind.ISwap => Of(new Complex[,] { { 1, 0, 0, 0 }, { 0, 0, I, 0 }, { 0, I, 0, 0 }, { 0, 0, 0, 1 } }),
            // exp(−iθ/2 P⊗P) = cos(θ/2) I − i sin(θ/2) P⊗P, since (P⊗P)² = I.
            GateKind.RXX => PauliRotation(PauliX, a[0]),
            GateKind.RYY => PauliRotation(PauliY, a[0]),
            GateKind.RZZ => PauliRotation(PauliZ, a[0]),
            GateKind.Toffoli => Controlled(Controlled(PauliX)),
            _ => throw new ArgumentException($"{kind} has no textbook matrix here", nameof(kind)),
        };
    }

    /// <summary>|0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U: control as the left (most significant) factor.</summary>
    /// <param name="u">The controlled operator.</param>
    /// <returns>The controlled gate.</returns>
    public static Matrix<Complex> Controlled(Matrix<Complex> u)
    {
        var p0 = Diag(1, 0);
        var p1 = Diag(0, 1);
        return p0.KroneckerProduct(M.DenseIdentity(u.RowCount)) + p1.KroneckerProduct(u);
    }

    /// <summary>cos(θ/2) I − i sin(θ/2) P⊗P.</summary>
    /// <param name="p">A Pauli matrix.</param>
    /// <param name="theta">θ.</param>
    /// <returns>The 4 × 4 rotation.</returns>
    public static Matrix<Complex> PauliRotation(Matrix<Complex> p, double theta) =>
        M.DenseIdentity(4) * C(theta) - p.KroneckerProduct(p) * (I * S(theta));

    /// <summary>
    /// Reverses the bit order of a 2^k × 2^k matrix's row and column indices: converts between the textbook
    /// convention (first qubit most significant) and the simulator's (first qubit least significant).
    /// </summary>
    /// <param name="m">The matrix.</param>
    /// <returns>The reordered matrix.</returns>
    public static Matrix<Complex> ReverseBits(Matrix<Complex> m)
    {
        int k = (int)Math.Round(Math.Log2(m.RowCount));
        return M.Dense(m.RowCount, m.ColumnCount, (r, c) => m[Reverse(r, k), Reverse(c, k)]);
    }

    /// <summary>A row-major flat array as a matrix.</summary>
    /// <param name="flat">dim² entries.</param>
    /// <returns>The matrix.</returns>
    public static Matrix<Complex> FromRowMajor(Complex[] flat)
    {
        int dim = (int)Math.Round(Math.Sqrt(flat.Length));
        return M.Dense(dim, dim, (r, c) => flat[r * dim + c]);
    }

    // ------------------------------------------------------------------ embedding in n qubits

    /// <summary>
    /// The full 2^n × 2^n operator of a textbook gate (first qubit most significant) acting on <paramref name="qubits"/>:
    /// Pᵀ (I_{2^{n−k}} ⊗ G) P, where the permutation P moves <c>qubits[j]</c> to bit k−1−j and the remaining qubits,
    /// in ascending order, to bits k…n−1.
    /// </summary>
    /// <param name="n">Qubits of the register (≤ 8).</param>
    /// <param name="qubits">The gate's qubits in the order given to the builder.</param>
    /// <param name="textbook">The gate's textbook matrix.</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> Embed(int n, int[] qubits, Matrix<Complex> textbook)
    {
        int k = qubits.Length, dim = 1 << n;
        if (textbook.RowCount != 1 << k) throw new ArgumentException($"a gate on {k} qubits needs a {1 << k} × {1 << k} matrix");
        int[] others = Enumerable.Range(0, n).Except(qubits).ToArray();
        var image = new int[dim]; // P maps basis index i to image[i]
        for (int i = 0; i < dim; i++)
        {
            for (int j = 0; j < k; j++) image[i] |= ((i >> qubits[j]) & 1) << (k - 1 - j);
            for (int m = 0; m < others.Length; m++) image[i] |= ((i >> others[m]) & 1) << (k + m);
        }
        var block = M.DenseIdentity(1 << (n - k)).KroneckerProduct(textbook);
        // (Pᵀ B P)[r, c] = B[image[r], image[c]] for a permutation matrix P; indexing avoids MathNet's slow generic products.
        return M.Dense(dim, dim, (r, c) => block[image[r], image[c]]);
    }

    /// <summary>The dense operator of one simulator gate spec (see <see cref="GateSpec"/>), embedded in n qubits.</summary>
    /// <param name="n">Register size.</param>
    /// <param name="spec">The gate.</param>
    /// <param name="angles">Evaluated angles (ignored for Unitary).</param>
    /// <returns>The operator.</returns>
    public static Matrix<Complex> Operator(int n, GateSpec spec, double[] angles) =>
        Embed(n, spec.Qubits, spec.Kind == GateKind.Unitary ? ReverseBits(spec.Unitary!) : Matrix(spec.Kind, angles));

    /// <summary>The product of the operators of a list of gates with constant angles (first gate applied first).</summary>
    /// <param name="n">Register size.</param>
    /// <param name="gates">The gates.</param>
    /// <returns>U = G_last ⋯ G_first.</returns>
    public static Matrix<Complex> CircuitOperator(int n, IEnumerable<GateSpec> gates)
    {
        var u = M.DenseIdentity(1 << n);
        foreach (var g in gates) u = Operator(n, g, g.Angles) * u;
        return u;
    }

    // ------------------------------------------------------------------ gate specs and the builder

    /// <summary>
    /// A gate to add to a circuit: kind, qubits in builder order, constant angles and, for <see cref="GateKind.Unitary"/>,
    /// the matrix in the simulator's convention (bit j of the index = <c>Qubits[j]</c>).
    /// </summary>
    /// <param name="Kind">The kind.</param>
    /// <param name="Qubits">The qubits.</param>
    /// <param name="Angles">Constant angle values.</param>
    /// <param name="Unitary">The matrix of a Unitary gate.</param>
    public sealed record GateSpec(GateKind Kind, int[] Qubits, double[] Angles, Matrix<Complex>? Unitary = null)
    {
        /// <summary>For messages.</summary>
        /// <returns>The text.</returns>
        public override string ToString() =>
            $"{Kind}({string.Join(", ", Angles.Select(a => a.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}) q[{string.Join(", ", Qubits)}]";
    }

    /// <summary>Adds a gate to a builder with the given angles (constants, parameters or affine angles).</summary>
    /// <param name="b">The builder.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="q">Qubits in builder order.</param>
    /// <param name="angles">Angles, as many as the kind takes.</param>
    /// <param name="unitary">For Unitary: the matrix, simulator convention.</param>
    /// <returns>The builder.</returns>
    public static CircuitBuilder Add(CircuitBuilder b, GateKind kind, int[] q, Angle[] angles, Matrix<Complex>? unitary = null) => kind switch
    {
        GateKind.H => b.H(q[0]),
        GateKind.X => b.X(q[0]),
        GateKind.Y => b.Y(q[0]),
        GateKind.Z => b.Z(q[0]),
        GateKind.S => b.S(q[0]),
        GateKind.Sdg => b.Sdg(q[0]),
        GateKind.T => b.T(q[0]),
        GateKind.Tdg => b.Tdg(q[0]),
        GateKind.SX => b.SX(q[0]),
        GateKind.RX => b.RX(q[0], angles[0]),
        GateKind.RY => b.RY(q[0], angles[0]),
        GateKind.RZ => b.RZ(q[0], angles[0]),
        GateKind.Phase => b.Phase(q[0], angles[0]),
        GateKind.U3 => b.U3(q[0], angles[0], angles[1], angles[2]),
        GateKind.CNOT => b.CNOT(q[0], q[1]),
        GateKind.CY => b.CY(q[0], q[1]),
        GateKind.CZ => b.CZ(q[0], q[1]),
        GateKind.Swap => b.Swap(q[0], q[1]),
        GateKind.ISwap => b.ISwap(q[0], q[1]),
        GateKind.CRX => b.CRX(q[0], q[1], angles[0]),
        GateKind.CRY => b.CRY(q[0], q[1], angles[0]),
        GateKind.CRZ => b.CRZ(q[0], q[1], angles[0]),
        GateKind.CPhase => b.CPhase(q[0], q[1], angles[0]),
        GateKind.RXX => b.RXX(q[0], q[1], angles[0]),
        GateKind.RYY => b.RYY(q[0], q[1], angles[0]),
        GateKind.RZZ => b.RZZ(q[0], q[1], angles[0]),
        GateKind.Toffoli => b.Toffoli(q[0], q[1], q[2]),
        GateKind.Unitary => b.Unitary(unitary!.ToArray(), q),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"gate kind {kind} is not known to the test builder"),
    };

    /// <summary>Adds a gate spec with its constant angles.</summary>
    /// <param name="b">The builder.</param>
    /// <param name="g">The gate.</param>
    /// <returns>The builder.</returns>
    public static CircuitBuilder Add(CircuitBuilder b, GateSpec g) =>
        Add(b, g.Kind, g.Qubits, g.Angles.Select(a => (Angle)a).ToArray(), g.Unitary);

    /// <summary>A circuit of gate specs.</summary>
    /// <param name="n">Qubits.</param>
    /// <param name="gates">Gates.</param>
    /// <returns>The circuit.</returns>
    public static Circuit Build(int n, IEnumerable<GateSpec> gates)
    {
        var b = Circuit.Create(n);
        foreach (var g in gates) Add(b, g);
        return b.Build();
    }

    /// <summary>Random angles in [−2π, 2π).</summary>
    /// <param name="count">How many.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The angles.</returns>
    public static double[] RandomAngles(int count, Random rng) =>
        Enumerable.Range(0, count).Select(_ => (rng.NextDouble() * 4 - 2) * Math.PI).ToArray();

    /// <summary>A random gate of a kind on random distinct qubits of an n-qubit register (Unitary on 1…3 qubits).</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="n">Register size.</param>
    /// <param name="rng">Seeded generator.</param>
    /// <returns>The spec.</returns>
    public static GateSpec RandomGate(GateKind kind, int n, Random rng)
    {
        int k = kind == GateKind.Unitary ? rng.Next(1, Math.Min(3, n) + 1) : Arity(kind);
        int[] qubits = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(k).ToArray();
        return new GateSpec(kind, qubits, RandomAngles(AngleCount(kind), rng),
            kind == GateKind.Unitary ? DenseReference.RandomUnitary(k, rng) : null);
    }

    /// <summary>A random circuit that uses every gate kind at least once, in a shuffled order.</summary>
    /// <param name="n">Register size (at least 3).</param>
    /// <param name="rng">Seeded generator.</param>
    /// <param name="extra">Further random gates.</param>
    /// <returns>The gates.</returns>
    public static List<GateSpec> RandomCircuit(int n, Random rng, int extra = 10)
    {
        var kinds = AllKinds.Concat(Enumerable.Range(0, extra).Select(_ => AllKinds[rng.Next(AllKinds.Count)])).OrderBy(_ => rng.Next());
        return kinds.Select(k => RandomGate(k, n, rng)).ToList();
    }

    /// <summary>Every ordered k-tuple of distinct qubits of an n-qubit register.</summary>
    /// <param name="n">Register size.</param>
    /// <param name="k">Tuple length.</param>
    /// <returns>The tuples.</returns>
    public static IEnumerable<int[]> OrderedTuples(int n, int k)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        foreach (int[] rest in OrderedTuples(n, k - 1))
        {
            for (int q = 0; q < n; q++)
            {
                if (!rest.Contains(q)) yield return [.. rest, q];
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int Reverse(int index, int bits)
    {
        int r = 0;
        for (int j = 0; j < bits; j++) r |= ((index >> j) & 1) << (bits - 1 - j);
        return r;
    }

    private static Matrix<Complex> Of(Complex[,] a) => M.DenseOfArray(a);

    private static Matrix<Complex> Diag(Complex a, Complex b) => M.DenseOfDiagonalArray([a, b]);

    private static double C(double theta) => Math.Cos(theta / 2);

    private static double S(double theta) => Math.Sin(theta / 2);

    private static Complex Cis(double phi) => Complex.FromPolarCoordinates(1, phi);
}
