using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// Layer normalisation over the last dimension with a learned scale and shift:
/// <c>y = (x − mean) / √(var + ε) · γ + β</c>, the variance biased (divided by dim), as in PyTorch.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>Accepts any input of rank ≥ 1 whose last dimension is <see cref="Dim"/> and keeps its shape.
/// Parameters: <c>weight</c> (γ, ones) and <c>bias</c> (β, zeros), neither decayed.</remarks>
public sealed class LayerNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _normalized;
    private T[]? _inverseStd;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    /// <param name="dim">The normalised width (≥ 1).</param>
    /// <param name="epsilon">The variance offset ε (&gt; 0), 1e-5 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is below 1 or ε is not positive and finite.</exception>
    public LayerNorm(int dim, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite");
        }
        Dim = dim;
        Epsilon = epsilon;
        Weight = RegisterParameter("weight", Init<T>.Constant(T.One, dim), weightDecay: false);
        Bias = RegisterParameter("bias", Tensor<T>.Zeros(dim), weightDecay: false);
    }

    /// <summary>The normalised width.</summary>
    public int Dim { get; }

    /// <summary>The variance offset ε.</summary>
    public double Epsilon { get; }

    /// <summary>The scale γ, shape (dim).</summary>
    public TrainableParameter<T> Weight { get; }

    /// <summary>The shift β, shape (dim).</summary>
    public TrainableParameter<T> Bias { get; }

    /// <summary>The layer and its width.</summary>
    /// <returns>E.g. <c>LayerNorm(16)</c>.</returns>
    public override string ToString() => $"LayerNorm({Dim})";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank < 1 || input.Shape[^1] != Dim)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(…, {Dim})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        int rows = input.Length / Dim;
        T n = T.CreateChecked(Dim);
        T epsilon = T.CreateChecked(Epsilon);
        var normalized = Tensor<T>.Zeros(input.Shape);
        var inverseStd = new T[rows];
        Tensor<T> output = Tensor<T>.Zeros(input.Shape);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> x = input.Data.AsSpan(r * Dim, Dim);
            Span<T> xHat = normalized.Data.AsSpan(r * Dim, Dim);
            T mean = TP.Sum(x) / n;
            TP.Subtract(x, mean, xHat);
            T variance = TP.SumOfSquares<T>(xHat) / n;
            T inv = T.One / T.Sqrt(variance + epsilon);
            inverseStd[r] = inv;
            TP.Multiply<T>(xHat, inv, xHat);
            TP.FusedMultiplyAdd(xHat, Weight.Value.Data, Bias.Value.Data, output.Data.AsSpan(r * Dim, Dim));
        }
        _normalized = normalized;
        _inverseStd = inverseStd;
        return output;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> normalized = _normalized!;
        T[] inverseStd = _inverseStd!;
        int rows = normalized.Length / Dim;
        T n = T.CreateChecked(Dim);
        Tensor<T> gradInput = Tensor<T>.Zeros(normalized.Shape);
        var gradNormalized = new T[Dim];
        Span<T> gradGamma = Weight.Grad.Data;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> dy = gradOutput.Data.AsSpan(r * Dim, Dim);
            ReadOnlySpan<T> xHat = normalized.Data.AsSpan(r * Dim, Dim);
            Span<T> dx = gradInput.Data.AsSpan(r * Dim, Dim);

            // dγ += dy ⊙ x̂, dβ += dy.
            TP.FusedMultiplyAdd(dy, xHat, gradGamma, gradGamma);
            TP.Add(Bias.Grad.Data, dy, Bias.Grad.Data);

            // dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dy ⊙ γ.
            TP.Multiply(dy, Weight.Value.Data, gradNormalized);
            T meanGrad = TP.Sum<T>(gradNormalized) / n;
            T meanGradDotX = TP.Dot<T>(gradNormalized, xHat) / n;
            TP.Subtract<T>(gradNormalized, meanGrad, dx);
            TP.MultiplyAdd(xHat, -meanGradDotX, dx, dx);
            TP.Multiply<T>(dx, inverseStd[r], dx);
        }
        return gradInput;
    }
}
