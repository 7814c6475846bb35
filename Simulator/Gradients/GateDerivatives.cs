using System.Numerics;

namespace QSim.Simulator;

/// <summary>
/// Exact derivatives of gate matrices with respect to one of their angles, and the parameter-shift rule that
/// differentiates each gate kind.
/// </summary>
/// <remarks>
/// Every built-in rotation (RX, RY, RZ, RXX, RYY, RZZ, the controlled rotations' cores, and U3's θ) has entries that
/// are combinations of cos(θ/2) and sin(θ/2), so <c>dM/dθ = ½ M(θ + π)</c>. Phase-type angles (Phase, CPhase, U3's φ
/// and λ) multiply entries by e^{iφ}, whose derivative is i·e^{iφ}; entries that do not depend on the angle get 0.
/// Controlled gates differentiate to zero on the subspace where a control is 0.
/// </remarks>
internal static class GateDerivatives
{
    /// <summary>How a gate kind's angle is differentiated by parameter shifts.</summary>
    internal enum ShiftRule
    {
        /// <summary>Generator eigenvalues differ by one frequency: [E(θ+π/2) − E(θ−π/2)] / 2.</summary>
        TwoTerm,

        /// <summary>Controlled rotations (frequencies ½ and 1): the four-term rule of Wierichs et al. (2022).</summary>
        FourTerm,
    }

    /// <summary>The shift rule for a parameterised gate kind.</summary>
    internal static ShiftRule Rule(GateKind kind) =>
        kind is GateKind.CRX or GateKind.CRY or GateKind.CRZ ? ShiftRule.FourTerm : ShiftRule.TwoTerm;

    /// <summary>
    /// Writes <c>dM/dθ_j</c>, the derivative of the gate's full matrix (over all of its qubits, the layout of
    /// <see cref="Gate.GetMatrix"/>) with respect to angle <paramref name="j"/>, at the evaluated angles.
    /// </summary>
    /// <param name="gate">A gate with at least one angle (not <see cref="GateKind.Unitary"/>).</param>
    /// <param name="angles">Its evaluated angles.</param>
    /// <param name="j">Which angle.</param>
    /// <param name="destination">4^k entries, k = the gate's qubit count.</param>
    internal static void WriteFull(Gate gate, ReadOnlySpan<double> angles, int j, Span<Complex> destination)
    {
        int targets = gate.Targets.Length, controls = gate.ControlCount;
        int coreDim = 1 << targets;
        Span<Complex> core = stackalloc Complex[coreDim * coreDim];
        WriteCore(gate, angles, j, core);
        int dim = coreDim << controls;
        int controlMask = (1 << controls) - 1;
        destination[..(dim * dim)].Clear();
        for (int r = 0; r < dim; r++)
        {
            if ((r & controlMask) != controlMask) continue;
            int cr = r >> controls;
            for (int cc = 0; cc < coreDim; cc++)
            {
                destination[r * dim + ((cc << controls) | controlMask)] = core[cr * coreDim + cc];
            }
        }
    }

    /// <summary>The dense derivative of the core (the matrix on the targets).</summary>
    internal static void WriteCore(Gate gate, ReadOnlySpan<double> angles, int j, Span<Complex> dense)
    {
        var kind = gate.Kind;
        int coreDim = 1 << gate.Targets.Length;
        Span<double> shifted = stackalloc double[angles.Length];
        angles.CopyTo(shifted);
        Span<Complex> raw = stackalloc Complex[gate.CoreLength];
        switch (kind)
        {
            case GateKind.Phase or GateKind.CPhase:
            {
                var (s, c) = Math.SinCos(angles[0]);
                dense.Clear();
                dense[3] = new Complex(-s, c); // d/dφ e^{iφ} = i e^{iφ}
                return;
            }
            case GateKind.U3 when j > 0:
            {
                gate.WriteCore(angles, raw);
                Complex i = Complex.ImaginaryOne;
                if (j == 1)
                {
                    // φ multiplies the bottom row: dU/dφ = diag(0, i)·U.
                    dense[0] = 0; dense[1] = 0; dense[2] = i * raw[2]; dense[3] = i * raw[3];
                }
                else
                {
                    // λ multiplies the right column: dU/dλ = U·diag(0, i).
                    dense[0] = 0; dense[1] = i * raw[1]; dense[2] = 0; dense[3] = i * raw[3];
                }
                return;
            }
            default:
                shifted[j] += Math.PI;
                gate.WriteCore(shifted, raw);
                dense.Clear();
                if (gate.CoreIsDiagonal)
                {
                    for (int r = 0; r < coreDim; r++) dense[r * coreDim + r] = 0.5 * raw[r];
                }
                else
                {
                    for (int x = 0; x < raw.Length; x++) dense[x] = 0.5 * raw[x];
                }
                return;
        }
    }
}
