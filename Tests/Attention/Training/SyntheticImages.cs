using QSim.Attention.Data;

namespace QSim.Tests.Attention.Training;

/// <summary>Small labelled image sets that a tiny ViT learns in a few epochs.</summary>
internal static class SyntheticImages
{
    /// <summary>
    /// <paramref name="size"/> × <paramref name="size"/> grey images; class c has mean brightness 0.2 + 0.6·c/(K−1) plus
    /// Gaussian pixel noise of deviation <paramref name="noise"/> (so neighbouring classes overlap a little).
    /// </summary>
    public static ImageSet Brightness(int count, int seed, int classes = 2, int size = 8, double noise = 0.6)
    {
        var random = new Random(seed);
        int pixels = size * size;
        var data = new float[count * pixels];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % classes;
            double mean = 0.2 + 0.6 * labels[n] / (classes - 1);
            for (int i = 0; i < pixels; i++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                data[n * pixels + i] = (float)(mean + noise * gaussian);
            }
        }
        return new ImageSet(data, labels, 1, size, size, classes);
    }

    /// <summary>The same images with labels 0 and 1 swapped (a binary set whose training signal contradicts the
    /// validation labels).</summary>
    public static ImageSet Flipped(ImageSet set)
    {
        int[] labels = set.Labels.Select(l => 1 - l).ToArray();
        return new ImageSet((float[])set.Pixels.Clone(), labels, set.Channels, set.Height, set.Width, set.Classes);
    }
}
