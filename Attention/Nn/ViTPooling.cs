namespace QSim.Attention;

/// <summary>How a <see cref="VisionTransformer{T}"/> turns its final tokens into one vector per image.</summary>
public enum ViTPooling
{
    /// <summary>Prepend a learned class token and classify from its final state.</summary>
    ClassToken = 0,

    /// <summary>No class token; classify from the mean of the final tokens.</summary>
    Mean = 1,
}
