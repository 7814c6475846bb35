using System.Numerics;

namespace QSim.Simulator;

/// <summary>
/// Builds a <see cref="Circuit"/> gate by gate. Every method validates its arguments at once, adds one gate and
/// returns this builder; <see cref="Build"/> takes a snapshot, after which the builder can be extended further.
/// </summary>
/// <remarks>
/// <para>Qubit 0 is the least-significant bit of the amplitude index. Controlled gates take the controls first:
/// <c>CNOT(control, target)</c>. Angles are in radians; <c>RX(θ) = exp(−iθX/2)</c>, <c>RY</c>, <c>RZ</c> likewise.
/// The matrix of every gate is listed in <c>docs/simulator.md</c>.</para>
/// <para>A parameter name may be used by several gates, but only with one kind: a name that is already a weight
/// cannot also be an input, or the reverse.</para>
/// </remarks>
public sealed class CircuitBuilder
{
    private readonly List<Gate> _gates = [];
    private readonly Dictionary<string, ParameterKind> _parameterKinds = new(StringComparer.Ordinal);

    /// <summary>Creates an empty builder.</summary>
    /// <param name="qubits">Number of qubits, 1…62.</param>
    /// <exception cref="ArgumentOutOfRangeException">The number is outside 1…62.</exception>
    internal CircuitBuilder(int qubits)
    {
        if (qubits < 1 || qubits > Kernels.Accelerator.MaxQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(qubits), $"a circuit needs 1…{Kernels.Accelerator.MaxQubits} qubits, got {qubits}");
        }
        Qubits = qubits;
    }

    /// <summary>Number of qubits of the circuit being built.</summary>
    public int Qubits { get; }

    /// <summary>Number of gates added so far.</summary>
    public int Count => _gates.Count;

    // ------------------------------------------------------------ fixed single-qubit gates

    /// <summary>Adds a Hadamard gate.</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder H(int qubit) => Add(GateKind.H, [qubit]);

    /// <summary>Adds a Pauli X gate.</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder X(int qubit) => Add(GateKind.X, [qubit]);

    /// <summary>Adds a Pauli Y gate, [[0, −i], [i, 0]].</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder Y(int qubit) => Add(GateKind.Y, [qubit]);

    /// <summary>Adds a Pauli Z gate.</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder Z(int qubit) => Add(GateKind.Z, [qubit]);

    /// <summary>Adds an S gate, diag(1, i).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder S(int qubit) => Add(GateKind.S, [qubit]);

    /// <summary>Adds an S† gate, diag(1, −i).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder Sdg(int qubit) => Add(GateKind.Sdg, [qubit]);

    /// <summary>Adds a T gate, diag(1, e^{iπ/4}).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder T(int qubit) => Add(GateKind.T, [qubit]);

    /// <summary>Adds a T† gate, diag(1, e^{−iπ/4}).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder Tdg(int qubit) => Add(GateKind.Tdg, [qubit]);

    /// <summary>Adds a √X gate, ½[[1+i, 1−i], [1−i, 1+i]].</summary>
    /// <param name="qubit">The qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    public CircuitBuilder SX(int qubit) => Add(GateKind.SX, [qubit]);

    // ------------------------------------------------------------ rotations

    /// <summary>Adds RX(θ) = exp(−iθX/2) = [[c, −is], [−is, c]] with c = cos(θ/2), s = sin(θ/2).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <param name="angle">θ in radians: a constant, a parameter or <see cref="Angle.Of"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RX(int qubit, Angle angle) => Add(GateKind.RX, [qubit], [angle]);

    /// <summary>Adds RY(θ) = exp(−iθY/2) = [[c, −s], [s, c]] with c = cos(θ/2), s = sin(θ/2).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RY(int qubit, Angle angle) => Add(GateKind.RY, [qubit], [angle]);

    /// <summary>Adds RZ(θ) = exp(−iθZ/2) = diag(e^{−iθ/2}, e^{iθ/2}).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RZ(int qubit, Angle angle) => Add(GateKind.RZ, [qubit], [angle]);

    /// <summary>Adds Phase(φ) = diag(1, e^{iφ}).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <param name="angle">φ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder Phase(int qubit, Angle angle) => Add(GateKind.Phase, [qubit], [angle]);

    /// <summary>Adds U3(θ, φ, λ) = [[c, −e^{iλ}s], [e^{iφ}s, e^{i(φ+λ)}c]] with c = cos(θ/2), s = sin(θ/2).</summary>
    /// <param name="qubit">The qubit.</param>
    /// <param name="theta">θ in radians.</param>
    /// <param name="phi">φ in radians.</param>
    /// <param name="lambda">λ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">An angle is not finite, or a parameter name is used with the other kind.</exception>
    public CircuitBuilder U3(int qubit, Angle theta, Angle phi, Angle lambda) => Add(GateKind.U3, [qubit], [theta, phi, lambda]);

    // ------------------------------------------------------------ fixed two- and three-qubit gates

    /// <summary>Adds a CNOT: X on <paramref name="target"/> when <paramref name="control"/> is 1.</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The two qubits are the same.</exception>
    public CircuitBuilder CNOT(int control, int target) => Add(GateKind.CNOT, [control, target]);

    /// <summary>Adds a controlled Y: Y on <paramref name="target"/> when <paramref name="control"/> is 1.</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The two qubits are the same.</exception>
    public CircuitBuilder CY(int control, int target) => Add(GateKind.CY, [control, target]);

    /// <summary>Adds a controlled Z (symmetric in its qubits).</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The two qubits are the same.</exception>
    public CircuitBuilder CZ(int control, int target) => Add(GateKind.CZ, [control, target]);

    /// <summary>Adds a SWAP of two qubits.</summary>
    /// <param name="a">First qubit.</param>
    /// <param name="b">Second qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The two qubits are the same.</exception>
    public CircuitBuilder Swap(int a, int b) => Add(GateKind.Swap, [a, b]);

    /// <summary>Adds an iSWAP: |01⟩ → i|10⟩, |10⟩ → i|01⟩, |00⟩ and |11⟩ unchanged.</summary>
    /// <param name="a">First qubit.</param>
    /// <param name="b">Second qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The two qubits are the same.</exception>
    public CircuitBuilder ISwap(int a, int b) => Add(GateKind.ISwap, [a, b]);

    /// <summary>Adds a Toffoli (CCX): X on <paramref name="target"/> when both controls are 1.</summary>
    /// <param name="c0">First control qubit.</param>
    /// <param name="c1">Second control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit appears twice.</exception>
    public CircuitBuilder Toffoli(int c0, int c1, int target) => Add(GateKind.Toffoli, [c0, c1, target]);

    // ------------------------------------------------------------ controlled and two-qubit rotations

    /// <summary>Adds a controlled RX(θ).</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder CRX(int control, int target, Angle angle) => Add(GateKind.CRX, [control, target], [angle]);

    /// <summary>Adds a controlled RY(θ).</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder CRY(int control, int target, Angle angle) => Add(GateKind.CRY, [control, target], [angle]);

    /// <summary>Adds a controlled RZ(θ).</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder CRZ(int control, int target, Angle angle) => Add(GateKind.CRZ, [control, target], [angle]);

    /// <summary>Adds a controlled Phase(φ), diag(1, 1, 1, e^{iφ}).</summary>
    /// <param name="control">The control qubit.</param>
    /// <param name="target">The target qubit.</param>
    /// <param name="angle">φ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder CPhase(int control, int target, Angle angle) => Add(GateKind.CPhase, [control, target], [angle]);

    /// <summary>Adds RXX(θ) = exp(−iθ X⊗X/2).</summary>
    /// <param name="q0">First qubit.</param>
    /// <param name="q1">Second qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RXX(int q0, int q1, Angle angle) => Add(GateKind.RXX, [q0, q1], [angle]);

    /// <summary>Adds RYY(θ) = exp(−iθ Y⊗Y/2).</summary>
    /// <param name="q0">First qubit.</param>
    /// <param name="q1">Second qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RYY(int q0, int q1, Angle angle) => Add(GateKind.RYY, [q0, q1], [angle]);

    /// <summary>Adds RZZ(θ) = exp(−iθ Z⊗Z/2) = diag(e^{−iθ/2}, e^{iθ/2}, e^{iθ/2}, e^{−iθ/2}).</summary>
    /// <param name="q0">First qubit.</param>
    /// <param name="q1">Second qubit.</param>
    /// <param name="angle">θ in radians.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">The qubits are the same, the angle is not finite, or its parameter name is used with the other kind.</exception>
    public CircuitBuilder RZZ(int q0, int q1, Angle angle) => Add(GateKind.RZZ, [q0, q1], [angle]);

    // ------------------------------------------------------------ arbitrary unitary, composition

    /// <summary>
    /// Adds a user-supplied unitary on k = <paramref name="qubits"/>.Length qubits (1…10). The matrix is 2^k × 2^k
    /// and bit j of its row and column index is the value of <c>qubits[j]</c>. It is copied.
    /// </summary>
    /// <param name="matrix">The matrix; ‖U†U − I‖_max must be at most 1e-9.</param>
    /// <param name="qubits">The k distinct qubits it acts on.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">The matrix or the qubit array is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">No qubits or more than 10, a qubit repeats, the matrix has the wrong size,
    /// or an entry is NaN or infinite.</exception>
    /// <exception cref="NonUnitaryMatrixException">The matrix is not unitary within the tolerance.</exception>
    public CircuitBuilder Unitary(Complex[,] matrix, params int[] qubits)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(qubits);
        int k = qubits.Length;
        if (k < 1 || k > Kernels.Accelerator.MaxMatrixQubits)
        {
            throw new ArgumentException($"Unitary needs 1…{Kernels.Accelerator.MaxMatrixQubits} qubits, got {k}", nameof(qubits));
        }
        int[] q = (int[])qubits.Clone();
        CheckQubits(GateKind.Unitary, q);
        int dim = 1 << k;
        if (matrix.GetLength(0) != dim || matrix.GetLength(1) != dim)
        {
            throw new ArgumentException(
                $"Unitary on {k} qubit(s) needs a {dim} × {dim} matrix, got {matrix.GetLength(0)} × {matrix.GetLength(1)}", nameof(matrix));
        }
        var flat = new Complex[(long)dim * dim];
        for (int r = 0; r < dim; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                Complex v = matrix[r, c];
                if (!double.IsFinite(v.Real) || !double.IsFinite(v.Imaginary))
                {
                    throw new ArgumentException($"entry [{r}, {c}] of the Unitary matrix is {v}: every entry must be finite", nameof(matrix));
                }
                flat[(long)r * dim + c] = v;
            }
        }
        double deviation = UnitarityDeviation(flat, dim);
        if (!(deviation <= Tolerances.Unitarity))
        {
            throw new NonUnitaryMatrixException(
                $"the {dim} × {dim} matrix for Unitary on qubits [{string.Join(", ", q)}] is not unitary: max |U†U − I| = {deviation:G3} exceeds the tolerance {Tolerances.Unitarity:G3}",
                deviation, Tolerances.Unitarity, nameof(matrix));
        }
        _gates.Add(new Gate(GateKind.Unitary, q, [], flat));
        return this;
    }

    /// <summary>Appends every gate of another circuit, acting on the same qubit indices.</summary>
    /// <param name="other">A circuit with at most <see cref="Qubits"/> qubits.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">The circuit is null.</exception>
    /// <exception cref="ArgumentException">It has more qubits than this builder, or uses a parameter name with the
    /// other kind than this builder does.</exception>
    public CircuitBuilder Append(Circuit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Qubits > Qubits)
        {
            throw new ArgumentException($"cannot append a {other.Qubits}-qubit circuit to a {Qubits}-qubit circuit: expected at most {Qubits} qubits", nameof(other));
        }
        var added = new Dictionary<string, ParameterKind>(StringComparer.Ordinal);
        foreach (var p in other.Parameters)
        {
            CheckKind(p, "the appended circuit", nameof(other));
            added[p.Name] = p.Kind;
        }
        foreach (var (name, kind) in added) _parameterKinds[name] = kind;
        _gates.AddRange(other.Gates);
        return this;
    }

    /// <summary>Takes a snapshot of the gates added so far; the builder stays usable.</summary>
    /// <returns>The circuit.</returns>
    public Circuit Build() => new(Qubits, [.. _gates]);

    // ------------------------------------------------------------ validation

    private CircuitBuilder Add(GateKind kind, int[] qubits, Angle[]? angles = null)
    {
        angles ??= [];
        CheckQubits(kind, qubits);
        foreach (var a in angles) CheckAngle(kind, a);
        foreach (var a in angles)
        {
            if (a.Parameter is { } p) CheckKind(p, kind.ToString(), "angle");
        }
        foreach (var a in angles)
        {
            if (a.Parameter is { } p) _parameterKinds[p.Name] = p.Kind;
        }
        _gates.Add(new Gate(kind, qubits, angles));
        return this;
    }

    private void CheckQubits(GateKind kind, int[] qubits)
    {
        for (int j = 0; j < qubits.Length; j++)
        {
            int q = qubits[j];
            if ((uint)q >= (uint)Qubits)
            {
                throw new ArgumentOutOfRangeException("qubit", $"qubit {q} is out of range for a {Qubits}-qubit circuit (expected 0…{Qubits - 1}) in {kind}");
            }
            for (int i = 0; i < j; i++)
            {
                if (qubits[i] == q)
                {
                    throw new ArgumentException($"qubit {q} appears twice in {kind}: the qubits of a gate must be distinct", "qubit");
                }
            }
        }
    }

    private static void CheckAngle(GateKind kind, Angle angle)
    {
        if (angle.IsConstant)
        {
            if (!double.IsFinite(angle.Offset))
            {
                throw new ArgumentException($"the angle of {kind} is {angle.Offset}: a constant angle must be finite", nameof(angle));
            }
            return;
        }
        if (!double.IsFinite(angle.Scale))
        {
            throw new ArgumentException($"the angle of {kind} on '{angle.Parameter!.Name}' has scale {angle.Scale}: scale must be finite", nameof(angle));
        }
        if (!double.IsFinite(angle.Offset))
        {
            throw new ArgumentException($"the angle of {kind} on '{angle.Parameter!.Name}' has offset {angle.Offset}: offset must be finite", nameof(angle));
        }
    }

    private void CheckKind(Parameter p, string where, string paramName)
    {
        if (_parameterKinds.TryGetValue(p.Name, out var kind) && kind != p.Kind)
        {
            string was = kind == ParameterKind.Weight ? "a weight" : "an input";
            throw new ArgumentException($"parameter '{p.Name}' in {where} is {(p.Kind == ParameterKind.Weight ? "a weight" : "an input")}, but the circuit already uses '{p.Name}' as {was}: a name has one kind", paramName);
        }
    }

    /// <summary>The largest entry of |U†U − I| for a row-major dim × dim matrix.</summary>
    internal static double UnitarityDeviation(Complex[] u, int dim)
    {
        // Columns of U as contiguous split planes: col[c][r] = U[r, c].
        var re = new double[(long)dim * dim];
        var im = new double[(long)dim * dim];
        for (int r = 0; r < dim; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                re[(long)c * dim + r] = u[(long)r * dim + c].Real;
                im[(long)c * dim + r] = u[(long)r * dim + c].Imaginary;
            }
        }
        var rowMax = new double[dim];
        void Row(int i)
        {
            double max = 0;
            var ri = re.AsSpan(i * dim, dim);
            var ii = im.AsSpan(i * dim, dim);
            // U†U is Hermitian: the upper triangle suffices.
            for (int j = i; j < dim; j++)
            {
                var rj = re.AsSpan(j * dim, dim);
                var ij = im.AsSpan(j * dim, dim);
                // (U†U)_{ij} = Σ_r conj(U_ri) U_rj
                var (sr, si) = ConjugateDot(ri, ii, rj, ij);
                if (i == j) sr -= 1;
                double d = Math.Sqrt(sr * sr + si * si);
                if (!(d <= max)) max = d;
            }
            rowMax[i] = max;
        }
        if (dim >= 64) Parallel.For(0, dim, Row);
        else for (int i = 0; i < dim; i++) Row(i);
        double worst = 0;
        foreach (double d in rowMax) if (!(d <= worst)) worst = d;
        return worst;
    }

    /// <summary>Σ_r conj(a_r) b_r for split real/imaginary vectors.</summary>
    private static (double Re, double Im) ConjugateDot(ReadOnlySpan<double> ar, ReadOnlySpan<double> ai, ReadOnlySpan<double> br, ReadOnlySpan<double> bi)
    {
        int n = ar.Length, r = 0;
        double sr = 0, si = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            Vector<double> vr = Vector<double>.Zero, vi = Vector<double>.Zero;
            for (; r <= n - Vector<double>.Count; r += Vector<double>.Count)
            {
                var xr = new Vector<double>(ar[r..]);
                var xi = new Vector<double>(ai[r..]);
                var yr = new Vector<double>(br[r..]);
                var yi = new Vector<double>(bi[r..]);
                vr += xr * yr + xi * yi;
                vi += xr * yi - xi * yr;
            }
            sr = Vector.Sum(vr);
            si = Vector.Sum(vi);
        }
        for (; r < n; r++)
        {
            sr += ar[r] * br[r] + ai[r] * bi[r];
            si += ar[r] * bi[r] - ai[r] * br[r];
        }
        return (sr, si);
    }
}
