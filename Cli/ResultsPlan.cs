using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>
/// The fixed experiment grid behind <c>docs/results.md</c>: on each data set a classical ViT (~1K parameters), its
/// bigger classical teacher, and QViTs on 4 and 8 qubits (model width = qubits), from scratch and by distillation;
/// then the TensorCircuit benchmark configuration run in full (30 epochs on all 60,000 training images, validated on
/// the official test images every epoch; null images = all).
/// </summary>
internal sealed record ResultsPlan(IReadOnlyList<ResultsDataPlan> DataSets, TrainSettings Base, int[] Qubits, int? TcImages, int TcEpochs)
{
    /// <summary>The full grid: about 12 minutes on a 2-core CPU.</summary>
    public static ResultsPlan Full(string pneumonia) => new(
        [
            new ResultsDataPlan(pneumonia, null, null, null, Epochs: 30, FineTuneEpochs: 5),
            new ResultsDataPlan(TrainingData.FashionMnistName, 10_000, 2_000, null, Epochs: 20, FineTuneEpochs: 5),
        ],
        Shared(),
        [4, 8],
        TcImages: null,
        TcEpochs: 30);

    /// <summary>A smoke-test grid (seconds): the same rows on tiny subsets with one or two epochs.</summary>
    public static ResultsPlan Quick(string pneumonia) => new(
        [
            new ResultsDataPlan(pneumonia, 300, 100, null, Epochs: 2, FineTuneEpochs: 1),
            new ResultsDataPlan(TrainingData.FashionMnistName, 300, 100, 100, Epochs: 2, FineTuneEpochs: 1),
        ],
        Shared(),
        [4, 8],
        TcImages: 300,
        TcEpochs: 1);

    /// <summary>Settings shared by every row: patch 7, 2 heads, 1 block, AdamW at 1e-2 with 10 % warm-up and a cosine,
    /// batch 64, clipping at 1; the ViT has width 8 and MLP 8; the teacher width 16, 4 heads, 2 blocks, MLP 32.</summary>
    private static TrainSettings Shared() => new()
    {
        Patch = 7, Heads = 2, Depth = 1, Dim = 8, Mlp = 8, LearningRate = 1e-2, BatchSize = 64, Seed = 0,
        TeacherDim = 16, TeacherHeads = 4, TeacherDepth = 2, TeacherMlp = 32, FineTuneLearningRate = 2e-3, Temperature = 4, Alpha = 0.7,
        Progress = false,
    };
}
