using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QSim.Attention;
using QSim.Attention.Training;
using QSim.Kernels;

namespace QSim.Cli;

/// <summary>The <c>train</c> command's work: load data, build the model(s), train (plainly or by distillation), report.</summary>
internal static class TrainJob
{
    public static int Run(TrainSettings settings, TextWriter output)
    {
        try
        {
            TrainingData data = LoadData(settings, output);
            using var context = settings.Model == ModelKind.QuantumVisionTransformer ? AcceleratorContext.Create() : null;
            Accelerator? accelerator = context is null ? null : AcceleratorChoice.Select(context, settings.Accelerator);
            if (accelerator is null && !settings.Accelerator.Equals("cpu", StringComparison.OrdinalIgnoreCase))
            {
                output.WriteLine($"note: --accelerator {settings.Accelerator} is ignored: a classical ViT runs on the CPU");
            }
            (ExperimentResult result, _) = Run(settings, data, accelerator, output, teacher: null);
            if (settings.Output is not null) WriteSummary(settings, result);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or NotSupportedException or AcceleratorNotAvailableException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    public static TrainingData LoadData(TrainSettings settings, TextWriter output)
    {
        TrainingData data = TrainingData.Load(DataPaths.Resolve(settings.Data), settings.DataOptions());
        if (data.Train.Height != data.Train.Width)
        {
            throw new ArgumentException($"{data.Name} images are {data.Train.Height} × {data.Train.Width}; the ViT needs square images");
        }
        output.WriteLine($"data: {data.Description}");
        return data;
    }

    /// <summary>Trains one model; with distillation, uses the given trained teacher or trains one first.</summary>
    /// <returns>The row for the results table and the trained model (holding its best weights).</returns>
    public static (ExperimentResult Result, Module<float> Model) Run(TrainSettings settings, TrainingData data, Accelerator? accelerator, TextWriter output, (Module<float> Model, ModelSpec Spec)? teacher)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        int size = data.Train.Height, channels = data.Train.Channels, classes = data.Train.Classes;
        ModelSpec spec = settings.StudentSpec(size, channels, classes);
        Module<float> model = spec.Build(accelerator);
        CostEstimate cost = spec.EstimateCost();
        output.WriteLine($"model: {spec}: {model.ParameterCount:N0} parameters; per image {Flops(cost)}");
        output.WriteLine($"training: {settings.Describe()}{(accelerator is null ? "" : $"; circuits on {accelerator}")}");
        TextWriter? bar = ConsoleProgress.Terminal(settings.Progress);

        TrainingReport final;
        int epochs;
        double secondsPerEpoch;
        string? teacherDetails = null;
        if (!settings.Distill)
        {
            TrainingOptions options = new ConsoleProgress(output, bar, spec.ShortName).Attach(
                Parallel(settings.StudentOptions(TrainSettings.Checkpoint(settings.Output, "best.qsimw")), settings, spec, accelerator));
            final = Trainer.Train(model, data.Train, data.Val, data.Test, options);
            epochs = final.Epochs.Count;
            secondsPerEpoch = final.SecondsPerEpoch;
        }
        else
        {
            DistillationPipelineOptions pipeline = settings.PipelineOptions(settings.Output);
            ModelSpec teacherSpec = settings.TeacherSpec(size, channels, classes);
            pipeline = pipeline with
            {
                Teacher = new ConsoleProgress(output, bar, "teacher").Attach(Parallel(pipeline.Teacher, settings, teacherSpec, null)),
                Distillation = new ConsoleProgress(output, bar, $"{spec.ShortName} KD").Attach(Parallel(pipeline.Distillation, settings, spec, accelerator)),
                FineTune = new ConsoleProgress(output, bar, $"{spec.ShortName} fine-tune").Attach(Parallel(pipeline.FineTune, settings, spec, accelerator)),
            };
            DistillationReport report;
            if (teacher is { } given)
            {
                teacherDetails = $"{given.Spec}, {given.Model.ParameterCount:N0} parameters";
                report = DistillationPipeline.Distill(given.Model, model, data, pipeline);
            }
            else
            {
                Module<float> teacherModel = teacherSpec.Build();
                teacherDetails = $"{teacherSpec}, {teacherModel.ParameterCount:N0} parameters";
                output.WriteLine($"teacher: {teacherDetails}");
                report = DistillationPipeline.Run(teacherModel, model, data, pipeline);
                output.WriteLine(Summary("teacher", report.Teacher!));
            }
            final = report.FineTune;
            epochs = report.StudentEpochs;
            secondsPerEpoch = report.StudentSecondsPerEpoch;
        }

        output.WriteLine(Summary(spec.ShortName + (settings.Distill ? " (KD)" : ""), final));
        if (data.Test is null) output.WriteLine($"note: {data.Name} has no test split here; the validation scores above are the final figures");
        var result = new ExperimentResult(
            data.Name, data.Description, spec.ShortName, spec.ToString(), settings.Distill, model.ParameterCount, cost, final.Val, final.Test,
            epochs, final.BestEpoch, secondsPerEpoch, wall.Elapsed.TotalSeconds, teacherDetails);
        return (result, model);
    }

    /// <summary>With <c>--threads N</c> &gt; 1: N data-parallel workers built from the same specification.</summary>
    private static TrainingOptions Parallel(TrainingOptions options, TrainSettings settings, ModelSpec spec, Accelerator? accelerator) =>
        settings.Threads > 1 ? options with { Replicas = settings.Threads, ReplicaFactory = () => spec.Build(accelerator) } : options;

    public static string Flops(CostEstimate cost) =>
        string.Create(CultureInfo.InvariantCulture, $"{cost.MultiplyAdds:N0} multiply-adds")
        + (cost.Circuits > 0
            ? string.Create(CultureInfo.InvariantCulture, $" + {cost.Circuits:N0} circuits of {cost.Qubits} qubits ≈ {cost.SimulatedAmplitudeOps:N0} simulated amplitude-ops (estimate)")
            : "");

    private static string Summary(string name, TrainingReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: best epoch {r.BestEpoch}; val ACC {r.Val.Accuracy:F4} AUC {r.Val.Auc:F4}")
        + (r.Test is { } t ? string.Create(CultureInfo.InvariantCulture, $"; test ACC {t.Accuracy:F4} AUC {t.Auc:F4}") : "; no test split")
        + string.Create(CultureInfo.InvariantCulture, $"; {r.ParameterCount:N0} parameters; {r.WallSeconds:F1} s wall, {r.SecondsPerEpoch:F2} s/epoch")
        + (r.CheckpointPath is null ? "" : $"; best weights in {r.CheckpointPath}");

    private static void WriteSummary(TrainSettings settings, ExperimentResult result)
    {
        Directory.CreateDirectory(settings.Output!);
        var json = new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter() },
        };
        File.WriteAllText(Path.Combine(settings.Output!, "summary.json"), JsonSerializer.Serialize(new { Settings = settings, Result = result }, json));
    }
}
