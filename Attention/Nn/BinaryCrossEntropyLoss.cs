using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// Sigmoid binary cross-entropy of one logit per sample against 0/1 labels, averaged over the batch, in the stable
/// form <c>ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})</c> (= −y·log σ(z) − (1 − y)·log(1 − σ(z))).
/// </summary>
public static class BinaryCrossEntropyLoss
{
    /// <summary>Computes the mean loss and its gradient with respect to the logits.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="logits">Logits, (batch) or (batch, 1), batch ≥ 1, finite.</param>
    /// <param name="labels">One label per sample, each 0 or 1.</param>
    /// <returns>The loss and <c>∂L/∂z = (σ(z) − y) / B</c>, in the logits' shape.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> is null.</exception>
    /// <exception cref="ArgumentException">The logits have another shape or hold NaN/∞, or the label count is not the batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is neither 0 nor 1.</exception>
    public static (T Loss, Tensor<T> Gradient) Compute<T>(Tensor<T> logits, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string owner = nameof(BinaryCrossEntropyLoss);
        ArgumentNullException.ThrowIfNull(logits);
        bool shapeOk = logits.Rank switch
        {
            1 => logits.Shape[0] >= 1,
            2 => logits.Shape[0] >= 1 && logits.Shape[1] == 1,
            _ => false,
        };
        if (!shapeOk)
        {
            throw ShapeText.Mismatch(owner, "logits", "(batch) or (batch, 1) with batch ≥ 1", logits.Shape, nameof(logits));
        }
        Module<T>.RequireFinite(logits, owner, nameof(logits));
        int batch = logits.Shape[0];
        LossChecks.Labels(owner, labels, batch, ShapeText.Format(logits.Shape));
        for (int b = 0; b < batch; b++)
        {
            if (labels[b] is not (0 or 1))
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"{owner}: label {labels[b]} at index {b} is not 0 or 1");
            }
        }

        Tensor<T> gradient = Tensor<T>.Zeros(logits.Shape);
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            double z = double.CreateTruncating(logits.Data[b]);
            double y = labels[b];
            total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            double sigmoid = z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
            gradient.Data[b] = T.CreateTruncating((sigmoid - y) / batch);
        }
        return (T.CreateTruncating(total / batch), gradient);
    }
}
