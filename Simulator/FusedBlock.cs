namespace QSim.Simulator;

/// <summary>
/// One kernel pass of a fused program: either one gate of the circuit run natively (keeping its controls, its
/// diagonal form or its swap), or the product of several consecutive gates as one matrix on <see cref="Qubits"/>.
/// </summary>
internal sealed class FusedBlock
{
    public FusedBlock(int[] qubits, int[] gates, bool isDiagonal)
    {
        Qubits = qubits;
        Gates = gates;
        IsDiagonal = isDiagonal;
    }

    /// <summary>The qubits of the block, ascending (bit j of the fused matrix index is Qubits[j]).</summary>
    public int[] Qubits { get; }

    /// <summary>Indices into the circuit's gates, in application order.</summary>
    public int[] Gates { get; }

    /// <summary>Whether every gate of the block is diagonal (the block is a diagonal).</summary>
    public bool IsDiagonal { get; }

    /// <summary>A block of one gate runs that gate as it is.</summary>
    public bool IsNative => Gates.Length == 1;
}
