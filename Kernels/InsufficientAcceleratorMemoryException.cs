namespace QSim.Kernels;

/// <summary>
/// Thrown before any allocation when a buffer or state would not fit the accelerator: larger than its
/// memory, than what is still free, or than its largest single allocation.
/// </summary>
public sealed class InsufficientAcceleratorMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was asked for and the limit it exceeds.</param>
    /// <param name="requestedBytes">Bytes the request needs.</param>
    /// <param name="limitBytes">The limit it ran into.</param>
    public InsufficientAcceleratorMemoryException(string message, long requestedBytes, long limitBytes) : base(message)
    {
        RequestedBytes = requestedBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>Bytes the request needs (<see cref="long.MaxValue"/> when it overflows 64 bits).</summary>
    public long RequestedBytes { get; }

    /// <summary>The limit in bytes that the request exceeds.</summary>
    public long LimitBytes { get; }
}
