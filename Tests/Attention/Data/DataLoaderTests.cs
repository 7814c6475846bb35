using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// DataLoader: determinism per (seed, epoch), every index exactly once per epoch, drop-last, batch contents.
[TestFixture]
public sealed class DataLoaderTests
{
    /// <summary>n images of 2 × 1 × 2 pixels whose every pixel encodes the image index; label = index mod 3.</summary>
    private static ImageSet Set(int n)
    {
        var pixels = new float[n * 4];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < 4; p++) pixels[i * 4 + p] = i + p / 10f;
        return new ImageSet(pixels, Enumerable.Range(0, n).Select(i => i % 3).ToArray(), 2, 1, 2, 3);
    }

    [Test]
    public void Batches_SameSeedAndEpoch_SameOrder()
    {
        var set = Set(50);
        var a = new DataLoader(set, 8, shuffle: true, seed: 5).Batches(3).SelectMany(b => b.Indices).ToArray();
        var b = new DataLoader(set, 8, shuffle: true, seed: 5).Batches(3).SelectMany(b => b.Indices).ToArray();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 50).ToArray()), "shuffled");
    }

    [Test]
    public void Batches_DifferentEpochOrSeed_DifferentOrder()
    {
        var set = Set(50);
        var loader = new DataLoader(set, 50, seed: 5);
        Assert.That(loader.Order(0), Is.Not.EqualTo(loader.Order(1)));
        Assert.That(loader.Order(0), Is.Not.EqualTo(new DataLoader(set, 50, seed: 6).Order(0)));
    }

    [TestCase(103, 10, 11, 3)]
    [TestCase(100, 10, 10, 10)]
    [TestCase(5, 8, 1, 5)]
    [TestCase(1, 1, 1, 1)]
    public void Batches_EveryEpoch_CoversEachIndexExactlyOnce(int n, int batchSize, int batches, int lastSize)
    {
        var loader = new DataLoader(Set(n), batchSize, shuffle: true, seed: 1);
        Assert.That(loader.BatchesPerEpoch, Is.EqualTo(batches));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var list = loader.Batches(epoch).ToList();
            Assert.That(list, Has.Count.EqualTo(batches));
            Assert.That(list.Take(batches - 1).Select(b => b.Count), Is.All.EqualTo(batchSize));
            Assert.That(list[^1].Count, Is.EqualTo(lastSize));
            Assert.That(list.SelectMany(b => b.Indices).Order(), Is.EqualTo(Enumerable.Range(0, n)));
        }
    }

    [Test]
    public void Batches_DropLast_OnlyFullBatchesOfDistinctIndices()
    {
        var loader = new DataLoader(Set(103), 10, seed: 2, dropLast: true);
        var list = loader.Batches(0).ToList();
        Assert.That(loader.BatchesPerEpoch, Is.EqualTo(10));
        Assert.That(list, Has.Count.EqualTo(10));
        Assert.That(list.Select(b => b.Count), Is.All.EqualTo(10));
        Assert.That(list.SelectMany(b => b.Indices), Is.Unique);
        Assert.That(new DataLoader(Set(5), 10, dropLast: true).Batches(0), Is.Empty);
    }

    [Test]
    public void Batches_NoShuffle_SequentialOrder()
    {
        var indices = new DataLoader(Set(7), 3, shuffle: false).Batches(4).SelectMany(b => b.Indices);
        Assert.That(indices, Is.EqualTo(Enumerable.Range(0, 7)));
    }

    [Test]
    public void Batches_Contents_MatchSourceImagesAndLabels()
    {
        var set = Set(20);
        foreach (var (images, labels, indices) in new DataLoader(set, 6, seed: 9).Batches(0))
        {
            Assert.That(images, Has.Length.EqualTo(indices.Length * set.SampleSize));
            for (int i = 0; i < indices.Length; i++)
            {
                Assert.That(labels[i], Is.EqualTo(set.Labels[indices[i]]));
                Assert.That(images.AsSpan(i * 4, 4).ToArray(), Is.EqualTo(set.Image(indices[i]).ToArray()));
            }
        }
    }

    [Test]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.That(() => new DataLoader(null!, 1), Throws.ArgumentNullException);
        Assert.That(() => new DataLoader(Set(3), 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new DataLoader(Set(3), 1).Batches(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
