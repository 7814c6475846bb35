namespace QSim.Attention.Training;

/// <summary>The settings of one <see cref="Trainer.Train"/> run.</summary>
/// <remarks>
/// <para>Each step: <c>ZeroGrad</c> → forward → loss → backward → <see cref="GradientClipping.ClipByGlobalNorm{T}"/>
/// (<see cref="MaxGradientNorm"/>) → learning rate from <see cref="WarmupCosineSchedule"/> (linear warm-up over
/// <see cref="WarmupFraction"/> of all steps, then a half cosine to <see cref="MinLearningRate"/>) → <see cref="AdamW{T}"/>
/// step. Mini-batches come from a shuffling <see cref="Data.DataLoader"/> seeded with <see cref="Seed"/>; the order
/// of epoch e depends only on (seed, e).</para>
/// <para>Validation runs after every epoch. Whenever the validation AUC beats every earlier epoch (strictly), the
/// weights are saved with <see cref="ModuleSerializer"/> — to <see cref="CheckpointPath"/>, or into memory when that
/// is null — and the best weights are loaded back at the end.</para>
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>Epochs (≥ 1). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Training images per step (≥ 1). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Images per forward pass when evaluating (≥ 1). Default 256.</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>The peak learning rate of AdamW (&gt; 0). Default 3e-3.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>The learning rate at the end of the cosine, in [0, <see cref="LearningRate"/>]. Default 0.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>The share of all steps spent warming up linearly from 0, in [0, 1). Default 0.1.</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>AdamW's decoupled weight decay (≥ 0), applied to the parameters that ask for it (weights of linear
    /// maps). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>The global gradient-norm bound (&gt; 0; <see cref="double.PositiveInfinity"/> disables clipping).
    /// Default 1.</summary>
    public double MaxGradientNorm { get; init; } = 1;

    /// <summary>The objective, which fixes the number of logits the model must produce. Default
    /// <see cref="TrainingLoss.CrossEntropy"/>.</summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.CrossEntropy;

    /// <summary>The seed of the mini-batch order. (Weights are seeded where the model is built.) Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Where the best-validation-AUC weights are written (directories are created); null keeps them in
    /// memory. Default null.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Whether the weights the run starts from are a checkpoint candidate: they are validated before the
    /// first epoch (reported as epoch 0) and kept if no epoch beats them. Useful for fine-tuning a pre-trained model.
    /// Default false.</summary>
    public bool InitialWeightsAreCandidate { get; init; }

    /// <summary>Data-parallel workers (≥ 1): each mini-batch is split into this many contiguous shards that run on
    /// parallel threads, on the model and on <c>Replicas − 1</c> copies from <see cref="ReplicaFactory"/>; the gradients
    /// are averaged by shard size in a fixed order, so a run stays deterministic for a fixed count (but differs in
    /// rounding from another count). Evaluation is split the same way. Default 1 (no threads of its own; the layers
    /// and kernels may still parallelise internally).</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Builds one more instance of the trained model's architecture (any weights: they are overwritten with
    /// the model's before each use); required when <see cref="Replicas"/> &gt; 1. Default null.</summary>
    public Func<Module<float>>? ReplicaFactory { get; init; }

    /// <summary>Knowledge distillation from a teacher, or null for the plain objective. Default null.</summary>
    public DistillationOptions? Distillation { get; init; }

    /// <summary>Called after every mini-batch (on the training thread), or null.</summary>
    public Action<TrainingProgress>? BatchCompleted { get; init; }

    /// <summary>Called after every epoch's validation (on the training thread), or null.</summary>
    public Action<EpochResult>? EpochCompleted { get; init; }

    /// <summary>Checks every option, naming the first bad one.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    internal void Validate()
    {
        static void Fail(string name, object value, string expected) =>
            throw new ArgumentException($"TrainingOptions.{name} is {value}; expected {expected}", name);

        if (Epochs < 1) Fail(nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 1) Fail(nameof(BatchSize), BatchSize, "at least 1");
        if (EvaluationBatchSize < 1) Fail(nameof(EvaluationBatchSize), EvaluationBatchSize, "at least 1");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) Fail(nameof(LearningRate), LearningRate, "a positive finite number");
        if (!(MinLearningRate >= 0 && MinLearningRate <= LearningRate)) Fail(nameof(MinLearningRate), MinLearningRate, $"a value in [0, {LearningRate}]");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) Fail(nameof(WarmupFraction), WarmupFraction, "a fraction in [0, 1)");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) Fail(nameof(WeightDecay), WeightDecay, "a non-negative finite number");
        if (!(MaxGradientNorm > 0)) Fail(nameof(MaxGradientNorm), MaxGradientNorm, "a positive number (or +∞ for no clipping)");
        if (!Enum.IsDefined(Loss)) Fail(nameof(Loss), (int)Loss, "a TrainingLoss value");
        if (Replicas < 1) Fail(nameof(Replicas), Replicas, "at least 1");
        if (Replicas > 1 && ReplicaFactory is null) Fail(nameof(ReplicaFactory), "null", $"a factory for the {Replicas - 1} replica(s) that Replicas = {Replicas} needs");
        if (Distillation is not null)
        {
            if (Distillation.Teacher is null) Fail(nameof(Distillation), "a distillation without a teacher", "a teacher module");
            if (!(Distillation.Temperature > 0) || !double.IsFinite(Distillation.Temperature)) Fail("Distillation.Temperature", Distillation.Temperature, "a positive finite number");
            if (!(Distillation.Alpha >= 0 && Distillation.Alpha <= 1)) Fail("Distillation.Alpha", Distillation.Alpha, "a value in [0, 1]");
        }
    }
}
