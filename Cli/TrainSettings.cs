using System.Globalization;
using QSim.Attention;
using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>Everything one <c>qsim train</c> run needs: data, model, optimiser, distillation and output settings.</summary>
internal sealed record TrainSettings
{
    /// <summary>The preset that reproduces the TensorCircuit/JAX QViT benchmark configuration.</summary>
    public const string TcBenchmarkPreset = "tc-benchmark";

    public string Data { get; init; } = DataPaths.PneumoniaName;
    public ModelKind Model { get; init; } = ModelKind.VisionTransformer;
    public int Dim { get; init; } = 8;
    public int Heads { get; init; } = 2;
    public int Depth { get; init; } = 1;
    public int Patch { get; init; } = 7;
    public int Mlp { get; init; } = 8;
    public QuantumMlpStyle QuantumMlp { get; init; } = QuantumMlpStyle.QuantumLinear;
    public QuantumAttentionVariant Attention { get; init; } = QuantumAttentionVariant.Projection;
    public QuantumLinearOptions Quantum { get; init; } = new();
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; } = 0.01;
    public double Warmup { get; init; } = 0.1;
    public double Clip { get; init; } = 1.0;
    public TrainingLoss Loss { get; init; } = TrainingLoss.CrossEntropy;
    public int Seed { get; init; }
    public bool HoldOut { get; init; } = true;
    public bool Distill { get; init; }
    public int TeacherDim { get; init; } = 16;
    public int TeacherHeads { get; init; } = 4;
    public int TeacherDepth { get; init; } = 2;
    public int TeacherMlp { get; init; } = 32;
    public int TeacherEpochs { get; init; } = 10;
    public int FineTuneEpochs { get; init; } = 3;
    public double FineTuneLearningRate { get; init; } = 1e-3;
    public double Temperature { get; init; } = 4;
    public double Alpha { get; init; } = 0.7;
    public string Accelerator { get; init; } = "cpu";
    public int? TrainLimit { get; init; }
    public int? ValLimit { get; init; }
    public int? TestLimit { get; init; }
    public string? Output { get; init; }
    public bool Progress { get; init; } = true;
    public int Threads { get; init; } = 1;

    /// <summary>The settings a named preset starts from; explicit options then override them.</summary>
    /// <exception cref="ArgumentException">The preset is unknown.</exception>
    public static TrainSettings FromPreset(string? preset) => preset?.Trim().ToLowerInvariant() switch
    {
        null or "" => new TrainSettings(),
        // Patch 14, dim 6, 2 heads, 4 blocks, MLP 3, quantum attention and MLP, 30 epochs on the 60,000 Fashion-MNIST
        // training images (here 54,000 after the 10 % validation hold-out). The circuits are those of the reference
        // (TensorCircuit QuantumLayer: RX encoding, one layer of RX + CNOT ring, ⟨Z_i⟩; q, k, v and output quantum; MLP
        // Linear(6→3) → QuantumLinear(3) → GELU → Linear(3→6)).
        TcBenchmarkPreset => new TrainSettings
        {
            Data = TrainingData.FashionMnistName, Model = ModelKind.QuantumVisionTransformer, Patch = 14, Dim = 6, Heads = 2,
            Depth = 4, Mlp = 3, QuantumMlp = QuantumMlpStyle.Bottleneck, Quantum = new QuantumLinearOptions { Encoding = QuantumEncoding.RX },
            Epochs = 30, BatchSize = 64, HoldOut = false,
        },
        _ => throw new ArgumentException($"unknown preset '{preset}': expected {TcBenchmarkPreset}", nameof(preset)),
    };

    /// <summary>The model to train, for a data set with the given image size, channels and classes.</summary>
    public ModelSpec StudentSpec(int imageSize, int channels, int classes) => new()
    {
        Kind = Model,
        Mlp = QuantumMlp,
        Attention = Attention,
        Quantum = Quantum,
        Vit = Options(Dim, Heads, Depth, Mlp, imageSize, channels, classes),
    };

    /// <summary>The classical teacher for distillation.</summary>
    public ModelSpec TeacherSpec(int imageSize, int channels, int classes) => new()
    {
        Kind = ModelKind.VisionTransformer,
        Vit = Options(TeacherDim, TeacherHeads, TeacherDepth, TeacherMlp, imageSize, channels, classes),
    };

    public TrainingDataOptions DataOptions() => new() { TrainLimit = TrainLimit, ValLimit = ValLimit, TestLimit = TestLimit, Seed = Seed, FashionHoldOut = HoldOut };

    /// <summary>Training options of the student (or of plain training).</summary>
    public TrainingOptions StudentOptions(string? checkpoint) => new()
    {
        Epochs = Epochs, BatchSize = BatchSize, LearningRate = LearningRate, WeightDecay = WeightDecay, WarmupFraction = Warmup,
        MaxGradientNorm = Clip > 0 ? Clip : double.PositiveInfinity, Loss = Loss, Seed = Seed, CheckpointPath = checkpoint,
    };

    public DistillationPipelineOptions PipelineOptions(string? output) => new()
    {
        Teacher = StudentOptions(Checkpoint(output, "teacher.qsimw")) with { Epochs = TeacherEpochs },
        Distillation = StudentOptions(Checkpoint(output, "student-distilled.qsimw")),
        FineTune = StudentOptions(Checkpoint(output, "student.qsimw")) with { Epochs = FineTuneEpochs, LearningRate = FineTuneLearningRate, WarmupFraction = 0 },
        Temperature = Temperature,
        Alpha = Alpha,
    };

    public static string? Checkpoint(string? output, string name) => output is null ? null : Path.Combine(output, name);

    /// <summary>One line of the main settings, for logs.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"epochs {Epochs}, batch {BatchSize}, lr {LearningRate:G3} (warm-up {Warmup:P0}, cosine), weight decay {WeightDecay:G3}, clip {Clip:G3}, loss {Loss}, seed {Seed}")
        + (Threads > 1 ? string.Create(CultureInfo.InvariantCulture, $", {Threads} data-parallel workers") : "")
        + (Distill ? string.Create(CultureInfo.InvariantCulture, $"; KD: teacher {TeacherEpochs} epochs, τ {Temperature:G3}, α {Alpha:G3}, fine-tune {FineTuneEpochs} epochs at lr {FineTuneLearningRate:G3}") : "");

    private VisionTransformerOptions Options(int dim, int heads, int depth, int mlp, int imageSize, int channels, int classes) => new()
    {
        ImageSize = imageSize, Channels = channels, PatchSize = Patch, Dim = dim, Heads = heads, Depth = depth, MlpHidden = mlp,
        Classes = Loss == TrainingLoss.BinaryCrossEntropy ? 1 : classes, Seed = Seed,
    };
}
