namespace QSim.Kernels;

/// <summary>Thrown when an accelerator that was asked for does not exist on this machine, or lacks a capability.</summary>
public sealed class AcceleratorNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which accelerator or capability is missing, and why.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public AcceleratorNotAvailableException(string message, Exception? inner = null) : base(message, inner) { }
}
