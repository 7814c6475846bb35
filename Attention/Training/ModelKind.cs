namespace QSim.Attention.Training;

/// <summary>The model families <see cref="ModelSpec"/> builds.</summary>
public enum ModelKind
{
    /// <summary>The classical <see cref="VisionTransformer{T}"/>.</summary>
    VisionTransformer,

    /// <summary>A QViT: the same transformer with quantum self-attention and (optionally) a quantum MLP; its model
    /// width is its qubit count.</summary>
    QuantumVisionTransformer,
}
