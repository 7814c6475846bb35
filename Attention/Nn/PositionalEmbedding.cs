using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// Adds a learned position embedding to a token sequence, optionally after prepending a learned class token:
/// (batch, tokens, dim) → (batch, tokens + 1, dim) with a class token, (batch, tokens, dim) without.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// With a class token, output token 0 is <c>classToken + position[0]</c> and output token t + 1 is
/// <c>input[t] + position[t + 1]</c>. Parameters: <c>position</c> (tokens [+ 1], dim) and, with a class token,
/// <c>classToken</c> (dim); both start as N(0, 0.02²) draws (position first) and are not decayed.
/// </remarks>
public sealed class PositionalEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InitStd = 0.02;
    private int _batch;

    /// <summary>Creates the layer.</summary>
    /// <param name="tokens">Input tokens per sample (≥ 1), not counting the class token.</param>
    /// <param name="dim">Token width (≥ 1).</param>
    /// <param name="classToken">Whether to prepend a learned class token.</param>
    /// <param name="random">The source of the initial embeddings.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public PositionalEmbedding(int tokens, int dim, bool classToken, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentNullException.ThrowIfNull(random);
        Tokens = tokens;
        Dim = dim;
        HasClassToken = classToken;
        Position = RegisterParameter("position", Init<T>.Normal(random, InitStd, OutputTokens, dim), weightDecay: false);
        ClassToken = classToken ? RegisterParameter("classToken", Init<T>.Normal(random, InitStd, dim), weightDecay: false) : null;
    }

    /// <summary>Input tokens per sample.</summary>
    public int Tokens { get; }

    /// <summary>Token width.</summary>
    public int Dim { get; }

    /// <summary>Whether a class token is prepended.</summary>
    public bool HasClassToken { get; }

    /// <summary>Output tokens per sample: <see cref="Tokens"/> + 1 with a class token.</summary>
    public int OutputTokens => HasClassToken ? Tokens + 1 : Tokens;

    /// <summary>The position embedding, shape (<see cref="OutputTokens"/>, dim).</summary>
    public TrainableParameter<T> Position { get; }

    /// <summary>The class token, shape (dim), or null without one.</summary>
    public TrainableParameter<T>? ClassToken { get; }

    /// <summary>The layer and its configuration.</summary>
    /// <returns>E.g. <c>PositionalEmbedding(4 tokens × 16, class token)</c>.</returns>
    public override string ToString() => $"PositionalEmbedding({Tokens} tokens × {Dim}{(HasClassToken ? ", class token" : "")})";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank != 3 || input.Shape[1] != Tokens || input.Shape[2] != Dim)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(batch, {Tokens}, {Dim})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        _batch = input.Shape[0];
        int offset = HasClassToken ? Dim : 0;
        int sample = OutputTokens * Dim;
        Tensor<T> output = Tensor<T>.Zeros(_batch, OutputTokens, Dim);
        for (int b = 0; b < _batch; b++)
        {
            Span<T> target = output.Data.AsSpan(b * sample, sample);
            if (ClassToken is not null)
            {
                ClassToken.Value.Data.CopyTo(target);
            }
            input.Data.AsSpan(b * Tokens * Dim, Tokens * Dim).CopyTo(target[offset..]);
            TP.Add(target, Position.Value.Data, target);
        }
        return output;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        int offset = HasClassToken ? Dim : 0;
        int sample = OutputTokens * Dim;
        Tensor<T> gradInput = Tensor<T>.Zeros(_batch, Tokens, Dim);
        for (int b = 0; b < _batch; b++)
        {
            ReadOnlySpan<T> grad = gradOutput.Data.AsSpan(b * sample, sample);
            TP.Add(Position.Grad.Data, grad, Position.Grad.Data);
            if (ClassToken is not null)
            {
                TP.Add(ClassToken.Grad.Data, grad[..Dim], ClassToken.Grad.Data);
            }
            grad[offset..].CopyTo(gradInput.Data.AsSpan(b * Tokens * Dim, Tokens * Dim));
        }
        return gradInput;
    }
}
