using QSim.Attention;
using QSim.Attention.Data;
using QSim.Attention.Training;

namespace QSim.Tests.Attention.Training;

/// <summary>The three-stage knowledge-distillation pipeline on a tiny synthetic set.</summary>
public sealed class DistillationPipelineTests
{
    private static readonly ImageSet Train = SyntheticImages.Brightness(192, seed: 1);
    private static readonly ImageSet Val = SyntheticImages.Brightness(96, seed: 2);
    private static readonly ImageSet Test = SyntheticImages.Brightness(96, seed: 3);
    private static readonly TrainingData Data = new("synthetic", Train, Val, Test, "synthetic brightness classes");

    private static VisionTransformer<float> Teacher(int classes = 2) => new(new VisionTransformerOptions
    {
        ImageSize = 8, PatchSize = 4, Dim = 16, Heads = 4, Depth = 2, MlpHidden = 32, Classes = classes, Seed = 1,
    });

    private static VisionTransformer<float> Student(int classes = 2) => new(new VisionTransformerOptions
    {
        ImageSize = 8, PatchSize = 4, Dim = 4, Heads = 2, Depth = 1, MlpHidden = 4, Classes = classes, Seed = 2,
    });

    private static DistillationPipelineOptions Options(TrainingLoss loss = TrainingLoss.CrossEntropy)
    {
        var stage = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-2, Seed = 4, Loss = loss };
        return new DistillationPipelineOptions { Teacher = stage, Distillation = stage, FineTune = stage with { Epochs = 2, LearningRate = 3e-3 } };
    }

    [Test]
    public void Run_TinySet_TrainsTeacherDistilsAndFineTunes()
    {
        VisionTransformer<float> teacher = Teacher(), student = Student();

        DistillationReport report = DistillationPipeline.Run(teacher, student, Data, Options());

        Assert.That(report.Teacher, Is.Not.Null);
        Assert.That(report.Teacher!.ParameterCount, Is.GreaterThan(3 * student.ParameterCount), "the teacher is the bigger model");
        Assert.That(report.Teacher.Val.Auc, Is.GreaterThan(0.9));
        Assert.That(report.Distillation.Epochs, Has.Count.EqualTo(3));
        Assert.That(report.FineTune.Epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 0, 1, 2 }), "the distilled weights are candidate epoch 0");
        Assert.That(report.FineTune.Epochs[0].Val, Is.EqualTo(report.Distillation.Val));
        Assert.That(report.FineTune.Val.Auc, Is.GreaterThanOrEqualTo(report.Distillation.Val.Auc));
        Assert.That(report.FineTune.Val.Auc, Is.GreaterThan(0.85));
        Assert.That(report.FineTune.Test, Is.Not.Null);
        Assert.That(report.StudentEpochs, Is.EqualTo(5));
        Assert.That(Trainer.Evaluate(student, Val), Is.EqualTo(report.FineTune.Val), "the student holds the fine-tuned best weights");
    }

    [Test]
    public void Distill_SameInputsTwice_IdenticalLosses()
    {
        VisionTransformer<float> teacher = Teacher();
        Trainer.Train(teacher, Train, Val, null, Options().Teacher);

        DistillationReport first = DistillationPipeline.Distill(teacher, Student(), Data, Options());
        DistillationReport second = DistillationPipeline.Distill(teacher, Student(), Data, Options());

        Assert.That(first.Teacher, Is.Null);
        Assert.That(second.Distillation.Epochs.Select(e => e.TrainLoss), Is.EqualTo(first.Distillation.Epochs.Select(e => e.TrainLoss)));
        Assert.That(second.FineTune.Val, Is.EqualTo(first.FineTune.Val));
    }

    [Test]
    public void Run_BinaryCrossEntropyModels_DistilThroughTwoLogitView()
    {
        DistillationReport report = DistillationPipeline.Run(Teacher(1), Student(1), Data, Options(TrainingLoss.BinaryCrossEntropy));

        Assert.That(report.Distillation.Epochs.All(e => double.IsFinite(e.TrainLoss)), Is.True);
        Assert.That(report.FineTune.Val.Auc, Is.GreaterThan(0.85));
    }

    [Test]
    public void Distill_TeacherWithOtherLogitCount_Throws()
    {
        var teacher = Teacher(3);
        var ex = Assert.Throws<ArgumentException>(() => DistillationPipeline.Distill(teacher, Student(2), Data, Options()));
        Assert.That(ex!.Message, Does.Contain("teacher"));
    }

    [Test]
    public void Run_StagesWithDifferentLosses_Throws()
    {
        DistillationPipelineOptions options = Options() with { FineTune = Options().FineTune with { Loss = TrainingLoss.BinaryCrossEntropy } };
        var ex = Assert.Throws<ArgumentException>(() => DistillationPipeline.Run(Teacher(), Student(), Data, options));
        Assert.That(ex!.Message, Does.Contain("different losses"));
    }

    [Test]
    public void Run_BadTemperatureOrSameModule_Throws()
    {
        var student = Student();
        Assert.Throws<ArgumentException>(() => DistillationPipeline.Run(Teacher(), Student(), Data, Options() with { Temperature = 0 }));
        Assert.Throws<ArgumentException>(() => DistillationPipeline.Run(Teacher(), Student(), Data, Options() with { Alpha = 1.5 }));
        Assert.Throws<ArgumentException>(() => DistillationPipeline.Run(student, student, Data, Options()));
        Assert.Throws<ArgumentException>(() => DistillationPipeline.Run(Teacher(), Student(), Data, Options() with { FineTune = Options().FineTune with { Epochs = 0 } }));
    }
}
