using System.Security.Cryptography;
using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// The real shared/data/pneumoniamnist-trainval.npz (a redistribution with train and val only; see
// shared/data/README.md): shapes, label counts, splits found, and the official-MD5 check on a renamed copy.
// Ignored when the file is absent unless QSIM_REQUIRE_DATA=1.
[TestFixture]
public sealed class PneumoniaMnistFileTests
{
    private string _path = null!;
    private MedMnistDataset _data = null!;

    [OneTimeSetUp]
    public void LoadFile()
    {
        _path = TestData.PneumoniaPath();
        _data = MedMnistDataset.Load(_path);
    }

    [Test]
    public void Npz_RawArrays_HaveDocumentedShapesAndDtypes()
    {
        using var npz = NpzArchive.Open(_path);
        Assert.That(npz.Names, Is.EqualTo(new[] { "train_images", "train_labels", "val_images", "val_labels" }));
        var trainImages = npz.Read("train_images");
        Assert.That(trainImages.DType, Is.EqualTo("|u1"));
        Assert.That(trainImages.Shape, Is.EqualTo(new[] { 3882, 28, 28 }));
        Assert.That(npz.Read("train_labels").Shape, Is.EqualTo(new[] { 3882, 1 }));
        Assert.That(npz.Read("val_images.npy").Shape, Is.EqualTo(new[] { 524, 28, 28 }));
        Assert.That(npz.Read("val_labels").Shape, Is.EqualTo(new[] { 524, 1 }));
    }

    [Test]
    public void Npz_MemberHeader_MatchesTheTestWriterByteForByte()
    {
        // The test writer (NpyBytes) must produce what NumPy wrote into the real file.
        using var zip = new System.IO.Compression.ZipArchive(File.OpenRead(_path));
        using var member = zip.GetEntry("val_labels.npy")!.Open();
        var real = new MemoryStream();
        member.CopyTo(real);
        byte[] written = NpyBytes.File(NpyBytes.Header("|u1", "(524, 1)"), []);
        Assert.That(written, Has.Length.EqualTo(128));
        Assert.That(real.ToArray()[..128], Is.EqualTo(written));
    }

    [Test]
    public void Load_SplitsFound_TrainAndValOnly()
    {
        Assert.That(_data.Splits, Is.EqualTo(new[] { MedMnistSplit.Train, MedMnistSplit.Val }));
        Assert.That(_data.Test, Is.Null);
        Assert.That(_data.Info!.Flag, Is.EqualTo("pneumoniamnist"), "identified from the file-name prefix");
        Assert.That(_data.Md5Verified, Is.False, "not an official file name, so not checked");
        Assert.That(_data.Classes, Is.EqualTo(2));
        Assert.That(_data.ClassNames, Is.EqualTo(new[] { "normal", "pneumonia" }));
    }

    [Test]
    public void Load_ImageSets_HaveShapesAndLabelCounts()
    {
        var train = _data.Train!;
        var val = _data.Val!;
        Assert.That((train.Count, train.Channels, train.Height, train.Width), Is.EqualTo((3882, 1, 28, 28)));
        Assert.That((val.Count, val.Channels, val.Height, val.Width), Is.EqualTo((524, 1, 28, 28)));
        Assert.That(train.Pixels, Has.Length.EqualTo(3882 * 28 * 28));
        Assert.That(train.ClassCounts(), Is.EqualTo(new[] { 388, 3494 }), "train: normal / pneumonia");
        Assert.That(val.ClassCounts(), Is.EqualTo(new[] { 135, 389 }), "val: normal / pneumonia");
    }

    [Test]
    public void Load_Pixels_InUnitRangeAndNotConstant()
    {
        var train = _data.Train!;
        Assert.That(train.Pixels.Min(), Is.GreaterThanOrEqualTo(0f));
        Assert.That(train.Pixels.Max(), Is.LessThanOrEqualTo(1f));
        var (mean, std) = train.ChannelStatistics();
        Assert.That(mean[0], Is.InRange(0.2f, 0.8f));
        Assert.That(std[0], Is.GreaterThan(0.05f));
    }

    [Test]
    public void Load_RenamedToOfficialName_ThrowsMd5MismatchNamingExpected()
    {
        using var dir = new TempDirectory();
        string copy = dir.File("pneumoniamnist.npz");
        File.Copy(_path, copy);
        string actual = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(copy)));
        Assert.That(() => MedMnistDataset.Load(copy),
            Throws.TypeOf<InvalidDataException>()
                .With.Message.Contains("expected 28209eda62fecd6e6a2d98b1501bb15f")
                .And.Message.Contains($"actual {actual}"));
    }

    [Test]
    public void Load_ExpectedMd5OfTheFile_Verified()
    {
        string md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(_path)));
        var data = MedMnistDataset.Load(_path, new MedMnistLoadOptions { ExpectedMd5 = md5 });
        Assert.That(data.Md5Verified, Is.True);
        Assert.That(data.Md5, Is.EqualTo(md5));
    }

    [Test]
    public void Metrics_ConstantScoreOnVal_AucHalf()
    {
        var val = _data.Val!;
        var scores = new float[val.Count, 2];
        for (int i = 0; i < val.Count; i++) (scores[i, 0], scores[i, 1]) = (0.3f, 0.7f);
        Assert.That(Metrics.Auc(val.Labels, scores), Is.EqualTo(0.5));
        Assert.That(Metrics.Accuracy(val.Labels, scores), Is.EqualTo(389.0 / 524).Within(1e-12), "always predicting pneumonia");
    }
}
