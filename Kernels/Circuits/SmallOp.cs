namespace QSim.Kernels.Circuits;

/// <summary>What a <see cref="SmallOp"/> does to the amplitudes.</summary>
internal enum SmallOpKind : byte
{
    /// <summary>A 2×2 matrix on <see cref="SmallOp.Q0"/>.</summary>
    Matrix1,

    /// <summary>A 4×4 matrix on Q0 (bit 0) and Q1 (bit 1).</summary>
    Matrix2,

    /// <summary>A 2-entry diagonal on Q0.</summary>
    Diagonal1,

    /// <summary>A 4-entry diagonal on Q0 (bit 0) and Q1 (bit 1).</summary>
    Diagonal2,

    /// <summary>Flips Q0 (X, CNOT, Toffoli with controls).</summary>
    Not,

    /// <summary>Exchanges Q0 and Q1.</summary>
    Swap,

    /// <summary>
    /// A dense 2^k × 2^k matrix shared by the whole batch on the qubits <see cref="SmallOp.Qubits"/> (bit j of a row or
    /// column index is qubit Qubits[j]), row-major at <see cref="SmallOp.Entry"/> in the shared table: a block of
    /// consecutive shared gates multiplied out once (the "shared unitary" specialisation). Never per-sample, never
    /// controlled (ControlMask 0), never differentiated (no derivatives): the compiler only forms it from gates
    /// without trainable angles in the differentiated run.
    /// </summary>
    MatrixK,
}

/// <summary>
/// One gate of a <see cref="SmallCircuitProgram"/>: a kind, its qubits, a control mask (the op acts where every
/// control bit is 1), where its entries live, and where the derivative of each of its angles lives.
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="Q0">First target.</param>
/// <param name="Q1">Second target, or -1.</param>
/// <param name="ControlMask">Bits that must all be 1 for the op to act.</param>
/// <param name="Entry">Index of the first entry in the program's shared or per-sample entry table (-1 for Not/Swap).</param>
/// <param name="PerSample">Whether the entries differ per sample.</param>
/// <param name="Derivatives">Entry index of the derivative core per differentiable angle (same shape as the op), or empty.</param>
/// <param name="Gate">The gate of the source circuit this op came from.</param>
/// <param name="Angles">For each entry of <paramref name="Derivatives"/>, the angle index in that gate.</param>
internal sealed record SmallOp(SmallOpKind Kind, int Q0, int Q1, long ControlMask, int Entry, bool PerSample, int[] Derivatives, int Gate, int[] Angles)
{
    /// <summary>The qubits of a <see cref="SmallOpKind.MatrixK"/> op (ascending); empty for other kinds.</summary>
    public int[] Qubits { get; init; } = [];

    /// <summary>
    /// Whether every entry of the op (and of its derivative cores) is real for every sample, so that a complex state
    /// can be transformed plane by plane with real arithmetic. Only an optimisation hint: a kernel may ignore it.
    /// </summary>
    public bool RealEntries { get; init; }

    /// <summary>Number of complex entries: 4, 16, 2, 4, or 0.</summary>
    public int Size => Kind switch
    {
        SmallOpKind.Matrix1 => 4,
        SmallOpKind.Matrix2 => 16,
        SmallOpKind.Diagonal1 => 2,
        SmallOpKind.Diagonal2 => 4,
        SmallOpKind.MatrixK => 1 << (2 * Qubits.Length),
        _ => 0,
    };

    /// <summary>Whether this op is a single-qubit uncontrolled op (foldable into a product-state prefix).</summary>
    public bool IsLocal => ControlMask == 0 && Kind is SmallOpKind.Matrix1 or SmallOpKind.Diagonal1 or SmallOpKind.Not;
}
