using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Attention;

/// <summary>
/// Quantum self-attention with the shapes of <see cref="MultiHeadSelfAttention{T}"/> — (batch, tokens, dim) in and
/// out — so it drops into a <see cref="TransformerBlock{T}"/> or <see cref="VisionTransformer{T}"/> in its place. The
/// circuits run on <c>dim</c> qubits (1…12), one per feature. See <see cref="QuantumAttentionVariant"/>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class QuantumSelfAttention<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MultiHeadSelfAttention<T>? _projection;
    private readonly QuantumLinear<T>? _value;
    private readonly QuantumLinear<T>? _output;
    private readonly QnnFunction<T>[] _queries = [];
    private readonly QnnFunction<T>[] _keys = [];
    private readonly TrainableParameter<T>[] _queryWeights = [];
    private readonly TrainableParameter<T>[] _keyWeights = [];
    private int _batch, _tokens;
    private T[][] _q = [], _k = [], _alpha = [];
    private Tensor<T>? _v;

    /// <summary>Creates the layer.</summary>
    /// <param name="dim">Model dimension = qubits per circuit (1…12).</param>
    /// <param name="heads">Heads; must divide <paramref name="dim"/>.</param>
    /// <param name="variant">Projection or Gaussian.</param>
    /// <param name="options">The circuits of every quantum projection.</param>
    /// <param name="random">Source of the initial weights.</param>
    /// <param name="outputProjection">Whether a <see cref="QuantumLinear{T}"/> follows the attention (else identity).</param>
    /// <param name="accelerator">Where the circuits run; null for the process-wide CPU accelerator.</param>
    /// <exception cref="ArgumentOutOfRangeException">Dim outside 1…12, heads below 1 or not dividing dim, unknown variant.</exception>
    /// <exception cref="ArgumentNullException">Options or random is null.</exception>
    public QuantumSelfAttention(int dim, int heads, QuantumAttentionVariant variant, QuantumLinearOptions options, Random random,
        bool outputProjection = true, Accelerator? accelerator = null)
    {
        if (dim < 1 || dim > QuantumDefaults.MaxQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"quantum attention runs dim qubits: 1…{QuantumDefaults.MaxQubits}, got {dim}");
        }
        if (heads < 1 || dim % heads != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(heads), $"heads must be at least 1 and divide dim {dim}, got {heads}");
        }
        if (!Enum.IsDefined(variant)) throw new ArgumentOutOfRangeException(nameof(variant), $"unknown variant {(int)variant}");
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Dim = dim;
        Heads = heads;
        Variant = variant;
        if (variant == QuantumAttentionVariant.Projection)
        {
            var q = new QuantumLinear<T>(dim, options, random, accelerator);
            var k = new QuantumLinear<T>(dim, options, random, accelerator);
            var v = new QuantumLinear<T>(dim, options, random, accelerator);
            var o = outputProjection ? new QuantumLinear<T>(dim, options, random, accelerator) : null;
            _projection = RegisterModule("attention", new MultiHeadSelfAttention<T>(dim, heads, q, k, v, o));
            return;
        }
        _queries = new QnnFunction<T>[heads];
        _keys = new QnnFunction<T>[heads];
        _queryWeights = new TrainableParameter<T>[heads];
        _keyWeights = new TrainableParameter<T>[heads];
        Observable[] z0 = [Observable.Z(0)];
        for (int h = 0; h < heads; h++)
        {
            _queries[h] = new QnnFunction<T>(dim, options, z0, accelerator);
            _keys[h] = new QnnFunction<T>(dim, options, z0, accelerator);
            _queryWeights[h] = RegisterParameter($"query{h}", RandomAngles(random, options.Layers, dim), weightDecay: false);
            _keyWeights[h] = RegisterParameter($"key{h}", RandomAngles(random, options.Layers, dim), weightDecay: false);
        }
        _value = RegisterModule("value", new QuantumLinear<T>(dim, options, random, accelerator));
        _output = outputProjection ? RegisterModule("output", new QuantumLinear<T>(dim, options, random, accelerator)) : null;
    }

    /// <summary>Model dimension (= qubits).</summary>
    public int Dim { get; }

    /// <summary>Heads.</summary>
    public int Heads { get; }

    /// <summary>The variant.</summary>
    public QuantumAttentionVariant Variant { get; }

    private static Tensor<T> RandomAngles(Random random, int layers, int qubits)
    {
        var t = Tensor<T>.Zeros(layers, qubits);
        for (int i = 0; i < t.Length; i++) t.Data[i] = T.CreateTruncating((random.NextDouble() * 2 - 1) * Math.PI);
        return t;
    }

    /// <inheritdoc/>
    public override string ToString() => $"QuantumSelfAttention({Variant}, dim {Dim}, {Heads} head(s))";

    /// <inheritdoc/>
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank != 3 || input.Shape[2] != Dim)
        {
            throw new ArgumentException($"{this}: input must have shape (batch, tokens, {Dim}), got ({string.Join(", ", input.Shape.ToArray())})", nameof(input));
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        if (_projection is not null) return _projection.Forward(input);
        int batch = input.Shape[0], tokens = input.Shape[1], dim = Dim, dh = dim / Heads, rows = batch * tokens;
        _batch = batch;
        _tokens = tokens;
        _q = new T[Heads][];
        _k = new T[Heads][];
        _alpha = new T[Heads][];
        for (int h = 0; h < Heads; h++)
        {
            _q[h] = _queries[h].Forward(input.Data, rows, _queryWeights[h].Value.Data);
            _k[h] = _keys[h].Forward(input.Data, rows, _keyWeights[h].Value.Data);
        }
        _v = _value!.Forward(input);
        var v = _v.Data;
        var attended = Tensor<T>.Zeros(batch, tokens, dim);
        var o = attended.Data;
        for (int h = 0; h < Heads; h++)
        {
            var alpha = new T[batch * tokens * tokens];
            _alpha[h] = alpha;
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < tokens; i++)
                {
                    T qi = _q[h][b * tokens + i];
                    var row = alpha.AsSpan((b * tokens + i) * tokens, tokens);
                    T max = T.NegativeInfinity;
                    for (int j = 0; j < tokens; j++)
                    {
                        T d = qi - _k[h][b * tokens + j];
                        row[j] = -d * d;
                        max = T.Max(max, row[j]);
                    }
                    T sum = T.Zero;
                    for (int j = 0; j < tokens; j++)
                    {
                        row[j] = T.Exp(row[j] - max);
                        sum += row[j];
                    }
                    for (int j = 0; j < tokens; j++) row[j] /= sum;
                    for (int j = 0; j < tokens; j++)
                    {
                        for (int c = h * dh; c < (h + 1) * dh; c++) o[(b * tokens + i) * dim + c] += row[j] * v[(b * tokens + j) * dim + c];
                    }
                }
            }
        }
        return _output is null ? attended : _output.Forward(attended);
    }

    /// <inheritdoc/>
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        if (_projection is not null) return _projection.Backward(gradOutput);
        int batch = _batch, tokens = _tokens, dim = Dim, dh = dim / Heads;
        var g = (_output is null ? gradOutput : _output.Backward(gradOutput)).Data;
        var v = _v!.Data;
        var dv = Tensor<T>.Zeros(batch, tokens, dim);
        var gradInput = new T[batch * tokens * dim];
        for (int h = 0; h < Heads; h++)
        {
            var alpha = _alpha[h];
            var dq = new T[batch * tokens];
            var dk = new T[batch * tokens];
            var dAlpha = new T[tokens];
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < tokens; i++)
                {
                    var row = alpha.AsSpan((b * tokens + i) * tokens, tokens);
                    T dot = T.Zero;
                    for (int j = 0; j < tokens; j++)
                    {
                        T s = T.Zero;
                        for (int c = h * dh; c < (h + 1) * dh; c++)
                        {
                            T gi = g[(b * tokens + i) * dim + c];
                            s += gi * v[(b * tokens + j) * dim + c];
                            dv.Data[(b * tokens + j) * dim + c] += row[j] * gi;
                        }
                        dAlpha[j] = s;
                        dot += row[j] * s;
                    }
                    T qi = _q[h][b * tokens + i];
                    for (int j = 0; j < tokens; j++)
                    {
                        T ds = row[j] * (dAlpha[j] - dot);
                        T diff = qi - _k[h][b * tokens + j];
                        T two = T.CreateTruncating(2);
                        dq[b * tokens + i] -= two * ds * diff;
                        dk[b * tokens + j] += two * ds * diff;
                    }
                }
            }
            var fromQ = _queries[h].Backward(dq, _queryWeights[h].Grad.Data);
            var fromK = _keys[h].Backward(dk, _keyWeights[h].Grad.Data);
            for (int x = 0; x < gradInput.Length; x++) gradInput[x] += fromQ[x] + fromK[x];
        }
        var fromV = _value!.Backward(dv).Data;
        for (int x = 0; x < gradInput.Length; x++) gradInput[x] += fromV[x];
        return Tensor<T>.FromArray(gradInput, batch, tokens, dim);
    }
}
