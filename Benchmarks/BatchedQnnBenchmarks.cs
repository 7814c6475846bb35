// Benchmark (c) of issue #2 and the QNN benchmarks of issue #4: the batched QNN — n qubits, B = 4096 samples,
// RX(x_{b,i}) encoding on every qubit, then 2 × [RY(θ) on every qubit + CNOT ring 0→1→…→n−1→0], then ⟨Z_i⟩ for every
// qubit. Forward evaluates the batch; ForwardAndGradient also returns ∂L/∂θ and ∂L/∂x for an upstream gradient of
// ones (one adjoint sweep), and its ratio to Forward is the cost of training. Path = Fused takes the fused
// small-circuit kernel where the accelerator has it; General runs gate by gate. OperationsPerInvoke = B makes the
// "Op/s" column read as circuits per second.
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
    private Func<double[]>? _gradient;

    /// <summary>Qubits of the QNN.</summary>
    [Params(4, 6, 8, 10, 12)]
    public int Qubits { get; set; }

    /// <summary>Fused small-circuit kernel or gate-by-gate.</summary>
    [Params(QnnPath.Fused, QnnPath.General)]
    public QnnPath Path { get; set; }

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
        var fusion = Path == QnnPath.Fused ? new FusionOptions() : new FusionOptions { SmallCircuitMaxQubits = 0 };
        var upstream = Enumerable.Range(0, Batch).Select(_ => Enumerable.Repeat(1.0, Qubits).ToArray()).ToArray();
        if (Precision == Precision.Float)
        {
            var simulator = new Simulator<float>(_context.Get(Accelerator), fusion);
            _run = () => simulator.Expectations(circuit, observables, values, Batch);
            _gradient = () => simulator.Backward(circuit, observables, values, upstream).WeightGradients;
        }
        else
        {
            var simulator = new Simulator<double>(_context.Get(Accelerator), fusion);
            _run = () => simulator.Expectations(circuit, observables, values, Batch);
            _gradient = () => simulator.Backward(circuit, observables, values, upstream).WeightGradients;
        }
    }

    /// <summary>Releases the accelerator.</summary>
    [GlobalCleanup]
    public void Cleanup() => _context?.Dispose();

    /// <summary>Encode, run and measure ⟨Z_i⟩ for the whole batch.</summary>
    /// <returns>The expectations (returned so the work is not optimised away).</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public double[][] Forward() => _run!();

    /// <summary>Forward pass plus the full gradient (every weight and every input of every sample).</summary>
    /// <returns>The weight gradients.</returns>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double[] ForwardAndGradient() => _gradient!();

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
