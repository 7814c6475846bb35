using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>The error function behind the exact GELU, against MathNet.Numerics, and GELU values.</summary>
public sealed class GeluTests
{
    [Test]
    public void Erf_MatchesMathNetToDoublePrecision()
    {
        double worst = 0;
        for (double x = -7; x <= 7; x += 0.00731)
        {
            double expected = MathNet.Numerics.SpecialFunctions.Erf(x);
            double error = Math.Abs(SpecialFunctions.Erf(x) - expected) / Math.Max(Math.Abs(expected), 1e-300);
            worst = Math.Max(worst, error);
        }
        Assert.That(worst, Is.LessThan(4e-15));
        Assert.That(SpecialFunctions.Erf(0), Is.EqualTo(0.0));
        Assert.That(SpecialFunctions.Erf(-1e-10), Is.EqualTo(-1.1283791670955126e-10).Within(1e-25));
        Assert.That(SpecialFunctions.Erf(double.PositiveInfinity), Is.EqualTo(1.0));
    }

    [Test]
    public void Gelu_KnownValues()
    {
        var gelu = new Gelu<double>();
        Tensor<double> y = gelu.Forward(Tensor<double>.FromArray([-3.0, -1.0, 0.0, 1.0, 3.0], 5));
        // x·Φ(x) with Φ from MathNet.
        double[] expected = new double[] { -3, -1, 0, 1, 3 }.Select(x => x * 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2))).ToArray();
        Assert.That(y.Data, Is.EqualTo(expected).Within(1e-15));
        Assert.That(y.Data[3], Is.EqualTo(0.8413447460685429).Within(1e-15));
    }

    [Test]
    public void Gelu_Float_AgreesWithDouble()
    {
        Tensor<double> x = GradientCheck.RandomTensor(new Random(1), 100);
        Tensor<float> xf = Tensor<float>.FromArray(x.Data.Select(v => (float)(4 * v)).ToArray(), 100);
        Tensor<double> xd = Tensor<double>.FromArray(xf.Data.Select(v => (double)v).ToArray(), 100);
        Tensor<float> yf = new Gelu<float>().Forward(xf);
        Tensor<double> yd = new Gelu<double>().Forward(xd);
        Assert.That(yf.Data.Select(v => (double)v), Is.EqualTo(yd.Data).Within(1e-6));
    }
}
