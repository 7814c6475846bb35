using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// Knowledge-distillation loss (Hinton et al., 2015) of student logits against teacher logits and labels:
/// <c>L = α·τ²·KL(softmax(t/τ) ‖ softmax(s/τ)) + (1 − α)·CE(s, y)</c>, both terms averaged over the batch.
/// </summary>
/// <remarks>The τ² factor keeps the soft term's gradient, <c>α·τ·(softmax(s/τ) − softmax(t/τ)) / B</c>, on the scale of
/// the hard term's as τ changes. The teacher receives no gradient.</remarks>
public sealed class DistillationLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="temperature">The softmax temperature τ (&gt; 0, finite).</param>
    /// <param name="alpha">The weight α of the soft (teacher) term, in [0, 1]; 1 − α weighs the label term.</param>
    /// <exception cref="ArgumentOutOfRangeException">τ or α is out of range.</exception>
    public DistillationLoss(double temperature, double alpha)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive and finite");
        }
        if (!(alpha >= 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1]");
        }
        Temperature = temperature;
        Alpha = alpha;
    }

    /// <summary>The softmax temperature τ.</summary>
    public double Temperature { get; }

    /// <summary>The weight α of the soft term.</summary>
    public double Alpha { get; }

    /// <summary>Computes the loss and its gradient with respect to the student logits.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="student">Student logits, (batch, classes), finite.</param>
    /// <param name="teacher">Teacher logits, the student's shape, finite.</param>
    /// <param name="labels">One label per row, each in 0 … classes − 1.</param>
    /// <returns>The loss and ∂L/∂student, shape (batch, classes).</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A shape is wrong, logits hold NaN/∞, or the label count is not the batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range.</exception>
    public (T Loss, Tensor<T> Gradient) Compute<T>(Tensor<T> student, Tensor<T> teacher, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string owner = nameof(DistillationLoss);
        LossChecks.ClassLogits(owner, student, labels, nameof(student));
        ArgumentNullException.ThrowIfNull(teacher);
        if (!teacher.HasShape(student.Shape))
        {
            throw ShapeText.Mismatch(owner, "teacher (the student's shape)", ShapeText.Format(student.Shape), teacher.Shape, nameof(teacher));
        }
        Module<T>.RequireFinite(teacher, owner, nameof(teacher));

        int batch = student.Shape[0], classes = student.Shape[1];
        double tau = Temperature;
        var hard = new double[classes];
        var softStudent = new double[classes];
        var softTeacher = new double[classes];
        Tensor<T> gradient = Tensor<T>.Zeros(batch, classes);
        double kl = 0, crossEntropy = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> s = student.Data.AsSpan(b * classes, classes);
            LossChecks.LogSoftmax(s, 1.0, hard);
            LossChecks.LogSoftmax(s, tau, softStudent);
            LossChecks.LogSoftmax<T>(teacher.Data.AsSpan(b * classes, classes), tau, softTeacher);
            crossEntropy -= hard[labels[b]];
            for (int c = 0; c < classes; c++)
            {
                double pTeacher = Math.Exp(softTeacher[c]);
                if (pTeacher > 0)
                {
                    kl += pTeacher * (softTeacher[c] - softStudent[c]);
                }
                double g = Alpha * tau * (Math.Exp(softStudent[c]) - pTeacher)
                    + (1 - Alpha) * (Math.Exp(hard[c]) - (c == labels[b] ? 1.0 : 0.0));
                gradient.Data[b * classes + c] = T.CreateTruncating(g / batch);
            }
        }
        double loss = (Alpha * tau * tau * kl + (1 - Alpha) * crossEntropy) / batch;
        return (T.CreateTruncating(loss), gradient);
    }
}
