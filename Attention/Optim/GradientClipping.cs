using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>Gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>, as PyTorch's
    /// <c>clip_grad_norm_</c>: when the norm exceeds it, every gradient is multiplied by <c>maxNorm / (norm + 1e-6)</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">The largest allowed global norm (&gt; 0, finite).</param>
    /// <returns>The global norm before clipping (accumulated in double precision).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or an element is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    /// <exception cref="InvalidOperationException">A gradient holds NaN or ∞ (no gradient is modified).</exception>
    public static double ClipByGlobalNorm<T>(IEnumerable<TrainableParameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "the maximum norm must be positive and finite");
        }
        TrainableParameter<T>[] list = parameters.ToArray();
        double sumOfSquares = 0;
        foreach (TrainableParameter<T> parameter in list)
        {
            if (parameter is null) throw new ArgumentNullException(nameof(parameters), "a parameter is null");
            foreach (T g in parameter.Grad.Data)
            {
                double value = double.CreateTruncating(g);
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException($"the gradient of parameter '{parameter.Name}' holds {value}; cannot clip a non-finite norm");
                }
                sumOfSquares += value * value;
            }
        }
        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            T scale = T.CreateTruncating(maxNorm / (norm + 1e-6));
            foreach (TrainableParameter<T> parameter in list.Distinct(ReferenceEqualityComparer.Instance).Cast<TrainableParameter<T>>())
            {
                TP.Multiply<T>(parameter.Grad.Data, scale, parameter.Grad.Data);
            }
        }
        return norm;
    }
}
