using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>
/// Backward passes of every layer against central finite differences in double precision, for the input and every
/// parameter (see <see cref="GradientCheck"/>), on small random shapes.
/// </summary>
public sealed class LayerGradientTests
{
    private static Tensor<double> Input(int seed, params int[] shape) => GradientCheck.RandomTensor(new Random(seed), shape);

    [Test]
    public void GradientCheck_BrokenBackward_ReportsMismatches()
    {
        // The helper must be able to fail: a layer whose backward is off by a factor 2 is caught.
        var module = new TwiceTooSteep();
        IReadOnlyList<GradientCheck.Mismatch> mismatches = GradientCheck.FindModuleMismatches(module, Input(1, 2, 3));
        Assert.That(mismatches, Has.Count.EqualTo(6));
    }

    [Test]
    public void Linear_ThreeDimensionalInput_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new Linear<double>(4, 5, new Random(1)), Input(2, 2, 3, 4));

    [Test]
    public void Linear_MatrixInputWithoutBias_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new Linear<double>(3, 2, new Random(1), bias: false), Input(2, 5, 3));

    [Test]
    public void Linear_LargeEnoughToRunInParallel_GradientsMatchSequentialReference()
    {
        // 512 rows × 64 × 64 is above the parallel threshold; compare with a plain triple loop.
        var random = new Random(3);
        var layer = new Linear<double>(64, 64, random);
        Tensor<double> x = GradientCheck.RandomTensor(random, 8, 64, 64);
        Tensor<double> y = layer.Forward(x);
        double[] w = layer.Weight.Value.Data, b = layer.Bias!.Value.Data;
        double maxError = 0;
        for (int r = 0; r < 512; r++)
        {
            for (int o = 0; o < 64; o++)
            {
                double expected = b[o];
                for (int i = 0; i < 64; i++) expected += x.Data[r * 64 + i] * w[o * 64 + i];
                maxError = Math.Max(maxError, Math.Abs(expected - y.Data[r * 64 + o]));
            }
        }
        Assert.That(maxError, Is.LessThan(1e-12));
    }

    [Test]
    public void LayerNorm_GradientsMatchFiniteDifferences()
    {
        var norm = new LayerNorm<double>(4);
        // Non-trivial affine parameters so that their gradients matter.
        Input(7, 4).Data.CopyTo(norm.Weight.Value.Data, 0);
        Input(8, 4).Data.CopyTo(norm.Bias.Value.Data, 0);
        GradientCheck.AssertModule(norm, Input(2, 2, 3, 4));
    }

    [Test]
    public void Gelu_GradientsMatchFiniteDifferences()
    {
        Tensor<double> x = Input(2, 2, 3, 4);
        for (int i = 0; i < x.Length; i++) x.Data[i] *= 4;  // cover both tails, |x| up to 4
        GradientCheck.AssertModule(new Gelu<double>(), x);
    }

    [Test]
    public void Dropout_Training_BackwardAppliesTheForwardMask()
    {
        // The mask is redrawn on every forward pass, so finite differences do not apply; the layer is linear for a
        // fixed mask, so its exact input gradient is G ⊙ (y / x).
        var dropout = new Dropout<double>(0.4, new Random(5));
        Tensor<double> x = Input(2, 2, 3, 4);
        Tensor<double> y = dropout.Forward(x);
        Tensor<double> g = Input(3, 2, 3, 4);
        Tensor<double> dx = dropout.Backward(g);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.That(dx.Data[i], Is.EqualTo(g.Data[i] * y.Data[i] / x.Data[i]).Within(1e-12), $"element {i}");
        }
    }

    [Test]
    public void Dropout_Eval_GradientsMatchFiniteDifferences()
    {
        var dropout = new Dropout<double>(0.4, new Random(5));
        dropout.Eval();
        GradientCheck.AssertModule(dropout, Input(2, 2, 3, 4));
    }

    [Test]
    public void PatchEmbedding_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new PatchEmbedding<double>(2, 4, 2, 3, new Random(1)), Input(2, 2, 2, 4, 4));

    [TestCase(true)]
    [TestCase(false)]
    public void PositionalEmbedding_GradientsMatchFiniteDifferences(bool classToken) =>
        GradientCheck.AssertModule(new PositionalEmbedding<double>(3, 4, classToken, new Random(1)), Input(2, 2, 3, 4));

    [TestCase(3, 3)]
    [TestCase(3, 5)]
    public void ScaledDotProductAttention_GradientsMatchFiniteDifferences(int queries, int keys)
    {
        var attention = new ScaledDotProductAttention<double>(2);
        Tensor<double> q = Input(1, 2, queries, 4), k = Input(2, 2, keys, 4), v = Input(3, 2, keys, 4);
        Tensor<double> output = attention.Forward(q, k, v);
        Tensor<double> upstream = Input(4, output.Shape.ToArray());
        (Tensor<double> dq, Tensor<double> dk, Tensor<double> dv) = attention.Backward(upstream);
        GradientCheck.AssertFunction(
            attention.ToString(),
            () => GradientCheck.Dot(attention.Forward(q, k, v).Data, upstream.Data),
            ("query", q, dq), ("key", k, dk), ("value", v, dv));
    }

    [Test]
    public void ScaledDotProductAttention_Forward_RowsOfWeightsSumToOne()
    {
        var attention = new ScaledDotProductAttention<double>(2);
        attention.Forward(Input(1, 2, 3, 4), Input(2, 2, 3, 4), Input(3, 2, 3, 4));
        Tensor<double> weights = attention.AttentionWeights!;
        Assert.That(weights.Shape.ToArray(), Is.EqualTo(new[] { 2, 2, 3, 3 }));
        for (int row = 0; row < weights.Length / 3; row++)
        {
            Assert.That(weights.Data.AsSpan(row * 3, 3).ToArray().Sum(), Is.EqualTo(1.0).Within(1e-14));
        }
    }

    [Test]
    public void ScaledDotProductAttention_LargeBatchRunInParallel_EqualsSampleBySample()
    {
        // 8 × 32 tokens × width 32 is above the parallel threshold; one sample at a time is below it.
        var attention = new ScaledDotProductAttention<double>(4);
        Tensor<double> q = Input(1, 8, 32, 32), k = Input(2, 8, 32, 32), v = Input(3, 8, 32, 32), g = Input(4, 8, 32, 32);
        double[] output = attention.Forward(q, k, v).Data;
        (Tensor<double> dq, Tensor<double> dk, Tensor<double> dv) = attention.Backward(g);
        int sample = 32 * 32;
        for (int b = 0; b < 8; b++)
        {
            Tensor<double> Slice(Tensor<double> t) => Tensor<double>.FromArray(t.Data[(b * sample)..((b + 1) * sample)], 1, 32, 32);
            var single = new ScaledDotProductAttention<double>(4);
            Assert.That(single.Forward(Slice(q), Slice(k), Slice(v)).Data, Is.EqualTo(output[(b * sample)..((b + 1) * sample)]));
            (Tensor<double> sq, Tensor<double> sk, Tensor<double> sv) = single.Backward(Slice(g));
            Assert.That((sq.Data, sk.Data, sv.Data), Is.EqualTo((Slice(dq).Data, Slice(dk).Data, Slice(dv).Data)));
        }
    }

    [Test]
    public void ScaledDotProductAttention_OneHead_MatchesHandComputedSoftmax()
    {
        // One sample, two tokens, width 1: scores q_i·k_j, weights softmax over j, output Σ_j w_ij v_j.
        var attention = new ScaledDotProductAttention<double>(1);
        Tensor<double> q = Tensor<double>.FromArray([1.0, 2.0], 1, 2, 1);
        Tensor<double> k = Tensor<double>.FromArray([0.5, -1.0], 1, 2, 1);
        Tensor<double> v = Tensor<double>.FromArray([3.0, 7.0], 1, 2, 1);
        Tensor<double> output = attention.Forward(q, k, v);
        for (int i = 0; i < 2; i++)
        {
            double s0 = q.Data[i] * 0.5, s1 = q.Data[i] * -1.0;
            double w0 = Math.Exp(s0) / (Math.Exp(s0) + Math.Exp(s1));
            Assert.That(output.Data[i], Is.EqualTo(w0 * 3 + (1 - w0) * 7).Within(1e-14));
        }
    }

    [Test]
    public void MultiHeadSelfAttention_Classical_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new MultiHeadSelfAttention<double>(4, 2, new Random(1)), Input(2, 2, 3, 4));

    [Test]
    public void MultiHeadSelfAttention_CustomProjectionsWithoutOutput_GradientsMatchFiniteDifferences()
    {
        // Any (batch, tokens, dim) → same-shape modules plug in, e.g. a nonlinear one standing in for a quantum layer.
        var random = new Random(1);
        var attention = new MultiHeadSelfAttention<double>(4, 2,
            new Sequential<double>(new Linear<double>(4, 4, random), new Gelu<double>()),
            new Linear<double>(4, 4, random, bias: false),
            new Sequential<double>(new Gelu<double>(), new Linear<double>(4, 4, random)),
            output: null);
        Assert.That(attention.NamedParameters().Select(p => p.Name),
            Is.EqualTo(new[] { "q.0.weight", "q.0.bias", "k.weight", "v.1.weight", "v.1.bias" }));
        GradientCheck.AssertModule(attention, Input(2, 2, 3, 4));
    }

    [Test]
    public void Mlp_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new Mlp<double>(4, 6, new Random(1)), Input(2, 2, 3, 4));

    [Test]
    public void Mlp_FromModulesWithoutSecondMap_GradientsMatchFiniteDifferences() =>
        GradientCheck.AssertModule(new Mlp<double>(new Linear<double>(4, 4, new Random(1)), null), Input(2, 2, 3, 4));

    [Test]
    public void TransformerBlock_GradientsMatchFiniteDifferences()
    {
        var random = new Random(1);
        var block = new TransformerBlock<double>(4, new MultiHeadSelfAttention<double>(4, 2, random), new Mlp<double>(4, 8, random));
        GradientCheck.AssertModule(block, Input(2, 2, 3, 4));
    }

    [Test]
    public void Sequential_GradientsMatchFiniteDifferences()
    {
        var random = new Random(1);
        var chain = new Sequential<double>(new Linear<double>(4, 5, random), new LayerNorm<double>(5), new Gelu<double>(), new Linear<double>(5, 3, random));
        GradientCheck.AssertModule(chain, Input(2, 2, 3, 4));
    }

    [TestCase(ViTPooling.ClassToken)]
    [TestCase(ViTPooling.Mean)]
    public void VisionTransformer_Tiny_GradientsMatchFiniteDifferences(ViTPooling pooling)
    {
        var options = new VisionTransformerOptions
        {
            ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 2, MlpHidden = 8, Classes = 3,
            Pooling = pooling, Seed = 7,
        };
        var model = new VisionTransformer<double>(options);
        GradientCheck.AssertModule(model, Input(2, 2, 1, 8, 8));
    }

    [Test]
    public void VisionTransformer_WithFactories_GradientsMatchFiniteDifferences()
    {
        var options = new VisionTransformerOptions
        {
            ImageSize = 4, Channels = 2, PatchSize = 2, Dim = 4, Heads = 2, Depth = 1, MlpHidden = 8, Classes = 2, Seed = 3,
        };
        int attentionCalls = 0, mlpCalls = 0;
        var model = new VisionTransformer<double>(options,
            (dim, heads, random) =>
            {
                attentionCalls++;
                return new MultiHeadSelfAttention<double>(dim, heads,
                    new Linear<double>(dim, dim, random), new Linear<double>(dim, dim, random), new Linear<double>(dim, dim, random), null);
            },
            (dim, hidden, random) =>
            {
                mlpCalls++;
                return new Mlp<double>(new Linear<double>(dim, dim, random), null);
            });
        Assert.That((attentionCalls, mlpCalls), Is.EqualTo((1, 1)));
        Assert.That(model.NamedParameters().Any(p => p.Name == "blocks.0.attn.o.weight"), Is.False);
        GradientCheck.AssertModule(model, Input(2, 2, 2, 4, 4));
    }

    /// <summary>y = 2x with a backward that claims dy/dx = 4.</summary>
    private sealed class TwiceTooSteep : Module<double>
    {
        protected override Tensor<double> ForwardCore(Tensor<double> input)
        {
            Tensor<double> output = input.Clone();
            for (int i = 0; i < output.Length; i++) output.Data[i] *= 2;
            return output;
        }

        protected override Tensor<double> BackwardCore(Tensor<double> gradOutput)
        {
            Tensor<double> grad = gradOutput.Clone();
            for (int i = 0; i < grad.Length; i++) grad.Data[i] *= 4;
            return grad;
        }
    }
}

