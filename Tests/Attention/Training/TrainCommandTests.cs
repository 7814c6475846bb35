using System.Reflection;
using QSim.Tests.Attention.Data;

namespace QSim.Tests.Attention.Training;

/// <summary>
/// The <c>qsim train</c> command, run in-process: the test loads the built CLI assembly (<c>Cli/bin/&lt;config&gt;/…/qsim.dll</c>,
/// found beside the test assembly's build tree) and invokes its entry point with arguments, on a tiny synthetic
/// MedMNIST-layout file.
/// </summary>
/// <remarks>The test project does not reference the CLI project, so the CLI must have been built (building
/// <c>QSim.sln</c> does); otherwise the tests are ignored with the reason.</remarks>
[NonParallelizable]
public sealed class TrainCommandTests
{
    private static (int Code, string Output, string Error) Qsim(params string[] args)
    {
        MethodInfo entry = EntryPoint();
        TextWriter output = Console.Out, error = Console.Error;
        var capturedOutput = new StringWriter();
        var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            object? code = entry.Invoke(null, [args]);
            return ((int)code!, capturedOutput.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }

    private static MethodInfo EntryPoint()
    {
        // Tests/bin/<Configuration>/<tfm>/ → Cli/bin/<Configuration>/<tfm>/qsim.dll
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        string tfm = testDirectory.Name, configuration = testDirectory.Parent!.Name;
        string root = testDirectory.Parent.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(root, "Cli", "bin", configuration, tfm, "qsim.dll");
        if (!File.Exists(path))
        {
            Assert.Ignore($"the CLI is not built ({path} is missing); build QSim.sln first");
        }
        return Assembly.LoadFrom(path).EntryPoint ?? throw new InvalidOperationException($"{path} has no entry point");
    }

    /// <summary>A MedMNIST-layout .npz of 8×8 images, class 1 brighter than class 0, train and val splits.</summary>
    private static string WriteTinyNpz(TempDirectory directory)
    {
        static (string, byte[], bool)[] Split(string name, int count, int seed)
        {
            var random = new Random(seed);
            var pixels = new byte[count * 64];
            var labels = new byte[count];
            for (int n = 0; n < count; n++)
            {
                labels[n] = (byte)(n % 2);
                for (int i = 0; i < 64; i++) pixels[n * 64 + i] = (byte)Math.Clamp(random.Next(40, 160) + 70 * labels[n], 0, 255);
            }
            return [(name + "_images.npy", NpyBytes.UInt8($"({count}, 8, 8)", pixels), true), (name + "_labels.npy", NpyBytes.UInt8($"({count}, 1)", labels), true)];
        }

        string path = directory.File("tiny.npz");
        File.WriteAllBytes(path, NpyBytes.Npz([.. Split("train", 96, 1), .. Split("val", 48, 2)]));
        return path;
    }

    [Test]
    public void Train_TinyFile_TrainsPrintsEpochsAndWritesWeightsAndSummary()
    {
        using var directory = new TempDirectory();
        string data = WriteTinyNpz(directory);
        string output = directory.File("run");

        var (code, text, error) = Qsim("train", "--data", data, "--patch", "4", "--dim", "4", "--mlp", "4", "--epochs", "2",
            "--batch-size", "16", "--lr", "1e-2", "--seed", "3", "--output", output, "--quiet");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(text, Does.Contain("model: ViT (dim 4, 2 heads, depth 1, patch 4, MLP 4)"));
        Assert.That(text, Does.Contain("ViT epoch   1").And.Contain("ViT epoch   2").And.Contain("val ACC").And.Contain("AUC"));
        Assert.That(text, Does.Contain("no test split"));
        Assert.That(File.Exists(Path.Combine(output, "best.qsimw")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(output, "summary.json")), Does.Contain("\"Parameters\""));
    }

    [Test]
    public void Train_WithKd_RunsTeacherDistillationAndFineTune()
    {
        using var directory = new TempDirectory();
        string data = WriteTinyNpz(directory);

        var (code, text, error) = Qsim("train", "--data", data, "--patch", "4", "--dim", "4", "--mlp", "4", "--epochs", "1",
            "--kd", "--teacher-epochs", "1", "--teacher-dim", "8", "--teacher-mlp", "8", "--finetune-epochs", "1", "--batch-size", "32", "--quiet");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(text, Does.Contain("teacher epoch   1").And.Contain("ViT KD epoch   1").And.Contain("ViT fine-tune epoch   1"));
        Assert.That(text, Does.Contain("ViT (KD): best epoch"));
    }

    [Test]
    public void Train_UnknownDataSet_FailsWithAMessage()
    {
        var (code, _, error) = Qsim("train", "--data", "imagenet-21k", "--quiet");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("unknown data set 'imagenet-21k'"));
    }

    [Test]
    public void Train_BadOptionValues_AreParseErrors()
    {
        Assert.That(Qsim("train", "--model", "resnet").Code, Is.Not.Zero);
        Assert.That(Qsim("train", "--epochs", "many").Code, Is.Not.Zero);
        Assert.That(Qsim("train", "--preset", "nope", "--quiet").Error, Does.Contain("unknown preset 'nope'"));
    }

    [Test]
    public void Train_ZeroEpochs_FailsNamingTheOption()
    {
        using var directory = new TempDirectory();
        var (code, _, error) = Qsim("train", "--data", WriteTinyNpz(directory), "--patch", "4", "--epochs", "0", "--quiet");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("Epochs is 0"));
    }

    [Test]
    public void Results_Quick_WritesTheGridTableAndTheBenchmarkTiming()
    {
        string pneumonia = TestData.PneumoniaPath();
        TestData.FashionDirectory();
        using var directory = new TempDirectory();
        string path = directory.File("docs/results.md");

        var (code, _, error) = Qsim("results", "--quick", "--pneumonia", pneumonia, "--output", path);

        Assert.That(code, Is.EqualTo(0), error);
        string markdown = File.ReadAllText(path);
        Assert.That(markdown, Does.Contain("Generated by `qsim results --quick`").And.Contain("Smoke test"));
        string[] rows = markdown.Split('\n').Where(l => l.StartsWith("| PneumoniaMNIST |") || l.StartsWith("| Fashion-MNIST |")).ToArray();
        Assert.That(rows, Has.Length.EqualTo(2 * 6 + 2), "per data set: ViT, teacher, QViT-4 and QViT-8 from scratch and with KD; then one row per data set against the paper");
        Assert.That(markdown, Does.Contain("## Against the paper").And.Contain("0.863 (QViT) vs 0.846 (ViT)").And.Contain("Mean QViT − ViT difference here"));
        Assert.That(rows.Count(r => r.Contains("| QViT-8 | KD from the teacher |")), Is.EqualTo(2));
        Assert.That(markdown, Does.Contain("Extrapolated, not measured").And.Contain("1,684 parameters"));
    }
}
