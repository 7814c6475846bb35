using QSim.Kernels.Cpu;
using QSim.Kernels.Cuda;
using QSim.Kernels.OpenCL;

namespace QSim.Kernels;

/// <summary>
/// Discovers the accelerators of this machine and hands them out. Create one per application and pass the
/// accelerators explicitly; disposing the context disposes the accelerators it created.
/// </summary>
public sealed class AcceleratorContext : IDisposable
{
    private readonly List<Accelerator> _accelerators = [];
    private readonly List<string> _unavailable = [];

    private AcceleratorContext()
    {
        _accelerators.Add(new CpuAccelerator());
        _accelerators.AddRange(CudaDiscovery.Discover(_unavailable));
        _accelerators.AddRange(OpenCLDiscovery.Discover(_unavailable));
    }

    /// <summary>Discovers the accelerators of this machine.</summary>
    /// <returns>The context.</returns>
    public static AcceleratorContext Create() => new();

    /// <summary>Every accelerator found: the CPU first, then CUDA GPUs, then OpenCL devices.</summary>
    public IReadOnlyList<Accelerator> Accelerators => _accelerators;

    /// <summary>Why each kind that is missing is missing, one line per kind or device.</summary>
    public IReadOnlyList<string> Unavailable => _unavailable;

    /// <summary>The always-present CPU accelerator.</summary>
    public Accelerator Cpu => _accelerators[0];

    /// <summary>The <paramref name="index"/>-th accelerator of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="index">Which one of that kind, from 0.</param>
    /// <returns>The accelerator.</returns>
    /// <exception cref="AcceleratorNotAvailableException">There is no such accelerator; the message says why.</exception>
    public Accelerator Get(AcceleratorKind kind, int index = 0)
    {
        var ofKind = _accelerators.Where(a => a.Kind == kind).ToList();
        if (index >= 0 && index < ofKind.Count) return ofKind[index];
        string why = string.Join("; ", _unavailable.Where(u => u.StartsWith(kind.ToString(), StringComparison.OrdinalIgnoreCase)));
        throw new AcceleratorNotAvailableException(ofKind.Count == 0
            ? $"no {kind} accelerator is available{(why.Length > 0 ? ": " + why : "")}"
            : $"{kind} accelerator #{index} does not exist: there are {ofKind.Count}");
    }

    /// <summary>The first accelerator whose name contains <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">Part of the device name.</param>
    /// <returns>The accelerator.</returns>
    /// <exception cref="AcceleratorNotAvailableException">No device name matches.</exception>
    public Accelerator GetByName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _accelerators.FirstOrDefault(a => a.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new AcceleratorNotAvailableException($"no accelerator's name contains '{name}'; available: {string.Join(", ", _accelerators.Select(a => a.Name))}");
    }

    /// <summary>The best available accelerator: a CUDA GPU, else an OpenCL GPU-class device, else the CPU.</summary>
    /// <returns>The accelerator.</returns>
    public Accelerator GetBest() =>
        _accelerators.FirstOrDefault(a => a.Kind == AcceleratorKind.Cuda)
        ?? _accelerators.FirstOrDefault(a => a.Kind == AcceleratorKind.OpenCL && a.ComputeUnits > 2 * Environment.ProcessorCount)
        ?? Cpu;

    /// <summary>Disposes every accelerator this context created.</summary>
    public void Dispose()
    {
        foreach (var a in _accelerators) a.Dispose();
        _accelerators.Clear();
    }
}
