using QSim.Attention;
using QSim.Attention.Training;

namespace QSim.Tests.Attention.Training;

/// <summary>Model construction from a specification and the analytic cost estimate.</summary>
public sealed class ModelSpecTests
{
    private static readonly VisionTransformerOptions Small = new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 8, Heads = 2, Depth = 1, MlpHidden = 16, Classes = 2, Seed = 7,
    };

    [Test]
    public void Build_ClassicalSpec_EqualsTheVisionTransformerOfTheSameOptions()
    {
        var spec = new ModelSpec { Vit = Small };
        Module<float> a = spec.Build(), b = new VisionTransformer<float>(Small);

        Assert.That(a, Is.TypeOf<VisionTransformer<float>>());
        Assert.That(a.NamedParameters().Select(p => p.Parameter.Value.Data), Is.EqualTo(b.NamedParameters().Select(p => p.Parameter.Value.Data)));
        Assert.That(spec.ShortName, Is.EqualTo("ViT"));
        Assert.That(spec.ToString(), Is.EqualTo("ViT (dim 8, 2 heads, depth 1, patch 4, MLP 16)"));
    }

    [Test]
    public void EstimateCost_ClassicalViT_CountsPatchLinearAttentionAndHeadMultiplyAdds()
    {
        // 4 patches + class token = 5 tokens. Patch embedding 4·16·8 = 512; per block: projections 4·5·8² = 1280,
        // QKᵀ and weights·V 2·5²·8 = 400, MLP 2·5·8·16 = 1280; head 8·2 = 16.
        CostEstimate cost = new ModelSpec { Vit = Small }.EstimateCost();

        Assert.That(cost, Is.EqualTo(new CostEstimate(512 + 1280 + 400 + 1280 + 16, 0, 0, 0)));
    }

    [Test]
    public void EstimateCost_TwoBlocksMeanPooling_ScalesPerBlockAndDropsTheClassToken()
    {
        var options = new VisionTransformerOptions
        {
            ImageSize = 8, PatchSize = 4, Dim = 8, Heads = 2, Depth = 2, MlpHidden = 16, Classes = 2, Pooling = ViTPooling.Mean,
        };
        long perBlock = 4 * 4 * 64 + 2 * 16 * 8 + 2 * 4 * 8 * 16;
        Assert.That(new ModelSpec { Vit = options }.EstimateCost().MultiplyAdds, Is.EqualTo(512 + 2 * perBlock + 16));
    }

    [Test]
    public void Build_InconsistentOptions_ThrowsNamingThem()
    {
        var spec = new ModelSpec { Vit = new VisionTransformerOptions { ImageSize = 28, PatchSize = 5 } };
        var ex = Assert.Throws<ArgumentException>(() => spec.Build());
        Assert.That(ex!.Message, Does.Contain("not a multiple of PatchSize 5"));
        Assert.Throws<ArgumentException>(() => spec.EstimateCost());
        Assert.Throws<ArgumentException>(() => new ModelSpec { Kind = (ModelKind)9 }.Build());
    }

    private static readonly VisionTransformerOptions Quantum4 = new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 1, MlpHidden = 3, Classes = 2, Seed = 7,
    };

    [Test]
    public void Build_QuantumSpec_HasQuantumAttentionAndMlpWithTheExpectedParameters()
    {
        var spec = new ModelSpec { Kind = ModelKind.QuantumVisionTransformer, Vit = Quantum4 };

        Module<float> model = spec.Build();

        // patch 16·4 + 4, position 5·4, class token 4, block norms 16, q/k/v/o 4 angles each, MLP 4 angles, norm 8, head 4·2 + 2.
        Assert.That(model.ParameterCount, Is.EqualTo(68 + 20 + 4 + 16 + 16 + 4 + 8 + 10));
        Assert.That(model.NamedParameters().Select(p => p.Name), Has.Some.EqualTo("blocks.0.attn.attention.q.weight").And.Some.EqualTo("blocks.0.mlp.fc1.weight"));
        Assert.That(spec.ShortName, Is.EqualTo("QViT-4"));
        Assert.That(spec.ToString(), Does.StartWith("QViT-4 (dim 4, 2 heads, depth 1, patch 4, MLP quantum; Projection attention, RY, 1 layer(s), Ring"));
        Tensor<float> logits = model.Forward(Tensor<float>.Zeros(3, 1, 8, 8));
        Assert.That(logits.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
    }

    [Test]
    public void EstimateCost_QuantumSpec_CountsCircuitsAndAmplitudeOps()
    {
        // 5 tokens; q, k, v, o and the MLP: 25 circuits of 4 qubits, each 4 RY encodings + 4 RY weights + 4 CNOTs + 4 ⟨Z⟩
        // = 16 sweeps of 2⁴ amplitudes. Classical: patch 4·16·4 = 256, attention products 2·5²·4 = 200, head 4·2 = 8.
        CostEstimate cost = new ModelSpec { Kind = ModelKind.QuantumVisionTransformer, Vit = Quantum4 }.EstimateCost();

        Assert.That(cost, Is.EqualTo(new CostEstimate(464, 25 * 16 * 16, 25, 4)));
    }

    [Test]
    public void EstimateCost_QuantumBottleneckMlp_AddsItsLinearMapsAndSmallerCircuits()
    {
        var spec = new ModelSpec { Kind = ModelKind.QuantumVisionTransformer, Vit = Quantum4, Mlp = QuantumMlpStyle.Bottleneck };

        CostEstimate cost = spec.EstimateCost();

        // MLP: 2·5·4·3 = 120 multiply-adds and 5 circuits of 3 qubits with (3 + 3 + 3 + 3) sweeps of 2³ amplitudes.
        Assert.That(cost, Is.EqualTo(new CostEstimate(464 + 120, 20 * 16 * 16 + 5 * 12 * 8, 25, 4)));
        Assert.That(spec.Build().ParameterCount, Is.EqualTo(146 - 4 + (4 * 3 + 3) + 3 + (3 * 4 + 4)));
    }

    [TestCase(QuantumEncoding.RY, false, false, 1, QuantumEntangler.Ring, 4)]
    [TestCase(QuantumEncoding.RX, true, true, 3, QuantumEntangler.AllToAll, 5)]
    [TestCase(QuantumEncoding.RY, false, true, 2, QuantumEntangler.Chain, 6)]
    [TestCase(QuantumEncoding.RX, false, false, 1, QuantumEntangler.Ring, 1)]
    [TestCase(QuantumEncoding.RY, true, false, 2, QuantumEntangler.Ring, 2)]
    public void EstimateCost_GateCount_EqualsTheQuantumLayersCircuit(QuantumEncoding encoding, bool hadamard, bool reupload, int layers, QuantumEntangler entangler, int qubits)
    {
        var options = new QuantumLinearOptions { Encoding = encoding, HadamardFirst = hadamard, Reuploading = reupload, Layers = layers, Entangler = entangler };
        var layer = new QuantumLinear<float>(qubits, options, new Random(1));

        Assert.That(ModelSpec.Gates(qubits, options), Is.EqualTo(layer.Circuit.Gates.Count));
    }

    [Test]
    public void Build_QuantumSpecWiderThanTwelveQubits_Throws()
    {
        var spec = new ModelSpec { Kind = ModelKind.QuantumVisionTransformer, Vit = new VisionTransformerOptions { Dim = 16, Heads = 2 } };
        var ex = Assert.Throws<ArgumentException>(() => spec.Build());
        Assert.That(ex!.Message, Does.Contain("Vit.Dim 16 exceeds the 12 qubits"));
    }

    [Test]
    public void Train_TinyQuantumModel_BeatsChance()
    {
        var train = SyntheticImages.Brightness(192, seed: 1);
        var val = SyntheticImages.Brightness(96, seed: 2);
        var spec = new ModelSpec { Kind = ModelKind.QuantumVisionTransformer, Vit = Quantum4 };

        TrainingReport report = Trainer.Train(spec.Build(), train, val, null, new TrainingOptions { Epochs = 4, BatchSize = 32, LearningRate = 3e-2, Seed = 1 });

        Assert.That(report.Val.Auc, Is.GreaterThan(0.9));
        Assert.That(report.Val.Accuracy, Is.GreaterThan(0.8));
    }
}
