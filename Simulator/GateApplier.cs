using System.Numerics;
using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// Maps the gates of a <see cref="BoundCircuit"/> onto accelerator kernels: shared or per-sample dense matrices and
/// diagonals on the gate's targets, with its controls passed as kernel controls, and <see cref="Accelerator.Swap{T}"/>
/// for SWAP.
/// </summary>
internal static class GateApplier
{
    /// <summary>Applies every gate to the state, one kernel pass per gate. The binding has been validated; the state matches it.</summary>
    internal static void Apply<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound) where T : unmanaged
    {
        Complex[] scratch = [];
        for (int g = 0; g < bound.Circuit.GateSpan.Length; g++) ApplyGate(accelerator, state, bound, g, adjoint: false, ref scratch);
    }

    /// <summary>Applies a fused program of the bound circuit: native blocks as their gate, others as one matrix.</summary>
    internal static void Apply<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound, FusedProgram program) where T : unmanaged
    {
        Complex[] scratch = [];
        foreach (var block in program.Blocks)
        {
            if (block.IsNative) ApplyGate(accelerator, state, bound, block.Gates[0], adjoint: false, ref scratch);
            else ApplyBlock(accelerator, state, bound, block);
        }
    }

    /// <summary>Applies the adjoint U† of gate <paramref name="g"/> (per sample where its angles vary).</summary>
    internal static void ApplyGateAdjoint<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound, int g, ref Complex[] scratch) where T : unmanaged =>
        ApplyGate(accelerator, state, bound, g, adjoint: true, ref scratch);

    /// <summary>Applies gate <paramref name="g"/> or its adjoint: its core (per sample where its angles vary) on its targets, with its controls.</summary>
    private static void ApplyGate<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound, int g, bool adjoint, ref Complex[] scratch) where T : unmanaged
    {
        var gate = bound.Circuit.GateSpan[g];
        if (gate.Kind == GateKind.Swap)
        {
            accelerator.Swap(state, gate.QubitSpan[0], gate.QubitSpan[1]);
            return;
        }
        int length = gate.CoreLength;
        bool perSample = bound.PerSample[g];
        int rows = perSample ? bound.BatchSize : 1;
        if (scratch.Length < length * rows) scratch = new Complex[length * rows];
        var cores = scratch.AsSpan(0, length * rows);
        var angles = bound.Angles[g];
        int n = gate.AngleSpan.Length;
        int dim = 1 << gate.Targets.Length;
        for (int b = 0; b < rows; b++)
        {
            var core = cores.Slice(b * length, length);
            gate.WriteCore(angles.AsSpan(b * n, n), core);
            if (adjoint) ConjugateTranspose(core, dim, gate.CoreIsDiagonal);
        }
        var targets = gate.Targets;
        var controls = gate.Controls;
        if (gate.CoreIsDiagonal)
        {
            if (perSample) accelerator.ApplyDiagonalPerSample(state, targets, cores, controls);
            else accelerator.ApplyDiagonal(state, targets, cores, controls);
        }
        else
        {
            if (perSample) accelerator.ApplyMatrixPerSample(state, targets, cores, controls);
            else accelerator.ApplyMatrix(state, targets, cores, controls);
        }
    }

    /// <summary>In place: a diagonal is conjugated, a dense dim × dim core becomes its conjugate transpose.</summary>
    private static void ConjugateTranspose(Span<Complex> core, int dim, bool diagonal)
    {
        if (diagonal)
        {
            for (int x = 0; x < dim; x++) core[x] = Complex.Conjugate(core[x]);
            return;
        }
        for (int r = 0; r < dim; r++)
        {
            core[r * dim + r] = Complex.Conjugate(core[r * dim + r]);
            for (int c = r + 1; c < dim; c++)
            {
                (core[r * dim + c], core[c * dim + r]) = (Complex.Conjugate(core[c * dim + r]), Complex.Conjugate(core[r * dim + c]));
            }
        }
    }

    /// <summary>
    /// Applies the (non-unitary) derivative dU/dθ_j of gate <paramref name="g"/> over all of its qubits, so that
    /// control-off amplitudes become 0.
    /// </summary>
    internal static void ApplyGateDerivative<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound, int g, int j, ref Complex[] scratch) where T : unmanaged
    {
        var gate = bound.Circuit.GateSpan[g];
        int k = gate.QubitSpan.Length;
        int length = 1 << (2 * k);
        bool perSample = bound.PerSample[g];
        int rows = perSample ? bound.BatchSize : 1;
        if (scratch.Length < length * rows) scratch = new Complex[length * rows];
        var matrices = scratch.AsSpan(0, length * rows);
        var angles = bound.Angles[g];
        int n = gate.AngleSpan.Length;
        for (int b = 0; b < rows; b++)
        {
            GateDerivatives.WriteFull(gate, angles.AsSpan(b * n, n), j, matrices.Slice(b * length, length));
        }
        if (perSample) accelerator.ApplyMatrixPerSample(state, gate.QubitSpan, matrices);
        else accelerator.ApplyMatrix(state, gate.QubitSpan, matrices);
    }

    /// <summary>Multiplies the block's gates into one matrix (or diagonal) per row of the batch and applies it once.</summary>
    private static void ApplyBlock<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound, FusedBlock block) where T : unmanaged
    {
        var circuitGates = bound.Circuit.GateSpan;
        int[] qubits = block.Qubits;
        int k = qubits.Length, dim = 1 << k;
        bool perSample = false;
        foreach (int g in block.Gates) perSample |= bound.PerSample[g];
        int rows = perSample ? bound.BatchSize : 1;
        int size = block.IsDiagonal ? dim : dim * dim;
        var result = new Complex[(long)rows * size];
        var position = new Dictionary<int, int>(k);
        for (int j = 0; j < k; j++) position[qubits[j]] = j;
        Span<int> pos = stackalloc int[Accelerator.MaxMatrixQubits + 2];
        for (int b = 0; b < rows; b++)
        {
            var m = result.AsSpan(b * size, size);
            if (block.IsDiagonal) m.Fill(Complex.One);
            else for (int x = 0; x < dim; x++) m[x * dim + x] = Complex.One;
            foreach (int g in block.Gates)
            {
                var gate = circuitGates[g];
                int n = gate.AngleSpan.Length;
                int row = bound.PerSample[g] ? b : 0;
                Complex[] gm = gate.GetMatrix(bound.Angles[g].AsSpan(row * n, n));
                var gq = gate.QubitSpan;
                var at = pos[..gq.Length];
                for (int j = 0; j < gq.Length; j++) at[j] = position[gq[j]];
                if (block.IsDiagonal) MultiplyDiagonal(m, gm, at, dim);
                else MultiplyDense(m, gm, at, dim);
            }
        }
        if (block.IsDiagonal)
        {
            if (perSample) accelerator.ApplyDiagonalPerSample(state, qubits, result);
            else accelerator.ApplyDiagonal(state, qubits, result);
        }
        else
        {
            if (perSample) accelerator.ApplyMatrixPerSample(state, qubits, result);
            else accelerator.ApplyMatrix(state, qubits, result);
        }
    }

    /// <summary>Bits of <paramref name="x"/> at the gate's positions in the block, gate qubit j as bit j.</summary>
    private static int Extract(int x, ReadOnlySpan<int> pos)
    {
        int t = 0;
        for (int j = 0; j < pos.Length; j++) t |= ((x >> pos[j]) & 1) << j;
        return t;
    }

    private static int Deposit(int t, ReadOnlySpan<int> pos)
    {
        int x = 0;
        for (int j = 0; j < pos.Length; j++) x |= ((t >> j) & 1) << pos[j];
        return x;
    }

    /// <summary>d ← diag(gate) · d, the gate's diagonal read from its full matrix.</summary>
    private static void MultiplyDiagonal(Span<Complex> d, Complex[] gate, ReadOnlySpan<int> pos, int dim)
    {
        int gdim = 1 << pos.Length;
        for (int x = 0; x < dim; x++)
        {
            int t = Extract(x, pos);
            d[x] *= gate[t * gdim + t];
        }
    }

    /// <summary>M ← G · M, with G acting on the block positions <paramref name="pos"/> (row-major, bit j of its index at pos[j]).</summary>
    private static void MultiplyDense(Span<Complex> m, Complex[] gate, ReadOnlySpan<int> pos, int dim)
    {
        int gdim = 1 << pos.Length;
        int mask = Deposit(gdim - 1, pos);
        Span<Complex> column = stackalloc Complex[gdim];
        for (int c = 0; c < dim; c++)
        {
            for (int rest = 0; rest < dim; rest++)
            {
                if ((rest & mask) != 0) continue;
                for (int t = 0; t < gdim; t++) column[t] = m[(rest | Deposit(t, pos)) * dim + c];
                for (int r = 0; r < gdim; r++)
                {
                    Complex sum = Complex.Zero;
                    for (int t = 0; t < gdim; t++) sum += gate[r * gdim + t] * column[t];
                    m[(rest | Deposit(r, pos)) * dim + c] = sum;
                }
            }
        }
    }
}
