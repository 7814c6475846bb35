using System.CommandLine;
using System.Diagnostics;
using QSim.Attention;
using QSim.Attention.Training;
using QSim.Kernels;

namespace QSim.Cli;

/// <summary>The <c>results</c> command: runs the fixed experiment grid and writes <c>docs/results.md</c>.</summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "The Markdown file to write (default: docs/results.md of the repository around the working directory)" };
        var pneumonia = new Option<string?>("--pneumonia") { Description = "Path of pneumoniamnist-trainval.npz (default: found in shared/data beside the repository)" };
        var accelerator = new Option<string?>("--accelerator", "-a") { Description = "Where the QViTs simulate circuits: cpu (default), opencl, cuda, best, or part of a device name" };
        var quick = new Option<bool>("--quick") { Description = "A seconds-long smoke test of the grid on tiny subsets (not for publishing)" };
        var command = new Command("results", "Run the fixed experiment grid (ViT vs QViT-4/8, from scratch and by KD, on PneumoniaMNIST and Fashion-MNIST) and write docs/results.md")
        {
            output, pneumonia, accelerator, quick,
        };
        command.SetAction(result =>
        {
            try
            {
                string path = result.GetValue(output) ?? DefaultOutput();
                string data = result.GetValue(pneumonia) ?? DataPaths.Resolve(DataPaths.PneumoniaName);
                ResultsPlan plan = result.GetValue(quick) ? ResultsPlan.Quick(data) : ResultsPlan.Full(data);
                return Run(plan, result.GetValue(accelerator) ?? "cpu", path, result.GetValue(quick), Console.Out);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or AcceleratorNotAvailableException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string DefaultOutput()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QSim.sln"))) return Path.Combine(dir.FullName, "docs", "results.md");
        }
        throw new ArgumentException($"no QSim.sln in {Directory.GetCurrentDirectory()} or above; pass --output");
    }

    public static int Run(ResultsPlan plan, string acceleratorChoice, string path, bool quick, TextWriter output)
    {
        var wall = Stopwatch.StartNew();
        using var context = AcceleratorContext.Create();
        Accelerator accelerator = AcceleratorChoice.Select(context, acceleratorChoice);
        var rows = new List<ResultsRow>();
        var descriptions = new List<string>();
        foreach (ResultsDataPlan dataPlan in plan.DataSets)
        {
            TrainSettings common = plan.Base with
            {
                Data = dataPlan.Source, TrainLimit = dataPlan.TrainLimit, ValLimit = dataPlan.ValLimit, TestLimit = dataPlan.TestLimit,
                Epochs = dataPlan.Epochs, TeacherEpochs = dataPlan.Epochs, FineTuneEpochs = dataPlan.FineTuneEpochs,
            };
            output.WriteLine();
            TrainingData data = TrainJob.LoadData(common, output);
            descriptions.Add(data.Description);
            string scratch = $"{dataPlan.Epochs}";
            string kd = $"{dataPlan.Epochs - dataPlan.FineTuneEpochs} KD + {dataPlan.FineTuneEpochs} FT";

            rows.Add(new ResultsRow(Train(common, data, null, output, null).Result, "from scratch", scratch));

            TrainSettings teacherSettings = common with
            {
                Model = ModelKind.VisionTransformer, Dim = common.TeacherDim, Heads = common.TeacherHeads, Depth = common.TeacherDepth, Mlp = common.TeacherMlp,
            };
            var (teacherResult, teacher) = Train(teacherSettings, data, null, output, null);
            rows.Add(new ResultsRow(teacherResult, "KD teacher", scratch));
            ModelSpec teacherSpec = teacherSettings.StudentSpec(data.Train.Height, data.Train.Channels, data.Train.Classes);

            foreach (int qubits in plan.Qubits)
            {
                TrainSettings quantum = common with { Model = ModelKind.QuantumVisionTransformer, Dim = qubits };
                rows.Add(new ResultsRow(Train(quantum, data, accelerator, output, null).Result, "from scratch", scratch));
                TrainSettings distilled = quantum with { Distill = true, Epochs = dataPlan.Epochs - dataPlan.FineTuneEpochs };
                rows.Add(new ResultsRow(Train(distilled, data, accelerator, output, (teacher, teacherSpec)).Result, "KD from the teacher", kd));
            }
        }

        output.WriteLine();
        var timings = new List<TcTiming>();
        // One worker: the quantum kernels already use every core (two data-parallel workers measured no faster).
        timings.Add(TcBenchmark(plan, accelerator, 1, output));
        wall.Stop();
        string markdown = ResultsMarkdown.Render(plan, rows, descriptions, timings, accelerator, wall.Elapsed.TotalSeconds, quick);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, markdown);
        output.WriteLine($"wrote {Path.GetFullPath(path)} ({wall.Elapsed.TotalMinutes:F1} min)");
        return 0;
    }

    private static (ExperimentResult Result, Module<float> Model) Train(
        TrainSettings settings, TrainingData data, Accelerator? accelerator, TextWriter output, (Module<float>, ModelSpec)? teacher)
    {
        output.WriteLine();
        return TrainJob.Run(settings, data, accelerator, output, teacher);
    }

    /// <summary>Times the <c>tc-benchmark</c> preset on Fashion-MNIST (training steps per epoch, validation separately).</summary>
    private static TcTiming TcBenchmark(ResultsPlan plan, Accelerator accelerator, int workers, TextWriter output)
    {
        TrainSettings settings = TrainSettings.FromPreset(TrainSettings.TcBenchmarkPreset) with
        {
            Threads = workers,
            TrainLimit = plan.TcImages, ValLimit = plan.TcImages is { } n ? Math.Max(100, n / 6) : null, TestLimit = 100, Epochs = plan.TcEpochs,
        };
        TrainingData data = TrainJob.LoadData(settings, output);
        ModelSpec spec = settings.StudentSpec(data.Train.Height, data.Train.Channels, data.Train.Classes);
        Module<float> model = spec.Build(accelerator);
        output.WriteLine($"tc-benchmark timing: {spec}: {model.ParameterCount:N0} parameters; {plan.TcEpochs} epoch(s) on {data.Train.Count:N0} images, {workers} data-parallel worker(s)");
        var trainSeconds = new double[plan.TcEpochs];
        double valSeconds = 0;
        double valAuc = 0, valAccuracy = 0;
        TrainingOptions options = settings.StudentOptions(null) with
        {
            Replicas = workers,
            ReplicaFactory = () => spec.Build(accelerator),
            BatchCompleted = p => trainSeconds[p.Epoch - 1] = p.Seconds,
            EpochCompleted = e =>
            {
                valSeconds = e.Seconds - trainSeconds[e.Epoch - 1];
                valAuc = e.Val.Auc;
                valAccuracy = e.Val.Accuracy;
                output.WriteLine($"  epoch {e.Epoch}: training steps {trainSeconds[e.Epoch - 1]:F1} s, validation {valSeconds:F1} s; val ACC {e.Val.Accuracy:F4} AUC {e.Val.Auc:F4}");
            },
        };
        var watch = Stopwatch.StartNew();
        Trainer.Train(model, data.Train, data.Val, null, options);
        watch.Stop();
        var timing = new TcTiming(spec.ToString(), model.ParameterCount, spec.EstimateCost(), data.Train.Count, trainSeconds, data.Val.Count, valSeconds, workers, valAuc,
            valAccuracy, watch.Elapsed.TotalSeconds);
        output.WriteLine(timing.IsFullRun
            ? $"  measured: {TcTiming.ReferenceEpochs} epochs × {TcTiming.ReferenceImages:N0} images: training steps {timing.TotalTrainSeconds:F0} s, wall with validation {timing.WallSeconds:F0} s (reference {TcTiming.ReferenceSeconds:F0} s on an A100)"
            : $"  extrapolated: {TcTiming.ReferenceEpochs} epochs × {TcTiming.ReferenceImages:N0} images ≈ {timing.Extrapolated:F0} s (reference {TcTiming.ReferenceSeconds:F0} s on an A100)");
        return timing;
    }
}
