// Benchmark (a) of issue #2: one 1-qubit gate pass over a 2^n state (batch 1), n = 16…26, float and double, with the
// target at a low (0), a middle (n/2) and a high (n − 1) qubit. A gate pass reads and writes every amplitude once, so
// it is memory-bound; it is reported as GB/s (2 × state bytes / mean time) and as a ratio to an in-place streaming
// pass (read, scale, write back) over a buffer of the same size, measured in the same run with the same SIMD width
// and the same thread split as the kernels. A ratio near 1 means the kernel runs at the memory ceiling.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using QSim.Kernels;
using QSim.Kernels.Cpu;

namespace QSim.Benchmarks;

/// <summary>
/// One 1-qubit gate pass on the CPU accelerator at a low, a middle and a high target qubit, next to an in-place
/// streaming baseline over the same number of bytes.
/// </summary>
/// <remarks>
/// The three targets are separate benchmark methods rather than a parameter, so that the baseline is measured once
/// per (qubits, precision) and every gate row of that group shows its ratio to it.
/// </remarks>
[Config(typeof(GatePassConfig))]
public class GatePassBenchmarks
{
    private AcceleratorContext? _context;
    private Runner? _runner;

    /// <summary>Qubits of the state.</summary>
    [Params(16, 18, 20, 22, 24, 26)]
    public int Qubits { get; set; }

    /// <summary>The accelerator that runs the gate (the baseline always streams host memory on the CPU).</summary>
    [ParamsSource(nameof(Accelerators))]
    public AcceleratorKind Accelerator { get; set; }

    /// <summary>The accelerator kinds present on this machine.</summary>
    public static IEnumerable<AcceleratorKind> Accelerators => AvailableAccelerators.Kinds;

    /// <summary>Element type of the state.</summary>
    [ParamsAllValues]
    public Precision Precision { get; set; }

    /// <summary>Bytes one operation reads plus writes: twice the state (the baseline moves the same amount).</summary>
    /// <param name="benchmarkCase">A case of this class.</param>
    /// <returns>The byte count, or null for a case of another class.</returns>
    public static long? BytesMoved(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (benchmarkCase.Descriptor.Type != typeof(GatePassBenchmarks)) return null;
        int qubits = (int)benchmarkCase.Parameters[nameof(Qubits)];
        var precision = (Precision)benchmarkCase.Parameters[nameof(Precision)];
        return 2 * (precision == Precision.Float
            ? QSim.Kernels.Accelerator.StateBytes<float>(qubits, 1)
            : QSim.Kernels.Accelerator.StateBytes<double>(qubits, 1));
    }

    /// <summary>Allocates the state (|0…0⟩) and the baseline buffer on the CPU accelerator.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = AcceleratorContext.Create();
        _runner = Precision == Precision.Float
            ? new Runner<float>(_context.Get(Accelerator), _context.Cpu, Qubits)
            : new Runner<double>(_context.Get(Accelerator), _context.Cpu, Qubits);
    }

    /// <summary>Frees the buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _runner?.Dispose();
        _context?.Dispose();
    }

    /// <summary>In-place read + scale + write over as many bytes as the state holds.</summary>
    [Benchmark(Baseline = true)]
    public void InPlaceStream() => _runner!.Stream();

    /// <summary>A U3 gate on qubit 0.</summary>
    [Benchmark]
    public void GateLow() => _runner!.Gate(0);

    /// <summary>A U3 gate on qubit n/2.</summary>
    [Benchmark]
    public void GateMiddle() => _runner!.Gate(Qubits / 2);

    /// <summary>A U3 gate on qubit n − 1.</summary>
    [Benchmark]
    public void GateHigh() => _runner!.Gate(Qubits - 1);

    /// <summary>U3(θ, φ, λ) with fixed pseudo-random angles: a dense 2×2 unitary with no zero or real-only entries.</summary>
    private static Complex[] FixedU3()
    {
        var random = new Random(20240521);
        double theta = Math.PI * random.NextDouble(), phi = 2 * Math.PI * random.NextDouble(), lambda = 2 * Math.PI * random.NextDouble();
        double c = Math.Cos(theta / 2), s = Math.Sin(theta / 2);
        return
        [
            c, -Complex.FromPolarCoordinates(s, lambda),
            Complex.FromPolarCoordinates(s, phi), Complex.FromPolarCoordinates(c, phi + lambda),
        ];
    }

    private sealed class GatePassConfig : ManualConfig
    {
        public GatePassConfig() => AddColumn(new GigabytesPerSecondColumn(BytesMoved));
    }

    private abstract class Runner : IDisposable
    {
        public abstract void Gate(int target);

        public abstract void Stream();

        public abstract void Dispose();
    }

    private sealed unsafe class Runner<T> : Runner where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly Accelerator _accelerator;
        private readonly BatchedState<T> _state;
        private readonly MemoryBuffer<T> _stream;
        private readonly Complex[] _matrix = FixedU3();
        private readonly int[] _target = new int[1];

        public Runner(Accelerator accelerator, Accelerator host, int qubits)
        {
            _accelerator = accelerator;
            _state = accelerator.AllocateState<T>(qubits, 1);
            _stream = host.Allocate<T>(2 * _state.PlaneLength);
            T* p = ((CpuMemoryBuffer<T>)_stream).Pointer;
            // Touch every page once (and give the baseline finite, non-denormal values to work on).
            CpuParallel.For(_stream.Length, 1, (_, s, e) => new Span<T>(p + s, checked((int)(e - s))).Fill(T.One));
        }

        public override void Gate(int target)
        {
            _target[0] = target;
            _accelerator.ApplyMatrix(_state, _target, _matrix);
            _accelerator.Synchronize();
        }

        public override void Stream()
        {
            T* p = ((CpuMemoryBuffer<T>)_stream).Pointer;
            // Scaling by −1 is exact, so repeated passes keep the values finite and unchanged in magnitude.
            CpuParallel.For(_stream.Length, 1, (_, s, e) => Negate(p + s, e - s));
        }

        public override void Dispose()
        {
            _state.Dispose();
            _stream.Dispose();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Negate(T* p, long n)
        {
            long i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var m = Vector512.Create(T.NegativeOne);
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) (Vector512.Load(p + i) * m).Store(p + i);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var m = Vector256.Create(T.NegativeOne);
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) (Vector256.Load(p + i) * m).Store(p + i);
            }
            for (; i < n; i++) p[i] = -p[i];
        }
    }
}
