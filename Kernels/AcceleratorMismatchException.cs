namespace QSim.Kernels;

/// <summary>Thrown when a buffer or state owned by one accelerator is passed to another.</summary>
public sealed class AcceleratorMismatchException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was passed and which accelerator was expected.</param>
    /// <param name="paramName">The offending parameter.</param>
    public AcceleratorMismatchException(string message, string? paramName = null) : base(message, paramName) { }
}
