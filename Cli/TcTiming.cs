using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>The measured epochs of the TensorCircuit benchmark configuration on Fashion-MNIST.</summary>
/// <param name="Model">The model description.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="Cost">The per-image cost estimate.</param>
/// <param name="Images">Training images per epoch.</param>
/// <param name="TrainSeconds">Seconds of the training steps of each epoch (validation excluded).</param>
/// <param name="ValImages">Validation images.</param>
/// <param name="ValSeconds">Seconds of the last epoch's validation pass.</param>
/// <param name="Workers">Data-parallel workers (<c>--threads</c>).</param>
/// <param name="ValAuc">Validation AUC after the last epoch (a sanity check that it trains).</param>
/// <param name="ValAccuracy">Validation accuracy after the last epoch.</param>
/// <param name="WallSeconds">Wall time of the whole run: every epoch's training steps and validation pass.</param>
internal sealed record TcTiming(string Model, int Parameters, CostEstimate Cost, int Images, double[] TrainSeconds, int ValImages, double ValSeconds, int Workers, double ValAuc,
    double ValAccuracy, double WallSeconds)
{
    /// <summary>Whether this run is the reference's whole workload (30 epochs × 60,000 images), so nothing is extrapolated.</summary>
    public bool IsFullRun => TrainSeconds.Length == ReferenceEpochs && Images == ReferenceImages;

    /// <summary>Seconds of training steps over all epochs.</summary>
    public double TotalTrainSeconds => TrainSeconds.Sum();

    /// <summary>The reference: 30 epochs on 60,000 images took 338 s on an A100 with TensorCircuit/JAX.</summary>
    public const double ReferenceSeconds = 338;

    public const int ReferenceImages = 60_000;
    public const int ReferenceEpochs = 30;

    /// <summary>Seconds per training image, from the last (warm) epoch.</summary>
    public double SecondsPerImage => TrainSeconds[^1] / Images;

    /// <summary>Extrapolated seconds for 30 epochs × 60,000 images (training steps only, linear in images).</summary>
    public double Extrapolated => SecondsPerImage * ReferenceImages * ReferenceEpochs;
}
