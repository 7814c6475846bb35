using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>Seeded construction and training are reproducible; float and double models agree.</summary>
public sealed class DeterminismTests
{
    private static VisionTransformerOptions Options(int seed, double dropout = 0) => new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 8, Heads = 2, Depth = 2, MlpHidden = 16, Classes = 3,
        Dropout = dropout, Seed = seed,
    };

    private static Tensor<T> Images<T>(int batch) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Tensor<T>.FromArray(Enumerable.Range(0, batch * 64).Select(i => T.CreateChecked(Math.Sin(0.37 * i))).ToArray(), batch, 1, 8, 8);

    [Test]
    public void SameSeed_IdenticalWeightsOutputsAndDropoutMasks()
    {
        var a = new VisionTransformer<float>(Options(5, dropout: 0.2));
        var b = new VisionTransformer<float>(Options(5, dropout: 0.2));
        Assert.That(a.Parameters().SelectMany(p => p.Value.Data), Is.EqualTo(b.Parameters().SelectMany(p => p.Value.Data)));
        Tensor<float> x = Images<float>(4);
        for (int pass = 0; pass < 3; pass++)
        {
            Assert.That(a.Forward(x).Data, Is.EqualTo(b.Forward(x).Data), $"training pass {pass}");
        }
    }

    [Test]
    public void DifferentSeeds_DifferentWeights()
    {
        var a = new VisionTransformer<float>(Options(5));
        var b = new VisionTransformer<float>(Options(6));
        Assert.That(a.Parameters().SelectMany(p => p.Value.Data), Is.Not.EqualTo(b.Parameters().SelectMany(p => p.Value.Data)));
    }

    [Test]
    public void Dropout_TrainingDiffersFromEval_EvalIsDeterministic()
    {
        var model = new VisionTransformer<float>(Options(5, dropout: 0.3));
        Tensor<float> x = Images<float>(4);
        float[] training = model.Forward(x).Data;
        model.Eval();
        float[] eval1 = model.Forward(x).Data;
        Assert.That(eval1, Is.EqualTo(model.Forward(x).Data));
        Assert.That(eval1, Is.Not.EqualTo(training));
    }

    [Test]
    public void FloatAndDoubleModels_SameSeed_AgreeToSinglePrecision()
    {
        var single = new VisionTransformer<float>(Options(3));
        var full = new VisionTransformer<double>(Options(3));
        float[] yf = single.Forward(Images<float>(4)).Data;
        double[] yd = full.Forward(Images<double>(4)).Data;
        Assert.That(yf.Select(v => (double)v), Is.EqualTo(yd).Within(1e-4));

        // Backward agrees too: the input gradients of the same upstream gradient.
        float[] gf = single.Backward(Tensor<float>.FromArray(Enumerable.Repeat(1f, 12).ToArray(), 4, 3)).Data;
        double[] gd = full.Backward(Tensor<double>.FromArray(Enumerable.Repeat(1.0, 12).ToArray(), 4, 3)).Data;
        Assert.That(gf.Select(v => (double)v), Is.EqualTo(gd).Within(1e-4));
    }
}
