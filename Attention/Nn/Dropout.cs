using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability p and the survivors are scaled by
/// 1/(1 − p), so the expectation is unchanged; in evaluation mode (<see cref="Module{T}.Eval"/>) the identity.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>Accepts any shape and keeps it. The mask is drawn from the <see cref="Random"/> given to the
/// constructor, one draw per element in row-major order per training forward pass, so a fixed seed gives a fixed
/// sequence of masks. No parameters.</remarks>
public sealed class Dropout<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _random;
    private T[]? _mask;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">The drop probability p, 0 ≤ p &lt; 1.</param>
    /// <param name="random">The source of the masks.</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Dropout(double probability, Random random)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "the drop probability must lie in [0, 1)");
        }
        ArgumentNullException.ThrowIfNull(random);
        Probability = probability;
        _random = random;
    }

    /// <summary>The drop probability p.</summary>
    public double Probability { get; }

    /// <summary>The layer and its probability.</summary>
    /// <returns>E.g. <c>Dropout(0.1)</c>.</returns>
    public override string ToString() => $"Dropout({Probability})";

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        if (!IsTraining || Probability == 0)
        {
            _mask = null;
            return input.Clone();
        }
        T scale = T.CreateChecked(1.0 / (1.0 - Probability));
        var mask = new T[input.Length];
        Tensor<T> output = Tensor<T>.Zeros(input.Shape);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = _random.NextDouble() < Probability ? T.Zero : scale;
            output.Data[i] = input.Data[i] * mask[i];
        }
        _mask = mask;
        return output;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        if (_mask is null)
        {
            return gradOutput.Clone();
        }
        Tensor<T> gradInput = Tensor<T>.Zeros(gradOutput.Shape);
        TP.Multiply<T>(gradOutput.Data, _mask, gradInput.Data);
        return gradInput;
    }
}
