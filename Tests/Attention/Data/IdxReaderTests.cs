using System.Buffers.Binary;
using System.IO.Compression;
using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// IdxReader and FashionMnist.Load on synthetic IDX files, plain and gzipped: round trips and every malformed case.
[TestFixture]
public sealed class IdxReaderTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Images(int count, int rows, int columns) =>
        Idx(IdxReader.ImagesMagic, [count, rows, columns], Enumerable.Range(0, count * rows * columns).Select(i => (byte)i).ToArray());

    private static byte[] Labels(params byte[] labels) => Idx(IdxReader.LabelsMagic, [labels.Length], labels);

    private static byte[] Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(bytes);
        return ms.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ReadImages_PlainOrGzip_RoundTrips(bool gzip)
    {
        byte[] file = Images(3, 2, 4);
        var (pixels, count, rows, columns) = IdxReader.ReadImages(Write("img", gzip ? Gzip(file) : file));
        Assert.That((count, rows, columns), Is.EqualTo((3, 2, 4)));
        Assert.That(pixels, Is.EqualTo(Enumerable.Range(0, 24).Select(i => (byte)i).ToArray()));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ReadLabels_PlainOrGzip_RoundTrips(bool gzip)
    {
        byte[] file = Labels(9, 0, 3);
        Assert.That(IdxReader.ReadLabels(Write("lbl.gz", gzip ? Gzip(file) : file)), Is.EqualTo(new byte[] { 9, 0, 3 }));
    }

    [Test]
    public void ReadImages_Stream_ReadsUncompressed()
    {
        var (pixels, count, _, _) = IdxReader.ReadImages(new MemoryStream(Images(1, 1, 2)), "mem");
        Assert.That(count, Is.EqualTo(1));
        Assert.That(pixels, Is.EqualTo(new byte[] { 0, 1 }));
        Assert.That(IdxReader.ReadLabels(new MemoryStream(Labels(4)), "mem"), Is.EqualTo(new byte[] { 4 }));
    }

    private static IEnumerable<TestCaseData> MalformedImages()
    {
        static TestCaseData Case(string label, byte[] bytes, string fragment) => new TestCaseData(bytes, fragment).SetArgDisplayNames(label);
        byte[] valid = Images(2, 2, 2);
        yield return Case("labels magic", Labels(1, 2), "bad magic number 0x00000801; expected 0x00000803");
        yield return Case("float type", Idx(0x00000D03, [1, 1, 1], new byte[4]), "bad magic number 0x00000D03");
        yield return Case("two dims", Idx(0x00000802, [1, 1], [0]), "bad magic");
        yield return Case("empty", [], "truncated before the magic");
        yield return Case("truncated dims", valid[..9], "truncated in the dimensions");
        yield return Case("truncated data", valid[..^1], "truncated data");
        yield return Case("trailing data", [.. valid, 0], "size mismatch");
        yield return Case("negative dim", Idx(IdxReader.ImagesMagic, [-1, 2, 2], []), "negative");
        yield return Case("huge dims", Idx(IdxReader.ImagesMagic, [60000, 60000, 60000], []), "too large");
    }

    [TestCaseSource(nameof(MalformedImages))]
    public void ReadImages_Malformed_ThrowsInvalidDataNamingFile(byte[] bytes, string fragment)
    {
        string path = Write("bad-images-idx3-ubyte", bytes);
        Assert.That(() => IdxReader.ReadImages(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'bad-images-idx3-ubyte'").And.Message.Contains(fragment));
    }

    [Test]
    public void ReadImages_MalformedInsideGzip_ThrowsInvalidData()
    {
        string path = Write("t.gz", Gzip(Images(2, 2, 2)[..^3]));
        Assert.That(() => IdxReader.ReadImages(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("truncated data"));
    }

    [Test]
    public void ReadLabels_ImagesMagic_ThrowsInvalidData()
    {
        string path = Write("l", Images(1, 1, 1));
        Assert.That(() => IdxReader.ReadLabels(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("expected 0x00000801"));
    }

    [Test]
    public void ReadLabels_CorruptGzip_ThrowsInvalidData()
    {
        byte[] gz = Gzip(Labels(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] = 0xFF;
        string path = Write("c.gz", gz);
        Assert.That(() => IdxReader.ReadLabels(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("'c.gz'"));
    }

    [Test]
    public void Read_InvalidArguments_Throw()
    {
        Assert.That(() => IdxReader.ReadImages(""), Throws.ArgumentException);
        Assert.That(() => IdxReader.ReadLabels((Stream)null!, "x"), Throws.ArgumentNullException);
        Assert.That(() => IdxReader.ReadImages(_dir.File("absent")), Throws.TypeOf<FileNotFoundException>());
    }

    // ------------------------------------------------------------------ FashionMnist.Load on synthetic files

    private void WriteFashion(int trainCount, int trainLabels, byte trainLabelValue = 1, bool gzip = true)
    {
        string ext = gzip ? ".gz" : "";
        byte[] Pack(byte[] b) => gzip ? Gzip(b) : b;
        Write("train-images-idx3-ubyte" + ext, Pack(Images(trainCount, 28, 28)));
        Write("train-labels-idx1-ubyte" + ext, Pack(Labels(Enumerable.Repeat(trainLabelValue, trainLabels).ToArray())));
        Write("t10k-images-idx3-ubyte" + ext, Pack(Images(2, 28, 28)));
        Write("t10k-labels-idx1-ubyte" + ext, Pack(Labels(0, 9)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void FashionLoad_SyntheticFiles_BuildsImageSets(bool gzip)
    {
        WriteFashion(3, 3, gzip: gzip);
        Assert.That(FashionMnist.IsAvailable(_dir.Path), Is.True);
        var data = FashionMnist.Load(_dir.Path);
        Assert.That((data.Train.Count, data.Train.Channels, data.Train.Height, data.Train.Width), Is.EqualTo((3, 1, 28, 28)));
        Assert.That(data.Test.Labels, Is.EqualTo(new[] { 0, 9 }));
        Assert.That(data.Train.Pixels[255], Is.EqualTo(1f));
        Assert.That(data.Train.ClassNames, Is.EqualTo(FashionMnist.ClassNames));
    }

    [Test]
    public void FashionLoad_CountMismatch_ThrowsInvalidData()
    {
        WriteFashion(3, 2);
        Assert.That(() => FashionMnist.Load(_dir.Path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("3 images but 2 labels"));
    }

    [Test]
    public void FashionLoad_LabelAboveNine_ThrowsInvalidData()
    {
        WriteFashion(1, 1, trainLabelValue: 10);
        Assert.That(() => FashionMnist.Load(_dir.Path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("out of range"));
    }

    [Test]
    public void FashionLoad_MissingFile_ThrowsFileNotFoundNamingPaths()
    {
        WriteFashion(1, 1);
        File.Delete(_dir.File("t10k-labels-idx1-ubyte.gz"));
        Assert.That(FashionMnist.IsAvailable(_dir.Path), Is.False);
        Assert.That(() => FashionMnist.Load(_dir.Path), Throws.TypeOf<FileNotFoundException>().With.Message.Contains("t10k-labels-idx1-ubyte"));
    }
}
