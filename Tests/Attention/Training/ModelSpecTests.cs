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
}
