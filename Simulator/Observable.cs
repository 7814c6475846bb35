using System.Globalization;
using System.Text;
using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// A Hermitian observable: a real-weighted sum of Pauli strings, e.g. <c>0.5·Z0 Z1 − 0.25·X2 + Y3</c>. Immutable;
/// like terms are merged and terms whose coefficients cancel to zero are dropped.
/// </summary>
/// <remarks>Qubit 0 is the least-significant bit of the amplitude index. Terms keep the order in which their Pauli
/// strings first appeared.</remarks>
public sealed class Observable
{
    private readonly (double Coefficient, PauliString Pauli)[] _terms;

    private Observable((double Coefficient, PauliString Pauli)[] terms)
    {
        _terms = terms;
        Terms = Array.AsReadOnly(terms);
        int max = -1;
        foreach (var t in terms) max = Math.Max(max, t.Pauli.MaxQubit);
        MaxQubit = max;
    }

    /// <summary>The terms: distinct Pauli strings with non-zero real coefficients.</summary>
    public IReadOnlyList<(double Coefficient, PauliString Pauli)> Terms { get; }

    /// <summary>The highest qubit any term acts on, or −1 when the observable acts on none (a multiple of the identity or zero).</summary>
    public int MaxQubit { get; }

    /// <summary>The identity observable (its expectation is 1 on a normalised state).</summary>
    public static Observable Identity { get; } = new([(1.0, PauliString.Identity)]);

    /// <summary>Pauli X on one qubit.</summary>
    /// <param name="qubit">Qubit index, 0…63.</param>
    /// <returns>The observable.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is outside 0…63.</exception>
    public static Observable X(int qubit) => FromPauli(PauliString.Single('X', qubit));

    /// <summary>Pauli Y on one qubit.</summary>
    /// <param name="qubit">Qubit index, 0…63.</param>
    /// <returns>The observable.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is outside 0…63.</exception>
    public static Observable Y(int qubit) => FromPauli(PauliString.Single('Y', qubit));

    /// <summary>Pauli Z on one qubit.</summary>
    /// <param name="qubit">Qubit index, 0…63.</param>
    /// <returns>The observable.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is outside 0…63.</exception>
    public static Observable Z(int qubit) => FromPauli(PauliString.Single('Z', qubit));

    /// <summary>A single weighted Pauli string.</summary>
    /// <param name="pauli">The Pauli string.</param>
    /// <param name="coefficient">Its real coefficient.</param>
    /// <returns>The observable (with no terms when the coefficient is 0).</returns>
    /// <exception cref="ArgumentException">The coefficient is NaN or infinite.</exception>
    public static Observable FromPauli(PauliString pauli, double coefficient = 1)
    {
        CheckFinite(coefficient, nameof(coefficient));
        return new Observable(coefficient == 0 ? [] : [(coefficient, pauli)]);
    }

