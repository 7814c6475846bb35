using System.Numerics;
using System.Numerics.Tensors;

namespace QSim.Simulator;

/// <summary>
/// The core of a one-angle gate written as <c>K + cos(fθ)·A + sin(fθ)·B</c>: every built-in one-angle gate has this
/// form, with f = ½ for the rotations (RX, RY, RZ, RXX, RYY, RZZ and the controlled rotations) and f = 1 for the
/// phase gates (Phase, CPhase). It lets a whole batch of per-sample cores be written row by row from one vectorised
/// sin/cos of the batch's angles, instead of one scalar matrix evaluation per sample; the derivative core is
/// <c>f·(−sin(fθ)·A + cos(fθ)·B)</c>.
/// </summary>
/// <remarks>K, A and B are recovered exactly from the gate's own matrices at three angles (for f = ½: K + A at θ = 0,
/// K + B at π, K − A at 2π), so the form needs no second table of gate definitions.</remarks>
internal sealed class TrigCore
{
    private readonly Complex[] _k, _a, _b;

    private TrigCore(double frequency, Complex[] k, Complex[] a, Complex[] b)
    {
        Frequency = frequency;
        _k = k;
        _a = a;
        _b = b;
    }

    /// <summary>f: the angle's multiplier inside sin and cos.</summary>
    public double Frequency { get; }

    /// <summary>Whether every entry of every core (and derivative) is real.</summary>
    public bool IsReal
    {
        get
        {
            for (int e = 0; e < _k.Length; e++)
            {
                if (_k[e].Imaginary != 0 || _a[e].Imaginary != 0 || _b[e].Imaginary != 0) return false;
            }
            return true;
        }
    }

    /// <summary>The form of <paramref name="gate"/>'s core, or null when it is not a built-in one-angle gate.</summary>
    public static TrigCore? For(Gate gate)
    {
        if (gate.Kind == GateKind.Unitary || gate.AngleSpan.Length != 1) return null;
        double f = gate.Kind is GateKind.Phase or GateKind.CPhase ? 1.0 : 0.5;
        int length = gate.CoreLength;
        var at0 = new Complex[length];
        var atQuarter = new Complex[length];
        var atHalf = new Complex[length];
        // fθ = 0, π/2, π.
        GateMatrices.WriteCore(gate.Kind, [0.0], at0);
        GateMatrices.WriteCore(gate.Kind, [Math.PI / 2 / f], atQuarter);
        GateMatrices.WriteCore(gate.Kind, [Math.PI / f], atHalf);
        var k = new Complex[length];
        var a = new Complex[length];
        var b = new Complex[length];
        for (int e = 0; e < length; e++)
        {
            k[e] = (at0[e] + atHalf[e]) / 2;
            a[e] = (at0[e] - atHalf[e]) / 2;
            b[e] = atQuarter[e] - k[e];
        }
        return new TrigCore(f, k, a, b);
    }

    /// <summary>sin(fθ_b) and cos(fθ_b) for the batch's angles.</summary>
    public void SinCos(ReadOnlySpan<double> angles, Span<double> sin, Span<double> cos)
    {
        TensorPrimitives.Multiply(angles, Frequency, cos);
        TensorPrimitives.SinCos(cos, sin, cos);
    }

    /// <summary>
    /// Writes the cores of a batch into a structure-of-arrays table: entry e's real part in row 2(first + e), its
    /// imaginary part in row 2(first + e) + 1, each row <paramref name="batch"/> values long.
    /// </summary>
    public void WriteCores(double[] table, int first, int batch, ReadOnlySpan<double> sin, ReadOnlySpan<double> cos)
    {
        for (int e = 0; e < _k.Length; e++)
        {
            // K + cos·A + sin·B
            WriteRow(Row(table, 2 * (first + e), batch), _k[e].Real, _a[e].Real, cos, _b[e].Real, sin);
            WriteRow(Row(table, 2 * (first + e) + 1, batch), _k[e].Imaginary, _a[e].Imaginary, cos, _b[e].Imaginary, sin);
        }
    }

    /// <summary>Writes the derivative cores d/dθ of a batch, in the layout of <see cref="WriteCores"/>.</summary>
    public void WriteDerivatives(double[] table, int first, int batch, ReadOnlySpan<double> sin, ReadOnlySpan<double> cos)
    {
        double f = Frequency;
        for (int e = 0; e < _k.Length; e++)
        {
            // f·(cos·B − sin·A)
            WriteRow(Row(table, 2 * (first + e), batch), 0, f * _b[e].Real, cos, -f * _a[e].Real, sin);
            WriteRow(Row(table, 2 * (first + e) + 1, batch), 0, f * _b[e].Imaginary, cos, -f * _a[e].Imaginary, sin);
        }
    }

    private static Span<double> Row(double[] table, int row, int batch) => table.AsSpan(row * batch, batch);

    /// <summary>row = k + p·u + q·v (the same rounding in the vector and the scalar loop: no fused multiply-add).</summary>
    private static void WriteRow(Span<double> row, double k, double p, ReadOnlySpan<double> u, double q, ReadOnlySpan<double> v)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vk = new Vector<double>(k);
            var vp = new Vector<double>(p);
            var vq = new Vector<double>(q);
            for (; i <= row.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (vk + vp * new Vector<double>(u[i..]) + vq * new Vector<double>(v[i..])).CopyTo(row[i..]);
            }
        }
        for (; i < row.Length; i++) row[i] = k + p * u[i] + q * v[i];
    }
}
