namespace QSim.Attention.Training;

/// <summary>An analytic estimate of the work of one forward pass of one image (see <see cref="ModelSpec.EstimateCost"/>).</summary>
/// <param name="MultiplyAdds">Classical multiply-adds of the patch embedding, every linear map (attention
/// projections, MLPs, head) and the attention products (QKᵀ and weights·V). Layer norms, softmax, GELU, additions
/// and the quantum layers' classical post-processing are not counted.</param>
/// <param name="SimulatedAmplitudeOps">For quantum layers: Σ over simulated circuits of (gates + measured qubits) ×
/// 2^qubits, i.e. one state-vector sweep per gate and one per ⟨Z_i⟩. An estimate of simulation work, not a count of
/// floating-point operations (a 2×2 gate costs a few of them per amplitude, and fused or closed-form kernels do
/// less). Zero for classical models.</param>
/// <param name="Circuits">Quantum circuits simulated per image (one per token and quantum layer).</param>
/// <param name="Qubits">Qubits per circuit (0 for classical models).</param>
public sealed record CostEstimate(long MultiplyAdds, long SimulatedAmplitudeOps, long Circuits, int Qubits);
