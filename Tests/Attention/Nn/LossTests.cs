using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>Values, gradients and argument checks of the losses.</summary>
public sealed class LossTests
{
    private static readonly int[] Labels = [2, 0];

    private static Tensor<double> Logits(int seed) => GradientCheck.RandomTensor(new Random(seed), 2, 3);

    [Test]
    public void CrossEntropy_MatchesHandComputedValue()
    {
        Tensor<double> logits = Tensor<double>.FromArray([1.0, 2.0, 3.0, 0.5, -0.5, 0.0], 2, 3);
        (double loss, _) = CrossEntropyLoss.Compute(logits, Labels);
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double row1 = Math.Log(Math.Exp(0.5) + Math.Exp(-0.5) + Math.Exp(0)) - 0.5;
        Assert.That(loss, Is.EqualTo((row0 + row1) / 2).Within(1e-14));
    }

    [Test]
    public void CrossEntropy_GradientMatchesFiniteDifferences()
    {
        Tensor<double> logits = Logits(1);
        (_, Tensor<double> gradient) = CrossEntropyLoss.Compute(logits, Labels);
        GradientCheck.AssertFunction("CrossEntropyLoss", () => CrossEntropyLoss.Compute(logits, Labels).Loss, ("logits", logits, gradient));
    }

    [Test]
    public void CrossEntropy_HugeLogits_StaysFinite()
    {
        Tensor<float> logits = Tensor<float>.FromArray([1e4f, -1e4f, 0f], 1, 3);
        (float loss, Tensor<float> gradient) = CrossEntropyLoss.Compute(logits, [1]);
        Assert.That(loss, Is.EqualTo(2e4f).Within(1e-3));
        Assert.That(gradient.Data, Is.EqualTo(new[] { 1f, -1f, 0f }).Within(1e-6));
    }

