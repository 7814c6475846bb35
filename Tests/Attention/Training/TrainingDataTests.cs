using QSim.Attention.Training;
using QSim.Tests.Attention.Data;

namespace QSim.Tests.Attention.Training;

/// <summary>Loading, subsampling and normalising the experiment data sets, and the errors for bad sources.</summary>
public sealed class TrainingDataTests
{
    [Test]
    public void Load_UnknownName_ThrowsListingTheChoices()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainingData.Load("cifar-10"));
        Assert.That(ex!.Message, Does.Contain("unknown data set 'cifar-10'").And.Contain("fashion-mnist"));
        Assert.Throws<ArgumentException>(() => TrainingData.Load("  "));
        Assert.Throws<ArgumentNullException>(() => TrainingData.Load(null!));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "qsim-no-such-dir", "pneumoniamnist.npz");
        var ex = Assert.Throws<FileNotFoundException>(() => TrainingData.Load(path));
        Assert.That(ex!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void Load_FashionFromEmptyDirectory_ThrowsFileNotFound()
    {
        using var directory = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => TrainingData.Load("Fashion-MNIST", new TrainingDataOptions { FashionMnistDirectory = directory.Path }));
        Assert.That(ex!.Message, Does.Contain("dataset-fashion-mnist"));
    }

    [Test]
    public void Load_ZeroLimit_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainingData.Load("fashion-mnist", new TrainingDataOptions { TrainLimit = 0 }));
        Assert.That(ex!.ParamName, Is.EqualTo("TrainLimit"));
    }

    [Test]
    public void Load_PneumoniaWithLimits_StratifiedNormalisedNoTestSplit()
    {
        string path = TestData.PneumoniaPath();

        TrainingData data = TrainingData.Load(path, new TrainingDataOptions { TrainLimit = 400, ValLimit = 100, Seed = 1 });

        Assert.That(data.Name, Is.EqualTo("PneumoniaMNIST"));
        Assert.That(data.Test, Is.Null);
        Assert.That(data.Train.Count, Is.InRange(398, 402));
        Assert.That(data.Val.Count, Is.InRange(98, 102));
        Assert.That(data.Train.ClassCounts()[0], Is.InRange(38, 42), "388 of 3882 are normal: the subsample keeps 10 %");
        (float[] mean, float[] std) = data.Train.ChannelStatistics();
        Assert.That(mean[0], Is.EqualTo(0).Within(1e-4));
        Assert.That(std[0], Is.EqualTo(1).Within(1e-3));
        Assert.That(data.Description, Does.Contain("no test split").And.Contain("stratified subsample"));
    }

    [Test]
    public void Load_FashionWithLimits_HoldsOutValidationFromTrainAndSubsamplesTest()
    {
        TestData.FashionDirectory();

        TrainingData data = TrainingData.Load("fashion-mnist", new TrainingDataOptions { TrainLimit = 1000, ValLimit = 500, TestLimit = 300 });

        Assert.That(data.Name, Is.EqualTo("Fashion-MNIST"));
        Assert.That(data.Train.Count, Is.EqualTo(1000));
        Assert.That(data.Val.Count, Is.EqualTo(500));
        Assert.That(data.Test!.Count, Is.EqualTo(300));
        Assert.That(data.Train.ClassCounts(), Is.All.EqualTo(100));
        Assert.That(data.Description, Does.Contain("hold-out"));
    }

    [Test]
    public void Load_FashionWithoutHoldOut_TrainsOnTrainingImagesAndValidatesOnOfficialTest()
    {
        string directory = TestData.FashionDirectory();

        TrainingData all = TrainingData.Load("fashion-mnist", new TrainingDataOptions { FashionHoldOut = false, ValLimit = 50, Normalize = false });
        Assert.That(all.Train.Count, Is.EqualTo(60_000), "every training image, none held out");
        Assert.That(all.Val.Count, Is.EqualTo(50));
        Assert.That(all.Test, Is.Null, "the official test images are the validation split");
        Assert.That(all.Description, Does.Contain("no hold-out").And.Contain("official test images"));

        // Every validation image is one of the official test images (compared pixel for pixel, unnormalised).
        var official = QSim.Attention.Data.FashionMnist.Load(directory).Test;
        var known = new HashSet<string>();
        for (int i = 0; i < official.Count; i++) known.Add(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(official.Image(i))));
        for (int i = 0; i < all.Val.Count; i++)
        {
            Assert.That(known, Does.Contain(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.Val.Image(i)))), $"val image {i}");
        }
    }
}
