using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Attention;

/// <summary>
/// A parameterised circuit used as a differentiable function of per-row features: rows × n features in, rows × K
/// expectation values out; the backward pass is one batched adjoint sweep (<see cref="Simulator{T}.Backward"/>), which
/// also gives the gradient of the weights. Used by <see cref="QuantumLinear{T}"/> and <see cref="QuantumSelfAttention{T}"/>.
/// </summary>
internal sealed class QnnFunction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Simulator<T> _simulator;
    private readonly IReadOnlyList<Observable> _observables;
    private readonly int[] _weightSlot;   // circuit weight index → position in the parameter tensor
    private readonly int[] _inputFeature; // circuit input index → feature index
    private ParameterValues? _values;
    private int _rows;

    public QnnFunction(int qubits, QuantumLinearOptions options, IReadOnlyList<Observable> observables, Accelerator? accelerator)
    {
        options.Validate();
        Qubits = qubits;
        Options = options;
        _observables = observables;
        _simulator = new Simulator<T>(accelerator ?? QuantumDefaults.Accelerator);
        Circuit = Build(qubits, options);
        _weightSlot = Circuit.Weights.Select(p => Slot(p.Name, qubits)).ToArray();
        _inputFeature = Circuit.Inputs.Select(p => int.Parse(p.Name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    public int Qubits { get; }

    public QuantumLinearOptions Options { get; }

    public Circuit Circuit { get; }

    public int Outputs => _observables.Count;

    /// <summary>Weights per layer-major slot: w{l}_{q} at l·n + q.</summary>
    public int WeightCount => Options.Layers * Qubits;

    private static int Slot(string name, int qubits)
    {
        int underscore = name.IndexOf('_', StringComparison.Ordinal);
        int l = int.Parse(name.AsSpan(1, underscore - 1), System.Globalization.CultureInfo.InvariantCulture);
        int q = int.Parse(name.AsSpan(underscore + 1), System.Globalization.CultureInfo.InvariantCulture);
        return l * qubits + q;
    }

    /// <summary>The layer's circuit: inputs x{q}, weights w{l}_{q}.</summary>
    internal static Circuit Build(int n, QuantumLinearOptions options)
    {
        var b = Circuit.Create(n);
        void Rotate(int q, Angle a)
        {
            if (options.Encoding == QuantumEncoding.RX) b.RX(q, a);
            else b.RY(q, a);
        }
        for (int q = 0; q < n; q++)
        {
            if (options.HadamardFirst) b.H(q);
            Rotate(q, Parameter.Input($"x{q}"));
        }
        for (int l = 0; l < options.Layers; l++)
        {
            if (options.Reuploading && l > 0)
            {
                for (int q = 0; q < n; q++) Rotate(q, Parameter.Input($"x{q}"));
            }
            for (int q = 0; q < n; q++) Rotate(q, Parameter.Weight($"w{l}_{q}"));
            if (n < 2) continue;
            switch (options.Entangler)
            {
                case QuantumEntangler.Ring:
                    for (int q = 0; q < n; q++) b.CNOT(q, (q + 1) % n);
                    break;
                case QuantumEntangler.Chain:
                    for (int q = 0; q + 1 < n; q++) b.CNOT(q, q + 1);
                    break;
                default:
                    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) b.CNOT(i, j);
                    break;
            }
        }
        return b.Build();
    }

    private ParameterValues Bind(ReadOnlySpan<T> features, int rows, ReadOnlySpan<T> weights)
    {
        var values = new ParameterValues();
        for (int i = 0; i < Circuit.Inputs.Count; i++)
        {
            int f = _inputFeature[i];
            var x = new double[rows];
            for (int r = 0; r < rows; r++) x[r] = double.CreateTruncating(features[r * Qubits + f]);
            values.Input(Circuit.Inputs[i].Name, x);
        }
        for (int w = 0; w < Circuit.Weights.Count; w++) values.Weight(Circuit.Weights[w].Name, double.CreateTruncating(weights[_weightSlot[w]]));
        return values;
    }

    /// <summary>rows × K expectation values, row-major, for rows × n features.</summary>
    public T[] Forward(ReadOnlySpan<T> features, int rows, ReadOnlySpan<T> weights)
    {
        _values = Bind(features, rows, weights);
        _rows = rows;
        var result = _simulator.Expectations(Circuit, _observables, _values, rows);
        int k = Outputs;
        var output = new T[rows * k];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < k; o++) output[r * k + o] = T.CreateTruncating(result[r][o]);
        }
        return output;
    }

    /// <summary>Gradient w.r.t. the last forward's features (rows × n); adds the weight gradient into <paramref name="weightGrad"/>.</summary>
    public T[] Backward(ReadOnlySpan<T> gradOutput, Span<T> weightGrad)
    {
        var values = _values ?? throw new InvalidOperationException("Backward needs a Forward first");
        int rows = _rows, k = Outputs;
        var upstream = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            var row = new double[k];
            for (int o = 0; o < k; o++) row[o] = double.CreateTruncating(gradOutput[r * k + o]);
            upstream[r] = row;
        }
        var vjp = _simulator.Backward(Circuit, _observables, values, upstream);
        for (int w = 0; w < vjp.WeightGradients.Length; w++) weightGrad[_weightSlot[w]] += T.CreateTruncating(vjp.WeightGradients[w]);
        var gradInput = new T[rows * Qubits];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < _inputFeature.Length; i++) gradInput[r * Qubits + _inputFeature[i]] += T.CreateTruncating(vjp.InputGradients[r][i]);
        }
        return gradInput;
    }
}
