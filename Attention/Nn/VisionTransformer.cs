using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// A vision transformer classifier, (batch, channels, size, size) images → (batch, classes) logits:
/// <see cref="PatchEmbedding{T}"/> → <see cref="PositionalEmbedding{T}"/> (with a class token for
/// <see cref="ViTPooling.ClassToken"/>) → dropout → <see cref="VisionTransformerOptions.Depth"/> ×
/// <see cref="TransformerBlock{T}"/> → <see cref="LayerNorm{T}"/> → pooling → <see cref="Linear{T}"/> head.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>All weights come from one <c>new Random(options.Seed)</c> in construction order: patch embedding, positional
/// embedding, then per block the attention and the MLP, then the head; the dropout masks continue from the same
/// generator. A fixed seed therefore gives identical weights and, in training mode, identical masks.</para>
/// <para>The factories replace the classical attention, <see cref="MultiHeadSelfAttention{T}"/>(dim, heads, random), and
/// MLP, <see cref="Mlp{T}"/>(dim, hidden, random, dropout); each receives (dim, heads) or (dim, hidden) and the shared
/// generator, is called once per block and must return a new module mapping (batch, tokens, dim) to the same shape.</para>
/// <para>Parameters: <c>patch.proj.*</c>, <c>pos.position</c>, <c>pos.classToken</c>, <c>blocks.{i}.norm1.*</c>,
/// <c>blocks.{i}.attn.*</c>, <c>blocks.{i}.norm2.*</c>, <c>blocks.{i}.mlp.*</c>, <c>norm.*</c>, <c>head.*</c>.</para>
/// </remarks>
public sealed class VisionTransformer<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PatchEmbedding<T> _patch;
    private readonly PositionalEmbedding<T> _position;
    private readonly Dropout<T>? _dropout;
    private readonly Sequential<T>? _blocks;
    private readonly LayerNorm<T> _norm;
    private readonly Linear<T> _head;
    private int _batch;
    private int _tokens;

    /// <summary>Creates the model.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="attentionFactory">Creates a block's attention from (dim, heads, random); null for classical
    /// multi-head self-attention.</param>
    /// <param name="mlpFactory">Creates a block's MLP from (dim, hidden, random); null for the classical MLP.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null, or a factory returned null.</exception>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent (the message names it).</exception>
    public VisionTransformer(
        VisionTransformerOptions options,
        Func<int, int, Random, Module<T>>? attentionFactory = null,
        Func<int, int, Random, Module<T>>? mlpFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var random = new Random(options.Seed);
        int dim = options.Dim;
        _patch = RegisterModule("patch", new PatchEmbedding<T>(options.Channels, options.ImageSize, options.PatchSize, dim, random));
        _position = RegisterModule("pos", new PositionalEmbedding<T>(_patch.Tokens, dim, options.Pooling == ViTPooling.ClassToken, random));
        if (options.Dropout > 0)
        {
            _dropout = RegisterModule("drop", new Dropout<T>(options.Dropout, random));
        }
        if (options.Depth > 0)
        {
            var blocks = new Module<T>[options.Depth];
            for (int i = 0; i < blocks.Length; i++)
            {
                Module<T> attention = attentionFactory is null
                    ? new MultiHeadSelfAttention<T>(dim, options.Heads, random)
                    : attentionFactory(dim, options.Heads, random) ?? throw new ArgumentNullException(nameof(attentionFactory), $"the attention factory returned null for block {i}");
                Module<T> mlp = mlpFactory is null
                    ? new Mlp<T>(dim, options.MlpHidden, random, options.Dropout)
                    : mlpFactory(dim, options.MlpHidden, random) ?? throw new ArgumentNullException(nameof(mlpFactory), $"the MLP factory returned null for block {i}");
                blocks[i] = new TransformerBlock<T>(dim, attention, mlp);
            }
            _blocks = RegisterModule("blocks", new Sequential<T>(blocks));
        }
        _norm = RegisterModule("norm", new LayerNorm<T>(dim));
        _head = RegisterModule("head", new Linear<T>(dim, options.Classes, random));
    }

    /// <summary>The hyperparameters.</summary>
    public VisionTransformerOptions Options { get; }

    /// <summary>The model and its main sizes.</summary>
    /// <returns>E.g. <c>VisionTransformer(1×8×8, patch 4, dim 16, 2 heads, depth 2, 2 classes)</c>.</returns>
    public override string ToString() =>
        $"VisionTransformer({Options.Channels}×{Options.ImageSize}×{Options.ImageSize}, patch {Options.PatchSize}, dim {Options.Dim}, {Options.Heads} heads, depth {Options.Depth}, {Options.Classes} classes)";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        int c = Options.Channels, s = Options.ImageSize;
        if (input.Rank != 4 || input.Shape[1] != c || input.Shape[2] != s || input.Shape[3] != s)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(batch, {c}, {s}, {s})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        Tensor<T> x = _position.Forward(_patch.Forward(input));
        if (_dropout is not null) x = _dropout.Forward(x);
        if (_blocks is not null) x = _blocks.Forward(x);
        x = _norm.Forward(x);

        _batch = x.Shape[0];
        _tokens = x.Shape[1];
        int dim = Options.Dim;
        Tensor<T> pooled = Tensor<T>.Zeros(_batch, dim);
        for (int b = 0; b < _batch; b++)
        {
            Span<T> target = pooled.Data.AsSpan(b * dim, dim);
            if (Options.Pooling == ViTPooling.ClassToken)
            {
                x.Data.AsSpan(b * _tokens * dim, dim).CopyTo(target);
            }
            else
            {
                for (int t = 0; t < _tokens; t++)
                {
                    TP.Add(target, x.Data.AsSpan((b * _tokens + t) * dim, dim), target);
                }
                TP.Divide(target, T.CreateChecked(_tokens), target);
            }
        }
        return _head.Forward(pooled);
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> gradPooled = _head.Backward(gradOutput);
        int dim = Options.Dim;
        Tensor<T> grad = Tensor<T>.Zeros(_batch, _tokens, dim);
        for (int b = 0; b < _batch; b++)
        {
            ReadOnlySpan<T> source = gradPooled.Data.AsSpan(b * dim, dim);
            if (Options.Pooling == ViTPooling.ClassToken)
            {
                source.CopyTo(grad.Data.AsSpan(b * _tokens * dim, dim));
            }
            else
            {
                T share = T.One / T.CreateChecked(_tokens);
                for (int t = 0; t < _tokens; t++)
                {
                    TP.Multiply(source, share, grad.Data.AsSpan((b * _tokens + t) * dim, dim));
                }
            }
        }
        grad = _norm.Backward(grad);
        if (_blocks is not null) grad = _blocks.Backward(grad);
        if (_dropout is not null) grad = _dropout.Backward(grad);
        return _patch.Backward(_position.Backward(grad));
    }
}
