namespace QSim.Attention.Training;

/// <summary>The three stages of a <see cref="DistillationPipeline"/> run.</summary>
/// <remarks>All stages must use the same <see cref="TrainingOptions.Loss"/>. The pipeline sets
/// <see cref="TrainingOptions.Distillation"/> of the distillation stage and
/// <see cref="TrainingOptions.InitialWeightsAreCandidate"/> of the fine-tuning stage itself.</remarks>
public sealed record DistillationPipelineOptions
{
    /// <summary>Training of the teacher from scratch (skipped by <see cref="DistillationPipeline.Distill"/>).</summary>
    public TrainingOptions Teacher { get; init; } = new();

    /// <summary>Pre-training of the student with the distillation loss.</summary>
    public TrainingOptions Distillation { get; init; } = new();

    /// <summary>Fine-tuning of the distilled student with the plain loss. Default: 5 epochs at learning rate 1e-3.</summary>
    public TrainingOptions FineTune { get; init; } = new() { Epochs = 5, LearningRate = 1e-3 };

    /// <summary>The distillation temperature τ (&gt; 0). Default 4.</summary>
    public double Temperature { get; init; } = 4;

    /// <summary>The weight α of the teacher term in [0, 1]. Default 0.7.</summary>
    public double Alpha { get; init; } = 0.7;
}
