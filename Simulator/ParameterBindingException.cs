namespace QSim.Simulator;

/// <summary>
/// Thrown before any work is done when the values bound to a circuit's parameters are unusable: an input with the
/// wrong number of per-sample values, a NaN or infinite value (or angle computed from it), or a weight bound as an
/// input or the reverse.
/// </summary>
/// <remarks>A binding for a name the circuit does not use is not an error: it is ignored, so one
/// <see cref="ParameterValues"/> can serve several circuits.</remarks>
public sealed class ParameterBindingException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was bound, and what was expected.</param>
    /// <param name="parameterName">The name of the circuit parameter concerned, if any.</param>
    /// <param name="paramName">The offending argument.</param>
    public ParameterBindingException(string message, string? parameterName = null, string? paramName = null)
        : base(message, paramName)
    {
        ParameterName = parameterName;
    }

    /// <summary>The name of the circuit parameter concerned, or null.</summary>
    public string? ParameterName { get; }
}
