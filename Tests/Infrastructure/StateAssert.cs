using System.Numerics;

namespace QSim.Tests;

/// <summary>Assertions on sample-major batches of amplitudes, with the tolerances of <see cref="Tolerance"/>.</summary>
public static class StateAssert
{
    /// <summary>
    /// Every amplitude of every sample within <c>Tolerance.Of&lt;T&gt;() · max(1, ‖expected_b‖)</c>; the message names
    /// the case, the sample and the worst amplitude.
    /// </summary>
    /// <typeparam name="T">Precision of the state that produced <paramref name="actual"/>.</typeparam>
    /// <param name="expected">Reference amplitudes.</param>
    /// <param name="actual">Amplitudes read from the accelerator.</param>
    /// <param name="dimension">2^n.</param>
    /// <param name="context">What was being checked (gate, qubits, batch size…).</param>
    public static void Close<T>(Complex[] expected, Complex[] actual, int dimension, string context) where T : unmanaged =>
        Close(expected, actual, dimension, Tolerance.Of<T>(), context);

    /// <summary>As <c>Close&lt;T&gt;</c> on amplitudes, with an explicit tolerance.</summary>
    /// <param name="expected">Reference amplitudes.</param>
    /// <param name="actual">Amplitudes read from the accelerator.</param>
    /// <param name="dimension">2^n.</param>
    /// <param name="tolerance">Relative tolerance.</param>
    /// <param name="context">What was being checked.</param>
    public static void Close(Complex[] expected, Complex[] actual, int dimension, double tolerance, string context)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), $"{context}: amplitude count");
        int samples = expected.Length / dimension;
        for (int b = 0; b < samples; b++)
        {
            double norm2 = 0, worst = -1;
            int worstIndex = 0;
            for (int i = 0; i < dimension; i++)
            {
                Complex e = expected[b * dimension + i];
                norm2 += e.Real * e.Real + e.Imaginary * e.Imaginary;
                double d = (e - actual[b * dimension + i]).Magnitude;
                if (!(d <= worst)) { worst = d; worstIndex = i; } // NaN counts as worst
            }
            double bound = tolerance * Math.Max(1, Math.Sqrt(norm2));
            if (!(worst <= bound))
            {
                Assert.Fail($"{context}: sample {b} of {samples}, amplitude {worstIndex}: expected {expected[b * dimension + worstIndex]}, " +
                            $"got {actual[b * dimension + worstIndex]} (error {worst:E2} > {bound:E2})");
            }
        }
    }

    /// <summary>A real value within <c>Tolerance.Of&lt;T&gt;() · max(1, |scale|)</c>.</summary>
    /// <typeparam name="T">Precision of the state.</typeparam>
    /// <param name="expected">Reference value.</param>
    /// <param name="actual">Accelerator value.</param>
    /// <param name="scale">Magnitude the error is relative to (e.g. ‖ψ‖²).</param>
    /// <param name="context">What was being checked.</param>
    public static void Close<T>(double expected, double actual, double scale, string context) where T : unmanaged
    {
        double bound = Tolerance.Of<T>() * Math.Max(1, Math.Abs(scale));
        Assert.That(actual, Is.EqualTo(expected).Within(bound), context);
    }

    /// <summary>A complex value within <c>Tolerance.Of&lt;T&gt;() · max(1, |scale|)</c>.</summary>
    /// <typeparam name="T">Precision of the state.</typeparam>
    /// <param name="expected">Reference value.</param>
    /// <param name="actual">Accelerator value.</param>
    /// <param name="scale">Magnitude the error is relative to.</param>
    /// <param name="context">What was being checked.</param>
    public static void Close<T>(Complex expected, Complex actual, double scale, string context) where T : unmanaged
    {
        double bound = Tolerance.Of<T>() * Math.Max(1, Math.Abs(scale));
        Assert.That((expected - actual).Magnitude, Is.LessThanOrEqualTo(bound), $"{context}: expected {expected}, got {actual}");
    }

    /// <summary>Bit-for-bit equal amplitudes (a failed call must leave a state exactly as it was).</summary>
    /// <param name="before">Amplitudes before.</param>
    /// <param name="after">Amplitudes after.</param>
    /// <param name="context">What was being checked.</param>
    public static void Unchanged(Complex[] before, Complex[] after, string context)
    {
        Assert.That(after, Has.Length.EqualTo(before.Length), $"{context}: amplitude count");
        for (int i = 0; i < before.Length; i++)
        {
            if (!before[i].Equals(after[i]))
            {
                Assert.Fail($"{context}: amplitude {i} changed from {before[i]} to {after[i]}");
            }
        }
    }

    /// <summary>The amplitudes rounded to the precision <typeparamref name="T"/> (what SetState stores).</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="amplitudes">Values.</param>
    /// <returns>Rounded copies.</returns>
    public static Complex[] RoundedTo<T>(Complex[] amplitudes) where T : unmanaged =>
        typeof(T) == typeof(float)
            ? amplitudes.Select(a => new Complex((float)a.Real, (float)a.Imaginary)).ToArray()
            : (Complex[])amplitudes.Clone();
}
