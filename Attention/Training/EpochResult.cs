namespace QSim.Attention.Training;

/// <summary>The record of one training epoch.</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's samples (the distillation loss when distilling).</param>
/// <param name="Val">The validation scores after the epoch.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch: the training steps plus the validation pass.</param>
/// <param name="IsBest">Whether this epoch set a new best validation AUC (and was saved as the checkpoint).</param>
public sealed record EpochResult(int Epoch, double TrainLoss, Evaluation Val, double LearningRate, double Seconds, bool IsBest);
