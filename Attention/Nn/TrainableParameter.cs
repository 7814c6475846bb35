using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// A trainable tensor of a <see cref="Module{T}"/>: its value, the gradient that backward passes accumulate into,
/// and whether an optimiser applies weight decay to it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TrainableParameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a parameter with a zero gradient of the value's shape.</summary>
    /// <param name="name">The local name (unique within its module; no dots), e.g. <c>weight</c>.</param>
    /// <param name="value">The initial value (held, not copied).</param>
    /// <param name="weightDecay">Whether decoupled weight decay applies (false for biases, norms and embeddings).</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, white space or contains a dot.</exception>
    public TrainableParameter(string name, Tensor<T> value, bool weightDecay = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name, nameof(name));
        Name = name;
        Value = value;
        Grad = Tensor<T>.Zeros(value.Shape);
        WeightDecay = weightDecay;
    }

    /// <summary>The local name within the owning module (the dotted path comes from <see cref="Module{T}.NamedParameters"/>).</summary>
    public string Name { get; }

    /// <summary>The current value; optimisers update its data in place.</summary>
    public Tensor<T> Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/> (same shape).</summary>
    public Tensor<T> Grad { get; }

    /// <summary>Whether decoupled weight decay applies to this parameter.</summary>
    public bool WeightDecay { get; }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGrad() => Array.Clear(Grad.Data);

    /// <summary>The name and shape.</summary>
    /// <returns>E.g. <c>weight(8, 4)</c>.</returns>
    public override string ToString() => Name + ShapeText.Format(Value.Shape);

    /// <summary>Checks a parameter or module name: non-empty, no white space only, no dots.</summary>
    internal static void CheckName(string name, string paramName)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a parameter or module name must not be empty or white space", paramName);
        }
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"name '{name}' must not contain '.': dots separate the levels of a dotted path", paramName);
        }
    }
}
