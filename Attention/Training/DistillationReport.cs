namespace QSim.Attention.Training;

/// <summary>The outcome of a <see cref="DistillationPipeline"/> run; the student holds the fine-tuned best weights.</summary>
/// <param name="Teacher">The teacher's training, or null when a trained teacher was given.</param>
/// <param name="Distillation">The student's pre-training with the distillation loss.</param>
/// <param name="FineTune">The student's fine-tuning with the plain loss: its <see cref="TrainingReport.Val"/> and
/// <see cref="TrainingReport.Test"/> are the student's final scores.</param>
public sealed record DistillationReport(TrainingReport? Teacher, TrainingReport Distillation, TrainingReport FineTune)
{
    /// <summary>Student epochs (distillation plus fine-tuning).</summary>
    public int StudentEpochs => Distillation.Epochs.Count(e => e.Epoch > 0) + FineTune.Epochs.Count(e => e.Epoch > 0);

    /// <summary>Mean seconds per student epoch over both student stages.</summary>
    public double StudentSecondsPerEpoch =>
        (Distillation.SecondsPerEpoch * Distillation.Epochs.Count(e => e.Epoch > 0) + FineTune.SecondsPerEpoch * FineTune.Epochs.Count(e => e.Epoch > 0))
        / Math.Max(1, StudentEpochs);
}