    /// <summary>
    /// Parses a sum such as <c>"0.5*Z0 Z1 - 0.25*X2 + Y3"</c>. Each term is an optional coefficient (optionally
    /// followed by <c>*</c>) and a product of Pauli factors (<c>X</c>, <c>Y</c>, <c>Z</c> with a qubit index, or
    /// <c>I</c>), separated by spaces or <c>*</c>; a lone number is a multiple of the identity.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The observable.</returns>
    /// <exception cref="ArgumentNullException">The text is null.</exception>
    /// <exception cref="FormatException">The text is malformed; the message gives the position.</exception>
    public static Observable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ObservableParser(text).Parse();
    }

    /// <summary>Builds an observable from raw terms, merging like terms and dropping zeros.</summary>
    /// <param name="terms">The terms.</param>
    /// <returns>The observable.</returns>
    /// <exception cref="ArgumentException">A coefficient, or a sum of merged coefficients, is not finite.</exception>
    internal static Observable FromTerms(IEnumerable<(double Coefficient, PauliString Pauli)> terms)
    {
        var order = new List<PauliString>();
        var sums = new Dictionary<PauliString, double>();
        foreach (var (c, p) in terms)
        {
            CheckFinite(c, "coefficient");
            if (sums.TryGetValue(p, out double s)) sums[p] = s + c;
            else { sums[p] = c; order.Add(p); }
        }
        var result = new List<(double, PauliString)>(order.Count);
        foreach (var p in order)
        {
            double c = sums[p];
            if (!double.IsFinite(c))
            {
                throw new ArgumentException($"the coefficients of '{p}' add up to {c}: coefficients must be finite", "coefficient");
            }
            if (c != 0) result.Add((c, p));
        }
        return new Observable([.. result]);
    }

    /// <summary>The sum of two observables.</summary>
    /// <param name="left">First observable.</param>
    /// <param name="right">Second observable.</param>
    /// <returns>The sum, like terms merged.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">A merged coefficient overflows.</exception>
    public static Observable operator +(Observable left, Observable right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return FromTerms(left._terms.Concat(right._terms));
    }

    /// <summary>The difference of two observables.</summary>
    /// <param name="left">First observable.</param>
    /// <param name="right">Observable subtracted.</param>
    /// <returns>The difference, like terms merged.</returns>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    /// <exception cref="ArgumentException">A merged coefficient overflows.</exception>
    public static Observable operator -(Observable left, Observable right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return FromTerms(left._terms.Concat(right._terms.Select(t => (-t.Coefficient, t.Pauli))));
    }

    /// <summary>The negated observable.</summary>
    /// <param name="operand">The observable.</param>
    /// <returns>−operand.</returns>
    /// <exception cref="ArgumentNullException">The operand is null.</exception>
    public static Observable operator -(Observable operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return new Observable(Array.ConvertAll(operand._terms, t => (-t.Coefficient, t.Pauli)));
    }

    /// <summary>The observable scaled by a real factor.</summary>
    /// <param name="factor">The factor.</param>
    /// <param name="operand">The observable.</param>
    /// <returns>factor · operand (no terms when the factor is 0).</returns>
    /// <exception cref="ArgumentNullException">The observable is null.</exception>
    /// <exception cref="ArgumentException">The factor is not finite, or a scaled coefficient overflows.</exception>
    public static Observable operator *(double factor, Observable operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        CheckFinite(factor, nameof(factor));
        return FromTerms(operand._terms.Select(t => (factor * t.Coefficient, t.Pauli)));
    }

    /// <summary>The observable scaled by a real factor.</summary>
    /// <param name="operand">The observable.</param>
    /// <param name="factor">The factor.</param>
    /// <returns>operand · factor.</returns>
    /// <exception cref="ArgumentNullException">The observable is null.</exception>
    /// <exception cref="ArgumentException">The factor is not finite, or a scaled coefficient overflows.</exception>
    public static Observable operator *(Observable operand, double factor) => factor * operand;

    /// <summary>Formats the observable so that <see cref="Parse"/> reads it back, e.g. <c>0.5*Z0 Z1 - 0.25*X2 + Y3</c>.</summary>
    /// <returns>The text; <c>0</c> for an observable with no terms.</returns>
    public override string ToString()
    {
        if (_terms.Length == 0) return "0";
        var sb = new StringBuilder();
        for (int k = 0; k < _terms.Length; k++)
        {
            var (c, p) = _terms[k];
            double magnitude = Math.Abs(c);
            if (k == 0) { if (c < 0) sb.Append('-'); }
            else sb.Append(c < 0 ? " - " : " + ");
            if (p.Support == 0) sb.Append(Angle.Format(magnitude));
            else if (magnitude == 1) sb.Append(p);
            else sb.Append(Angle.Format(magnitude)).Append('*').Append(p);
        }
        return sb.ToString();
    }

    private static void CheckFinite(double value, string paramName)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"coefficient {value} is not finite: coefficients must be finite", paramName);
        }
    }

    /// <summary>A recursive-descent parser for <see cref="Parse"/>.</summary>
    private ref struct ObservableParser
    {
        private readonly string _text;
        private int _pos;

        public ObservableParser(string text)
        {
            _text = text;
            _pos = 0;
        }

        public Observable Parse()
        {
            var terms = new List<(double, PauliString)>();
            SkipSpace();
            if (_pos == _text.Length) throw Error("the text is empty: expected a term such as 0.5*Z0 Z1");
            double sign = 1;
            if (Peek is '+' or '-') { sign = Peek == '-' ? -1 : 1; _pos++; SkipSpace(); }
            while (true)
            {
                terms.Add(ParseTerm(sign));
                SkipSpace();
                if (_pos == _text.Length) break;
                if (Peek is not ('+' or '-')) throw Error($"unexpected '{Peek}': expected '+', '-' or the end");
                sign = Peek == '-' ? -1 : 1;
                _pos++;
                SkipSpace();
            }
            try
            {
                return FromTerms(terms);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"'{_text}' is not a valid observable: {e.Message}", e);
            }
        }

        private readonly char Peek => _pos < _text.Length ? _text[_pos] : '\0';

        private (double, PauliString) ParseTerm(double sign)
        {
            double coefficient = sign;
            bool needFactor = false;
            if (char.IsAsciiDigit(Peek) || Peek == '.')
            {
                coefficient *= ParseNumber();
                SkipSpace();
                if (Peek == '*') { _pos++; SkipSpace(); needFactor = true; }
            }
            else
            {
                needFactor = true;
            }
            ulong x = 0, z = 0, seen = 0;
            while (true)
            {
                char op = char.ToUpperInvariant(Peek);
                if (op is not ('I' or 'X' or 'Y' or 'Z'))
                {
                    if (!needFactor) break;
                    throw Error(_pos == _text.Length
                        ? "the text ends where a Pauli factor was expected"
                        : $"unexpected '{Peek}': expected a coefficient or a Pauli factor (X, Y or Z with a qubit index, or I)");
                }
                int opPos = _pos++;
                int start = _pos;
                while (char.IsAsciiDigit(Peek)) _pos++;
                if (start == _pos)
                {
                    if (op != 'I') { _pos = opPos; throw Error($"'{_text[opPos]}' has no qubit index: expected e.g. {op}0"); }
                }
                else
                {
                    string digits = _text[start.._pos];
                    if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int q) || q > 63)
                    {
                        _pos = start;
                        throw Error($"qubit index {digits} is out of range: expected 0…63");
                    }
                    ulong bit = 1UL << q;
                    if ((seen & bit) != 0) { _pos = opPos; throw Error($"qubit {q} appears twice in one term"); }
                    seen |= bit;
                    if (op is 'X' or 'Y') x |= bit;
                    if (op is 'Z' or 'Y') z |= bit;
                }
                needFactor = false;
                int save = _pos;
                SkipSpace();
                if (Peek == '*') { _pos++; SkipSpace(); needFactor = true; }
                else if (!char.IsAsciiLetter(Peek)) { _pos = save; break; }
            }
            return (coefficient, new PauliString(x, z));
        }

        private double ParseNumber()
        {
            int start = _pos;
            while (char.IsAsciiDigit(Peek)) _pos++;
            if (Peek == '.') { _pos++; while (char.IsAsciiDigit(Peek)) _pos++; }
            if (Peek is 'e' or 'E')
            {
                int save = _pos++;
                if (Peek is '+' or '-') _pos++;
                if (!char.IsAsciiDigit(Peek)) _pos = save;
                else while (char.IsAsciiDigit(Peek)) _pos++;
            }
            var span = _text.AsSpan(start, _pos - start);
            if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                _pos = start;
                throw Error($"'{span}' is not a finite number");
            }
            return value;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private readonly FormatException Error(string what) =>
            new($"'{_text}' is not a valid observable: at position {_pos}, {what}");
    }
}
