namespace QSim.Attention.Training;

/// <summary>Knowledge distillation from a trained teacher during a <see cref="Trainer"/> run: the loss becomes
/// <see cref="DistillationLoss"/>(<see cref="Temperature"/>, <see cref="Alpha"/>) of the student's logits against the
/// teacher's logits and the labels.</summary>
/// <param name="Teacher">The trained teacher. Its logits on the training set are computed once, in evaluation mode,
/// before the first epoch; it must output as many logits as the student.</param>
/// <remarks>With <see cref="TrainingLoss.BinaryCrossEntropy"/> (one logit z) both models' logits are read as the two
/// logits (0, z), whose softmax is (1 − σ(z), σ(z)); the distillation loss then reduces to binary cross-entropy
/// when α = 0.</remarks>
public sealed record DistillationOptions(Module<float> Teacher)
{
    /// <summary>The softmax temperature τ (&gt; 0). Default 4.</summary>
    public double Temperature { get; init; } = 4;

    /// <summary>The weight α of the teacher term, in [0, 1]; 1 − α weighs the label term. Default 0.7.</summary>
    public double Alpha { get; init; } = 0.7;
}
