using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// ImageSet: constructor validation, Subset/Take, stratified split, channel statistics and normalisation.
[TestFixture]
public sealed class ImageSetTests
{
    /// <summary>n single-pixel images with value = index; labels as given.</summary>
    private static ImageSet Set(params int[] labels) =>
        new(Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray(), labels, 1, 1, 1, labels.Length == 0 ? 1 : labels.Max() + 1);

    [Test]
    public void Constructor_ValidArrays_ExposesThemWithoutCopy()
    {
        var pixels = new float[2 * 3 * 2 * 2];
        int[] labels = [1, 0];
        var set = new ImageSet(pixels, labels, 3, 2, 2, 2, ["a", "b"]);
        Assert.That(set.Pixels, Is.SameAs(pixels));
        Assert.That(set.Labels, Is.SameAs(labels));
        Assert.That((set.Count, set.SampleSize, set.Classes), Is.EqualTo((2, 12, 2)));
        Assert.That(set.ClassNames, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(new ImageSet(new float[1], [0], 1, 1, 1, 3).ClassNames, Is.EqualTo(new[] { "0", "1", "2" }));
    }

    [Test]
    public void Constructor_Inconsistent_Throws()
    {
        Assert.That(() => new ImageSet(new float[5], [0, 1], 1, 1, 2, 2), Throws.ArgumentException.With.Message.Contains("expected 2 × 1 × 1 × 2 = 4 pixels"));
        Assert.That(() => new ImageSet(new float[2], [0, 2], 1, 1, 1, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("label 1 = 2"));
        Assert.That(() => new ImageSet(new float[1], [-1], 1, 1, 1, 2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ImageSet(new float[1], [0], 0, 1, 1, 2), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ImageSet(new float[1], [0], 1, 1, 1, 2, ["only one"]), Throws.ArgumentException.With.Message.Contains("2 class names"));
        Assert.That(() => new ImageSet(null!, [0], 1, 1, 1, 1), Throws.ArgumentNullException);
    }

    [Test]
    public void Subset_Indices_CopiesInOrder()
    {
        var set = Set(0, 1, 2, 0, 1);
        var sub = set.Subset([4, 0, 4]);
        Assert.That(sub.Pixels, Is.EqualTo(new[] { 4f, 0f, 4f }));
        Assert.That(sub.Labels, Is.EqualTo(new[] { 1, 0, 1 }));
        Assert.That(sub.Classes, Is.EqualTo(3));
        Assert.That(() => set.Subset([5]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("index 5"));
    }

    [Test]
    public void Take_FirstImages_ClampedToCount()
    {
        var set = Set(0, 1, 0);
        Assert.That(set.Take(2).Pixels, Is.EqualTo(new[] { 0f, 1f }));
        Assert.That(set.Take(10).Count, Is.EqualTo(3));
        Assert.That(set.Take(0).Count, Is.Zero);
        Assert.That(() => set.Take(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void StratifiedSplit_KeepsProportionsAndPartitions()
    {
        int[] labels = [.. Enumerable.Repeat(0, 40), .. Enumerable.Repeat(1, 10)];
        var set = Set(labels);
        var (first, second) = set.StratifiedSplit(0.8, seed: 4);
        Assert.That(first.ClassCounts(), Is.EqualTo(new[] { 32, 8 }));
        Assert.That(second.ClassCounts(), Is.EqualTo(new[] { 8, 2 }));
        var all = first.Pixels.Concat(second.Pixels).Order();
        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 50).Select(i => (float)i)), "a partition of the images");
        Assert.That(first.Pixels, Is.Ordered, "original order kept");
        Assert.That(set.StratifiedSplit(0.8, seed: 4).First.Pixels, Is.EqualTo(first.Pixels), "deterministic");
        Assert.That(() => set.StratifiedSplit(1.5, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => set.StratifiedSplit(double.NaN, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ChannelStatistics_AndNormalized_StandardiseEachChannel()
    {
        // Two images, 2 channels of 2 pixels: channel 0 values {0, 2, 4, 6}, channel 1 all 5.
        float[] pixels = [0, 2, 5, 5, 4, 6, 5, 5];
        var set = new ImageSet(pixels, [0, 1], 2, 1, 2, 2);
        var (mean, std) = set.ChannelStatistics();
        Assert.That(mean, Is.EqualTo(new[] { 3f, 5f }));
        Assert.That(std[0], Is.EqualTo((float)Math.Sqrt(5)).Within(1e-6));
        Assert.That(std[1], Is.Zero);

        var normalized = set.Normalized([3f, 5f], [2f, 1f]);
        Assert.That(normalized.Pixels, Is.EqualTo(new[] { -1.5f, -0.5f, 0f, 0f, 0.5f, 1.5f, 0f, 0f }));
        Assert.That(set.Pixels[0], Is.Zero, "the source is unchanged");
        Assert.That(() => set.Normalized([0f], [0f]), Throws.ArgumentException);
        Assert.That(() => set.Normalized([0f, 0f, 0f], [1f]), Throws.ArgumentException.With.Message.Contains("1 or 2 mean values"));
    }

    [Test]
    public void Image_Index_ReturnsItsPixels()
    {
        var set = new ImageSet([1, 2, 3, 4], [0, 0], 1, 1, 2, 1);
        Assert.That(set.Image(1).ToArray(), Is.EqualTo(new[] { 3f, 4f }));
        Assert.That(() => set.Image(2).ToArray(), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(set.ToString(), Is.EqualTo("ImageSet(2 × 1 × 1 × 2, 1 classes)"));
    }
}
