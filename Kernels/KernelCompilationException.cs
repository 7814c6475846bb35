namespace QSim.Kernels;

/// <summary>Thrown when an accelerator's compiler (OpenCL or NVRTC) rejects the kernel sources; carries the build log.</summary>
public sealed class KernelCompilationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed to build, and for which device and options.</param>
    /// <param name="buildLog">The compiler's log.</param>
    public KernelCompilationException(string message, string buildLog) : base($"{message}\n--- build log ---\n{buildLog}")
    {
        BuildLog = buildLog;
    }

    /// <summary>The compiler's log.</summary>
    public string BuildLog { get; }
}
