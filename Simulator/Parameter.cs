namespace QSim.Simulator;

/// <summary>
/// A named symbol that a gate angle may depend on. A <see cref="ParameterKind.Weight"/> takes one value shared by the
/// whole batch; an <see cref="ParameterKind.Input"/> takes one value per sample.
/// </summary>
/// <remarks>Two parameters are equal when they have the same <see cref="Name"/> (ordinal comparison) and
/// <see cref="Kind"/>. Values are bound by name with <see cref="ParameterValues"/>.</remarks>
public sealed class Parameter : IEquatable<Parameter>
{
    private Parameter(string name, ParameterKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a parameter name must not be empty or white space", nameof(name));
        }
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), $"{(int)kind} is not a parameter kind: expected Weight or Input");
        }
        Name = name;
        Kind = kind;
    }

    /// <summary>The parameter's name, unique within a circuit.</summary>
    public string Name { get; }

    /// <summary>Whether the parameter is a shared weight or a per-sample input.</summary>
    public ParameterKind Kind { get; }

    /// <summary>Creates a trainable weight: one value shared by the batch.</summary>
    /// <param name="name">A non-empty name.</param>
    /// <returns>The parameter.</returns>
    /// <exception cref="ArgumentNullException">The name is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public static Parameter Weight(string name) => new(name, ParameterKind.Weight);

    /// <summary>Creates a per-sample input: one value per sample of the batch.</summary>
    /// <param name="name">A non-empty name.</param>
    /// <returns>The parameter.</returns>
    /// <exception cref="ArgumentNullException">The name is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public static Parameter Input(string name) => new(name, ParameterKind.Input);

    /// <summary>Whether another parameter has the same name and kind.</summary>
    /// <param name="other">The other parameter.</param>
    /// <returns>True when name and kind agree.</returns>
    public bool Equals(Parameter? other) =>
        other is not null && other.Kind == Kind && string.Equals(other.Name, Name, StringComparison.Ordinal);

    /// <summary>Whether an object is a parameter with the same name and kind.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>True when equal.</returns>
    public override bool Equals(object? obj) => Equals(obj as Parameter);

    /// <summary>A hash of name and kind.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Kind);

    /// <summary>Equality by name and kind.</summary>
    /// <param name="left">First parameter.</param>
    /// <param name="right">Second parameter.</param>
    /// <returns>True when equal (or both null).</returns>
    public static bool operator ==(Parameter? left, Parameter? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by name and kind.</summary>
    /// <param name="left">First parameter.</param>
    /// <param name="right">Second parameter.</param>
    /// <returns>True when not equal.</returns>
    public static bool operator !=(Parameter? left, Parameter? right) => !(left == right);

    /// <summary>The name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>"weight" or "input", for messages.</summary>
    internal string KindText => Kind == ParameterKind.Weight ? "weight" : "input";
}
