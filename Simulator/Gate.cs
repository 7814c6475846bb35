using System.Numerics;
using System.Text;

namespace QSim.Simulator;

/// <summary>
/// One immutable gate of a <see cref="Circuit"/>: its kind, the qubits it acts on and its angles. Gates are made by
/// <see cref="CircuitBuilder"/>.
/// </summary>
/// <remarks>
/// <para>Qubit 0 is the least-significant bit of the amplitude index. <see cref="Qubits"/> are in the order given to
/// the builder; for controlled gates the controls come first: <c>CNOT(control, target)</c>,
/// <c>Toffoli(control0, control1, target)</c>, <c>CRX(control, target, θ)</c>.</para>
/// <para><see cref="GetMatrix"/> returns the full 2^k × 2^k matrix over all k qubits of the gate, row-major, where bit
/// j of the row and column index is the value of <c>Qubits[j]</c>. The matrices are listed in <c>docs/simulator.md</c>.</para>
/// </remarks>
public sealed class Gate
{
    private readonly int[] _qubits;
    private readonly Angle[] _angles;
    private readonly Complex[]? _matrix;
    private readonly bool _isDiagonal;

    /// <summary>Creates a gate from validated parts (the builder checks qubits, angles and matrices).</summary>
    internal Gate(GateKind kind, int[] qubits, Angle[] angles, Complex[]? matrix = null, bool? matrixIsDiagonal = null)
    {
        Kind = kind;
        _qubits = qubits;
        _angles = angles;
        _matrix = matrix;
        Qubits = Array.AsReadOnly(qubits);
        Angles = Array.AsReadOnly(angles);
        IsParameterized = Array.Exists(angles, a => !a.IsConstant);
        _isDiagonal = kind == GateKind.Unitary
            ? matrixIsDiagonal ?? IsDiagonalMatrix(matrix!, 1 << qubits.Length)
            : GateMatrices.HasDiagonalCore(kind);
    }

    /// <summary>The kind of gate.</summary>
    public GateKind Kind { get; }

    /// <summary>The qubits the gate acts on, controls first; bit j of a <see cref="GetMatrix"/> index is <c>Qubits[j]</c>.</summary>
    public IReadOnlyList<int> Qubits { get; }

    /// <summary>The gate's angles in radians: none, one (θ or φ), or three for <see cref="GateKind.U3"/> (θ, φ, λ).</summary>
    public IReadOnlyList<Angle> Angles { get; }

    /// <summary>Whether any angle depends on a <see cref="Parameter"/>.</summary>
    public bool IsParameterized { get; }

    /// <summary>Whether the gate's matrix is diagonal in the computational basis for every angle.</summary>
    public bool IsDiagonal => _isDiagonal;

    /// <summary>Qubits as a span: controls, then targets.</summary>
    internal ReadOnlySpan<int> QubitSpan => _qubits;

    /// <summary>Angles as a span.</summary>
    internal ReadOnlySpan<Angle> AngleSpan => _angles;

    /// <summary>Number of leading qubits that are controls.</summary>
    internal int ControlCount => GateMatrices.ControlCount(Kind);

    /// <summary>The control qubits.</summary>
    internal ReadOnlySpan<int> Controls => _qubits.AsSpan(0, ControlCount);

    /// <summary>The target qubits (bit j of a core index is target j).</summary>
    internal ReadOnlySpan<int> Targets => _qubits.AsSpan(ControlCount);

    /// <summary>Whether the core is applied as a diagonal.</summary>
    internal bool CoreIsDiagonal => Kind == GateKind.Unitary ? _isDiagonal : GateMatrices.HasDiagonalCore(Kind);

    /// <summary>Entries of the core: 2^k for a diagonal core, 4^k for a dense one (k = targets).</summary>
    internal int CoreLength => CoreIsDiagonal ? 1 << Targets.Length : 1 << (2 * Targets.Length);

