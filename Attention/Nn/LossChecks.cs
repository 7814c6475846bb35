using System.Numerics;

namespace QSim.Attention;

/// <summary>Argument checks and row arithmetic shared by the losses.</summary>
internal static class LossChecks
{
    /// <summary>Checks that logits are (batch, classes) with batch ≥ 1, finite, with one label in range per row.</summary>
    public static void ClassLogits<T>(string owner, Tensor<T> logits, ReadOnlySpan<int> labels, string logitsName = "logits")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits, logitsName);
        if (logits.Rank != 2 || logits.Shape[0] < 1 || logits.Shape[1] < 1)
        {
            throw ShapeText.Mismatch(owner, logitsName, "(batch, classes) with batch ≥ 1 and classes ≥ 1", logits.Shape, logitsName);
        }
        Module<T>.RequireFinite(logits, owner, logitsName);
        int batch = logits.Shape[0], classes = logits.Shape[1];
        Labels(owner, labels, batch, ShapeText.Format(logits.Shape));
        for (int b = 0; b < batch; b++)
        {
            if ((uint)labels[b] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"{owner}: label {labels[b]} at index {b} is outside 0..{classes - 1} for {classes} classes");
            }
        }
    }

    /// <summary>Checks that there is one label per row.</summary>
    public static void Labels(string owner, ReadOnlySpan<int> labels, int batch, string shape)
    {
        if (labels.Length != batch)
        {
            throw new ArgumentException($"{owner}: expected {batch} labels, one per row of logits {shape}, but got {labels.Length}", nameof(labels));
        }
    }

    /// <summary>Writes log-softmax(z / temperature) of one row in double precision.</summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> logits, double temperature, Span<double> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < logits.Length; c++)
        {
            result[c] = double.CreateTruncating(logits[c]) / temperature;
            max = Math.Max(max, result[c]);
        }
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            sum += Math.Exp(result[c] - max);
        }
        double logSum = max + Math.Log(sum);
        for (int c = 0; c < logits.Length; c++)
        {
            result[c] -= logSum;
        }
    }
}
