namespace QSim.Attention.Data;

/// <summary>
/// A labelled set of images for single-label classification: <see cref="Count"/> images of
/// <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/> floats in (N, C, H, W) layout, and one class
/// label per image.
/// </summary>
/// <remarks>
/// <para>Loaders (<see cref="MedMnistDataset"/>, <see cref="FashionMnist"/>) scale 8-bit pixels to [0, 1] and may then
/// normalise them; pixel <c>(n, c, y, x)</c> is at <c>Pixels[((n·C + c)·H + y)·W + x]</c>.</para>
/// <para>The set owns <see cref="Pixels"/> and <see cref="Labels"/> and hands them out without copying, for speed;
/// treat them as read-only. <see cref="Subset"/>, <see cref="Take"/>, <see cref="Normalized"/> and
/// <see cref="StratifiedSplit"/> return new sets with their own arrays.</para>
/// </remarks>
public sealed class ImageSet
{
    /// <summary>Creates a set over existing arrays (not copied: the set takes ownership).</summary>
    /// <param name="pixels">N·C·H·W pixels in (N, C, H, W) layout.</param>
    /// <param name="labels">N class labels, each in [0, <paramref name="classes"/>).</param>
    /// <param name="channels">C ≥ 1.</param>
    /// <param name="height">H ≥ 1.</param>
    /// <param name="width">W ≥ 1.</param>
    /// <param name="classes">The number of classes, ≥ 1.</param>
    /// <param name="classNames">One name per class, or null for the names "0", "1", ….</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension or the class count is below 1, or a label is out of range.</exception>
    /// <exception cref="ArgumentException">The pixel count is not N·C·H·W, or the class names do not number <paramref name="classes"/>.</exception>
    public ImageSet(float[] pixels, int[] labels, int channels, int height, int width, int classes, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        long sampleSize = (long)channels * height * width;
        if (sampleSize > Array.MaxLength || pixels.LongLength != labels.LongLength * sampleSize)
        {
            throw new ArgumentException(
                $"expected {labels.Length} × {channels} × {height} × {width} = {labels.LongLength * sampleSize} pixels (N, C, H, W) for {labels.Length} labels, got {pixels.Length}",
                nameof(pixels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label {i} = {labels[i]} is out of range for {classes} classes (expected 0 … {classes - 1})");
        }
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException($"expected {classes} class names, got {classNames.Count}", nameof(classNames));

        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        ClassNames = Array.AsReadOnly(classNames?.ToArray() ?? Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>N, the number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>C, channels per image (1 grayscale, 3 RGB).</summary>
    public int Channels { get; }

    /// <summary>H, rows per image.</summary>
    public int Height { get; }

    /// <summary>W, columns per image.</summary>
    public int Width { get; }

    /// <summary>C·H·W, the floats per image.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <summary>The number of classes (labels lie in [0, Classes)).</summary>
    public int Classes { get; }

    /// <summary>One name per class.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>All pixels, (N, C, H, W) row-major. The set's own array: do not modify.</summary>
    public float[] Pixels { get; }

    /// <summary>The class label of each image. The set's own array: do not modify.</summary>
    public int[] Labels { get; }

    /// <summary>The pixels of one image.</summary>
    /// <param name="index">The image index.</param>
    /// <returns>C·H·W floats in (C, H, W) layout, a view into <see cref="Pixels"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    public ReadOnlySpan<float> Image(int index)
    {
        CheckIndex(index, nameof(index));
        return Pixels.AsSpan(index * SampleSize, SampleSize);
    }

    /// <summary>How many images each class has.</summary>
    /// <returns>An array of <see cref="Classes"/> counts.</returns>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The images at the given indices, in that order (repeats allowed).</summary>
    /// <param name="indices">Indices in [0, Count).</param>
    /// <returns>A new set with copied pixels and labels.</returns>
    /// <exception cref="ArgumentNullException">The indices are null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        for (int i = 0; i < indices.Count; i++) CheckIndex(indices[i], nameof(indices));
        return SubsetCore(indices);
    }

    /// <summary>The first <paramref name="count"/> images (all of them if the set is smaller).</summary>
    /// <param name="count">The number of images, ≥ 0.</param>
    /// <returns>A new set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public ImageSet Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return SubsetCore(Enumerable.Range(0, Math.Min(count, Count)).ToArray());
    }

    /// <summary>Splits the set in two, class by class, so that both parts keep the class proportions.</summary>
    /// <param name="firstFraction">The share of each class that goes to the first part, in [0, 1]; rounded per class.</param>
    /// <param name="seed">Seed of the shuffle that picks which images of a class go first.</param>
    /// <returns>The two parts; each keeps the images in their original order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1] or not a number.</exception>
    public (ImageSet First, ImageSet Second) StratifiedSplit(double firstFraction, int seed)
    {
        if (!(firstFraction >= 0 && firstFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "expected a fraction in [0, 1]");
        var random = new Random(seed);
        var first = new List<int>();
        var second = new List<int>();
        for (int c = 0; c < Classes; c++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            random.Shuffle(members);
            int take = (int)Math.Round(firstFraction * members.Length, MidpointRounding.AwayFromZero);
            first.AddRange(members[..take]);
            second.AddRange(members[take..]);
        }
        first.Sort();
        second.Sort();
        return (SubsetCore(first), SubsetCore(second));
    }

    /// <summary>Per-channel mean and (population) standard deviation over all images.</summary>
    /// <returns>Two arrays of <see cref="Channels"/> values; zeros for an empty set.</returns>
    public (float[] Mean, float[] Std) ChannelStatistics()
    {
        var mean = new float[Channels];
        var std = new float[Channels];
        int plane = Height * Width;
        long perChannel = (long)Count * plane;
        if (perChannel == 0) return (mean, std);
        for (int c = 0; c < Channels; c++)
        {
            double sum = 0, sumSquares = 0;
            for (int n = 0; n < Count; n++)
            {
                var span = Pixels.AsSpan((n * Channels + c) * plane, plane);
                foreach (float v in span)
                {
                    sum += v;
                    sumSquares += (double)v * v;
                }
            }
            double m = sum / perChannel;
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(0, sumSquares / perChannel - m * m));
        }
        return (mean, std);
    }

    /// <summary>The set with each channel normalised: <c>(x − mean[c]) / std[c]</c>.</summary>
    /// <param name="mean">One value for all channels, or one per channel.</param>
    /// <param name="std">One value for all channels, or one per channel; each positive and finite.</param>
    /// <returns>A new set with the same labels.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A list has neither 1 nor <see cref="Channels"/> values, a mean is not finite, or a deviation is not positive and finite.</exception>
    public ImageSet Normalized(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        var (m, s) = CheckNormalization(mean, std, Channels);
        var pixels = (float[])Pixels.Clone();
        NormalizeInPlace(pixels, Channels, Height * Width, m, s);
        return new ImageSet(pixels, (int[])Labels.Clone(), Channels, Height, Width, Classes, ClassNames);
    }

    /// <summary>A short description.</summary>
    /// <returns>E.g. <c>ImageSet(3882 × 1 × 28 × 28, 2 classes)</c>.</returns>
    public override string ToString() => $"ImageSet({Count} × {Channels} × {Height} × {Width}, {Classes} classes)";

    /// <summary>Validates normalisation statistics and expands them to one value per channel.</summary>
    internal static (float[] Mean, float[] Std) CheckNormalization(IReadOnlyList<float> mean, IReadOnlyList<float> std, int channels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != 1 && mean.Count != channels)
            throw new ArgumentException($"expected 1 or {channels} mean values (one per channel), got {mean.Count}", nameof(mean));
        if (std.Count != 1 && std.Count != channels)
            throw new ArgumentException($"expected 1 or {channels} standard deviations (one per channel), got {std.Count}", nameof(std));
        var m = new float[channels];
        var s = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            m[c] = mean[mean.Count == 1 ? 0 : c];
            s[c] = std[std.Count == 1 ? 0 : c];
            if (!float.IsFinite(m[c])) throw new ArgumentException($"mean of channel {c} is {m[c]}; expected a finite value", nameof(mean));
            if (!(s[c] > 0) || !float.IsFinite(s[c])) throw new ArgumentException($"standard deviation of channel {c} is {s[c]}; expected a positive finite value", nameof(std));
        }
        return (m, s);
    }

    /// <summary>Applies <c>(x − mean[c]) / std[c]</c> in place to (N, C, plane) pixels.</summary>
    internal static void NormalizeInPlace(float[] pixels, int channels, int plane, float[] mean, float[] std)
    {
        int sample = channels * plane;
        for (int start = 0; start < pixels.Length; start += sample)
        {
            for (int c = 0; c < channels; c++)
            {
                var span = pixels.AsSpan(start + c * plane, plane);
                float m = mean[c], inv = 1f / std[c];
                for (int i = 0; i < span.Length; i++) span[i] = (span[i] - m) * inv;
            }
        }
    }

    private ImageSet SubsetCore(IReadOnlyList<int> indices)
    {
        int size = SampleSize;
        var pixels = new float[(long)indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int source = indices[i];
            Array.Copy(Pixels, (long)source * size, pixels, (long)i * size, size);
            labels[i] = Labels[source];
        }
        return new ImageSet(pixels, labels, Channels, Height, Width, Classes, ClassNames);
    }

    private void CheckIndex(int index, string paramName)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(paramName, index, $"image index {index} is out of range for a set of {Count} images");
    }
}
