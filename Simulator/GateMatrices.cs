using System.Numerics;

namespace QSim.Simulator;

/// <summary>
/// Static facts about each <see cref="GateKind"/> and the matrices of its "core": the part that acts on the target
/// qubits once the controls (the leading qubits of a controlled gate) are 1.
/// </summary>
/// <remarks>Row-major; bit j of a core index is target j. Diagonal cores are written as their 2^k diagonal entries,
/// dense cores as 4^k entries. <see cref="GateKind.Unitary"/> is handled by <see cref="Gate"/> itself.</remarks>
internal static class GateMatrices
{
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);

    /// <summary>Qubits the gate acts on (controls included), or −1 for <see cref="GateKind.Unitary"/>.</summary>
    internal static int QubitCount(GateKind kind) => kind switch
    {
        GateKind.H or GateKind.X or GateKind.Y or GateKind.Z or GateKind.S or GateKind.Sdg or GateKind.T or GateKind.Tdg
            or GateKind.SX or GateKind.RX or GateKind.RY or GateKind.RZ or GateKind.Phase or GateKind.U3 => 1,
        GateKind.Toffoli => 3,
        GateKind.Unitary => -1,
        _ => 2,
    };

    /// <summary>Angles the gate takes.</summary>
    internal static int AngleCount(GateKind kind) => kind switch
    {
        GateKind.RX or GateKind.RY or GateKind.RZ or GateKind.Phase or GateKind.CRX or GateKind.CRY or GateKind.CRZ
            or GateKind.CPhase or GateKind.RXX or GateKind.RYY or GateKind.RZZ => 1,
        GateKind.U3 => 3,
        _ => 0,
    };

    /// <summary>Leading qubits that are controls.</summary>
    internal static int ControlCount(GateKind kind) => kind switch
    {
        GateKind.CNOT or GateKind.CY or GateKind.CZ or GateKind.CRX or GateKind.CRY or GateKind.CRZ or GateKind.CPhase => 1,
        GateKind.Toffoli => 2,
        _ => 0,
    };

    /// <summary>Whether the core is diagonal (for every kind but <see cref="GateKind.Unitary"/>).</summary>
    internal static bool HasDiagonalCore(GateKind kind) => kind is GateKind.Z or GateKind.S or GateKind.Sdg
        or GateKind.T or GateKind.Tdg or GateKind.RZ or GateKind.Phase or GateKind.CZ or GateKind.CRZ
        or GateKind.CPhase or GateKind.RZZ;

    /// <summary>Writes the core of a built-in gate: 2^k diagonal entries or 4^k dense entries.</summary>
    /// <param name="kind">Any kind but <see cref="GateKind.Unitary"/>.</param>
    /// <param name="a">The evaluated angles.</param>
    /// <param name="m">Destination of exactly the core's length.</param>
    internal static void WriteCore(GateKind kind, ReadOnlySpan<double> a, Span<Complex> m)
    {
        Complex i = Complex.ImaginaryOne;
        switch (kind)
        {
            case GateKind.H:
                Set2(m, InvSqrt2, InvSqrt2, InvSqrt2, -InvSqrt2);
                break;
            case GateKind.X or GateKind.CNOT or GateKind.Toffoli:
                Set2(m, 0, 1, 1, 0);
                break;
            case GateKind.Y or GateKind.CY:
                Set2(m, 0, -i, i, 0);
                break;
            case GateKind.SX:
                Set2(m, new Complex(0.5, 0.5), new Complex(0.5, -0.5), new Complex(0.5, -0.5), new Complex(0.5, 0.5));
                break;
            case GateKind.Z or GateKind.CZ:
                m[0] = 1; m[1] = -1;
                break;
            case GateKind.S:
                m[0] = 1; m[1] = i;
                break;
            case GateKind.Sdg:
                m[0] = 1; m[1] = -i;
                break;
            case GateKind.T:
                m[0] = 1; m[1] = new Complex(InvSqrt2, InvSqrt2);
                break;
            case GateKind.Tdg:
                m[0] = 1; m[1] = new Complex(InvSqrt2, -InvSqrt2);
                break;
            case GateKind.RX or GateKind.CRX:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                Set2(m, c, new Complex(0, -s), new Complex(0, -s), c);
                break;
            }
            case GateKind.RY or GateKind.CRY:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                Set2(m, c, -s, s, c);
                break;
            }
            case GateKind.RZ or GateKind.CRZ:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                m[0] = new Complex(c, -s); m[1] = new Complex(c, s);
                break;
            }
            case GateKind.Phase or GateKind.CPhase:
                m[0] = 1; m[1] = Cis(a[0]);
                break;
            case GateKind.U3:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                double phi = a[1], lambda = a[2];
                Set2(m, c, -Cis(lambda) * s, Cis(phi) * s, Cis(phi + lambda) * c);
                break;
            }
            case GateKind.Swap:
                m.Clear();
                m[0] = 1; m[1 * 4 + 2] = 1; m[2 * 4 + 1] = 1; m[15] = 1;
                break;
            case GateKind.ISwap:
                m.Clear();
                m[0] = 1; m[1 * 4 + 2] = i; m[2 * 4 + 1] = i; m[15] = 1;
                break;
            case GateKind.RXX:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                m.Clear();
                var off = new Complex(0, -s);
                for (int r = 0; r < 4; r++) { m[r * 4 + r] = c; m[r * 4 + (r ^ 3)] = off; }
                break;
            }
            case GateKind.RYY:
            {
                // Y⊗Y|00⟩ = −|11⟩, Y⊗Y|01⟩ = |10⟩: RYY = c·I − i s·Y⊗Y.
                var (s, c) = Math.SinCos(a[0] / 2);
                m.Clear();
                for (int r = 0; r < 4; r++) m[r * 4 + r] = c;
                m[0 * 4 + 3] = m[3 * 4 + 0] = new Complex(0, s);
                m[1 * 4 + 2] = m[2 * 4 + 1] = new Complex(0, -s);
                break;
            }
            case GateKind.RZZ:
            {
                var (s, c) = Math.SinCos(a[0] / 2);
                Complex even = new(c, -s), odd = new(c, s);
                m[0] = even; m[1] = odd; m[2] = odd; m[3] = even;
                break;
            }
            default:
                throw new InvalidOperationException($"gate kind {kind} has no built-in matrix");
        }
    }

    private static Complex Cis(double phi)
    {
        var (s, c) = Math.SinCos(phi);
        return new Complex(c, s);
    }

    private static void Set2(Span<Complex> m, Complex m00, Complex m01, Complex m10, Complex m11)
    {
        m[0] = m00; m[1] = m01; m[2] = m10; m[3] = m11;
    }

    /// <summary>
    /// Expands a core to the full matrix over controls + targets: bit j of the full index is qubit j of the gate,
    /// the first <paramref name="controls"/> bits being the controls.
    /// </summary>
    internal static Complex[] Expand(ReadOnlySpan<Complex> core, bool coreIsDiagonal, int targets, int controls)
    {
        int coreDim = 1 << targets;
        int dim = coreDim << controls;
        int controlMask = (1 << controls) - 1;
        var full = new Complex[(long)dim * dim];
        for (int r = 0; r < dim; r++)
        {
            if ((r & controlMask) != controlMask)
            {
                full[(long)r * dim + r] = 1;
                continue;
            }
            int cr = r >> controls;
            for (int cc = 0; cc < coreDim; cc++)
            {
                int c = (cc << controls) | controlMask;
                full[(long)r * dim + c] = coreIsDiagonal ? (cr == cc ? core[cr] : Complex.Zero) : core[cr * coreDim + cc];
            }
        }
        return full;
    }
}
