using System.Text;

namespace QSim.Attention;

/// <summary>Shape formatting and the wording of shape errors, in one place.</summary>
internal static class ShapeText
{
    /// <summary>Formats a shape as <c>(2, 3, 4)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(shape[i]);
        }
        return text.Append(')').ToString();
    }

    /// <summary>
    /// The error for a tensor of the wrong shape:
    /// <c>Linear: expected input of shape (…, 4) but got (2, 3, 5)</c>.
    /// </summary>
    public static ArgumentException Mismatch(string owner, string what, string expected, ReadOnlySpan<int> actual, string paramName) =>
        new($"{owner}: expected {what} of shape {expected} but got {Format(actual)}", paramName);

    /// <summary>The display name of a type: its name without the generic arity suffix.</summary>
    public static string TypeName(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
