namespace QSim.Kernels;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood 2014): tiny, fast, and bit-for-bit reproducible on every
/// platform and accelerator, which <see cref="Random"/> does not promise across .NET versions.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Seeds the generator.</summary>
    /// <param name="seed">Any 64-bit value.</param>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed value.</returns>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
