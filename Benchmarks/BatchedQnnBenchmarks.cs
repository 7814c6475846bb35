// Benchmark (c) of issue #2: the batched QNN — n = 8 qubits, B = 4096 samples, RX(x_{b,i}) encoding on every qubit,
// then 2 × [RY(θ) on every qubit + CNOT ring 0→1→…→7→0], then ⟨Z_i⟩ for every qubit. One invocation evaluates the
// whole batch; OperationsPerInvoke = B makes the "Op/s" column read as circuits per second.
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Benchmarks;

/// <summary>The batched 8-qubit QNN forward pass on each available accelerator, in circuits per second.</summary>
[Config(typeof(OperationsPerSecondConfig))]
public class BatchedQnnBenchmarks
{
    /// <summary>Samples per batch.</summary>
    public const int Batch = 4096;

    private AcceleratorContext? _context;
    private Func<double[][]>? _run;

    /// <summary>Qubits of the QNN.</summary>
    [Params(8)]
    public int Qubits { get; set; }

    /// <summary>The accelerator that runs the circuit.</summary>
    [ParamsSource(nameof(Accelerators))]
    public AcceleratorKind Accelerator { get; set; }

    /// <summary>The accelerator kinds present on this machine.</summary>
    public static IEnumerable<AcceleratorKind> Accelerators => AvailableAccelerators.Kinds;

    /// <summary>Element type of the state.</summary>
    [ParamsAllValues]
    public Precision Precision { get; set; }

    /// <summary>Builds the circuit, its inputs and weights.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = AcceleratorContext.Create();
        var circuit = CircuitLibrary.Qnn(Qubits, 2);
        var observables = CircuitLibrary.ZOnEveryQubit(Qubits);
        var rng = new Random(3);
        var values = new ParameterValues();
        for (int q = 0; q < Qubits; q++) values.Input($"x{q}", Enumerable.Range(0, Batch).Select(_ => rng.NextDouble() * Math.PI).ToArray());
        foreach (var w in circuit.Weights) values.Weight(w.Name, rng.NextDouble() * 2 * Math.PI);
        if (Precision == Precision.Float)
        {
            var simulator = new Simulator<float>(_context.Get(Accelerator));
            _run = () => simulator.Expectations(circuit, observables, values, Batch);
        }
        else
        {
            var simulator = new Simulator<double>(_context.Get(Accelerator));
            _run = () => simulator.Expectations(circuit, observables, values, Batch);
        }
    }

    /// <summary>Releases the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup() => _context?.Dispose();

    /// <summary>Encode, run and measure ⟨Z_i⟩ for the whole batch.</summary>
    /// <returns>The expectations (returned so the work is not optimised away).</returns>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double[][] Forward() => _run!();

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
