using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019), step for step as PyTorch's <c>torch.optim.AdamW</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// For each parameter θ with gradient g, step t (from 1):
/// <code>
/// θ ← θ − lr·λ·θ                    (only if the parameter's WeightDecay flag is set)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − lr·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
/// </code>
/// Biases, norms and embeddings are created with <see cref="TrainableParameter{T}.WeightDecay"/> false; the
/// constructor's predicate can override the flag per parameter. The moments are kept in double precision.
/// </remarks>
public sealed class AdamW<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainableParameter<T>[] _parameters;
    private readonly bool[] _decay;
    private readonly double[][] _m;
    private readonly double[][] _v;
    private double _learningRate;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The parameters to update, each once (e.g. <see cref="Module{T}.Parameters"/>).</param>
    /// <param name="learningRate">The learning rate lr (≥ 0).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε (&gt; 0).</param>
    /// <param name="weightDecay">The decoupled decay λ (≥ 0).</param>
    /// <param name="decay">Decides per parameter whether λ applies; null uses <see cref="TrainableParameter{T}.WeightDecay"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">A parameter appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public AdamW(
        IEnumerable<TrainableParameter<T>> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0.01,
        Func<TrainableParameter<T>, bool>? decay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLearningRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must lie in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must lie in [0, 1)");
        if (!(epsilon > 0) || !double.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite");
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "the weight decay must be non-negative and finite");
        _parameters = parameters.ToArray();
        var seen = new HashSet<TrainableParameter<T>>(ReferenceEqualityComparer.Instance);
        foreach (TrainableParameter<T> parameter in _parameters)
        {
            if (parameter is null) throw new ArgumentNullException(nameof(parameters), "a parameter is null");
            if (!seen.Add(parameter)) throw new ArgumentException($"parameter '{parameter.Name}' is listed twice", nameof(parameters));
        }
        _decay = _parameters.Select(p => decay?.Invoke(p) ?? p.WeightDecay).ToArray();
        _m = _parameters.Select(p => new double[p.Value.Length]).ToArray();
        _v = _parameters.Select(p => new double[p.Value.Length]).ToArray();
        _learningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The learning rate of the next <see cref="Step"/> (set it from a schedule before each step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            CheckLearningRate(value);
            _learningRate = value;
        }
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>The number of steps taken.</summary>
    public int StepCount { get; private set; }

    /// <summary>Updates every parameter from its accumulated gradient (the gradients are left as they are).</summary>
    /// <exception cref="InvalidOperationException">A gradient holds NaN or ∞ (no parameter is modified).</exception>
    public void Step()
    {
        for (int p = 0; p < _parameters.Length; p++)
        {
            if (!TP.IsFiniteAll<T>(_parameters[p].Grad.Data))
            {
                throw new InvalidOperationException($"AdamW: the gradient of parameter '{_parameters[p].Name}' holds NaN or ∞; no parameter was updated");
            }
        }
        StepCount++;
        double lr = _learningRate;
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);
        for (int p = 0; p < _parameters.Length; p++)
        {
            T[] theta = _parameters[p].Value.Data;
            T[] grad = _parameters[p].Grad.Data;
            double[] m = _m[p], v = _v[p];
            double shrink = _decay[p] ? 1 - lr * WeightDecay : 1;
            for (int i = 0; i < theta.Length; i++)
            {
                double g = double.CreateTruncating(grad[i]);
                double value = double.CreateTruncating(theta[i]) * shrink;
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                value -= lr * (m[i] / correction1) / (Math.Sqrt(v[i] / correction2) + Epsilon);
                theta[i] = T.CreateTruncating(value);
            }
        }
    }

    /// <summary>Sets the gradients of all parameters to zero.</summary>
    public void ZeroGrad()
    {
        foreach (TrainableParameter<T> parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }

    private static void CheckLearningRate(double learningRate)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be non-negative and finite");
        }
    }
}
