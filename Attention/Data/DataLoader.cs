namespace QSim.Attention.Data;

/// <summary>
/// Iterates an <see cref="ImageSet"/> in mini-batches, optionally in a seeded random order that changes from epoch to
/// epoch.
/// </summary>
/// <remarks>
/// <para>The order of epoch <c>e</c> depends only on the seed and <c>e</c>, so <c>loader.Batches(e)</c> yields the same
/// batches every time it is enumerated, on every run. Each epoch visits every index exactly once (the last batch is
/// smaller when <see cref="BatchSize"/> does not divide the set, or dropped with <c>dropLast</c>).</para>
/// <code>
/// var loader = new DataLoader(train, batchSize: 32, shuffle: true, seed: 7);
/// for (int epoch = 0; epoch &lt; 10; epoch++)
///     foreach (var (images, labels, _) in loader.Batches(epoch)) { /* (B, C, H, W) floats, B labels */ }
/// </code>
/// </remarks>
public sealed class DataLoader
{
    /// <summary>Creates a loader.</summary>
    /// <param name="set">The images.</param>
    /// <param name="batchSize">Images per batch, ≥ 1.</param>
    /// <param name="shuffle">Whether each epoch visits the images in a seeded random order (else in index order).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="dropLast">Whether to drop a final batch smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentNullException">The set is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    public DataLoader(ImageSet set, int batchSize, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Set = set;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
    }

    /// <summary>The source images.</summary>
    public ImageSet Set { get; }

    /// <summary>Images per batch (the last batch of an epoch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed.</summary>
    public int Seed { get; }

    /// <summary>Whether a final short batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Set.Count / BatchSize : (Set.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the images.</summary>
    /// <param name="epoch">The epoch, ≥ 0.</param>
    /// <returns>A permutation of 0 … N−1 (the identity when not shuffling), before any last batch is dropped.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is negative.</exception>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return OrderCore(epoch);
    }

    /// <summary>The batches of one epoch.</summary>
    /// <param name="epoch">The epoch, ≥ 0; it selects the shuffle.</param>
    /// <returns>A lazily built sequence of <see cref="BatchesPerEpoch"/> batches, each with fresh arrays.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is negative.</exception>
    public IEnumerable<ImageBatch> Batches(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return BatchesCore(epoch);
    }

    private IEnumerable<ImageBatch> BatchesCore(int epoch)
    {
        int[] order = OrderCore(epoch);
        int size = Set.SampleSize;
        float[] source = Set.Pixels;
        int[] labels = Set.Labels;
        for (int b = 0, batches = BatchesPerEpoch; b < batches; b++)
        {
            int start = b * BatchSize;
            int count = Math.Min(BatchSize, order.Length - start);
            var images = new float[(long)count * size];
            var batchLabels = new int[count];
            var indices = order.AsSpan(start, count).ToArray();
            for (int i = 0; i < count; i++)
            {
                Array.Copy(source, (long)indices[i] * size, images, (long)i * size, size);
                batchLabels[i] = labels[indices[i]];
            }
            yield return new ImageBatch(images, batchLabels, indices);
        }
    }

    private int[] OrderCore(int epoch)
    {
        var order = new int[Set.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (Shuffle)
        {
            // System.Random with a seed is deterministic across runs; mix seed and epoch so epochs differ.
            var random = new Random(HashCode32(Seed, epoch));
            random.Shuffle(order);
        }
        return order;
    }

    /// <summary>A fixed (not per-process randomised) mix of two integers.</summary>
    private static int HashCode32(int a, int b)
    {
        unchecked
        {
            ulong x = ((ulong)(uint)a << 32) | (uint)b;
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdUL;
            x ^= x >> 33;
            x *= 0xc4ceb9fe1a85ec53UL;
            x ^= x >> 33;
            return (int)(x & 0x7fffffff);
        }
    }
}
