namespace QSim.Simulator;

/// <summary>
/// Thrown when a matrix given to <see cref="CircuitBuilder.Unitary"/> is not unitary within the tolerance: the
/// largest entry of |U†U − I| exceeds <see cref="Tolerance"/>.
/// </summary>
public sealed class NonUnitaryMatrixException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, with the deviation and the tolerance.</param>
    /// <param name="deviation">The largest entry of |U†U − I|.</param>
    /// <param name="tolerance">The largest deviation accepted.</param>
    /// <param name="paramName">The offending parameter.</param>
    public NonUnitaryMatrixException(string message, double deviation, double tolerance, string? paramName = null)
        : base(message, paramName)
    {
        Deviation = deviation;
        Tolerance = tolerance;
    }

    /// <summary>The largest entry of |U†U − I| of the rejected matrix.</summary>
    public double Deviation { get; }

    /// <summary>The largest deviation accepted.</summary>
    public double Tolerance { get; }
}
