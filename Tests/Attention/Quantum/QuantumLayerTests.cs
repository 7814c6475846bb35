using QSim.Attention;
using QSim.Tests.Attention.Nn;

namespace QSim.Tests.Attention.Quantum;

// The quantum layers: QuantumLinear against the closed form of one layer with a CNOT ring and the regression
// values; every option's backward against finite differences (double); QuantumSelfAttention (projection and
// Gaussian) against finite differences; drop-in shapes inside a ViT; a short QViT training run that must beat chance;
// bad input.
public sealed class QuantumLayerTests
{
    private static readonly double[] X = [0.1, -0.4, 0.7, 1.3];
    private static readonly double[] W1 = [0.2, 0.3, -0.5, 0.9];
    private static readonly double[] W2 = [-1.1, 0.4, 0.25, -0.6];

    private static QuantumLinear<double> Layer(QuantumEncoding encoding, params double[][] layers)
    {
        var layer = new QuantumLinear<double>(4, new QuantumLinearOptions { Encoding = encoding, Layers = layers.Length }, new Random(1));
        for (int l = 0; l < layers.Length; l++) layers[l].CopyTo(layer.Weight.Value.Data, l * 4);
        return layer;
    }

    [TestCase(QuantumEncoding.RX, new[] { -0.5738888271, 0.9505637859, 0.9316157967, -0.5482569372 }, 1)]
    [TestCase(QuantumEncoding.RX, new[] { -0.3967313758, -0.2182150303, -0.2405634022, 0.3111360065 }, 2)]
    [TestCase(QuantumEncoding.RY, new[] { -0.4113716268, -0.2505819004, -0.2414266856, 0.6311500544 }, 2)]
    public void QuantumLinear_RegressionValues(QuantumEncoding encoding, double[] expected, int layers)
    {
        var layer = layers == 1 ? Layer(encoding, W1) : Layer(encoding, W1, W2);
        var output = layer.Forward(Tensor<double>.FromArray(X, 1, 4));
        Assert.That(output.Data, Is.EqualTo(expected).Within(1e-9));
    }

    [TestCase(QuantumEncoding.RX, 3)]
    [TestCase(QuantumEncoding.RY, 5)]
    [TestCase(QuantumEncoding.RY, 8)]
    public void QuantumLinear_OneRingLayer_MatchesClosedForm(QuantumEncoding encoding, int n)
    {
        var rng = new Random(n);
        var layer = new QuantumLinear<double>(n, new QuantumLinearOptions { Encoding = encoding }, rng);
        int rows = 6;
        var x = GradientCheck.RandomTensor(rng, rows, n);
        var output = layer.Forward(x);
        for (int r = 0; r < rows; r++)
        {
            var cos = Enumerable.Range(0, n).Select(j => Math.Cos(x.Data[r * n + j] + layer.Weight.Value.Data[j])).ToArray();
            double z0 = cos.Skip(1).Aggregate(1.0, (a, c) => a * c);
            Assert.That(output.Data[r * n], Is.EqualTo(z0).Within(1e-12), $"row {r}, ⟨Z_0⟩");
            for (int k = 1; k < n; k++)
            {
                double zk = cos.Take(k + 1).Aggregate(1.0, (a, c) => a * c);
                Assert.That(output.Data[r * n + k], Is.EqualTo(zk).Within(1e-12), $"row {r}, ⟨Z_{k}⟩");
            }
        }
    }

    private static IEnumerable<TestCaseData> Options()
    {
        yield return new TestCaseData(new QuantumLinearOptions()).SetArgDisplayNames("RY ring L1");
        yield return new TestCaseData(new QuantumLinearOptions { Encoding = QuantumEncoding.RX, Layers = 2 }).SetArgDisplayNames("RX ring L2");
        yield return new TestCaseData(new QuantumLinearOptions { HadamardFirst = true, Entangler = QuantumEntangler.Chain }).SetArgDisplayNames("H RY chain");
        yield return new TestCaseData(new QuantumLinearOptions { Reuploading = true, Layers = 3, Entangler = QuantumEntangler.AllToAll }).SetArgDisplayNames("reupload all-to-all L3");
    }

    [TestCaseSource(nameof(Options))]
    public void QuantumLinear_Backward_MatchesFiniteDifferences(QuantumLinearOptions options)
    {
        var rng = new Random(4);
        var layer = new QuantumLinear<double>(4, options, rng);
        GradientCheck.AssertModule(layer, GradientCheck.RandomTensor(rng, 2, 3, 4));
    }

    [TestCase(QuantumAttentionVariant.Projection, true)]
    [TestCase(QuantumAttentionVariant.Projection, false)]
    [TestCase(QuantumAttentionVariant.Gaussian, true)]
    [TestCase(QuantumAttentionVariant.Gaussian, false)]
    public void QuantumSelfAttention_Backward_MatchesFiniteDifferences(QuantumAttentionVariant variant, bool outputProjection)
    {
        var rng = new Random(6);
        var attention = new QuantumSelfAttention<double>(4, 2, variant, new QuantumLinearOptions { Layers = 2 }, rng, outputProjection);
        GradientCheck.AssertModule(attention, GradientCheck.RandomTensor(rng, 2, 3, 4));
    }

