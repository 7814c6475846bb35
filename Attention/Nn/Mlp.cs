using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// The transformer feed-forward block: <c>fc2(Dropout(GELU(fc1(x))))</c>, (batch, tokens, dim) → (batch, tokens, dim).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// The classical block uses <see cref="Linear{T}"/>(dim → hidden) and <see cref="Linear{T}"/>(hidden → dim), created in
/// that order. The other constructor takes the inner modules, so that either may be replaced (for example by a
/// quantum layer); the second may be omitted, giving <c>Dropout(GELU(fc1(x)))</c>, in which case fc1 must map dim to
/// dim for the block to fit a <see cref="TransformerBlock{T}"/>. Dropout is present only when its probability is
/// positive. Parameters: <c>fc1.*</c>, <c>fc2.*</c>.
/// </remarks>
public sealed class Mlp<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Module<T> _fc1;
    private readonly Gelu<T> _activation;
    private readonly Dropout<T>? _dropout;
    private readonly Module<T>? _fc2;

    /// <summary>Creates the classical block with seeded <see cref="Linear{T}"/> layers.</summary>
    /// <param name="dim">Token width (≥ 1).</param>
    /// <param name="hidden">Hidden width (≥ 1).</param>
    /// <param name="random">The source of the initial weights and, with dropout, of the dropout masks.</param>
    /// <param name="dropout">The dropout probability after the activation, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is below 1, or the probability is outside [0, 1).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Mlp(int dim, int hidden, Random random, double dropout = 0)
        : this(new Linear<T>(dim, hidden, random), new Linear<T>(hidden, dim, random), dropout, random)
    {
    }

    /// <summary>Creates the block from its inner modules.</summary>
    /// <param name="fc1">The first map (before the GELU).</param>
    /// <param name="fc2">The second map (after the GELU and dropout), or null for none.</param>
    /// <param name="dropout">The dropout probability after the activation, in [0, 1).</param>
    /// <param name="random">The source of the dropout masks; required when <paramref name="dropout"/> is positive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fc1"/> is null, or <paramref name="random"/> is null with
    /// positive dropout.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1).</exception>
    /// <exception cref="ArgumentException">The same module instance is passed twice.</exception>
    public Mlp(Module<T> fc1, Module<T>? fc2, double dropout = 0, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(fc1);
        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "the dropout probability must lie in [0, 1)");
        }
        _fc1 = RegisterModule("fc1", fc1);
        _activation = RegisterModule("act", new Gelu<T>());
        if (dropout > 0)
        {
            ArgumentNullException.ThrowIfNull(random);
            _dropout = RegisterModule("drop", new Dropout<T>(dropout, random));
        }
        _fc2 = fc2 is null ? null : RegisterModule("fc2", fc2);
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        Tensor<T> x = _activation.Forward(_fc1.Forward(input));
        if (_dropout is not null) x = _dropout.Forward(x);
        return _fc2 is null ? x : _fc2.Forward(x);
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> grad = _fc2 is null ? gradOutput : _fc2.Backward(gradOutput);
        if (_dropout is not null) grad = _dropout.Backward(grad);
        return _fc1.Backward(_activation.Backward(grad));
    }
}
