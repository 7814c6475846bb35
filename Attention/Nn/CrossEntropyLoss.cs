using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// Softmax cross-entropy of class logits against integer labels, averaged over the batch:
/// <c>L = (1/B) Σ_b [logΣ_c exp z_bc − z_b,y_b]</c>.
/// </summary>
public static class CrossEntropyLoss
{
    /// <summary>Computes the mean loss and its gradient with respect to the logits.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="logits">Logits, (batch, classes), batch ≥ 1, finite.</param>
    /// <param name="labels">One label per row, each in 0 … classes − 1.</param>
    /// <returns>The loss and <c>∂L/∂z = (softmax(z) − onehot(y)) / B</c>, shape (batch, classes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentException">The logits are not (batch, classes) or hold NaN/∞, or the label count is not the batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0 … classes − 1.</exception>
    /// <remarks>Evaluated in double precision with the log-sum-exp shift, so large logits do not overflow.</remarks>
    public static (T Loss, Tensor<T> Gradient) Compute<T>(Tensor<T> logits, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossChecks.ClassLogits(nameof(CrossEntropyLoss), logits, labels);
        int batch = logits.Shape[0], classes = logits.Shape[1];
        var logProbabilities = new double[classes];
        Tensor<T> gradient = Tensor<T>.Zeros(batch, classes);
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            LossChecks.LogSoftmax<T>(logits.Data.AsSpan(b * classes, classes), 1.0, logProbabilities);
            total -= logProbabilities[labels[b]];
            for (int c = 0; c < classes; c++)
            {
                double g = Math.Exp(logProbabilities[c]) - (c == labels[b] ? 1.0 : 0.0);
                gradient.Data[b * classes + c] = T.CreateTruncating(g / batch);
            }
        }
        return (T.CreateTruncating(total / batch), gradient);
    }
}
