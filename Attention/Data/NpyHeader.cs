using System.Globalization;
using System.Text;

namespace QSim.Attention.Data;

/// <summary>
/// The parsed header dictionary of a <c>.npy</c> file: <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>.
/// </summary>
/// <remarks>
/// The header is a Python literal. This parser accepts the subset NumPy writes (a dict of string keys; values that are
/// strings, integers with an optional Python 2 <c>L</c> suffix, <c>True</c>/<c>False</c>/<c>None</c>, tuples and
/// lists) and nothing else; NumPy itself evaluates it with <c>ast.literal_eval</c> and requires exactly the three keys.
/// </remarks>
internal sealed class NpyHeader
{
    private NpyHeader(string descr, bool fortranOrder, int[] shape)
    {
        Descr = descr;
        FortranOrder = fortranOrder;
        Shape = shape;
    }

    /// <summary>The dtype descriptor, e.g. <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    /// <summary>Whether the data is stored column-major.</summary>
    public bool FortranOrder { get; }

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>Parses the header text of array <paramref name="name"/>.</summary>
    /// <param name="text">The header text after the length field.</param>
    /// <param name="name">The array name, for messages.</param>
    /// <returns>The header.</returns>
    /// <exception cref="InvalidDataException">The header is not a dict with exactly 'descr', 'fortran_order' and 'shape'.</exception>
    public static NpyHeader Parse(string text, string name)
    {
        object? literal;
        try
        {
            var parser = new LiteralParser(text);
            literal = parser.ParseValue();
            parser.ExpectEnd();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"npy '{name}': header is not a valid Python literal ({e.Message}): {Shorten(text)}", e);
        }

        if (literal is not Dictionary<string, object?> dict)
            throw new InvalidDataException($"npy '{name}': header is not a dict: {Shorten(text)}");

        string[] required = ["descr", "fortran_order", "shape"];
        var missing = required.Where(k => !dict.ContainsKey(k)).ToArray();
        var extra = dict.Keys.Where(k => !required.Contains(k)).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
        {
            throw new InvalidDataException(
                $"npy '{name}': header must have exactly the keys 'descr', 'fortran_order', 'shape'" +
                (missing.Length > 0 ? $"; missing {string.Join(", ", missing.Select(k => $"'{k}'"))}" : "") +
                (extra.Length > 0 ? $"; unexpected {string.Join(", ", extra.Select(k => $"'{k}'"))}" : ""));
        }

        string descr = dict["descr"] switch
        {
            string s => s,
            List<object?> => throw new InvalidDataException($"npy '{name}': structured dtypes (a list 'descr') are not supported"),
            var other => throw new InvalidDataException($"npy '{name}': 'descr' must be a string, got {Describe(other)}"),
        };
        bool fortran = dict["fortran_order"] is bool b
            ? b
            : throw new InvalidDataException($"npy '{name}': 'fortran_order' must be True or False, got {Describe(dict["fortran_order"])}");
        if (dict["shape"] is not Tuple tuple)
            throw new InvalidDataException($"npy '{name}': 'shape' must be a tuple, got {Describe(dict["shape"])}");

