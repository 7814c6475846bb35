using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>Dropout: identity in evaluation mode, the right statistics in training mode, seeded masks.</summary>
public sealed class DropoutTests
{
    [Test]
    public void Eval_IsTheIdentity()
    {
        var dropout = new Dropout<float>(0.5, new Random(1));
        dropout.Eval();
        Tensor<float> x = Tensor<float>.FromArray([1f, -2f, 3f, 4f], 2, 2);
        Assert.That(dropout.Forward(x).Data, Is.EqualTo(x.Data));
        Assert.That(dropout.Backward(x).Data, Is.EqualTo(x.Data));
    }

    [Test]
    public void Train_DropsAboutPAndKeepsTheMean()
    {
        // 100 000 ones with p = 0.3: the dropped fraction and the output mean must lie within 4 standard deviations.
        const int n = 100_000;
        const double p = 0.3;
        var dropout = new Dropout<double>(p, new Random(2));
        Tensor<double> x = Tensor<double>.FromArray(Enumerable.Repeat(1.0, n).ToArray(), n);
        double[] y = dropout.Forward(x).Data;
        double dropped = y.Count(v => v == 0) / (double)n;
        Assert.That(dropped, Is.EqualTo(p).Within(4 * Math.Sqrt(p * (1 - p) / n)));
        Assert.That(y.Average(), Is.EqualTo(1.0).Within(4 * Math.Sqrt(p / (1 - p) / n)));
        Assert.That(y.Where(v => v != 0), Is.All.EqualTo(1 / (1 - p)).Within(1e-15));
    }

    [Test]
    public void Train_SameSeed_SameMasks()
    {
        Tensor<float> x = Tensor<float>.FromArray(Enumerable.Repeat(1f, 64).ToArray(), 64);
        var a = new Dropout<float>(0.5, new Random(9));
        var b = new Dropout<float>(0.5, new Random(9));
        Assert.That(a.Forward(x).Data, Is.EqualTo(b.Forward(x).Data));
        Assert.That(a.Forward(x).Data, Is.Not.EqualTo(a.Forward(x).Data), "each pass draws a new mask");
    }

    [Test]
    public void ZeroProbability_IsTheIdentityInTraining()
    {
        var dropout = new Dropout<double>(0, new Random(1));
        Tensor<double> x = GradientCheck.RandomTensor(new Random(2), 3, 4);
        Assert.That(dropout.Forward(x).Data, Is.EqualTo(x.Data));
    }
}
