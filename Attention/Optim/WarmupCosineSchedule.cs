namespace QSim.Attention;

/// <summary>
/// A learning-rate schedule: linear warm-up from 0 to the base rate over the first steps, then a half cosine from the
/// base rate down to a minimum at the last step, and the minimum after it.
/// </summary>
/// <remarks>
/// <code>
/// lr(s) = base · s / warmup                                                  for s &lt; warmup
/// lr(s) = min + (base − min) · (1 + cos(π · (s − warmup) / (total − warmup))) / 2   for warmup ≤ s ≤ total
/// lr(s) = min                                                                for s &gt; total
/// </code>
/// so lr(0) = 0 (with warm-up), lr(warmup) = base and lr(total) = min (the last rule wins when total = warmup).
/// Steps count from 0.
/// </remarks>
public sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The peak rate (≥ 0, finite).</param>
    /// <param name="warmupSteps">Warm-up steps (≥ 0).</param>
    /// <param name="totalSteps">The step at which the minimum is reached (≥ <paramref name="warmupSteps"/>).</param>
    /// <param name="minLearningRate">The final rate, 0 ≤ min ≤ base.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public WarmupCosineSchedule(double baseLearningRate, int warmupSteps, int totalSteps, double minLearningRate = 0)
    {
        if (!(baseLearningRate >= 0) || !double.IsFinite(baseLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "the base learning rate must be non-negative and finite");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps < warmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"the total step count must be at least the {warmupSteps} warm-up steps");
        }
        if (!(minLearningRate >= 0 && minLearningRate <= baseLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, $"the minimum learning rate must lie in [0, {baseLearningRate}]");
        }
        BaseLearningRate = baseLearningRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>The peak rate, reached at step <see cref="WarmupSteps"/>.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Warm-up steps.</summary>
    public int WarmupSteps { get; }

    /// <summary>The step at which <see cref="MinLearningRate"/> is reached.</summary>
    public int TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>The learning rate at a step.</summary>
    /// <param name="step">The step, from 0.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double LearningRate(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return BaseLearningRate * step / WarmupSteps;
        }
        if (step >= TotalSteps)
        {
            return MinLearningRate;
        }
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinLearningRate + (BaseLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
