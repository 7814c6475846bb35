using System.Security.Cryptography;
using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// MedMnistDataset on synthetic .npz files written here: split discovery, layouts (grayscale, RGB, labels (N,1) and
// (N,)), scaling and normalisation, class info, MD5 checks, and every inconsistency that must be rejected.
[TestFixture]
public sealed class MedMnistDatasetTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    private static (string, byte[], bool) Member(string name, byte[] npy) => (name + ".npy", npy, true);

    /// <summary>n grayscale 2 × 3 images, pixel i of image k = 10 k + i; labels k mod classes as (n, 1).</summary>
    private static (string, byte[], bool)[] GraySplit(string split, int n, int classes = 2)
    {
        var pixels = new byte[n * 6];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < 6; i++) pixels[k * 6 + i] = (byte)(10 * k + i);
        var labels = Enumerable.Range(0, n).Select(k => (byte)(k % classes)).ToArray();
        return [Member(split + "_images", NpyBytes.UInt8($"({n}, 2, 3)", pixels)), Member(split + "_labels", NpyBytes.UInt8($"({n}, 1)", labels))];
    }

    private string Write(string fileName, params (string, byte[], bool)[] members)
    {
        string path = _dir.File(fileName);
        File.WriteAllBytes(path, NpyBytes.Npz(members));
        return path;
    }

    [Test]
    public void Load_AllThreeSplits_FoundInOrderWithScaledPixels()
    {
        string path = Write("toy.npz", [.. GraySplit("test", 2), .. GraySplit("train", 4), .. GraySplit("val", 3)]);
        var data = MedMnistDataset.Load(path);

        Assert.That(data.Splits, Is.EqualTo(new[] { MedMnistSplit.Train, MedMnistSplit.Val, MedMnistSplit.Test }));
        Assert.That(data.Info, Is.Null);
        Assert.That(data.Classes, Is.EqualTo(2));
        Assert.That(data.ClassNames, Is.EqualTo(new[] { "0", "1" }));
        Assert.That(data.Md5Verified, Is.False);
        Assert.That(data.Md5, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)))));

        var train = data[MedMnistSplit.Train];
        Assert.That(data.Train, Is.SameAs(train));
        Assert.That((train.Count, train.Channels, train.Height, train.Width), Is.EqualTo((4, 1, 2, 3)));
        Assert.That(train.Labels, Is.EqualTo(new[] { 0, 1, 0, 1 }));
        Assert.That(train.Pixels[6 * 3 + 5], Is.EqualTo(35 / 255f));
        Assert.That(data.Val!.Count, Is.EqualTo(3));
        Assert.That(data.Test!.Count, Is.EqualTo(2));
    }

    [Test]
    public void Load_PixelExtremes_ScaledToZeroAndOne()
    {
        string path = Write("x.npz", Member("train_images", NpyBytes.UInt8("(1, 1, 2)", 0, 255)), Member("train_labels", NpyBytes.UInt8("(1, 1)", 0)));
        Assert.That(MedMnistDataset.Load(path).Train!.Pixels, Is.EqualTo(new[] { 0f, 1f }));
    }

    [Test]
    public void Load_OnlyTestSplit_ReportsItAndRefusesOthers()
    {
        string path = Write("only-test.npz", GraySplit("test", 3, classes: 3));
        var data = MedMnistDataset.Load(path);
        Assert.That(data.Splits, Is.EqualTo(new[] { MedMnistSplit.Test }));
        Assert.That(data.Train, Is.Null);
        Assert.That(data.TryGetSplit(MedMnistSplit.Val, out var val), Is.False);
        Assert.That(val, Is.Null);
        Assert.That(data.TryGetSplit(MedMnistSplit.Test, out var test), Is.True);
        Assert.That(test!.Count, Is.EqualTo(3));
        Assert.That(() => data[MedMnistSplit.Train], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("no train split").And.Message.Contains("splits found: test"));
    }

    [Test]
    public void Load_FlatInt64Labels_Accepted()
    {
        string path = Write("flat.npz", Member("val_images", NpyBytes.UInt8("(3, 1, 1)", 1, 2, 3)), Member("val_labels", NpyBytes.Int64("(3,)", 4, 0, 2)));
        var data = MedMnistDataset.Load(path);
        Assert.That(data.Val!.Labels, Is.EqualTo(new[] { 4, 0, 2 }));
        Assert.That(data.Classes, Is.EqualTo(5), "largest label + 1");
    }

    [Test]
    public void Load_RgbChannelsLast_TransposedToChannelsFirst()
    {
        // Two 1 × 2 RGB images; pixel (n, y=0, x, c) = 100 n + 10 x + c.
        var bytes = new byte[2 * 2 * 3];
        for (int n = 0; n < 2; n++)
            for (int x = 0; x < 2; x++)
                for (int c = 0; c < 3; c++) bytes[(n * 2 + x) * 3 + c] = (byte)(100 * n + 10 * x + c);
        string path = Write("rgb.npz", Member("train_images", NpyBytes.UInt8("(2, 1, 2, 3)", bytes)), Member("train_labels", NpyBytes.UInt8("(2, 1)", 0, 1)));
        var train = MedMnistDataset.Load(path).Train!;

        Assert.That((train.Channels, train.Height, train.Width), Is.EqualTo((3, 1, 2)));
        // (n, c, y, x) order: n = 1, c = 2, x = 1 → 100 + 10 + 2.
        Assert.That(train.Pixels[((1 * 3 + 2) * 1 + 0) * 2 + 1], Is.EqualTo(112 / 255f));
        var expected = new float[12];
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int x = 0; x < 2; x++) expected[(n * 3 + c) * 2 + x] = (100 * n + 10 * x + c) / 255f;
        Assert.That(train.Pixels, Is.EqualTo(expected));
    }

    [Test]
    public void Load_MeanAndStd_NormalisePerChannel()
    {
        string path = Write("n.npz", Member("train_images", NpyBytes.UInt8("(1, 1, 2)", 0, 255)), Member("train_labels", NpyBytes.UInt8("(1, 1)", 0)));
        var data = MedMnistDataset.Load(path, new MedMnistLoadOptions { Mean = [0.5f], Std = [0.25f] });
        Assert.That(data.Train!.Pixels, Is.EqualTo(new[] { -2f, 2f }));
    }

    [Test]
    public void Load_MeanWithoutStd_ThrowsArgument()
    {
        string path = Write("n.npz", GraySplit("train", 2));
        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { Mean = [0.5f] }), Throws.ArgumentException.With.Message.Contains("Mean and Std"));
        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { Mean = [0.5f], Std = [0f] }), Throws.ArgumentException.With.Message.Contains("standard deviation"));
        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { Mean = [0.5f, 0.5f], Std = [1f] }), Throws.ArgumentException.With.Message.Contains("mean values"));
    }

    [Test]
    public void Load_ImagesWithoutLabels_ThrowsInvalidData()
    {
        string path = Write("half.npz", [.. GraySplit("train", 2), Member("val_images", NpyBytes.UInt8("(1, 1, 1)", 0))]);
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'val_images' but no 'val_labels'"));
    }

    [Test]
    public void Load_LabelsWithoutImages_ThrowsInvalidData()
    {
        string path = Write("half.npz", [.. GraySplit("train", 2), Member("test_labels", NpyBytes.UInt8("(1, 1)", 0))]);
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'test_labels' but no 'test_images'"));
    }

    [Test]
    public void Load_CountMismatch_ThrowsInvalidData()
    {
        string path = Write("m.npz", Member("train_images", NpyBytes.UInt8("(3, 1, 1)", 1, 2, 3)), Member("train_labels", NpyBytes.UInt8("(2, 1)", 0, 1)));
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("train_images holds 3 images but train_labels holds 2 labels"));
    }

    [Test]
    public void Load_NoSplits_ThrowsInvalidDataListingArrays()
    {
        string path = Write("none.npz", Member("weights", NpyBytes.UInt8("(1,)", 0)));
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("no MedMNIST split").And.Message.Contains("'weights'"));
    }

    [Test]
    public void Load_MultiLabel_ThrowsNotSupported()
    {
        string path = Write("multi.npz", Member("train_images", NpyBytes.UInt8("(2, 1, 1)", 0, 1)), Member("train_labels", NpyBytes.UInt8("(2, 3)", 0, 1, 1, 0, 0, 1)));
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("multi-label").And.Message.Contains("(2, 3)"));
    }

    [Test]
    public void Load_FloatImages_ThrowsInvalidData()
    {
        string path = Write("f.npz", Member("train_images", NpyBytes.File(NpyBytes.Header("<f4", "(1, 1, 1)"), new byte[4])), Member("train_labels", NpyBytes.UInt8("(1, 1)", 0)));
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("uint8"));
    }

    [TestCase("(2, 4)")]
    [TestCase("(2, 2, 2, 2)")]
    [TestCase("(2, 2, 2, 1, 1)")]
    public void Load_BadImageShape_ThrowsInvalidData(string shape)
    {
        int count = shape.Trim('(', ')').Split(',').Select(int.Parse).Aggregate(1, (a, b) => a * b);
        string path = Write("s.npz", Member("train_images", NpyBytes.UInt8(shape, new byte[count])), Member("train_labels", NpyBytes.UInt8("(2, 1)", 0, 1)));
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains($"shape {shape}"));
    }

    [Test]
    public void Load_SplitsOfDifferentImageSizes_ThrowsInvalidData()
    {
        string path = Write("d.npz", [.. GraySplit("train", 2), Member("val_images", NpyBytes.UInt8("(1, 1, 1)", 0)), Member("val_labels", NpyBytes.UInt8("(1, 1)", 0))]);
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("val_images holds 1 × 1 × 1 images"));
    }

    [Test]
    public void Load_NegativeLabel_ThrowsInvalidData()
    {
        string path = Write("neg.npz", Member("train_images", NpyBytes.UInt8("(1, 1, 1)", 0)), Member("train_labels", NpyBytes.Int64("(1, 1)", -1)));
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("non-negative"));
    }

    [Test]
    public void Load_FloatLabels_ThrowsInvalidData()
    {
        string path = Write("fl.npz", Member("train_images", NpyBytes.UInt8("(1, 1, 1)", 0)), Member("train_labels", NpyBytes.File(NpyBytes.Header("<f8", "(1, 1)"), new byte[8])));
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("integers"));
    }

    // ------------------------------------------------------------------ known data sets and MD5

    [Test]
    public void Load_FileNamedAfterKnownSet_TakesClassInfoWithoutMd5Check()
    {
        string path = Write("pneumoniamnist-small.npz", GraySplit("train", 2));
        var data = MedMnistDataset.Load(path);
        Assert.That(data.Info, Is.SameAs(MedMnistInfo.Find("pneumoniamnist")));
        Assert.That(data.ClassNames, Is.EqualTo(new[] { "normal", "pneumonia" }));
        Assert.That(data.Train!.ClassNames, Is.EqualTo(new[] { "normal", "pneumonia" }));
        Assert.That(data.Md5Verified, Is.False);
    }

    [Test]
    public void Load_ClassInfoDisabled_CountsClassesFromLabels()
    {
        string path = Write("pneumoniamnist-small.npz", GraySplit("train", 4, classes: 4));
        Assert.That(() => MedMnistDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("label 3 but pneumoniamnist has 2 classes"));
        var data = MedMnistDataset.Load(path, new MedMnistLoadOptions { InferInfoFromFileName = false });
        Assert.That(data.Info, Is.Null);
        Assert.That(data.Classes, Is.EqualTo(4));
    }

    [Test]
    public void Load_ExplicitInfo_Used()
    {
        string path = Write("whatever.npz", GraySplit("train", 3, classes: 3));
        var info = MedMnistInfo.Find("octmnist")!;
        var data = MedMnistDataset.Load(path, new MedMnistLoadOptions { Info = info });
        Assert.That(data.Classes, Is.EqualTo(4));
        Assert.That(data.Train!.ClassNames[3], Is.EqualTo("normal"));
    }

    [Test]
    public void Load_KnownSetWithWrongChannels_ThrowsInvalidData()
    {
        string path = Write("x.npz", GraySplit("train", 2));
        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { Info = MedMnistInfo.Find("pathmnist") }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("1-channel images but pathmnist has 3"));
    }

    [Test]
    public void Load_OfficialNameWithOtherContent_ThrowsMd5MismatchNamingExpectedAndActual()
    {
        string path = Write("pneumoniamnist.npz", GraySplit("train", 2));
        string actual = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));
        Assert.That(() => MedMnistDataset.Load(path),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("expected 28209eda62fecd6e6a2d98b1501bb15f").And.Message.Contains($"actual {actual}"));

        var unchecked_ = MedMnistDataset.Load(path, new MedMnistLoadOptions { VerifyOfficialMd5 = false });
        Assert.That(unchecked_.Md5Verified, Is.False);
        Assert.That(unchecked_.Info!.Flag, Is.EqualTo("pneumoniamnist"));
    }

    [Test]
    public void Load_ExpectedMd5_CheckedWhateverTheName()
    {
        string path = Write("custom.npz", GraySplit("train", 2));
        string actual = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));
        string wrong = new('0', 32);

        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { ExpectedMd5 = wrong }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains($"expected {wrong}").And.Message.Contains(actual));
        var data = MedMnistDataset.Load(path, new MedMnistLoadOptions { ExpectedMd5 = actual.ToUpperInvariant() });
        Assert.That(data.Md5Verified, Is.True);
        Assert.That(() => MedMnistDataset.Load(path, new MedMnistLoadOptions { ExpectedMd5 = "abc" }), Throws.ArgumentException.With.Message.Contains("32 hexadecimal"));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => MedMnistDataset.Load(_dir.File("absent.npz")), Throws.TypeOf<FileNotFoundException>());
        Assert.That(() => MedMnistDataset.Load(""), Throws.ArgumentException);
    }

    [Test]
    public void Info_Table_HasTheTwelveOfficial2DSets()
    {
        string[] flags = ["pathmnist", "chestmnist", "dermamnist", "octmnist", "pneumoniamnist", "retinamnist", "breastmnist",
            "bloodmnist", "tissuemnist", "organamnist", "organcmnist", "organsmnist"];
        Assert.That(MedMnistInfo.All.Select(i => i.Flag), Is.EqualTo(flags));
        foreach (var info in MedMnistInfo.All)
        {
            Assert.That(info.Md5Sums, Is.Not.Empty.And.All.Match("^[0-9a-f]{32}$"), info.Flag);
            Assert.That(info.Channels, Is.EqualTo(1).Or.EqualTo(3), info.Flag);
            Assert.That(info.FileName, Is.EqualTo(info.Flag + ".npz"));
        }
        var pneumonia = MedMnistInfo.Find("PneumoniaMNIST.NPZ")!;
        Assert.That(pneumonia.Md5Sums, Is.EqualTo(new[] { "28209eda62fecd6e6a2d98b1501bb15f" }));
        Assert.That((pneumonia.Task, pneumonia.Classes, pneumonia.Channels), Is.EqualTo((MedMnistTask.BinaryClass, 2, 1)));
        Assert.That(MedMnistInfo.Find("chestmnist")!.Task, Is.EqualTo(MedMnistTask.MultiLabelBinaryClass));
        Assert.That(MedMnistInfo.Find("retinamnist")!.Task, Is.EqualTo(MedMnistTask.OrdinalRegression));
        Assert.That(MedMnistInfo.Find("organamnist")!.Md5Sums, Has.Count.EqualTo(2));
        Assert.That(MedMnistInfo.Find("pneumoniamnist-trainval.npz"), Is.Null);
    }
}
