using System.Numerics;

namespace QSim.Kernels;

/// <summary>Host-side gate arithmetic shared by the accelerators.</summary>
internal static class GateMath
{
    /// <summary>The targets followed by the controls: the bit order of a diagonal with its controls folded in.</summary>
    public static int[] DiagonalOrder(ReadOnlySpan<int> targets, ReadOnlySpan<int> controls) => [.. targets, .. controls];

    /// <summary>
    /// Folds controls into diagonals: for each of <paramref name="count"/> diagonals of 2^k entries, a diagonal of
    /// 2^(k+c) entries over targets then controls, equal to the original where every control is 1 and to 1 elsewhere.
    /// </summary>
    public static Complex[] FoldControls(ReadOnlySpan<Complex> diagonals, int targetCount, int controlCount, int count)
    {
        int size = 1 << targetCount, full = 1 << (targetCount + controlCount), all = (1 << controlCount) - 1;
        var result = new Complex[(long)full * count];
        for (int b = 0; b < count; b++)
        {
            for (int x = 0; x < full; x++)
            {
                result[(long)b * full + x] = (x >> targetCount) == all ? diagonals[b * size + (x & (size - 1))] : Complex.One;
            }
        }
        return result;
    }

    /// <summary>The 4×4 SWAP matrix (bit 0 = first qubit).</summary>
    public static readonly Complex[] SwapMatrix = [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1];
}
