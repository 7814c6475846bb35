namespace QSim.Tests;

/// <summary>
/// Every numerical tolerance of the test suite, in one place.
/// </summary>
/// <remarks>
/// Amplitude comparisons are absolute errors relative to the norm of the expected sample: an error of
/// <c>Of&lt;T&gt;() · max(1, ‖ψ_b‖)</c> is accepted in each amplitude. Reductions (norms, inner products, Pauli
/// expectations) accumulate in double on the device, so the same bound applies to them relative to ‖ψ_b‖².
/// Random outcomes (sampling, measurement) are judged by statistical tests with a fixed seed and a false-alarm
/// probability of about <see cref="FalseAlarmProbability"/>.
/// </remarks>
public static class Tolerance
{
    /// <summary>Tolerance for double-precision states.</summary>
    public const double Double = 1e-10;

    /// <summary>Tolerance for single-precision states (about 150 ulp of 1.0f: gate chains of a few dozen gates).</summary>
    public const double Single = 2e-5;

    /// <summary>Probability that a statistical test of a correct kernel fails (before fixing the seed).</summary>
    public const double FalseAlarmProbability = 1e-4;

    /// <summary>Standard deviations a binomial count may stray from its mean (two-sided p ≈ 6e-5 at 4 σ).</summary>
    public const double BinomialSigmas = 4.0;

    /// <summary>The amplitude tolerance of a precision.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <returns>The tolerance.</returns>
    public static double Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? Single
        : typeof(T) == typeof(double) ? Double
        : throw new NotSupportedException($"no tolerance for {typeof(T).Name}");
}
