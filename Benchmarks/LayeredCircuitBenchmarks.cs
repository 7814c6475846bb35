// Benchmark (b) of issue #2: the layered circuit — n qubits, 10 layers, each layer RY(θ) on every qubit followed by
// CNOT(0,1), CNOT(1,2), …, CNOT(n−2,n−1) — for n = 16, 20, 24 in float and double, batch 1. One operation resets
// the preallocated state to |0…0⟩ and applies the whole circuit (allocation is in the global setup, not timed).
using BenchmarkDotNet.Attributes;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Benchmarks;

/// <summary>The layered RY + CNOT-chain circuit on each available accelerator.</summary>
public class LayeredCircuitBenchmarks
{
    private AcceleratorContext? _context;
    private Action? _run;
    private IDisposable? _state;

    /// <summary>Qubits of the register.</summary>
    [Params(16, 20, 24)]
    public int Qubits { get; set; }

    /// <summary>The accelerator that runs the circuit.</summary>
    [ParamsSource(nameof(Accelerators))]
    public AcceleratorKind Accelerator { get; set; }

    /// <summary>The accelerator kinds present on this machine.</summary>
    public static IEnumerable<AcceleratorKind> Accelerators => AvailableAccelerators.Kinds;

    /// <summary>Element type of the state.</summary>
    [ParamsAllValues]
    public Precision Precision { get; set; }

    /// <summary>Builds the circuit and allocates the state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = AcceleratorContext.Create();
        var circuit = CircuitLibrary.Layered(Qubits, 10);
        if (Precision == Precision.Float) Prepare<float>(circuit);
        else Prepare<double>(circuit);
    }

    private void Prepare<T>(Circuit circuit) where T : unmanaged
    {
        var accelerator = _context!.Get(Accelerator);
        var simulator = new Simulator<T>(accelerator);
        var state = accelerator.AllocateState<T>(Qubits, 1);
        _state = state;
        _run = () =>
        {
            accelerator.SetBasisState(state, 0);
            simulator.Apply(state, circuit);
            accelerator.Synchronize();
        };
    }

    /// <summary>Frees the state.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _state?.Dispose();
        _context?.Dispose();
    }

    /// <summary>Reset to |0…0⟩ and run the 10-layer circuit.</summary>
    [Benchmark]
    public void Layered10() => _run!();
}
