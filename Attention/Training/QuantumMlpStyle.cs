namespace QSim.Attention.Training;

/// <summary>What a QViT block uses as its MLP (<see cref="ModelSpec.Mlp"/>).</summary>
public enum QuantumMlpStyle
{
    /// <summary>The classical <see cref="Mlp{T}"/>: <c>Linear(dim → hidden)</c> → GELU → <c>Linear(hidden → dim)</c>.</summary>
    Classical,

    /// <summary>One quantum linear layer on <c>dim</c> qubits: <c>Mlp(QuantumLinear(dim), null)</c>, i.e.
    /// GELU(QuantumLinear(x)); the hidden width is unused.</summary>
    QuantumLinear,

    /// <summary>A classical bottleneck around a quantum layer on <c>hidden</c> qubits:
    /// <c>Linear(dim → hidden)</c> → <c>QuantumLinear(hidden)</c> → GELU → <c>Linear(hidden → dim)</c>, the quantum
    /// feed-forward of Comajoan Cara et al. (2024), whose TensorCircuit/JAX code is the speed reference.</summary>
    Bottleneck,
}