    [Test]
    public void QuantumLinear_FloatMatchesDouble()
    {
        var options = new QuantumLinearOptions { Encoding = QuantumEncoding.RX, Layers = 2 };
        var d = new QuantumLinear<double>(6, options, new Random(2));
        var f = new QuantumLinear<float>(6, options, new Random(2));
        var x = GradientCheck.RandomTensor(new Random(3), 5, 6);
        var fx = Tensor<float>.FromArray(x.Data.Select(v => (float)v).ToArray(), 5, 6);
        Assert.That(f.Forward(fx).Data.Select(v => (double)v), Is.EqualTo(d.Forward(x).Data).Within(2e-5));
    }

    [Test]
    public void QuantumAttention_DropsIntoVisionTransformer_KeepingShapes()
    {
        var options = new VisionTransformerOptions { ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 2, MlpHidden = 4, Classes = 3, Seed = 1 };
        var q = new QuantumLinearOptions();
        var classical = new VisionTransformer<double>(options);
        var quantum = new VisionTransformer<double>(options,
            (d, h, r) => new QuantumSelfAttention<double>(d, h, QuantumAttentionVariant.Projection, q, r),
            (d, hidden, r) => new Mlp<double>(new QuantumLinear<double>(d, q, r), null));
        var images = GradientCheck.RandomTensor(new Random(5), 2, 1, 8, 8);
        Assert.That(quantum.Forward(images).Shape.ToArray(), Is.EqualTo(classical.Forward(images).Shape.ToArray()));
        Assert.That(quantum.ParameterCount, Is.LessThan(classical.ParameterCount));
        GradientCheck.AssertModule(quantum, images);
    }

    [Test]
    public void QuantumVisionTransformer_BrightLeftVersusRight_LearnsAboveChance()
    {
        var rng = new Random(1);
        int count = 96;
        var data = new float[count * 64];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            for (int p = 0; p < 64; p++) data[n * 64 + p] = (float)(((p % 8 < 4) == (labels[n] == 0) ? 0.8 : 0.2) + 0.2 * (rng.NextDouble() - 0.5));
        }
        var images = Tensor<float>.FromArray(data, count, 1, 8, 8);
        var model = new VisionTransformer<float>(
            new VisionTransformerOptions { ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 1, MlpHidden = 8, Classes = 2, Pooling = ViTPooling.Mean, Seed = 3 },
            (d, h, r) => new QuantumSelfAttention<float>(d, h, QuantumAttentionVariant.Projection, new QuantumLinearOptions(), r));
        var optimizer = new AdamW<float>(model.Parameters(), learningRate: 3e-2);
        double Accuracy()
        {
            model.Eval();
            var logits = model.Forward(images);
            model.Train();
            return Enumerable.Range(0, count).Count(n => (logits[n, 1] > logits[n, 0] ? 1 : 0) == labels[n]) / (double)count;
        }
        for (int epoch = 0; epoch < 15; epoch++)
        {
            for (int start = 0; start < count; start += 32)
            {
                var x = Tensor<float>.FromArray(data[(start * 64)..((start + 32) * 64)], 32, 1, 8, 8);
                optimizer.ZeroGrad();
                var (_, grad) = CrossEntropyLoss.Compute(model.Forward(x), labels.AsSpan(start, 32));
                model.Backward(grad);
                optimizer.Step();
            }
        }
        Assert.That(Accuracy(), Is.GreaterThan(0.9));
    }

    [Test]
    public void BadInput_ThrowsNamingTheProblem()
    {
        var layer = new QuantumLinear<double>(4, new QuantumLinearOptions(), new Random(1));
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<double>.Zeros(2, 5)));
        Assert.That(ex!.Message, Does.Contain("(…, 4)"));
        var nan = Tensor<double>.Zeros(1, 4);
        nan.Data[2] = double.NaN;
        Assert.That(() => layer.Forward(nan), Throws.InstanceOf<ArgumentException>().With.Message.Contains("NaN"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantumLinear<double>(13, new QuantumLinearOptions(), new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantumLinear<double>(4, new QuantumLinearOptions { Layers = 0 }, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantumSelfAttention<double>(6, 4, QuantumAttentionVariant.Gaussian, new QuantumLinearOptions(), new Random(1)));
        var attention = new QuantumSelfAttention<double>(4, 2, QuantumAttentionVariant.Gaussian, new QuantumLinearOptions(), new Random(1));
        Assert.Throws<ArgumentException>(() => attention.Forward(Tensor<double>.Zeros(2, 3, 5)));
        Assert.Throws<InvalidOperationException>(() => new QuantumLinear<double>(4, new QuantumLinearOptions(), new Random(1)).Backward(Tensor<double>.Zeros(1, 4)));
    }
}
