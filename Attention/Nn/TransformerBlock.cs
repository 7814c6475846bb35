using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// A pre-norm transformer encoder block, (batch, tokens, dim) → (batch, tokens, dim):
/// <c>h = x + attention(LayerNorm₁(x))</c>, <c>y = h + mlp(LayerNorm₂(h))</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>The attention and MLP modules are given (classical or quantum); each must map (batch, tokens, dim) to the
/// same shape. Parameters: <c>norm1.*</c>, <c>attn.*</c>, <c>norm2.*</c>, <c>mlp.*</c>.</remarks>
public sealed class TransformerBlock<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LayerNorm<T> _norm1;
    private readonly Module<T> _attention;
    private readonly LayerNorm<T> _norm2;
    private readonly Module<T> _mlp;

    /// <summary>Creates the block.</summary>
    /// <param name="dim">Token width (≥ 1).</param>
    /// <param name="attention">The token-mixing module, e.g. <see cref="MultiHeadSelfAttention{T}"/>.</param>
    /// <param name="mlp">The per-token module, e.g. <see cref="Mlp{T}"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is below 1.</exception>
    /// <exception cref="ArgumentNullException">A module is null.</exception>
    /// <exception cref="ArgumentException">The same instance is passed as both modules.</exception>
    public TransformerBlock(int dim, Module<T> attention, Module<T> mlp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentNullException.ThrowIfNull(attention);
        ArgumentNullException.ThrowIfNull(mlp);
        Dim = dim;
        _norm1 = RegisterModule("norm1", new LayerNorm<T>(dim));
        _attention = RegisterModule("attn", attention);
        _norm2 = RegisterModule("norm2", new LayerNorm<T>(dim));
        _mlp = RegisterModule("mlp", mlp);
    }

    /// <summary>Token width.</summary>
    public int Dim { get; }

    /// <summary>The layer and its width.</summary>
    /// <returns>E.g. <c>TransformerBlock(16)</c>.</returns>
    public override string ToString() => $"TransformerBlock({Dim})";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank != 3 || input.Shape[2] != Dim)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(batch, tokens, {Dim})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        Tensor<T> hidden = Residual(input, _attention.Forward(_norm1.Forward(input)), "attention");
        return Residual(hidden, _mlp.Forward(_norm2.Forward(hidden)), "mlp");
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> gradHidden = _norm2.Backward(_mlp.Backward(gradOutput));
        TP.Add(gradHidden.Data, gradOutput.Data, gradHidden.Data);
        Tensor<T> gradInput = _norm1.Backward(_attention.Backward(gradHidden));
        TP.Add(gradInput.Data, gradHidden.Data, gradInput.Data);
        return gradInput;
    }

    private Tensor<T> Residual(Tensor<T> x, Tensor<T> branch, string role)
    {
        if (!branch.HasShape(x.Shape))
        {
            throw new InvalidOperationException(
                $"{this}: the {role} module must map {ShapeText.Format(x.Shape)} to the same shape but returned {ShapeText.Format(branch.Shape)}");
        }
        Tensor<T> sum = Tensor<T>.Zeros(x.Shape);
        TP.Add(x.Data, branch.Data, sum.Data);
        return sum;
    }
}
