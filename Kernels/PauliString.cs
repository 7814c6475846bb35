using System.Numerics;
using System.Text;

namespace QSim.Kernels;

/// <summary>
/// A tensor product of single-qubit Pauli operators (I, X, Y, Z) on up to 64 qubits, stored as two bit masks.
/// </summary>
/// <remarks>Bit <c>q</c> of <see cref="XMask"/> is set where the operator on qubit <c>q</c> is X or Y; bit <c>q</c> of
/// <see cref="ZMask"/> where it is Z or Y. Qubit 0 is the least-significant bit of the amplitude index.</remarks>
public readonly record struct PauliString
{
    /// <summary>Creates a Pauli string from its masks.</summary>
    /// <param name="xMask">Qubits carrying X or Y.</param>
    /// <param name="zMask">Qubits carrying Z or Y.</param>
    public PauliString(ulong xMask, ulong zMask)
    {
        XMask = xMask;
        ZMask = zMask;
    }

    /// <summary>Qubits whose operator is X or Y.</summary>
    public ulong XMask { get; }

    /// <summary>Qubits whose operator is Z or Y.</summary>
    public ulong ZMask { get; }

    /// <summary>Number of Y factors.</summary>
    public int YCount => BitOperations.PopCount(XMask & ZMask);

    /// <summary>Qubits that carry a non-identity operator.</summary>
    public ulong Support => XMask | ZMask;

    /// <summary>The highest qubit with a non-identity operator, or −1 for the identity.</summary>
    public int MaxQubit => Support == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(Support);

    /// <summary>The identity.</summary>
    public static PauliString Identity => default;

    /// <summary>One Pauli operator on one qubit.</summary>
    /// <param name="op">'I', 'X', 'Y' or 'Z' (either case).</param>
    /// <param name="qubit">Qubit index, 0…63.</param>
    /// <returns>The string.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is outside 0…63.</exception>
    /// <exception cref="ArgumentException">The operator is not one of I, X, Y, Z.</exception>
    public static PauliString Single(char op, int qubit)
    {
        if ((uint)qubit > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(qubit), $"qubit {qubit} is out of range: a Pauli string spans qubits 0…63");
        }
        ulong bit = 1UL << qubit;
        return char.ToUpperInvariant(op) switch
        {
            'I' => default,
            'X' => new PauliString(bit, 0),
            'Y' => new PauliString(bit, bit),
            'Z' => new PauliString(0, bit),
            _ => throw new ArgumentException($"'{op}' is not a Pauli operator: expected I, X, Y or Z", nameof(op)),
        };
    }

    /// <summary>
    /// Parses a string such as <c>"Z0 Z1"</c>, <c>"X3Y5"</c> or <c>"I"</c>: operator letters each followed by a qubit index.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The Pauli string.</returns>
    /// <exception cref="FormatException">The text is malformed or names a qubit twice.</exception>
    public static PauliString Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong x = 0, z = 0, seen = 0;
        int i = 0;
        bool any = false;
        while (i < text.Length)
        {
            char c = char.ToUpperInvariant(text[i]);
            if (char.IsWhiteSpace(c) || c == '*' || c == '⊗') { i++; continue; }
            if (c is not ('I' or 'X' or 'Y' or 'Z'))
            {
                throw new FormatException($"'{text}' is not a Pauli string: unexpected '{text[i]}' at position {i}; expected I, X, Y or Z followed by a qubit index");
            }
            int start = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            any = true;
            if (start == i)
            {
                if (c == 'I') continue;
                throw new FormatException($"'{text}' is not a Pauli string: '{c}' at position {start - 1} has no qubit index");
            }
            if (!int.TryParse(text.AsSpan(start, i - start), out int q) || q > 63)
            {
                throw new FormatException($"'{text}' is not a Pauli string: qubit index '{text[start..i]}' is outside 0…63");
            }
            ulong bit = 1UL << q;
            if ((seen & bit) != 0)
            {
                throw new FormatException($"'{text}' is not a Pauli string: qubit {q} appears twice");
            }
            seen |= bit;
            if (c is 'X' or 'Y') x |= bit;
            if (c is 'Z' or 'Y') z |= bit;
        }
        if (!any) throw new FormatException("an empty text is not a Pauli string; use \"I\" for the identity");
        return new PauliString(x, z);
    }

    /// <summary>The operator on one qubit.</summary>
    /// <param name="qubit">Qubit index.</param>
    /// <returns>'I', 'X', 'Y' or 'Z'.</returns>
    public char this[int qubit]
    {
        get
        {
            if ((uint)qubit > 63) return 'I';
            bool xb = ((XMask >> qubit) & 1) != 0, zb = ((ZMask >> qubit) & 1) != 0;
            return (xb, zb) switch { (false, false) => 'I', (true, false) => 'X', (true, true) => 'Y', _ => 'Z' };
        }
    }

    /// <summary>Formats as in <see cref="Parse"/>, e.g. <c>"X0 Z3"</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Support == 0) return "I";
        var sb = new StringBuilder();
        for (int q = 0; q < 64; q++)
        {
            char op = this[q];
            if (op == 'I') continue;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(op).Append(q);
        }
        return sb.ToString();
    }
}
