using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// The real Fashion-MNIST files from Debian's dataset-fashion-mnist package. Ignored when absent unless
// QSIM_REQUIRE_DATA=1.
[TestFixture]
public sealed class FashionMnistFileTests
{
    private FashionMnist _data = null!;

    [OneTimeSetUp]
    public void LoadFiles() => _data = FashionMnist.Load(TestData.FashionDirectory());

    [Test]
    public void Load_Sizes_60000TrainAnd10000Test()
    {
        Assert.That((_data.Train.Count, _data.Train.Channels, _data.Train.Height, _data.Train.Width), Is.EqualTo((60000, 1, 28, 28)));
        Assert.That((_data.Test.Count, _data.Test.Channels, _data.Test.Height, _data.Test.Width), Is.EqualTo((10000, 1, 28, 28)));
        Assert.That(_data.Train.Classes, Is.EqualTo(10));
        Assert.That(_data.Train.ClassNames[9], Is.EqualTo("Ankle boot"));
    }

    [Test]
    public void Load_Labels_InRangeAndBalanced()
    {
        Assert.That(_data.Train.Labels, Is.All.InRange(0, 9));
        Assert.That(_data.Test.Labels, Is.All.InRange(0, 9));
        Assert.That(_data.Train.ClassCounts(), Is.All.EqualTo(6000));
        Assert.That(_data.Test.ClassCounts(), Is.All.EqualTo(1000));
    }

    [Test]
    public void Load_Pixels_InUnitRangeWithBlackAndWhite()
    {
        var image = _data.Train.Image(0).ToArray();
        Assert.That(image, Is.All.InRange(0f, 1f));
        Assert.That(_data.Train.Pixels.Min(), Is.EqualTo(0f));
        Assert.That(_data.Train.Pixels.Max(), Is.EqualTo(1f));
    }

    [Test]
    public void StratifiedSplit_Train_KeepsClassBalance()
    {
        var (first, second) = _data.Train.StratifiedSplit(0.1, seed: 3);
        Assert.That(first.ClassCounts(), Is.All.EqualTo(600));
        Assert.That(second.ClassCounts(), Is.All.EqualTo(5400));
    }
}
