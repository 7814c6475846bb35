using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>Dense row-major matrix kernels shared by the layers (vectorised through TensorPrimitives).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class Linalg<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Multiply-adds above which a product is split over rows with <see cref="Parallel.For(int, int, Action{int})"/>.
    /// Each row is computed by one thread in the same order either way, so results do not depend on the split.</summary>
    internal const long ParallelThreshold = 1L << 21;

    /// <summary><c>c[i, j] (+)= Σ_p a[i, p] · b[j, p]</c>: a is n×k, b is m×k, c is n×m, all row-major.</summary>
    public static void MultiplyTransposed(T[] a, T[] b, T[] c, int n, int m, int k, bool accumulate)
    {
        long work = (long)n * m * k;
        if (work < ParallelThreshold || n < 2)
        {
            Rows(a, b, c, 0, n, m, k, accumulate);
            return;
        }
        int chunks = Math.Min(n, Math.Max(2, Environment.ProcessorCount * 2));
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)n * chunk / chunks);
            int end = (int)((long)n * (chunk + 1) / chunks);
            Rows(a, b, c, start, end, m, k, accumulate);
        });
    }

    /// <summary><c>dst[j, i] = a[i, j]</c>: a is rows×cols, dst is cols×rows.</summary>
    public static void Transpose(ReadOnlySpan<T> a, int rows, int cols, Span<T> dst)
    {
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> row = a.Slice(i * cols, cols);
            for (int j = 0; j < cols; j++)
            {
                dst[j * rows + i] = row[j];
            }
        }
    }

    /// <summary><c>dst[j] += Σ_i a[i, j]</c>: sums the rows of an n×m matrix into dst.</summary>
    public static void AddRowSums(ReadOnlySpan<T> a, int n, int m, Span<T> dst)
    {
        for (int i = 0; i < n; i++)
        {
            TP.Add(dst, a.Slice(i * m, m), dst);
        }
    }

    private static void Rows(T[] a, T[] b, T[] c, int start, int end, int m, int k, bool accumulate)
    {
        for (int i = start; i < end; i++)
        {
            ReadOnlySpan<T> row = a.AsSpan(i * k, k);
            Span<T> output = c.AsSpan(i * m, m);
            for (int j = 0; j < m; j++)
            {
                T dot = TP.Dot(row, b.AsSpan(j * k, k));
                output[j] = accumulate ? output[j] + dot : dot;
            }
        }
    }
}
