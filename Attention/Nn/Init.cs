using System.Numerics;

namespace QSim.Attention;

/// <summary>Seeded weight initialisers (draws are taken from the <see cref="Random"/> in row-major order).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class Init<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A tensor of independent U(−bound, bound) draws.</summary>
    public static Tensor<T> Uniform(Random random, double bound, params ReadOnlySpan<int> shape)
    {
        Tensor<T> tensor = Tensor<T>.Zeros(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = T.CreateChecked((2.0 * random.NextDouble() - 1.0) * bound);
        }
        return tensor;
    }

    /// <summary>A tensor of independent N(0, std²) draws (Box–Muller, one normal per pair of uniforms).</summary>
    public static Tensor<T> Normal(Random random, double std, params ReadOnlySpan<int> shape)
    {
        Tensor<T> tensor = Tensor<T>.Zeros(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            tensor.Data[i] = T.CreateChecked(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return tensor;
    }

    /// <summary>A tensor filled with one value.</summary>
    public static Tensor<T> Constant(T value, params ReadOnlySpan<int> shape)
    {
        Tensor<T> tensor = Tensor<T>.Zeros(shape);
        Array.Fill(tensor.Data, value);
        return tensor;
    }
}
