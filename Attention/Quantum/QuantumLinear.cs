using System.Numerics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Attention;

/// <summary>
/// A quantum replacement for <c>Linear(n → n)</c>: each token's n features are angle-encoded on n qubits, L layers of
/// trainable rotations and an entangler follow, and the output is ⟨Z_i⟩ of every qubit. L·n parameters. All tokens of
/// a batch run as one batch on the simulator (one fused launch per call on the CPU), and the backward pass is one
/// adjoint sweep.
/// </summary>
/// <typeparam name="T">Element type of the tensors (and precision of the simulation).</typeparam>
/// <remarks>
/// For one layer with a CNOT ring and θ_j = x_j + w_j: ⟨Z_0⟩ = ∏_{j=1}^{n−1} cos θ_j and ⟨Z_k⟩ = ∏_{j=0}^{k} cos θ_j
/// (k ≥ 1), for RX and RY alike. The weights are initialised uniformly in [−π, π) from <c>random</c>.
/// </remarks>
public sealed class QuantumLinear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly QnnFunction<T> _qnn;
    private int[]? _shape;

    /// <summary>Creates the layer.</summary>
    /// <param name="qubits">Features in and out, one qubit each (1…12).</param>
    /// <param name="options">The circuit.</param>
    /// <param name="random">Source of the initial weights.</param>
    /// <param name="accelerator">Where the circuits run; null for the process-wide CPU accelerator.</param>
    /// <exception cref="ArgumentOutOfRangeException">Qubits outside 1…12, or invalid options.</exception>
    /// <exception cref="ArgumentNullException">Options or random is null.</exception>
    public QuantumLinear(int qubits, QuantumLinearOptions options, Random random, Accelerator? accelerator = null)
    {
        if (qubits < 1 || qubits > QuantumDefaults.MaxQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(qubits), $"a quantum linear layer takes 1…{QuantumDefaults.MaxQubits} qubits, got {qubits}");
        }
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Qubits = qubits;
        Options = options;
        _qnn = new QnnFunction<T>(qubits, options, CircuitLibrary.ZOnEveryQubit(qubits), accelerator);
        var initial = Tensor<T>.Zeros(options.Layers, qubits);
        for (int i = 0; i < initial.Length; i++) initial.Data[i] = T.CreateTruncating((random.NextDouble() * 2 - 1) * Math.PI);
        Weight = RegisterParameter("weight", initial, weightDecay: false);
    }

    /// <summary>Qubits = features in = features out.</summary>
    public int Qubits { get; }

    /// <summary>The circuit options.</summary>
    public QuantumLinearOptions Options { get; }

    /// <summary>The rotation angles, (layers, qubits).</summary>
    public TrainableParameter<T> Weight { get; }

    /// <summary>The circuit evaluated per token (inputs <c>x{q}</c>, weights <c>w{l}_{q}</c>).</summary>
    public Circuit Circuit => _qnn.Circuit;

    /// <inheritdoc/>
    public override string ToString() => $"QuantumLinear({Qubits} qubits, {Options.Layers} layer(s), {Options.Encoding}, {Options.Entangler})";

    /// <inheritdoc/>
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank < 1 || input.Shape[^1] != Qubits)
        {
            throw new ArgumentException($"{this}: input must have shape (…, {Qubits}), got ({string.Join(", ", input.Shape.ToArray())})", nameof(input));
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        _shape = input.Shape.ToArray();
        int rows = input.Length / Qubits;
        var output = _qnn.Forward(input.Data, rows, Weight.Value.Data);
        return Tensor<T>.FromArray(output, _shape);
    }

    /// <inheritdoc/>
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        var gradInput = _qnn.Backward(gradOutput.Data, Weight.Grad.Data);
        return Tensor<T>.FromArray(gradInput, _shape!);
    }
}
