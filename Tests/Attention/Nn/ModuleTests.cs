using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>The <see cref="Module{T}"/> contract: validation, parameter naming, modes, gradient bookkeeping.</summary>
public sealed class ModuleTests
{
    private static VisionTransformerOptions Tiny(int seed = 1, double dropout = 0) => new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 2, MlpHidden = 8, Classes = 3,
        Dropout = dropout, Seed = seed,
    };

    [Test]
    public void Linear_WrongLastDimension_ThrowsNamingExpectedAndActualShapes()
    {
        var layer = new Linear<double>(4, 2, new Random(1));
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<double>.Zeros(2, 3, 5)));
        Assert.That(e!.Message, Does.Contain("Linear(4→2)").And.Contain("(…, 4)").And.Contain("(2, 3, 5)"));
        Assert.That(e.ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void EveryLayer_WrongShape_ThrowsArgumentExceptionNamingTheLayer()
    {
        var random = new Random(1);
        (Module<double> Module, int[] Shape, string Expected)[] cases =
        [
            (new LayerNorm<double>(4), [2, 3, 5], "(…, 4)"),
            (new PatchEmbedding<double>(1, 8, 4, 4, random), [2, 1, 8, 6], "(batch, 1, 8, 8)"),
            (new PositionalEmbedding<double>(3, 4, true, random), [2, 4, 4], "(batch, 3, 4)"),
            (new MultiHeadSelfAttention<double>(4, 2, random), [2, 3, 6], "(batch, tokens, 4)"),
            (new TransformerBlock<double>(4, new MultiHeadSelfAttention<double>(4, 2, random), new Mlp<double>(4, 8, random)), [3, 4], "(batch, tokens, 4)"),
            (new VisionTransformer<double>(Tiny()), [2, 8, 8], "(batch, 1, 8, 8)"),
        ];
        foreach ((Module<double> module, int[] shape, string expected) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => module.Forward(Tensor<double>.Zeros(shape)), module.ToString());
            Assert.That(e!.Message, Does.StartWith(module.ToString()).And.Contain(expected).And.Contain(ShapeOf(shape)));
        }
    }

    [Test]
    public void Forward_NaNOrInfinity_ThrowsNamingModuleAndIndex()
    {
        var layer = new LayerNorm<float>(4);
        Tensor<float> x = Tensor<float>.Zeros(1, 2, 4);
        x.Data[5] = float.NaN;
        Assert.That(() => layer.Forward(x), Throws.ArgumentException.With.Message.Contains("LayerNorm(4)").And.Message.Contains("NaN").And.Message.Contains("index 5"));
        x.Data[5] = float.PositiveInfinity;
        Assert.That(() => layer.Forward(x), Throws.ArgumentException.With.Message.Contains("index 5"));
    }

    [Test]
    public void Backward_WithoutForward_ThrowsInvalidOperation()
    {
        var layer = new Linear<double>(4, 2, new Random(1));
        Assert.That(() => layer.Backward(Tensor<double>.Zeros(1, 2)), Throws.InvalidOperationException.With.Message.Contains("Forward"));
        var attention = new ScaledDotProductAttention<double>(2);
        Assert.That(() => attention.Backward(Tensor<double>.Zeros(1, 2, 4)), Throws.InvalidOperationException);
    }

    [Test]
    public void Backward_AfterFailedForward_ThrowsInvalidOperation()
    {
        var layer = new Linear<double>(4, 2, new Random(1));
        layer.Forward(Tensor<double>.Zeros(1, 4));
        Assert.That(() => layer.Forward(Tensor<double>.Zeros(1, 3)), Throws.ArgumentException);
        Assert.That(() => layer.Backward(Tensor<double>.Zeros(1, 2)), Throws.InvalidOperationException);
    }

    [Test]
    public void Backward_WrongGradientShape_ThrowsNamingBothShapes()
    {
        var layer = new Linear<double>(4, 2, new Random(1));
        layer.Forward(Tensor<double>.Zeros(3, 4));
        Assert.That(() => layer.Backward(Tensor<double>.Zeros(3, 4)),
            Throws.ArgumentException.With.Message.Contains("(3, 2)").And.Message.Contains("(3, 4)"));
    }

    [Test]
    public void Backward_Twice_AccumulatesParameterGradients()
    {
        var layer = new Linear<double>(3, 2, new Random(1));
        Tensor<double> x = GradientCheck.RandomTensor(new Random(2), 4, 3);
        Tensor<double> g = GradientCheck.RandomTensor(new Random(3), 4, 2);
        layer.Forward(x);
        layer.Backward(g);
        double[] once = (double[])layer.Weight.Grad.Data.Clone();
        layer.Backward(g);
        Assert.That(layer.Weight.Grad.Data, Is.EqualTo(once.Select(v => 2 * v)).Within(1e-14));
        layer.ZeroGrad();
        Assert.That(layer.Weight.Grad.Data, Is.All.EqualTo(0.0));
        Assert.That(layer.Bias!.Grad.Data, Is.All.EqualTo(0.0));
    }

    [Test]
    public void NamedParameters_VisionTransformer_DottedHierarchicalNames()
    {
        var model = new VisionTransformer<double>(Tiny());
        string[] names = model.NamedParameters().Select(p => p.Name).ToArray();
        Assert.That(names, Is.Unique);
        Assert.That(names, Does.Contain("patch.proj.weight").And.Contain("pos.position").And.Contain("pos.classToken")
            .And.Contain("blocks.0.norm1.weight").And.Contain("blocks.1.attn.q.weight").And.Contain("blocks.1.attn.o.bias")
            .And.Contain("blocks.0.mlp.fc1.weight").And.Contain("blocks.1.mlp.fc2.bias").And.Contain("norm.bias").And.Contain("head.weight"));
        Assert.That(names[0], Is.EqualTo("patch.proj.weight"));
        Assert.That(names[^1], Is.EqualTo("head.bias"));
    }

    [Test]
    public void ParameterCount_VisionTransformer_MatchesHandCount()
    {
        // patch 16·4+4, pos 5·4+4, per block: 2 norms 2·8, attention 4·(16+4), MLP 4·8+8 + 8·4+4; final norm 8; head 4·3+3.
        int block = 16 + 4 * 20 + (40 + 36);
        int expected = 68 + 24 + 2 * block + 8 + 15;
        Assert.That(new VisionTransformer<double>(Tiny()).ParameterCount, Is.EqualTo(expected));
    }

    [Test]
    public void WeightDecayFlags_BiasesNormsAndEmbeddingsAreNotDecayed()
    {
        var model = new VisionTransformer<float>(Tiny());
        string[] decayed = model.NamedParameters().Where(p => p.Parameter.WeightDecay).Select(p => p.Name).ToArray();
        Assert.That(decayed, Has.All.EndsWith(".weight"));
        Assert.That(decayed, Has.None.Contains("norm"));
        Assert.That(decayed, Does.Contain("patch.proj.weight").And.Contain("head.weight").And.Contain("blocks.0.attn.k.weight"));
    }

    [Test]
    public void TrainEval_PropagateToEverySubmodule()
    {
        var inner = new Dropout<float>(0.5, new Random(1));
        var chain = new Sequential<float>(new Linear<float>(2, 2, new Random(1)), new Sequential<float>(inner));
        Assert.That(inner.IsTraining, Is.True);
        chain.Eval();
        Assert.That((chain.IsTraining, inner.IsTraining), Is.EqualTo((false, false)));
        chain.Train();
        Assert.That(inner.IsTraining, Is.True);
    }

    [Test]
    public void Registration_SameInstanceTwice_Throws()
    {
        var layer = new Linear<double>(4, 4, new Random(1));
        Assert.That(() => new Sequential<double>(layer, layer), Throws.ArgumentException.With.Message.Contains("already registered"));
        Assert.That(() => new MultiHeadSelfAttention<double>(4, 2, layer, layer, new Linear<double>(4, 4, new Random(2)), null),
            Throws.ArgumentException);
    }

    [Test]
    public void Constructors_InvalidSizes_Throw()
    {
        var random = new Random(1);
        Assert.That(() => new MultiHeadSelfAttention<double>(5, 2, random), Throws.ArgumentException.With.Message.Contains("multiple"));
        Assert.That(() => new PatchEmbedding<double>(1, 10, 4, 4, random), Throws.ArgumentException.With.Message.Contains("multiple"));
        Assert.That(() => new Linear<double>(0, 2, random), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new Dropout<double>(1.0, random), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new VisionTransformer<double>(new VisionTransformerOptions { Dim = 6, Heads = 4 }),
            Throws.ArgumentException.With.Message.Contains("Heads"));
        Assert.That(() => new VisionTransformer<double>(new VisionTransformerOptions { ImageSize = 9 }),
            Throws.ArgumentException.With.Message.Contains("PatchSize"));
    }

    [Test]
    public void Projection_ReturningAnotherShape_ThrowsNamingTheProjection()
    {
        var random = new Random(1);
        var attention = new MultiHeadSelfAttention<double>(4, 2,
            new Linear<double>(4, 4, random), new Linear<double>(4, 4, random), new Linear<double>(4, 2, random), null);
        Assert.That(() => attention.Forward(Tensor<double>.Zeros(1, 3, 4)),
            Throws.InvalidOperationException.With.Message.Contains("value projection").And.Message.Contains("(1, 3, 2)"));
    }

    [Test]
    public void VisionTransformer_Forward_ReturnsLogitsPerImage()
    {
        var model = new VisionTransformer<float>(Tiny());
        Tensor<float> logits = model.Forward(Tensor<float>.Zeros(5, 1, 8, 8));
        Assert.That(logits.Shape.ToArray(), Is.EqualTo(new[] { 5, 3 }));
    }

    [Test]
    public void CustomLayer_FromTheDocs_GradientsMatchFiniteDifferences()
    {
        var layer = new Scale<double>();
        Assert.That(layer.NamedParameters().Single().Name, Is.EqualTo("s"));
        GradientCheck.AssertModule(layer, GradientCheck.RandomTensor(new Random(1), 2, 3));
    }

    /// <summary>The custom-layer example of docs/nn.md, verbatim.</summary>
    private sealed class Scale<T> : Module<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        private readonly TrainableParameter<T> _s;
        private Tensor<T>? _input;

        public Scale() => _s = RegisterParameter("s", Tensor<T>.FromArray([T.One], 1), weightDecay: false);

        protected override Tensor<T> ForwardCore(Tensor<T> input)
        {
            _input = input;
            var y = Tensor<T>.Zeros(input.Shape);
            for (int i = 0; i < y.Length; i++) y.Data[i] = input.Data[i] * _s.Value.Data[0];
            return y;
        }

        protected override Tensor<T> BackwardCore(Tensor<T> dy)
        {
            var dx = Tensor<T>.Zeros(dy.Shape);
            for (int i = 0; i < dx.Length; i++)
            {
                dx.Data[i] = dy.Data[i] * _s.Value.Data[0];
                _s.Grad.Data[0] += dy.Data[i] * _input!.Data[i];
            }
            return dx;
        }
    }

    private static string ShapeOf(int[] shape) => "(" + string.Join(", ", shape) + ")";
}