    [Test]
    public void CrossEntropy_BadArguments_Throw()
    {
        Tensor<double> logits = Logits(1);
        Assert.That(() => CrossEntropyLoss.Compute(logits, [0]), Throws.ArgumentException.With.Message.Contains("expected 2 labels"));
        Assert.That(() => CrossEntropyLoss.Compute(logits, [0, 3]),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("label 3 at index 1"));
        Assert.That(() => CrossEntropyLoss.Compute(logits, [-1, 0]), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => CrossEntropyLoss.Compute(Tensor<double>.Zeros(2, 3, 1), Labels),
            Throws.ArgumentException.With.Message.Contains("(batch, classes)").And.Message.Contains("(2, 3, 1)"));
        logits.Data[4] = double.NaN;
        Assert.That(() => CrossEntropyLoss.Compute(logits, Labels), Throws.ArgumentException.With.Message.Contains("NaN"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void BinaryCrossEntropy_MatchesDefinitionAndFiniteDifferences(bool column)
    {
        Tensor<double> logits = GradientCheck.RandomTensor(new Random(4), column ? [3, 1] : [3]);
        int[] labels = [1, 0, 1];
        (double loss, Tensor<double> gradient) = BinaryCrossEntropyLoss.Compute(logits, labels);
        double expected = 0;
        for (int b = 0; b < 3; b++)
        {
            double p = 1 / (1 + Math.Exp(-logits.Data[b]));
            expected -= labels[b] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }
        Assert.That(loss, Is.EqualTo(expected / 3).Within(1e-14));
        Assert.That(gradient.Shape.ToArray(), Is.EqualTo(logits.Shape.ToArray()));
        GradientCheck.AssertFunction("BinaryCrossEntropyLoss", () => BinaryCrossEntropyLoss.Compute(logits, labels).Loss, ("logits", logits, gradient));
    }

    [Test]
    public void BinaryCrossEntropy_ExtremeLogits_StableLogSumExpForm()
    {
        Tensor<double> logits = Tensor<double>.FromArray([800.0, -800.0], 2);
        (double loss, Tensor<double> gradient) = BinaryCrossEntropyLoss.Compute(logits, [0, 0]);
        Assert.That(loss, Is.EqualTo(400.0).Within(1e-9));
        Assert.That(gradient.Data, Is.EqualTo(new[] { 0.5, 0.0 }).Within(1e-12));
    }

    [Test]
    public void BinaryCrossEntropy_BadArguments_Throw()
    {
        Assert.That(() => BinaryCrossEntropyLoss.Compute(Tensor<double>.Zeros(2, 2), [0, 1]),
            Throws.ArgumentException.With.Message.Contains("(batch) or (batch, 1)").And.Message.Contains("(2, 2)"));
        Assert.That(() => BinaryCrossEntropyLoss.Compute(Tensor<double>.Zeros(2), [0, 2]),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("not 0 or 1"));
    }

    [Test]
    public void Distillation_GradientMatchesFiniteDifferences()
    {
        var loss = new DistillationLoss(temperature: 2.5, alpha: 0.7);
        Tensor<double> student = Logits(1), teacher = Logits(2);
        (_, Tensor<double> gradient) = loss.Compute(student, teacher, Labels);
        GradientCheck.AssertFunction("DistillationLoss", () => loss.Compute(student, teacher, Labels).Loss, ("student", student, gradient));
    }

    [Test]
    public void Distillation_AlphaZero_EqualsCrossEntropy()
    {
        Tensor<double> student = Logits(1), teacher = Logits(2);
        (double kd, Tensor<double> kdGradient) = new DistillationLoss(3, 0).Compute(student, teacher, Labels);
        (double ce, Tensor<double> ceGradient) = CrossEntropyLoss.Compute(student, Labels);
        Assert.That(kd, Is.EqualTo(ce).Within(1e-15));
        Assert.That(kdGradient.Data, Is.EqualTo(ceGradient.Data).Within(1e-15));
    }

    [Test]
    public void Distillation_StudentEqualsTeacher_SoftTermIsZero()
    {
        Tensor<double> student = Logits(1);
        (double loss, Tensor<double> gradient) = new DistillationLoss(4, 1).Compute(student, student.Clone(), Labels);
        Assert.That(loss, Is.EqualTo(0.0).Within(1e-15));
        Assert.That(gradient.Data, Is.All.EqualTo(0.0).Within(1e-15));
    }

    [Test]
    public void Distillation_MatchesHandComputedKullbackLeibler()
    {
        // One row, two classes, τ = 2, α = 0.5.
        Tensor<double> student = Tensor<double>.FromArray([1.0, -1.0], 1, 2);
        Tensor<double> teacher = Tensor<double>.FromArray([0.0, 2.0], 1, 2);
        static double[] Softmax(double a, double b) => [Math.Exp(a) / (Math.Exp(a) + Math.Exp(b)), Math.Exp(b) / (Math.Exp(a) + Math.Exp(b))];
        double[] ps = Softmax(0.5, -0.5), pt = Softmax(0, 1), hard = Softmax(1, -1);
        double kl = pt[0] * Math.Log(pt[0] / ps[0]) + pt[1] * Math.Log(pt[1] / ps[1]);
        double expected = 0.5 * 4 * kl + 0.5 * -Math.Log(hard[1]);
        (double loss, _) = new DistillationLoss(2, 0.5).Compute(student, teacher, [1]);
        Assert.That(loss, Is.EqualTo(expected).Within(1e-14));
    }

    [Test]
    public void Distillation_BadArguments_Throw()
    {
        Assert.That(() => new DistillationLoss(0, 0.5), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new DistillationLoss(1, 1.5), Throws.TypeOf<ArgumentOutOfRangeException>());
        var loss = new DistillationLoss(2, 0.5);
        Assert.That(() => loss.Compute(Logits(1), Tensor<double>.Zeros(2, 4), Labels),
            Throws.ArgumentException.With.Message.Contains("(2, 3)").And.Message.Contains("(2, 4)"));
        Tensor<double> teacher = Logits(2);
        teacher.Data[0] = double.PositiveInfinity;
        Assert.That(() => loss.Compute(Logits(1), teacher, Labels), Throws.ArgumentException.With.Message.Contains("teacher"));
        Assert.That(() => loss.Compute(Logits(1), Logits(2), [0, 5]), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