    /// <summary>
    /// The full matrix of the gate over all of its <see cref="Qubits"/>, row-major, 2^k × 2^k, with bit j of the row
    /// and column index equal to the value of <c>Qubits[j]</c> (qubit 0 of the gate is the least-significant bit).
    /// </summary>
    /// <param name="angleValues">The evaluated angles in radians, one per entry of <see cref="Angles"/> (for a
    /// parameterised angle, <c>Scale · value + Offset</c>). An empty span is accepted for a gate whose angles are all
    /// constant and then uses those constants.</param>
    /// <returns>A new array of 4^k entries.</returns>
    /// <exception cref="ArgumentException">The number of angle values is wrong, or a value is NaN or infinite.</exception>
    public Complex[] GetMatrix(ReadOnlySpan<double> angleValues)
    {
        if (angleValues.Length == 0 && _angles.Length > 0 && !IsParameterized)
        {
            angleValues = Array.ConvertAll(_angles, a => a.Offset);
        }
        if (angleValues.Length != _angles.Length)
        {
            throw new ArgumentException($"{Kind} takes {_angles.Length} angle value(s), got {angleValues.Length}", nameof(angleValues));
        }
        for (int j = 0; j < angleValues.Length; j++)
        {
            if (!double.IsFinite(angleValues[j]))
            {
                throw new ArgumentException($"angle value {j} of {Kind} is {angleValues[j]}: angles must be finite", nameof(angleValues));
            }
        }
        if (Kind == GateKind.Unitary) return (Complex[])_matrix!.Clone();
        var core = new Complex[CoreLength];
        GateMatrices.WriteCore(Kind, angleValues, core);
        return GateMatrices.Expand(core, CoreIsDiagonal, Targets.Length, ControlCount);
    }

    /// <summary>Writes the core (matrix on the targets) for evaluated, finite angles.</summary>
    /// <param name="angleValues">One value per angle.</param>
    /// <param name="destination">Exactly <see cref="CoreLength"/> entries.</param>
    internal void WriteCore(ReadOnlySpan<double> angleValues, Span<Complex> destination)
    {
        if (Kind != GateKind.Unitary)
        {
            GateMatrices.WriteCore(Kind, angleValues, destination);
        }
        else if (_isDiagonal)
        {
            int dim = 1 << _qubits.Length;
            for (int r = 0; r < dim; r++) destination[r] = _matrix![(long)r * dim + r];
        }
        else
        {
            _matrix.AsSpan().CopyTo(destination);
        }
    }

    /// <summary>The adjoint gate: negated angles, or the conjugate transpose where no kind expresses it.</summary>
    internal Gate Adjoint()
    {
        switch (Kind)
        {
            case GateKind.H or GateKind.X or GateKind.Y or GateKind.Z or GateKind.CNOT or GateKind.CY or GateKind.CZ
                or GateKind.Swap or GateKind.Toffoli:
                return this;
            case GateKind.S: return new Gate(GateKind.Sdg, _qubits, _angles);
            case GateKind.Sdg: return new Gate(GateKind.S, _qubits, _angles);
            case GateKind.T: return new Gate(GateKind.Tdg, _qubits, _angles);
            case GateKind.Tdg: return new Gate(GateKind.T, _qubits, _angles);
            case GateKind.U3:
                // U3(θ, φ, λ)† = U3(−θ, −λ, −φ)
                return new Gate(GateKind.U3, _qubits, [_angles[0].Negated(), _angles[2].Negated(), _angles[1].Negated()]);
            case GateKind.SX or GateKind.ISwap or GateKind.Unitary:
            {
                Complex[] m = Kind == GateKind.Unitary ? _matrix! : GetMatrix([]);
                int dim = 1 << _qubits.Length;
                var adjoint = new Complex[m.Length];
                for (int r = 0; r < dim; r++)
                {
                    for (int c = 0; c < dim; c++) adjoint[(long)c * dim + r] = Complex.Conjugate(m[(long)r * dim + c]);
                }
                return new Gate(GateKind.Unitary, _qubits, [], adjoint, Kind == GateKind.Unitary ? _isDiagonal : null);
            }
            default:
                return new Gate(Kind, _qubits, Array.ConvertAll(_angles, a => a.Negated()));
        }
    }

    private static bool IsDiagonalMatrix(Complex[] m, int dim)
    {
        for (int r = 0; r < dim; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                if (r != c && m[(long)r * dim + c] != Complex.Zero) return false;
            }
        }
        return true;
    }

    /// <summary>Formats the gate, e.g. <c>RX(2*x0 + 0.1) q3</c> or <c>CNOT q0, q1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(Kind.ToString());
        if (Kind == GateKind.Unitary) sb.Append('[').Append(_qubits.Length).Append(']');
        if (_angles.Length > 0) sb.Append('(').AppendJoin(", ", _angles).Append(')');
        sb.Append(' ');
        for (int j = 0; j < _qubits.Length; j++)
        {
            if (j > 0) sb.Append(", ");
            sb.Append('q').Append(_qubits[j]);
        }
        return sb.ToString();
    }
}
