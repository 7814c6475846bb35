using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// Multi-head self-attention, (batch, tokens, dim) → (batch, tokens, dim):
/// <c>O(Attention(Q(x), K(x), V(x)))</c> with four replaceable projection modules around a
/// <see cref="ScaledDotProductAttention{T}"/> core.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>The classical layer uses four <see cref="Linear{T}"/>(dim → dim) projections with bias, created in the order
/// q, k, v, o. The other constructor takes any four modules that map (batch, tokens, dim) to (batch, tokens, dim),
/// for example quantum circuits; the output projection may be omitted (identity).</para>
/// <para>Parameters: <c>q.*</c>, <c>k.*</c>, <c>v.*</c>, <c>o.*</c> (the projections' own names).</para>
/// </remarks>
public sealed class MultiHeadSelfAttention<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ScaledDotProductAttention<T> _core;

    /// <summary>Creates the classical layer with seeded <see cref="Linear{T}"/> projections.</summary>
    /// <param name="dim">Token width (≥ 1, a multiple of <paramref name="heads"/>).</param>
    /// <param name="heads">Heads (≥ 1).</param>
    /// <param name="random">The source of the projections' initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="dim"/> is not a multiple of <paramref name="heads"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public MultiHeadSelfAttention(int dim, int heads, Random random)
        : this(dim, heads, Projection(dim, heads, random), new Linear<T>(dim, dim, random), new Linear<T>(dim, dim, random), new Linear<T>(dim, dim, random))
    {
    }

    /// <summary>Creates the layer from four projection modules, each mapping (batch, tokens, dim) to (batch, tokens, dim).</summary>
    /// <param name="dim">Token width (≥ 1, a multiple of <paramref name="heads"/>).</param>
    /// <param name="heads">Heads (≥ 1).</param>
    /// <param name="query">The query projection.</param>
    /// <param name="key">The key projection.</param>
    /// <param name="value">The value projection.</param>
    /// <param name="output">The output projection, or null for none (identity).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="dim"/> is not a multiple of <paramref name="heads"/>, or one
    /// module instance is passed twice (each caches its own forward pass).</exception>
    /// <exception cref="ArgumentNullException">A required projection is null.</exception>
    public MultiHeadSelfAttention(int dim, int heads, Module<T> query, Module<T> key, Module<T> value, Module<T>? output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (dim % heads != 0)
        {
            throw new ArgumentException($"the width {dim} is not a multiple of the head count {heads}", nameof(heads));
        }
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Dim = dim;
        Heads = heads;
        _core = new ScaledDotProductAttention<T>(heads);
        Query = RegisterModule("q", query);
        Key = RegisterModule("k", key);
        Value = RegisterModule("v", value);
        Output = output is null ? null : RegisterModule("o", output);
    }

    /// <summary>Token width.</summary>
    public int Dim { get; }

    /// <summary>Heads.</summary>
    public int Heads { get; }

    /// <summary>The query projection.</summary>
    public Module<T> Query { get; }

    /// <summary>The key projection.</summary>
    public Module<T> Key { get; }

    /// <summary>The value projection.</summary>
    public Module<T> Value { get; }

    /// <summary>The output projection, or null for none.</summary>
    public Module<T>? Output { get; }

    /// <summary>The attention weights of the last forward pass, (batch, heads, tokens, tokens); null before one.</summary>
    public Tensor<T>? AttentionWeights => _core.AttentionWeights;

    /// <summary>The layer and its configuration.</summary>
    /// <returns>E.g. <c>MultiHeadSelfAttention(16, 2 heads)</c>.</returns>
    public override string ToString() => $"MultiHeadSelfAttention({Dim}, {Heads} heads)";

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
        Tensor<T> q = Project(Query, "query", input);
        Tensor<T> k = Project(Key, "key", input);
        Tensor<T> v = Project(Value, "value", input);
        Tensor<T> attended = _core.Forward(q, k, v);
        return Output is null ? attended : Project(Output, "output", attended);
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> gradAttended = Output is null ? gradOutput : Output.Backward(gradOutput);
        (Tensor<T> dq, Tensor<T> dk, Tensor<T> dv) = _core.Backward(gradAttended);
        Tensor<T> gradInput = Query.Backward(dq);
        TP.Add(gradInput.Data, Key.Backward(dk).Data, gradInput.Data);
        TP.Add(gradInput.Data, Value.Backward(dv).Data, gradInput.Data);
        return gradInput;
    }

    private Tensor<T> Project(Module<T> projection, string role, Tensor<T> input)
    {
        Tensor<T> result = projection.Forward(input);
        if (!result.HasShape(input.Shape))
        {
            throw new InvalidOperationException(
                $"{this}: the {role} projection {projection} must map {ShapeText.Format(input.Shape)} to the same shape but returned {ShapeText.Format(result.Shape)}");
        }
        return result;
    }

    /// <summary>Checks the sizes before the classical constructor draws any weight, then creates the query projection.</summary>
    private static Linear<T> Projection(int dim, int heads, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (dim % heads != 0)
        {
            throw new ArgumentException($"the width {dim} is not a multiple of the head count {heads}", nameof(heads));
        }
        return new Linear<T>(dim, dim, random);
    }
}
