namespace QSim.Attention.Training;

/// <summary>Where a training run stands after one mini-batch (for progress displays).</summary>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
/// <param name="Batch">The batch just finished, counted from 1.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="Seconds">Seconds since the epoch started.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Seconds);
