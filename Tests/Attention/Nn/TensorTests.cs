using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>Construction, indexing, views and shape errors of <see cref="Tensor{T}"/>.</summary>
public sealed class TensorTests
{
    [Test]
    public void Zeros_Shape_HasLengthRankAndZeroData()
    {
        Tensor<float> t = Tensor<float>.Zeros(2, 3, 4);
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(t.Rank, Is.EqualTo(3));
        Assert.That(t.Length, Is.EqualTo(24));
        Assert.That(t.Data, Is.All.EqualTo(0f));
    }

    [Test]
    public void FromArray_CopiesTheData()
    {
        double[] data = [1, 2, 3, 4, 5, 6];
        Tensor<double> t = Tensor<double>.FromArray(data, 2, 3);
        data[0] = 99;
        Assert.That(t.Data[0], Is.EqualTo(1.0));
    }

    [Test]
    public void FromArray_LengthMismatch_ThrowsNamingShapeAndLength()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor<double>.FromArray([1.0, 2, 3], 2, 2));
        Assert.That(e!.Message, Does.Contain("(2, 2)").And.Contain("4").And.Contain("3"));
    }

    [Test]
    public void Zeros_NegativeDimension_Throws() =>
        Assert.That(() => Tensor<float>.Zeros(2, -1), Throws.ArgumentException.With.Message.Contains("negative"));

    [Test]
    public void Indexer_RowMajor_ReadsAndWritesTheFlatElement()
    {
        Tensor<double> t = Tensor<double>.Zeros(2, 3, 4);
        t[1, 2, 3] = 5;
        Assert.That(t.Data[(1 * 3 + 2) * 4 + 3], Is.EqualTo(5.0));
        Assert.That(t[1, 2, 3], Is.EqualTo(5.0));
    }

    [Test]
    public void Indexer_WrongRankOrOutOfRange_Throws()
    {
        Tensor<double> t = Tensor<double>.Zeros(2, 3);
        Assert.That(() => t[1], Throws.ArgumentException.With.Message.Contains("takes 2 indices"));
        Assert.That(() => t[0, 3], Throws.TypeOf<IndexOutOfRangeException>().With.Message.Contains("(2, 3)"));
        Assert.That(() => t[-1, 0], Throws.TypeOf<IndexOutOfRangeException>());
    }

    [Test]
    public void Reshape_SharesDataAndInfersMinusOne()
    {
        Tensor<double> t = Tensor<double>.Zeros(2, 3, 4);
        Tensor<double> view = t.Reshape(-1, 4);
        Assert.That(view.Shape.ToArray(), Is.EqualTo(new[] { 6, 4 }));
        view[5, 3] = 7;
        Assert.That(t[1, 2, 3], Is.EqualTo(7.0));
        Assert.That(view.Data, Is.SameAs(t.Data));
    }

    [Test]
    public void Reshape_WrongCount_ThrowsNamingBothShapes()
    {
        Tensor<double> t = Tensor<double>.Zeros(2, 3);
        Assert.That(() => t.Reshape(4, 2), Throws.ArgumentException.With.Message.Contains("(2, 3)").And.Message.Contains("(4, 2)"));
        Assert.That(() => t.Reshape(-1, -1), Throws.ArgumentException.With.Message.Contains("only one"));
        Assert.That(() => t.Reshape(-1, 4), Throws.ArgumentException.With.Message.Contains("cannot be inferred"));
    }

    [Test]
    public void Clone_IsIndependent()
    {
        Tensor<float> t = Tensor<float>.FromArray([1f, 2f], 2);
        Tensor<float> copy = t.Clone();
        copy.Data[0] = 5;
        Assert.That(t.Data[0], Is.EqualTo(1f));
        Assert.That(copy.Shape.ToArray(), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void ToString_NamesTypeAndShape() =>
        Assert.That(Tensor<float>.Zeros(2, 3).ToString(), Is.EqualTo("Tensor<Single>(2, 3)"));
}
