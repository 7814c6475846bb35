using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>AdamW against hand-computed steps, the warm-up cosine schedule at known steps, and global-norm clipping.</summary>
public sealed class OptimTests
{
    private static TrainableParameter<double> Parameter(string name, double[] value, double[] grad, bool decay = true)
    {
        var parameter = new TrainableParameter<double>(name, Tensor<double>.FromArray(value, value.Length), decay);
        grad.CopyTo(parameter.Grad.Data, 0);
        return parameter;
    }

    [Test]
    public void AdamW_TwoSteps_MatchHandComputedValues()
    {
        TrainableParameter<double> weight = Parameter("weight", [1.0, -2.0], [0.5, -0.1]);
        TrainableParameter<double> bias = Parameter("bias", [0.3], [0.2], decay: false);
        var adam = new AdamW<double>([weight, bias], learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01);

        adam.Step();
        // Step 1: decay θ·(1 − lr·λ) = θ·0.999; m̂ = g, v̂ = g², so the Adam update is lr·g/(|g| + ε).
        Assert.That(weight.Value.Data[0], Is.EqualTo(0.999 - 0.1 * 0.5 / (0.5 + 1e-8)).Within(1e-15));
        Assert.That(weight.Value.Data[1], Is.EqualTo(-1.998 + 0.1 * 0.1 / (0.1 + 1e-8)).Within(1e-15));
        Assert.That(bias.Value.Data[0], Is.EqualTo(0.3 - 0.1 * 0.2 / (0.2 + 1e-8)).Within(1e-15), "no decay for the bias");

        double theta1 = weight.Value.Data[0];
        weight.Grad.Data[0] = -0.25;
        adam.Step();
        // Step 2: m = 0.9·0.05 + 0.1·(−0.25) = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225.
        double mHat = 0.02 / (1 - 0.9 * 0.9);
        double vHat = 0.00031225 / (1 - 0.999 * 0.999);
        double expected = theta1 * 0.999 - 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8);
        Assert.That(weight.Value.Data[0], Is.EqualTo(expected).Within(1e-14));
        Assert.That(adam.StepCount, Is.EqualTo(2));
    }

    [Test]
    public void AdamW_DecayPredicate_OverridesTheFlag()
    {
        TrainableParameter<double> bias = Parameter("bias", [1.0], [0.0], decay: false);
        var adam = new AdamW<double>([bias], learningRate: 0.5, weightDecay: 0.1, decay: _ => true);
        adam.Step();
        Assert.That(bias.Value.Data[0], Is.EqualTo(1.0 - 0.5 * 0.1).Within(1e-15), "zero gradient: only the decay moves it");
    }

    [Test]
    public void AdamW_ZeroGradAndValidation()
    {
        TrainableParameter<double> weight = Parameter("weight", [1.0], [2.0]);
        var adam = new AdamW<double>([weight]);
        adam.ZeroGrad();
        Assert.That(weight.Grad.Data[0], Is.EqualTo(0.0));
        Assert.That(() => new AdamW<double>([weight, weight]), Throws.ArgumentException.With.Message.Contains("twice"));
        Assert.That(() => new AdamW<double>([weight], beta1: 1.0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => adam.LearningRate = -1, Throws.TypeOf<ArgumentOutOfRangeException>());
        weight.Grad.Data[0] = double.NaN;
        Assert.That(() => adam.Step(), Throws.InvalidOperationException.With.Message.Contains("'weight'"));
        Assert.That(weight.Value.Data[0], Is.EqualTo(1.0));
    }

    [Test]
    public void WarmupCosineSchedule_KnownSteps()
    {
        var schedule = new WarmupCosineSchedule(baseLearningRate: 1.0, warmupSteps: 10, totalSteps: 110, minLearningRate: 0.1);
        Assert.That(schedule.LearningRate(0), Is.EqualTo(0.0));
        Assert.That(schedule.LearningRate(5), Is.EqualTo(0.5).Within(1e-15));
        Assert.That(schedule.LearningRate(10), Is.EqualTo(1.0).Within(1e-15));
        Assert.That(schedule.LearningRate(35), Is.EqualTo(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI / 4))).Within(1e-15));
        Assert.That(schedule.LearningRate(60), Is.EqualTo(0.55).Within(1e-15));
        Assert.That(schedule.LearningRate(110), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(schedule.LearningRate(1000), Is.EqualTo(0.1));
        Assert.That(() => schedule.LearningRate(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void WarmupCosineSchedule_NoWarmup_StartsAtBase()
    {
        var schedule = new WarmupCosineSchedule(2.0, 0, 4);
        Assert.That(Enumerable.Range(0, 5).Select(schedule.LearningRate), Is.EqualTo(new[] { 2.0, 1 + Math.Sqrt(0.5) * 1, 1.0, 1 - Math.Sqrt(0.5), 0.0 }).Within(1e-15));
        Assert.That(() => new WarmupCosineSchedule(1, 10, 5), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ClipByGlobalNorm_AboveMax_ScalesAllGradientsTogether()
    {
        TrainableParameter<double> a = Parameter("a", [0, 0], [3, 4]);
        TrainableParameter<double> b = Parameter("b", [0], [12]);
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 6.5);
        Assert.That(norm, Is.EqualTo(13.0).Within(1e-15));
        double scale = 6.5 / (13 + 1e-6);
        Assert.That(a.Grad.Data, Is.EqualTo(new[] { 3 * scale, 4 * scale }).Within(1e-15));
        Assert.That(b.Grad.Data[0], Is.EqualTo(12 * scale).Within(1e-15));
    }

    [Test]
    public void ClipByGlobalNorm_BelowMax_LeavesGradients()
    {
        TrainableParameter<float> a = new("a", Tensor<float>.Zeros(2));
        a.Grad.Data[0] = 0.3f;
        a.Grad.Data[1] = 0.4f;
        Assert.That(GradientClipping.ClipByGlobalNorm([a], 1.0), Is.EqualTo(0.5).Within(1e-7));
        Assert.That(a.Grad.Data, Is.EqualTo(new[] { 0.3f, 0.4f }));
        a.Grad.Data[0] = float.NaN;
        Assert.That(() => GradientClipping.ClipByGlobalNorm([a], 1.0), Throws.InvalidOperationException);
        Assert.That(() => GradientClipping.ClipByGlobalNorm([a], 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
