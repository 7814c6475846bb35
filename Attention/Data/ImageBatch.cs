namespace QSim.Attention.Data;

/// <summary>One mini-batch drawn from an <see cref="ImageSet"/> by a <see cref="DataLoader"/>.</summary>
/// <param name="Images">B·C·H·W pixels in (B, C, H, W) layout (a fresh array per batch).</param>
/// <param name="Labels">B class labels.</param>
/// <param name="Indices">The B indices of the images in the source set.</param>
/// <remarks>Deconstructs as <c>var (images, labels, indices) = batch;</c>.</remarks>
public readonly record struct ImageBatch(float[] Images, int[] Labels, int[] Indices)
{
    /// <summary>B, the number of images in the batch.</summary>
    public int Count => Labels.Length;
}
