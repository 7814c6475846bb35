namespace QSim.Simulator;

/// <summary>The kinds of gate a <see cref="Circuit"/> may contain. See <c>docs/simulator.md</c> for every matrix.</summary>
public enum GateKind
{
    /// <summary>Hadamard, (X + Z)/√2.</summary>
    H,

    /// <summary>Pauli X.</summary>
    X,

    /// <summary>Pauli Y = [[0, −i], [i, 0]].</summary>
    Y,

    /// <summary>Pauli Z.</summary>
    Z,

    /// <summary>S = diag(1, i).</summary>
    S,

    /// <summary>S† = diag(1, −i).</summary>
    Sdg,

    /// <summary>T = diag(1, e^{iπ/4}).</summary>
    T,

    /// <summary>T† = diag(1, e^{−iπ/4}).</summary>
    Tdg,

    /// <summary>√X = ½[[1+i, 1−i], [1−i, 1+i]].</summary>
    SX,

    /// <summary>RX(θ) = exp(−iθX/2).</summary>
    RX,

    /// <summary>RY(θ) = exp(−iθY/2).</summary>
    RY,

    /// <summary>RZ(θ) = exp(−iθZ/2) = diag(e^{−iθ/2}, e^{iθ/2}).</summary>
    RZ,

    /// <summary>Phase(φ) = diag(1, e^{iφ}).</summary>
    Phase,

    /// <summary>U3(θ, φ, λ) = [[cos(θ/2), −e^{iλ} sin(θ/2)], [e^{iφ} sin(θ/2), e^{i(φ+λ)} cos(θ/2)]].</summary>
    U3,

    /// <summary>Controlled X; qubits (control, target).</summary>
    CNOT,

    /// <summary>Controlled Y; qubits (control, target).</summary>
    CY,

    /// <summary>Controlled Z; qubits (control, target).</summary>
    CZ,

    /// <summary>Exchanges two qubits.</summary>
    Swap,

    /// <summary>iSWAP: exchanges |01⟩ and |10⟩ with a phase i.</summary>
    ISwap,

    /// <summary>Controlled RX(θ); qubits (control, target).</summary>
    CRX,

    /// <summary>Controlled RY(θ); qubits (control, target).</summary>
    CRY,

    /// <summary>Controlled RZ(θ); qubits (control, target).</summary>
    CRZ,

    /// <summary>Controlled Phase(φ); qubits (control, target).</summary>
    CPhase,

    /// <summary>RXX(θ) = exp(−iθ X⊗X/2).</summary>
    RXX,

    /// <summary>RYY(θ) = exp(−iθ Y⊗Y/2).</summary>
    RYY,

    /// <summary>RZZ(θ) = exp(−iθ Z⊗Z/2).</summary>
    RZZ,

    /// <summary>X on the target controlled by two qubits; qubits (control0, control1, target).</summary>
    Toffoli,

    /// <summary>A user-supplied unitary matrix on 1…10 qubits.</summary>
    Unitary,
}
