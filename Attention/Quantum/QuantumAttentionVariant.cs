namespace QSim.Attention;

/// <summary>How <see cref="QuantumSelfAttention{T}"/> uses quantum circuits.</summary>
public enum QuantumAttentionVariant
{
    /// <summary>
    /// Q, K and V (and optionally the output projection) are <see cref="QuantumLinear{T}"/> layers, then heads split and
    /// softmax(QKᵀ/√d_h)V as in classical attention (Boucher et al. 2025; Comajoan Cara et al. 2024).
    /// </summary>
    Projection,

    /// <summary>
    /// QSANN (Li et al. 2022; Unlu et al. 2024): per head, Q and K are one value ⟨Z_0⟩ per token from their own circuits,
    /// scores are −(q_i − k_j)², and V comes from a <see cref="QuantumLinear{T}"/>.
    /// </summary>
    Gaussian,
}
