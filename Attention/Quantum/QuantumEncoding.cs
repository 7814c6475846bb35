namespace QSim.Attention;

/// <summary>The rotation that writes a feature into a qubit (and that the trainable layers use).</summary>
public enum QuantumEncoding
{
    /// <summary>RX(x): the state stays complex.</summary>
    RX,

    /// <summary>RY(x): with CNOT entanglers the amplitudes stay real, which the fused kernel exploits.</summary>
    RY,
}
