using QSim.Kernels;

namespace QSim.Attention;

/// <summary>The accelerator quantum layers use when none is given: the CPU of one process-wide context.</summary>
internal static class QuantumDefaults
{
    /// <summary>Most qubits of a quantum layer: the fused small-circuit kernel's limit.</summary>
    public const int MaxQubits = 12;

    private static readonly Lazy<AcceleratorContext> Context = new(AcceleratorContext.Create);

    /// <summary>The process-wide CPU accelerator.</summary>
    public static Accelerator Accelerator => Context.Value.Cpu;
}
