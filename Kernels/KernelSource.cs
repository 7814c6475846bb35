using System.Reflection;

namespace QSim.Kernels;

/// <summary>The embedded kernel sources shared by the OpenCL and CUDA accelerators: prelude.h, gates.cl, small_circuit.cl.</summary>
internal static class KernelSource
{
    private static readonly Lazy<string> Combined = new(() => Read("prelude.h") + "\n" + Read("gates.cl") + "\n" + Read("small_circuit.cl"));

    /// <summary>The prelude followed by every kernel file: one translation unit for either compiler.</summary>
    public static string All => Combined.Value;

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"QSim.Kernels.Sources.{name}")
            ?? throw new InvalidOperationException($"kernel source '{name}' is missing from the QSim.Kernels assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
