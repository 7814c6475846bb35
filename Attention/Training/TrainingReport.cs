namespace QSim.Attention.Training;

/// <summary>The outcome of a <see cref="Trainer.Train"/> run. The model holds the best checkpoint's weights.</summary>
/// <param name="Epochs">Every epoch's record, in order (epoch 0, the initial weights, first when they were a
/// candidate).</param>
/// <param name="BestEpoch">The epoch whose weights were restored (highest validation AUC; the earliest on ties).</param>
/// <param name="Val">The restored model's validation scores.</param>
/// <param name="Test">The restored model's scores on the held-out test split, or null when the data has none (then
/// <see cref="Val"/> is the final figure).</param>
/// <param name="ParameterCount">Trainable parameters of the model.</param>
/// <param name="WallSeconds">Wall-clock seconds of the whole run (set-up, epochs, restore, final evaluations).</param>
/// <param name="SecondsPerEpoch">Mean wall-clock seconds per training epoch (training steps plus validation).</param>
/// <param name="CheckpointPath">The file holding the best weights, or null when they were kept in memory.</param>
public sealed record TrainingReport(
    IReadOnlyList<EpochResult> Epochs,
    int BestEpoch,
    Evaluation Val,
    Evaluation? Test,
    int ParameterCount,
    double WallSeconds,
    double SecondsPerEpoch,
    string? CheckpointPath);
