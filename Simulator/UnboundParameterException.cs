namespace QSim.Simulator;

/// <summary>Thrown before any work is done when a circuit is run without a value for one of its parameters.</summary>
public sealed class UnboundParameterException : ArgumentException
{
    /// <summary>Creates the exception for a parameter that has no value; the message names it and its kind.</summary>
    /// <param name="parameter">The unbound parameter.</param>
    /// <param name="paramName">The argument that should have bound it.</param>
    /// <exception cref="ArgumentNullException">The parameter is null.</exception>
    public UnboundParameterException(Parameter parameter, string? paramName = null)
        : base(MessageFor(parameter), paramName)
    {
        Parameter = parameter;
    }

    /// <summary>The parameter that has no value.</summary>
    public Parameter Parameter { get; }

    private static string MessageFor(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Kind == ParameterKind.Weight
            ? $"weight '{parameter.Name}' has no value: bind it with ParameterValues.Weight(\"{parameter.Name}\", value)"
            : $"input '{parameter.Name}' has no values: bind it with ParameterValues.Input(\"{parameter.Name}\", perSample)";
    }
}
