namespace QSim.Benchmarks;

/// <summary>The element type a benchmark runs in, as a BenchmarkDotNet parameter.</summary>
public enum Precision
{
    /// <summary>Single precision (<see cref="float"/>): 8 bytes per amplitude.</summary>
    Float,

    /// <summary>Double precision (<see cref="double"/>): 16 bytes per amplitude.</summary>
    Double,
}
