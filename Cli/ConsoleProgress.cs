using System.Diagnostics;
using System.Globalization;
using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>Per-batch progress on one line of a terminal (rewritten with <c>\r</c>) and one line per epoch.</summary>
internal sealed class ConsoleProgress(TextWriter output, TextWriter? progress, string stage)
{
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private int _drawn;

    /// <summary>A progress writer for stderr when it is a terminal, else null (no \r noise in logs).</summary>
    public static TextWriter? Terminal(bool enabled) => enabled && !Console.IsErrorRedirected ? Console.Error : null;

    public TrainingOptions Attach(TrainingOptions options) => options with { BatchCompleted = Batch, EpochCompleted = Epoch };

    private void Batch(TrainingProgress p)
    {
        if (progress is null || (_sinceDraw.ElapsedMilliseconds < 200 && p.Batch != p.Batches)) return;
        _sinceDraw.Restart();
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{stage} epoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  loss {p.Loss:F4}  {p.Seconds:F1} s");
        progress.Write("\r" + line.PadRight(_drawn));
        _drawn = line.Length;
        progress.Flush();
    }

    private void Epoch(EpochResult e)
    {
        if (progress is not null && _drawn > 0)
        {
            progress.Write("\r" + new string(' ', _drawn) + "\r");
            progress.Flush();
            _drawn = 0;
        }
        string loss = double.IsNaN(e.TrainLoss) ? "  (initial)  " : string.Create(CultureInfo.InvariantCulture, $"loss {e.TrainLoss:F4}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stage} epoch {e.Epoch,3}  {loss}  val ACC {e.Val.Accuracy:F4}  AUC {e.Val.Auc:F4}  lr {e.LearningRate:0.00E+0}  {e.Seconds,6:F1} s{(e.IsBest ? "  *" : "")}"));
        output.Flush();
    }
}
