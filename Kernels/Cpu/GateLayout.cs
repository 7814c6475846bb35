namespace QSim.Kernels.Cpu;

/// <summary>
/// Index arithmetic shared by the CPU gate kernels. The amplitudes a gate touches fall into groups: one group per
/// setting of the qubits the gate does not touch above its lowest touched qubit. Within a group, the 2^k target
/// settings are rows <c>TargetOffsets[t]</c> elements apart, and each row is a contiguous run of <see cref="Chunk"/>
/// elements (the qubits below the lowest touched one, times the batch).
/// </summary>
internal readonly struct GateLayout
{
    private readonly int[] _sortedInvolved;
    private readonly long _freeMask;

    public GateLayout(int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls)
    {
        int m = targets.Length + controls.Length;
        _sortedInvolved = new int[m];
        targets.CopyTo(_sortedInvolved);
        controls.CopyTo(_sortedInvolved.AsSpan(targets.Length));
        Array.Sort(_sortedInvolved);
        int qmin = _sortedInvolved[0];
        Batch = batch;
        LowQubit = qmin;
        Chunk = (long)batch << qmin;
        long involved = 0;
        foreach (int q in _sortedInvolved) involved |= 1L << q;
        _freeMask = ~involved & ((1L << qubits) - 1) & ~((1L << qmin) - 1);
        Groups = 1L << (qubits - m - qmin);
        long cmask = 0;
        foreach (int c in controls) cmask |= 1L << c;
        ControlMask = cmask;
        TargetOffsets = new long[1 << targets.Length];
        for (int t = 0; t < TargetOffsets.Length; t++)
        {
            long off = 0;
            for (int j = 0; j < targets.Length; j++)
            {
                if (((t >> j) & 1) != 0) off |= 1L << targets[j];
            }
            TargetOffsets[t] = off * batch;
        }
    }

    public int Batch { get; }

    /// <summary>The lowest touched qubit.</summary>
    public int LowQubit { get; }

    /// <summary>Contiguous elements per row: B · 2^LowQubit.</summary>
    public long Chunk { get; }

    /// <summary>Number of groups.</summary>
    public long Groups { get; }

    /// <summary>Bits of the control qubits (all must be 1).</summary>
    public long ControlMask { get; }

    /// <summary>Element offset of target setting t from the group's base.</summary>
    public long[] TargetOffsets { get; }

    /// <summary>Element index of the first amplitude of group <paramref name="g"/> (all targets 0, controls 1).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long GroupBase(long g)
    {
        if (System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported)
        {
            // Deposit the group's bits into the qubits the gate does not touch (one instruction on current x86).
            return ((long)System.Runtime.Intrinsics.X86.Bmi2.X64.ParallelBitDeposit((ulong)g, (ulong)_freeMask) | ControlMask) * Batch;
        }
        long i = g << LowQubit;
        foreach (int p in _sortedInvolved)
        {
            long low = i & ((1L << p) - 1);
            i = ((i >> p) << (p + 1)) | low;
        }
        return (i | ControlMask) * Batch;
    }
}
