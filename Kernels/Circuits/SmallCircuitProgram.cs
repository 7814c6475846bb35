namespace QSim.Kernels.Circuits;

/// <summary>
/// A whole small circuit (up to <see cref="MaxQubits"/> qubits) with its matrices resolved for a batch, run by a
/// fused kernel that keeps each group of samples' state in cache while every gate applies, and writes only the
/// requested expectation values (and gradients).
/// </summary>
/// <remarks>
/// <para>Entries are complex numbers stored as (re, im). Shared entries: <see cref="Shared"/>[2e], [2e + 1]. Per-sample
/// entries, batch innermost so that a group of samples loads as one vector: <see cref="PerSample"/>[(2e + c) · B + b]
/// with c = 0 (re) or 1 (im).</para>
/// <para>Specialisations chosen when the program is built: <see cref="PrefixLength"/> leading ops that act on single
/// qubits before any multi-qubit op touches them are applied to |0…0⟩ as a product state; <see cref="IsReal"/>
/// programs (every entry real, no Y in the observables) keep only real amplitudes.</para>
/// </remarks>
internal sealed class SmallCircuitProgram
{
    /// <summary>Largest circuit the fused kernel takes: 2^12 amplitudes per sample stay in L2.</summary>
    public const int MaxQubits = 12;

    private bool _pooled;

    public SmallCircuitProgram(int qubits, int batch, SmallOp[] ops, int prefixLength, double[] shared, double[] perSample,
        int perSampleRows, (int Observable, double Coefficient, long XMask, long ZMask)[] terms, int observables, bool isReal,
        bool perSamplePooled = false)
    {
        if ((long)perSampleRows * batch > perSample.Length)
        {
            throw new ArgumentException($"the per-sample table holds {perSample.Length} values, fewer than {perSampleRows} rows × {batch} samples", nameof(perSample));
        }
        PerSampleRows = perSampleRows;
        _pooled = perSamplePooled;
        Qubits = qubits;
        Batch = batch;
        Ops = ops;
        PrefixLength = prefixLength;
        Shared = shared;
        PerSample = perSample;
        Terms = terms;
        Observables = observables;
        IsReal = isReal;
        int count = 0;
        foreach (var op in ops) count += op.Derivatives.Length;
        Occurrences = count;
    }

    /// <summary>Qubits.</summary>
    public int Qubits { get; }

    /// <summary>Samples.</summary>
    public int Batch { get; }

    /// <summary>The ops in circuit order, the product-state prefix first.</summary>
    public SmallOp[] Ops { get; }

    /// <summary>Number of leading ops (all <see cref="SmallOp.IsLocal"/>) applied as a product state.</summary>
    public int PrefixLength { get; }

    /// <summary>Shared complex entries, (re, im) interleaved.</summary>
    public double[] Shared { get; }

    /// <summary>
    /// Per-sample complex entries, [(2e + c)·B + b]: the first <see cref="PerSampleRows"/> rows of B values. The array
    /// may be longer (a pooled buffer); read only those rows.
    /// </summary>
    public double[] PerSample { get; private set; }

    /// <summary>Rows of B values in <see cref="PerSample"/>: two per per-sample complex entry.</summary>
    public int PerSampleRows { get; }

    /// <summary>
    /// Gives a pooled <see cref="PerSample"/> buffer back to <see cref="System.Buffers.ArrayPool{T}.Shared"/>; the
    /// program must not be run afterwards. Idempotent; does nothing for a program that owns a plain array.
    /// </summary>
    public void Release()
    {
        if (!_pooled) return;
        _pooled = false;
        System.Buffers.ArrayPool<double>.Shared.Return(PerSample);
        PerSample = [];
    }

    /// <summary>Observable terms: the observable index, coefficient and Pauli masks.</summary>
    public (int Observable, double Coefficient, long XMask, long ZMask)[] Terms { get; }

    /// <summary>Number of observables.</summary>
    public int Observables { get; }

    /// <summary>
    /// Whether the program writes every sample's basis-state probabilities instead of expectation values:
    /// values[b·2^n + i] = |ψ_b(i)|² (no observables, no gradients). Set by <see cref="AsProbabilities"/>; run only by
    /// accelerators with <see cref="Accelerator.SupportsSmallCircuitProbabilities"/>.
    /// </summary>
    public bool OutputsProbabilities { get; private init; }

    /// <summary>A copy of this program that outputs probabilities; it takes over the tables (and their release).</summary>
    public SmallCircuitProgram AsProbabilities()
    {
        var copy = new SmallCircuitProgram(Qubits, Batch, Ops, PrefixLength, Shared, PerSample, PerSampleRows, Terms, Observables, IsReal, _pooled)
        {
            OutputsProbabilities = true,
        };
        _pooled = false;
        return copy;
    }

    /// <summary>Whether amplitudes stay real.</summary>
    public bool IsReal { get; }

    /// <summary>Differentiable angle occurrences, in op order then angle order.</summary>
    public int Occurrences { get; }
}
