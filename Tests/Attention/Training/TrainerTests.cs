using QSim.Attention;
using QSim.Attention.Data;
using QSim.Attention.Training;
using QSim.Tests.Attention.Data;

namespace QSim.Tests.Attention.Training;

/// <summary>Trainer end to end on small synthetic sets: learning beats chance, the best-validation-AUC checkpoint is
/// the one restored, runs are deterministic, and bad arguments are rejected before any training.</summary>
public sealed class TrainerTests
{
    private static VisionTransformerOptions Tiny(int classes, int seed = 3) => new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 8, Heads = 2, Depth = 1, MlpHidden = 8, Classes = classes, Seed = seed,
    };

    private static TrainingOptions Fast(int epochs = 6) => new() { Epochs = epochs, BatchSize = 32, LearningRate = 1e-2, Seed = 5 };

    [Test]
    public void Train_BinaryBrightness_ClearlyBeatsChance()
    {
        ImageSet train = SyntheticImages.Brightness(256, seed: 1);
        ImageSet val = SyntheticImages.Brightness(128, seed: 2);
        ImageSet test = SyntheticImages.Brightness(128, seed: 3);
        var model = new VisionTransformer<float>(Tiny(2));

        TrainingReport report = Trainer.Train(model, train, val, test, Fast());

        Assert.That(report.Epochs, Has.Count.EqualTo(6));
        Assert.That(report.Epochs[^1].TrainLoss, Is.LessThan(report.Epochs[0].TrainLoss));
        Assert.That(report.Val.Accuracy, Is.GreaterThan(0.85));
        Assert.That(report.Val.Auc, Is.GreaterThan(0.93));
        Assert.That(report.Test, Is.Not.Null);
        Assert.That(report.Test!.Accuracy, Is.GreaterThan(0.85));
        Assert.That(report.ParameterCount, Is.EqualTo(model.ParameterCount));
        Assert.That(report.SecondsPerEpoch, Is.GreaterThan(0));
        Assert.That(report.WallSeconds, Is.GreaterThanOrEqualTo(report.SecondsPerEpoch * 6));
        Assert.That(model.IsTraining, Is.False);
    }

    [Test]
    public void Train_ThreeClasses_MulticlassAucAndAccuracyBeatChance()
    {
        ImageSet train = SyntheticImages.Brightness(300, seed: 4, classes: 3);
        ImageSet val = SyntheticImages.Brightness(150, seed: 5, classes: 3);
        var model = new VisionTransformer<float>(Tiny(3));

        TrainingReport report = Trainer.Train(model, train, val, null, Fast());

        Assert.That(report.Test, Is.Null);
        Assert.That(report.Val.Accuracy, Is.GreaterThan(0.6), "chance is 1/3");
        Assert.That(report.Val.Auc, Is.GreaterThan(0.8));
    }

    [Test]
    public void Train_BinaryCrossEntropyOneLogit_UsesSigmoidScores()
    {
        ImageSet train = SyntheticImages.Brightness(256, seed: 1);
        ImageSet val = SyntheticImages.Brightness(128, seed: 2);
        var model = new VisionTransformer<float>(Tiny(1));

        TrainingReport report = Trainer.Train(model, train, val, null, Fast() with { Loss = TrainingLoss.BinaryCrossEntropy });

        Assert.That(report.Val.Accuracy, Is.GreaterThan(0.85));
        Assert.That(report.Val.Auc, Is.GreaterThan(0.93));
        Evaluation again = Trainer.Evaluate(model, val, TrainingLoss.BinaryCrossEntropy);
        Assert.That(again, Is.EqualTo(report.Val));
    }

    [Test]
    public void Train_SameSeeds_IdenticalLossesAndScores()
    {
        ImageSet train = SyntheticImages.Brightness(128, seed: 1);
        ImageSet val = SyntheticImages.Brightness(64, seed: 2);

        TrainingReport first = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, Fast(3));
        TrainingReport second = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, Fast(3));
        TrainingReport otherSeed = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, Fast(3) with { Seed = 6 });

        Assert.That(second.Epochs.Select(e => e.TrainLoss), Is.EqualTo(first.Epochs.Select(e => e.TrainLoss)));
        Assert.That(second.Epochs.Select(e => e.Val), Is.EqualTo(first.Epochs.Select(e => e.Val)));
        Assert.That(otherSeed.Epochs.Select(e => e.TrainLoss), Is.Not.EqualTo(first.Epochs.Select(e => e.TrainLoss)));
    }

    [Test]
    public void Train_ValidationGetsWorse_RestoresTheBestValAucEpochFromTheCheckpointFile()
    {
        // The training labels contradict the validation labels, so validation AUC falls as training proceeds and the
        // best epoch is not the last.
        ImageSet val = SyntheticImages.Brightness(128, seed: 2);
        ImageSet train = SyntheticImages.Flipped(SyntheticImages.Brightness(256, seed: 1));
        using var directory = new TempDirectory();
        string path = directory.File("sub/best.qsimw");
        var model = new VisionTransformer<float>(Tiny(2));

        TrainingReport report = Trainer.Train(model, train, val, null, Fast(5) with { CheckpointPath = path, InitialWeightsAreCandidate = true });

        double[] aucs = report.Epochs.Select(e => e.Val.Auc).ToArray();
        int best = Array.IndexOf(aucs, aucs.Max());
        Assert.That(report.Epochs[0].Epoch, Is.EqualTo(0), "the initial weights are epoch 0");
        Assert.That(report.BestEpoch, Is.EqualTo(report.Epochs[best].Epoch));
        Assert.That(report.BestEpoch, Is.LessThan(5));
        Assert.That(report.Epochs[best].IsBest, Is.True);
        Assert.That(report.Val, Is.EqualTo(report.Epochs[best].Val), "the restored model scores as the best epoch did");
        Assert.That(report.Val.Auc, Is.GreaterThan(aucs[^1]));
        Assert.That(report.CheckpointPath, Is.EqualTo(Path.GetFullPath(path)));
        Assert.That(File.Exists(path), Is.True);

        var reloaded = new VisionTransformer<float>(Tiny(2, seed: 99));
        ModuleSerializer.Load(reloaded, path);
        Assert.That(Trainer.Evaluate(reloaded, val), Is.EqualTo(report.Val));
    }

    [Test]
    public void Train_Callbacks_ReportEveryBatchAndEpoch()
    {
        ImageSet train = SyntheticImages.Brightness(100, seed: 1);
        ImageSet val = SyntheticImages.Brightness(40, seed: 2);
        var batches = new List<TrainingProgress>();
        var epochs = new List<EpochResult>();

        TrainingReport report = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null,
            Fast(2) with { BatchCompleted = batches.Add, EpochCompleted = epochs.Add });

        Assert.That(batches, Has.Count.EqualTo(2 * 4), "100 images in batches of 32: 4 per epoch, the last short");
        Assert.That(batches[^1], Has.Property("Epoch").EqualTo(2).And.Property("Batch").EqualTo(4).And.Property("Batches").EqualTo(4));
        Assert.That(epochs, Is.EqualTo(report.Epochs));
    }

    [Test]
    public void Train_ZeroEpochs_ThrowsNamingTheOption()
    {
        ImageSet set = SyntheticImages.Brightness(16, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(new VisionTransformer<float>(Tiny(2)), set, set, null, Fast(0)));
        Assert.That(ex!.Message, Does.Contain("Epochs").And.Contain("at least 1"));
    }

    [TestCase(nameof(TrainingOptions.BatchSize))]
    [TestCase(nameof(TrainingOptions.LearningRate))]
    [TestCase(nameof(TrainingOptions.WarmupFraction))]
    [TestCase(nameof(TrainingOptions.MaxGradientNorm))]
    public void Train_OptionOutOfRange_ThrowsNamingIt(string name)
    {
        ImageSet set = SyntheticImages.Brightness(16, seed: 1);
        TrainingOptions options = name switch
        {
            nameof(TrainingOptions.BatchSize) => Fast() with { BatchSize = 0 },
            nameof(TrainingOptions.LearningRate) => Fast() with { LearningRate = double.NaN },
            nameof(TrainingOptions.WarmupFraction) => Fast() with { WarmupFraction = 1 },
            _ => Fast() with { MaxGradientNorm = 0 },
        };
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(new VisionTransformer<float>(Tiny(2)), set, set, null, options));
        Assert.That(ex!.ParamName, Is.EqualTo(name));
    }

    [Test]
    public void Train_LabelsBeyondTheModelsLogits_Throws()
    {
        ImageSet set = SyntheticImages.Brightness(30, seed: 1, classes: 3);
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(new VisionTransformer<float>(Tiny(2)), set, set, null, Fast()));
        Assert.That(ex!.Message, Does.Contain("3 classes (labels 0 … 2)").And.Contain("outputs 2 logits"));
    }

    [Test]
    public void Train_BinaryCrossEntropyOnThreeClasses_Throws()
    {
        ImageSet set = SyntheticImages.Brightness(30, seed: 1, classes: 3);
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(
            new VisionTransformer<float>(Tiny(1)), set, set, null, Fast() with { Loss = TrainingLoss.BinaryCrossEntropy }));
        Assert.That(ex!.Message, Does.Contain("binary cross-entropy needs labels 0 and 1"));
    }

    [Test]
    public void Train_ValidationWithoutAClass_ThrowsBecauseAucIsUndefined()
    {
        ImageSet train = SyntheticImages.Brightness(32, seed: 1);
        ImageSet onlyZeros = train.Subset(Enumerable.Range(0, 32).Where(i => train.Labels[i] == 0).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, onlyZeros, null, Fast()));
        Assert.That(ex!.Message, Does.Contain("val set has no image of class 1"));
    }

    [Test]
    public void Train_ImagesOfAnotherSize_Throws()
    {
        ImageSet train = SyntheticImages.Brightness(32, seed: 1);
        ImageSet val = SyntheticImages.Brightness(32, seed: 2, size: 4);
        var ex = Assert.Throws<ArgumentException>(() => Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, Fast()));
        Assert.That(ex!.Message, Does.Contain("1 × 4 × 4").And.Contain("1 × 8 × 8"));
    }

    [Test]
    public void Train_NullArguments_Throw()
    {
        ImageSet set = SyntheticImages.Brightness(8, seed: 1);
        var model = new VisionTransformer<float>(Tiny(2));
        Assert.Throws<ArgumentNullException>(() => Trainer.Train(null!, set, set, null, Fast()));
        Assert.Throws<ArgumentNullException>(() => Trainer.Train(model, null!, set, null, Fast()));
        Assert.Throws<ArgumentNullException>(() => Trainer.Train(model, set, null!, null, Fast()));
        Assert.Throws<ArgumentNullException>(() => Trainer.Train(model, set, set, null, null!));
    }

    [Test]
    public void Train_TwoReplicas_DeterministicAndCloseToOneWorker()
    {
        ImageSet train = SyntheticImages.Brightness(128, seed: 1);
        ImageSet val = SyntheticImages.Brightness(64, seed: 2);
        TrainingOptions parallel = Fast(3) with { Replicas = 2, ReplicaFactory = () => new VisionTransformer<float>(Tiny(2, seed: 42)) };

        TrainingReport serial = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, Fast(3));
        TrainingReport first = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, parallel);
        TrainingReport second = Trainer.Train(new VisionTransformer<float>(Tiny(2)), train, val, null, parallel);

        Assert.That(second.Epochs.Select(e => e.TrainLoss), Is.EqualTo(first.Epochs.Select(e => e.TrainLoss)));
        Assert.That(second.Val, Is.EqualTo(first.Val));
        Assert.That(first.Epochs.Select(e => e.TrainLoss), Is.EqualTo(serial.Epochs.Select(e => e.TrainLoss)).Within(1e-4),
            "two half-batches give the gradient of the whole batch up to rounding");
        Assert.That(first.Val.Auc, Is.EqualTo(serial.Val.Auc).Within(0.01));
    }

    [Test]
    public void Train_ReplicasWithoutOrWithAWrongFactory_Throw()
    {
        ImageSet set = SyntheticImages.Brightness(16, seed: 1);
        var model = new VisionTransformer<float>(Tiny(2));
        var missing = Assert.Throws<ArgumentException>(() => Trainer.Train(model, set, set, null, Fast() with { Replicas = 2 }));
        Assert.That(missing!.ParamName, Is.EqualTo(nameof(TrainingOptions.ReplicaFactory)));

        var wider = new VisionTransformerOptions { ImageSize = 8, PatchSize = 4, Dim = 16, Heads = 2, Depth = 1, MlpHidden = 8, Classes = 2 };
        var wrong = Assert.Throws<ArgumentException>(() => Trainer.Train(model, set, set, null,
            Fast() with { Replicas = 2, ReplicaFactory = () => new VisionTransformer<float>(wider) }));
        Assert.That(wrong!.Message, Does.Contain("same architecture"));

        var same = Assert.Throws<ArgumentException>(() => Trainer.Train(model, set, set, null,
            Fast() with { Replicas = 2, ReplicaFactory = () => model }));
        Assert.That(same!.Message, Does.Contain("new module"));
    }
}
