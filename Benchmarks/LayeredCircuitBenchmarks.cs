// Benchmark (b) of issue #2 and the fusion benchmark of issue #4: the layered circuit — n qubits, 10 layers, each
// layer RY(θ) on every qubit followed by CNOT(0,1), CNOT(1,2), …, CNOT(n−2,n−1) — for n = 16…26 in float and double,
// batch 1, with fusion (the accelerator's default blocks) against the unfused baseline (one pass per gate) in the
// same run. One operation resets the preallocated state to |0…0⟩ and applies the whole circuit (allocation is in
// the global setup, not timed).
using BenchmarkDotNet.Attributes;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Benchmarks;

/// <summary>The layered RY + CNOT-chain circuit on each available accelerator.</summary>
public class LayeredCircuitBenchmarks
{
    private AcceleratorContext? _context;
    private Action? _run;
    private Action? _runUnfused;
    private IDisposable? _state;

    /// <summary>Qubits of the register.</summary>
    [Params(16, 20, 22, 24, 26)]
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
        var fused = new Simulator<T>(accelerator);
        var unfused = new Simulator<T>(accelerator, FusionOptions.Disabled);
        var state = accelerator.AllocateState<T>(Qubits, 1);
        _state = state;
        Action Runner(Simulator<T> simulator) => () =>
        {
            accelerator.SetBasisState(state, 0);
            simulator.Apply(state, circuit);
            accelerator.Synchronize();
        };
        _run = Runner(fused);
        _runUnfused = Runner(unfused);
    }

    /// <summary>Frees the state.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _state?.Dispose();
        _context?.Dispose();
    }

    /// <summary>Reset to |0…0⟩ and run the 10-layer circuit gate by gate (the baseline).</summary>
    [Benchmark(Baseline = true)]
    public void Unfused() => _runUnfused!();

    /// <summary>Reset to |0…0⟩ and run the 10-layer circuit with the accelerator's default fusion.</summary>
    [Benchmark]
    public void Fused() => _run!();
}