        var shape = new int[tuple.Items.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (tuple.Items[i] is not long dim)
                throw new InvalidDataException($"npy '{name}': shape entry {i} must be an integer, got {Describe(tuple.Items[i])}");
            if (dim < 0 || dim > int.MaxValue)
                throw new InvalidDataException($"npy '{name}': shape entry {i} = {dim} is out of range (0 … {int.MaxValue})");
            shape[i] = (int)dim;
        }
        return new NpyHeader(descr, fortran, shape);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        Tuple => "a tuple",
        List<object?> => "a list",
        Dictionary<string, object?> => "a dict",
        _ => value.GetType().Name,
    };

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= 120 ? text : text[..120] + "…";
    }

    /// <summary>A parsed Python tuple (distinct from a list).</summary>
    private sealed record Tuple(List<object?> Items);

    /// <summary>A recursive-descent parser for the literal subset; throws <see cref="FormatException"/>.</summary>
    private sealed class LiteralParser(string text)
    {
        private const int MaxDepth = 32;
        private int _pos;
        private int _depth;

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}' after the literal");
        }

        public object? ParseValue()
        {
            SkipWhitespace();
            if (_pos >= text.Length) throw Error("unexpected end of header");
            if (++_depth > MaxDepth) throw Error("nesting is too deep");
            try
            {
                char c = text[_pos];
                return c switch
                {
                    '{' => ParseDict(),
                    '(' => ParseTuple(),
                    '[' => ParseList(),
                    '\'' or '"' => ParseString(),
                    _ when c == '-' || c == '+' || char.IsAsciiDigit(c) => ParseInteger(),
                    _ when char.IsAsciiLetter(c) => ParseName(),
                    _ => throw Error($"unexpected '{c}'"),
                };
            }
            finally
            {
                _depth--;
            }
        }

        private Dictionary<string, object?> ParseDict()
        {
            _pos++; // {
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('}')) return dict;
                if (ParseValue() is not string key) throw Error("dict keys must be strings");
                SkipWhitespace();
                if (!TryConsume(':')) throw Error($"expected ':' after key '{key}'");
                var value = ParseValue();
                if (!dict.TryAdd(key, value)) throw Error($"duplicate key '{key}'");
                SkipWhitespace();
                if (TryConsume('}')) return dict;
                if (!TryConsume(',')) throw Error("expected ',' or '}' in dict");
            }
        }

        private object? ParseTuple()
        {
            _pos++; // (
            var items = new List<object?>();
            bool sawComma = false;
            while (true)
            {
                SkipWhitespace();
                if (TryConsume(')'))
                {
                    // "(x)" is a parenthesised value, not a tuple; "()" and "(x,)" are tuples.
                    return items.Count == 1 && !sawComma ? items[0] : new Tuple(items);
                }
                items.Add(ParseValue());
                SkipWhitespace();
                if (TryConsume(')')) return items.Count == 1 && !sawComma ? items[0] : new Tuple(items);
                if (!TryConsume(',')) throw Error("expected ',' or ')' in tuple");
                sawComma = true;
            }
        }

        private List<object?> ParseList()
        {
            _pos++; // [
            var items = new List<object?>();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume(']')) return items;
                items.Add(ParseValue());
                SkipWhitespace();
                if (TryConsume(']')) return items;
                if (!TryConsume(',')) throw Error("expected ',' or ']' in list");
            }
        }

        private string ParseString()
        {
            char quote = text[_pos++];
            var sb = new StringBuilder();
            while (_pos < text.Length)
            {
                char c = text[_pos++];
                if (c == quote) return sb.ToString();
                if (c == '\\')
                {
                    if (_pos >= text.Length) break;
                    char e = text[_pos++];
                    sb.Append(e switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        _ => e, // \\ \' \" and anything else taken literally
                    });
                    continue;
                }
                if (c == '\n') throw Error("newline inside a string");
                sb.Append(c);
            }
            throw Error("unterminated string");
        }

        private long ParseInteger()
        {
            int start = _pos;
            if (text[_pos] is '-' or '+') _pos++;
            int digits = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            if (_pos == digits) throw Error("expected digits");
            if (!long.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw Error($"integer '{text[start.._pos]}' is out of range");
            if (_pos < text.Length && text[_pos] is 'L' or 'l') _pos++; // Python 2 long suffix
            if (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '.'))
                throw Error($"unexpected '{text[_pos]}' in a number (only integers are allowed)");
            return value;
        }

        private object? ParseName()
        {
            int start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
            string word = text[start.._pos];
            return word switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                _ => throw Error($"unexpected name '{word}'"),
            };
        }

        private bool TryConsume(char c)
        {
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private void SkipWhitespace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        private FormatException Error(string message) => new($"{message} at offset {_pos}");
    }
}
