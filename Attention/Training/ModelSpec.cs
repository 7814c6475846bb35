using System.Globalization;
using QSim.Kernels;

namespace QSim.Attention.Training;

/// <summary>Describes a (Q)ViT classifier: builds it and estimates its cost.</summary>
/// <remarks>
/// <para>A <see cref="ModelKind.VisionTransformer"/> is <c>new VisionTransformer&lt;float&gt;(Vit)</c>. A
/// <see cref="ModelKind.QuantumVisionTransformer"/> is the same transformer whose attention is a quantum
/// self-attention on <c>Vit.Dim</c> qubits and, when <see cref="QuantumMlp"/> is set, whose MLP is a single quantum
/// linear layer (<c>Mlp(QuantumLinear(dim), null)</c>; <c>Vit.MlpHidden</c> is then unused).</para>
/// <para>All weights come from <c>Vit.Seed</c>, so equal specifications build equal models.</para>
/// </remarks>
public sealed record ModelSpec
{
    /// <summary>The model family. Default <see cref="ModelKind.VisionTransformer"/>.</summary>
    public ModelKind Kind { get; init; } = ModelKind.VisionTransformer;

    /// <summary>The transformer's hyperparameters (for a QViT, <c>Dim</c> is the qubit count).</summary>
    public VisionTransformerOptions Vit { get; init; } = new();

    /// <summary>QViT only: whether each block's MLP is a quantum linear layer (else the classical MLP). Default true.</summary>
    public bool QuantumMlp { get; init; } = true;

    /// <summary>Builds the model with fresh weights from <c>Vit.Seed</c>.</summary>
    /// <param name="accelerator">Where quantum layers simulate their circuits; null for the CPU default. Classical
    /// layers always run on the CPU.</param>
    /// <returns>A new model in training mode.</returns>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent.</exception>
    /// <exception cref="NotSupportedException">The kind is a QViT and this build has no quantum layers.</exception>
    public Module<float> Build(Accelerator? accelerator = null)
    {
        Validate();
        return Kind switch
        {
            ModelKind.VisionTransformer => new VisionTransformer<float>(Vit),
            _ => throw new NotSupportedException(
                "QViT models need QuantumSelfAttention and QuantumLinear, which this build of QSim.Attention does not contain yet"),
        };
    }

    /// <summary>Estimates the work of one forward pass of one image, from the options alone.</summary>
    /// <returns>Classical multiply-adds and, for a QViT, simulated amplitude operations (see <see cref="CostEstimate"/>).</returns>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent.</exception>
    public CostEstimate EstimateCost()
    {
        Validate();
        VisionTransformerOptions o = Vit;
        long d = o.Dim;
        long patches = (long)(o.ImageSize / o.PatchSize) * (o.ImageSize / o.PatchSize);
        long tokens = patches + (o.Pooling == ViTPooling.ClassToken ? 1 : 0);
        long patchEmbedding = patches * o.Channels * o.PatchSize * o.PatchSize * d;
        long attentionProducts = 2 * tokens * tokens * d;
        long head = d * o.Classes;
        long perBlock = 4 * tokens * d * d + attentionProducts + 2 * tokens * d * o.MlpHidden;
        return new CostEstimate(patchEmbedding + o.Depth * perBlock + head, 0, 0, 0);
    }

    /// <summary>A short label: <c>ViT</c> or <c>QViT-n</c> with the main sizes.</summary>
    /// <returns>E.g. <c>ViT (dim 8, 2 heads, depth 1, patch 7, MLP 16)</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ShortName} (dim {Vit.Dim}, {Vit.Heads} heads, depth {Vit.Depth}, patch {Vit.PatchSize}, MLP {(Kind == ModelKind.QuantumVisionTransformer && QuantumMlp ? "quantum" : Vit.MlpHidden.ToString(CultureInfo.InvariantCulture))})");

    /// <summary><c>ViT</c>, or <c>QViT-</c> followed by the qubit count.</summary>
    public string ShortName => Kind == ModelKind.QuantumVisionTransformer ? $"QViT-{Vit.Dim}" : "ViT";

    private void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"ModelSpec.Kind {(int)Kind} is not a ModelKind value", nameof(Kind));
        if (Vit is null) throw new ArgumentException("ModelSpec.Vit is null; expected the transformer options", nameof(Vit));
        Vit.Validate();
    }
}
