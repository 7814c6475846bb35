using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// The Gaussian error linear unit in its exact form, <c>GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2))</c>, element-wise.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>Accepts any shape and keeps it. The error function is evaluated in double precision to about 1e-16
/// (not the tanh approximation). The derivative is <c>Φ(x) + x·φ(x)</c> with φ the standard normal density.
/// No parameters.</remarks>
public sealed class Gelu<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InverseSqrt2 = 0.70710678118654752;
    private const double InverseSqrt2Pi = 0.39894228040143268;
    private Tensor<T>? _input;

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        _input = input;
        Tensor<T> output = Tensor<T>.Zeros(input.Shape);
        T[] x = input.Data, y = output.Data;
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(0.5 * v * (1.0 + SpecialFunctions.Erf(v * InverseSqrt2)));
        }
        return output;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> input = _input!;
        Tensor<T> gradInput = Tensor<T>.Zeros(input.Shape);
        T[] x = input.Data, dy = gradOutput.Data, dx = gradInput.Data;
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double cdf = 0.5 * (1.0 + SpecialFunctions.Erf(v * InverseSqrt2));
            double pdf = InverseSqrt2Pi * Math.Exp(-0.5 * v * v);
            dx[i] = dy[i] * T.CreateTruncating(cdf + v * pdf);
        }
        return gradInput;
    }
}
