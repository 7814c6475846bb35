using QSim.Kernels;

namespace QSim.Cli;

/// <summary>Turns the <c>--accelerator</c> text into an accelerator of a context.</summary>
internal static class AcceleratorChoice
{
    public static Accelerator Select(AcceleratorContext context, string choice) => choice.Trim().ToLowerInvariant() switch
    {
        "cpu" => context.Get(AcceleratorKind.Cpu),
        "opencl" or "ocl" => context.Get(AcceleratorKind.OpenCL),
        "cuda" or "gpu" => context.Get(AcceleratorKind.Cuda),
        "best" => context.GetBest(),
        _ => context.GetByName(choice),
    };
}
