namespace QSim.Simulator;

/// <summary>Measurement samples drawn from every sample of a batched state: basis indices per sample and shot.</summary>
/// <remarks>A basis index has qubit 0 as its least-significant bit. <see cref="Format"/> writes it as a bitstring
/// with qubit n−1 leftmost and qubit 0 rightmost (e.g. index 1 of 3 qubits is <c>001</c>).</remarks>
public sealed class SampleResult
{
    /// <summary>Wraps drawn indices.</summary>
    /// <param name="qubits">Qubits per sample.</param>
    /// <param name="shots">Shots per sample.</param>
    /// <param name="bitstrings">[sample][shot] basis indices.</param>
    internal SampleResult(int qubits, int shots, long[][] bitstrings)
    {
        Qubits = qubits;
        Shots = shots;
        Bitstrings = bitstrings;
    }

    /// <summary>Qubits per sample.</summary>
    public int Qubits { get; }

    /// <summary>Shots drawn per sample.</summary>
    public int Shots { get; }

    /// <summary>Samples in the batch.</summary>
    public int BatchSize => Bitstrings.Length;

    /// <summary>The drawn basis indices: <c>Bitstrings[b][shot]</c>, in the order drawn; qubit 0 is bit 0.</summary>
    public long[][] Bitstrings { get; }

    /// <summary>How often each basis index was drawn for one sample, in increasing index order.</summary>
    /// <param name="sample">The sample, 0…BatchSize − 1.</param>
    /// <returns>Index → count, for the indices drawn at least once.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sample is out of range.</exception>
    public IReadOnlyDictionary<long, int> Counts(int sample)
    {
        if ((uint)sample >= (uint)Bitstrings.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), $"sample {sample} is out of range for a batch of {Bitstrings.Length}: expected 0…{Bitstrings.Length - 1}");
        }
        var counts = new SortedDictionary<long, int>();
        foreach (long index in Bitstrings[sample])
        {
            counts[index] = counts.TryGetValue(index, out int c) ? c + 1 : 1;
        }
        return counts;
    }

    /// <summary>Writes a basis index as <see cref="Qubits"/> characters '0'/'1', qubit n−1 leftmost and qubit 0 rightmost.</summary>
    /// <param name="index">A basis index, 0…2^n − 1.</param>
    /// <returns>The bitstring.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the state.</exception>
    public string Format(long index)
    {
        if (index < 0 || (Qubits < 63 && index >= 1L << Qubits))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"basis index {index} is out of range for {Qubits} qubits: expected 0…{(1L << Qubits) - 1}");
        }
        return string.Create(Qubits, (index, Qubits), static (span, s) =>
        {
            for (int q = 0; q < s.Qubits; q++) span[s.Qubits - 1 - q] = ((s.index >> q) & 1) != 0 ? '1' : '0';
        });
    }
}
