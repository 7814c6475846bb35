using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// The parameter-free core of multi-head attention: splits query, key and value into heads, computes
/// <c>softmax(Q_h·K_hᵀ / √d_h)·V_h</c> per head and concatenates the heads again, with the matching backward pass.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para>Query is (batch, queries, dim); key and value are (batch, keys, dim) (keys = queries for self-attention);
/// the output is (batch, queries, dim). Head h owns the feature columns <c>h·d_h … (h+1)·d_h − 1</c> with
/// <c>d_h = dim / heads</c>. The softmax runs over the keys.</para>
/// <para>Like a <see cref="Module{T}"/>, an instance remembers its last <see cref="Forward"/> pass for
/// <see cref="Backward"/>; unlike one it has three inputs and no parameters. Attention layers whose projections are
/// not <see cref="Linear{T}"/> (for example quantum circuits) reuse it as is.</para>
/// </remarks>
public sealed class ScaledDotProductAttention<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Multiply-adds per pass above which (batch, head) pairs are spread over threads.</summary>
    private const long ParallelThreshold = 1L << 18;

    private Tensor<T>? _query, _key, _value, _weights;

    /// <summary>Creates the core for a number of heads.</summary>
    /// <param name="heads">Heads (≥ 1); the feature width must be a multiple of it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heads"/> is below 1.</exception>
    public ScaledDotProductAttention(int heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        Heads = heads;
    }

    /// <summary>The number of heads.</summary>
    public int Heads { get; }

    /// <summary>The attention weights of the last forward pass, (batch, heads, queries, keys), each row summing to 1;
    /// null before the first pass.</summary>
    public Tensor<T>? AttentionWeights => _weights;

    /// <summary>Computes multi-head attention and remembers its inputs and weights for <see cref="Backward"/>.</summary>
    /// <param name="query">Queries, (batch, queries, dim).</param>
    /// <param name="key">Keys, (batch, keys, dim).</param>
    /// <param name="value">Values, (batch, keys, dim).</param>
    /// <returns>The attended values, (batch, queries, dim).</returns>
    /// <exception cref="ArgumentNullException">An input is null.</exception>
    /// <exception cref="ArgumentException">The shapes disagree, dim is not a multiple of <see cref="Heads"/>, or an
    /// input holds NaN or ∞.</exception>
    public Tensor<T> Forward(Tensor<T> query, Tensor<T> key, Tensor<T> value)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _weights = null;
        string owner = ToString();
        if (query.Rank != 3 || query.Shape[2] % Heads != 0)
        {
            throw ShapeText.Mismatch(owner, "query", $"(batch, queries, dim) with dim a multiple of {Heads}", query.Shape, nameof(query));
        }
        int batch = query.Shape[0], dim = query.Shape[2];
        if (key.Rank != 3 || key.Shape[0] != batch || key.Shape[2] != dim)
        {
            throw ShapeText.Mismatch(owner, "key", $"({batch}, keys, {dim})", key.Shape, nameof(key));
        }
        if (!value.HasShape(key.Shape))
        {
            throw ShapeText.Mismatch(owner, "value (the key's shape)", ShapeText.Format(key.Shape), value.Shape, nameof(value));
        }
        Module<T>.RequireFinite(query, owner, nameof(query));
        Module<T>.RequireFinite(key, owner, nameof(key));
        Module<T>.RequireFinite(value, owner, nameof(value));
        return ForwardCore(query, key, value);
    }

    /// <summary>Back-propagates through the last <see cref="Forward"/> pass.</summary>
    /// <param name="gradOutput">The gradient with respect to the output, (batch, queries, dim).</param>
    /// <returns>The gradients with respect to query, key and value (their shapes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gradOutput"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No successful forward pass preceded the call.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not the output's.</exception>
    public (Tensor<T> Query, Tensor<T> Key, Tensor<T> Value) Backward(Tensor<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (_weights is null)
        {
            throw new InvalidOperationException($"{this}: Backward needs a successful Forward first (it uses the attention weights Forward caches)");
        }
        if (!gradOutput.HasShape(_query!.Shape))
        {
            throw ShapeText.Mismatch(ToString(), "gradOutput (the output's shape)", ShapeText.Format(_query.Shape), gradOutput.Shape, nameof(gradOutput));
        }
        return BackwardCore(gradOutput);
    }

    /// <summary>The core and its head count.</summary>
    /// <returns>E.g. <c>ScaledDotProductAttention(2 heads)</c>.</returns>
    public override string ToString() => $"ScaledDotProductAttention({Heads} heads)";

    private Tensor<T> ForwardCore(Tensor<T> query, Tensor<T> key, Tensor<T> value)
    {
        int batch = query.Shape[0], queries = query.Shape[1], keys = key.Shape[1], dim = query.Shape[2];
        int headDim = dim / Heads;
        T scale = T.One / T.Sqrt(T.CreateChecked(headDim));
        Tensor<T> output = Tensor<T>.Zeros(batch, queries, dim);
        Tensor<T> weights = Tensor<T>.Zeros(batch, Heads, queries, keys);

        void Pair(int pair)
        {
            int b = pair / Heads, h = pair % Heads;
            for (int i = 0; i < queries; i++)
            {
                ReadOnlySpan<T> q = query.Data.AsSpan((b * queries + i) * dim + h * headDim, headDim);
                Span<T> p = weights.Data.AsSpan(((b * Heads + h) * queries + i) * keys, keys);
                for (int j = 0; j < keys; j++)
                {
                    p[j] = TP.Dot(q, key.Data.AsSpan((b * keys + j) * dim + h * headDim, headDim)) * scale;
                }
                SoftmaxInPlace(p);
                Span<T> o = output.Data.AsSpan((b * queries + i) * dim + h * headDim, headDim);
                for (int j = 0; j < keys; j++)
                {
                    TP.MultiplyAdd(value.Data.AsSpan((b * keys + j) * dim + h * headDim, headDim), p[j], o, o);
                }
            }
        }

        Run(batch * Heads, 2L * batch * queries * keys * dim, Pair);
        _query = query;
        _key = key;
        _value = value;
        _weights = weights;
        return output;
    }

    private (Tensor<T>, Tensor<T>, Tensor<T>) BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> query = _query!, key = _key!, value = _value!, weights = _weights!;
        int batch = query.Shape[0], queries = query.Shape[1], keys = key.Shape[1], dim = query.Shape[2];
        int headDim = dim / Heads;
        T scale = T.One / T.Sqrt(T.CreateChecked(headDim));
        Tensor<T> gradQuery = Tensor<T>.Zeros(query.Shape);
        Tensor<T> gradKey = Tensor<T>.Zeros(key.Shape);
        Tensor<T> gradValue = Tensor<T>.Zeros(value.Shape);

        void Pair(int pair)
        {
            int b = pair / Heads, h = pair % Heads;
            var gradScores = new T[keys];
            for (int i = 0; i < queries; i++)
            {
                int row = (b * queries + i) * dim + h * headDim;
                ReadOnlySpan<T> dO = gradOutput.Data.AsSpan(row, headDim);
                ReadOnlySpan<T> q = query.Data.AsSpan(row, headDim);
                Span<T> dQ = gradQuery.Data.AsSpan(row, headDim);
                ReadOnlySpan<T> p = weights.Data.AsSpan(((b * Heads + h) * queries + i) * keys, keys);

                // dP_j = dO·v_j and dV_j += P_j·dO.
                for (int j = 0; j < keys; j++)
                {
                    int column = (b * keys + j) * dim + h * headDim;
                    gradScores[j] = TP.Dot(dO, value.Data.AsSpan(column, headDim));
                    Span<T> dV = gradValue.Data.AsSpan(column, headDim);
                    TP.MultiplyAdd(dO, p[j], dV, dV);
                }

                // Softmax backward: dS_j = P_j·(dP_j − Σ_k P_k·dP_k), then the 1/√d_h scale.
                T mean = TP.Dot(p, gradScores);
                TP.Subtract<T>(gradScores, mean, gradScores);
                TP.Multiply(gradScores, p, gradScores);
                TP.Multiply<T>(gradScores, scale, gradScores);

                // dQ_i = Σ_j dS_j·k_j and dK_j += dS_j·q_i.
                for (int j = 0; j < keys; j++)
                {
                    int column = (b * keys + j) * dim + h * headDim;
                    TP.MultiplyAdd(key.Data.AsSpan(column, headDim), gradScores[j], dQ, dQ);
                    Span<T> dK = gradKey.Data.AsSpan(column, headDim);
                    TP.MultiplyAdd(q, gradScores[j], dK, dK);
                }
            }
        }

        Run(batch * Heads, 4L * batch * queries * keys * dim, Pair);
        return (gradQuery, gradKey, gradValue);
    }

    /// <summary>Runs one action per (batch, head) pair; the pairs write disjoint slices, so any order gives the same result.</summary>
    private static void Run(int pairs, long work, Action<int> pair)
    {
        if (work >= ParallelThreshold && pairs > 1)
        {
            Parallel.For(0, pairs, pair);
        }
        else
        {
            for (int i = 0; i < pairs; i++)
            {
                pair(i);
            }
        }
    }

    /// <summary>Numerically stable softmax of one row, in place.</summary>
    internal static void SoftmaxInPlace(Span<T> row)
    {
        T max = TP.Max<T>(row);
        TP.Subtract<T>(row, max, row);
        TP.Exp<T>(row, row);
        T sum = TP.Sum<T>(row);
        TP.Divide<T>(row, sum, row);
    }
}
