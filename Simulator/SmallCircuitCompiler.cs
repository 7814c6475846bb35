using System.Numerics;
using QSim.Kernels.Circuits;

namespace QSim.Simulator;

/// <summary>
/// Turns a bound circuit and its observables into a <see cref="SmallCircuitProgram"/> for the fused small-circuit
/// kernel: one op per gate (2×2 and 4×4 matrices, 1- and 2-qubit diagonals, X/CNOT/Toffoli as bit flips, SWAP), a
/// derivative core per parameterised angle, the product-state prefix, and the real-amplitude test.
/// </summary>
internal static class SmallCircuitCompiler
{
    /// <summary>Whether the fused kernel can take the circuit (size and gate shapes).</summary>
    internal static bool CanCompile(Circuit circuit, int maxQubits)
    {
        if (circuit.Qubits > Math.Min(maxQubits, SmallCircuitProgram.MaxQubits) || circuit.Qubits < 1) return false;
        foreach (var gate in circuit.GateSpan)
        {
            if (gate.Kind is GateKind.X or GateKind.CNOT or GateKind.Toffoli or GateKind.Swap) continue;
            if (gate.Targets.Length > 2) return false;
        }
        return true;
    }

    /// <summary>Builds the program (the circuit passed <see cref="CanCompile"/>; the binding is validated).</summary>
    internal static SmallCircuitProgram Compile(BoundCircuit bound, IReadOnlyList<Observable> observables, bool withDerivatives)
    {
        var circuit = bound.Circuit;
        var gates = circuit.GateSpan;
        int batch = bound.BatchSize;
        var shared = new List<double>();
        long perSampleRows = 0;
        for (int g = 0; g < gates.Length; g++)
        {
            if (!bound.PerSample[g]) continue;
            int size = gates[g].CoreLength;
            int copies = 1;
            if (withDerivatives) foreach (var a in gates[g].AngleSpan) copies += a.IsConstant ? 0 : 1;
            perSampleRows += 2L * size * copies;
        }
        // Pooled: a QNN layer compiles a program of this size on every call; Simulator.RunSmall releases it.
        var table = System.Buffers.ArrayPool<double>.Shared.Rent((int)Math.Max(1, perSampleRows * batch));
        int rowsUsed = 0; // rows of B values: two per per-sample complex entry
        bool real = true;
        var ops = new List<SmallOp>(gates.Length);
        Span<Complex> core = stackalloc Complex[16];
        Span<Complex> derivative = stackalloc Complex[16];
        double[]? sin = null, cos = null;
        bool opReal = true; // the current gate's entries (values and derivatives) are all real

        // Reserves 2·size rows of per-sample entries and returns the first entry's index.
        int Reserve(int size)
        {
            long needed = (long)(rowsUsed + 2 * size) * batch;
            if (needed > table.Length)
            {
                var larger = System.Buffers.ArrayPool<double>.Shared.Rent((int)Math.Max(needed, 2L * table.Length));
                table.AsSpan(0, rowsUsed * batch).CopyTo(larger);
                System.Buffers.ArrayPool<double>.Shared.Return(table);
                table = larger;
            }
            int first = rowsUsed / 2;
            rowsUsed += 2 * size;
            return first;
        }

        void Put(int entry, int b, Complex z)
        {
            table[(long)(2 * entry) * batch + b] = z.Real;
            table[(long)(2 * entry + 1) * batch + b] = z.Imaginary;
            opReal &= z.Imaginary == 0;
        }

        int AddShared(ReadOnlySpan<Complex> entries)
        {
            int start = shared.Count / 2;
            foreach (var z in entries)
            {
                opReal &= z.Imaginary == 0;
                shared.Add(z.Real);
                shared.Add(z.Imaginary);
            }
            return start;
        }

        for (int g = 0; g < gates.Length; g++)
        {
            var gate = gates[g];
            long controls = 0;
            foreach (int c in gate.Controls) controls |= 1L << c;
            var targets = gate.Targets;
            switch (gate.Kind)
            {
                case GateKind.X or GateKind.CNOT or GateKind.Toffoli:
                    ops.Add(new SmallOp(SmallOpKind.Not, targets[0], -1, controls, -1, false, [], g, []) { RealEntries = true });
                    continue;
                case GateKind.Swap:
                    ops.Add(new SmallOp(SmallOpKind.Swap, gate.QubitSpan[0], gate.QubitSpan[1], 0, -1, false, [], g, []) { RealEntries = true });
                    continue;
            }
            opReal = true;
            bool diagonal = gate.CoreIsDiagonal;
            var kind = (targets.Length, diagonal) switch
            {
                (1, false) => SmallOpKind.Matrix1,
                (2, false) => SmallOpKind.Matrix2,
                (1, true) => SmallOpKind.Diagonal1,
                _ => SmallOpKind.Diagonal2,
            };
            int dim = 1 << targets.Length;
            int size = diagonal ? dim : dim * dim;
            bool varies = bound.PerSample[g];
            int rows = varies ? batch : 1;
            int n = gate.AngleSpan.Length;
            var angles = bound.Angles[g];
            int entry;
            // One-angle per-sample gates: the whole batch's cores from one vectorised sin/cos (see TrigCore).
            var trig = varies ? TrigCore.For(gate) : null;
            if (trig is not null)
            {
                sin ??= new double[batch];
                cos ??= new double[batch];
                trig.SinCos(angles.AsSpan(0, batch), sin, cos);
                opReal &= trig.IsReal;
                entry = Reserve(size);
                trig.WriteCores(table, entry, batch, sin, cos);
            }
            else if (varies)
            {
                entry = Reserve(size);
                for (int b = 0; b < batch; b++)
                {
                    gate.WriteCore(angles.AsSpan(b * n, n), core[..gate.CoreLength]);
                    for (int e = 0; e < size; e++) Put(entry + e, b, core[e]);
                }
            }
            else
            {
                gate.WriteCore(angles.AsSpan(0, n), core[..gate.CoreLength]);
                entry = AddShared(core[..size]);
            }
            var derivativeEntries = new List<int>();
            var angleIndices = new List<int>();
            if (withDerivatives)
            {
                for (int j = 0; j < n; j++)
                {
                    if (gate.AngleSpan[j].IsConstant) continue;
                    int first = varies ? Reserve(size) : -1;
                    if (trig is not null)
                    {
                        trig.WriteDerivatives(table, first, batch, sin, cos);
                        derivativeEntries.Add(first);
                        angleIndices.Add(j);
                        continue;
                    }
                    for (int b = 0; b < rows; b++)
                    {
                        GateDerivatives.WriteCore(gate, angles.AsSpan(b * n, n), j, derivative[..(dim * dim)]);
                        if (diagonal) for (int e = 0; e < size; e++) core[e] = derivative[e * dim + e];
                        else derivative[..size].CopyTo(core);
                        if (varies) for (int e = 0; e < size; e++) Put(first + e, b, core[e]);
                        else first = AddShared(core[..size]);
                    }
                    derivativeEntries.Add(first);
                    angleIndices.Add(j);
                }
            }
            real &= opReal;
            ops.Add(new SmallOp(kind, targets[0], targets.Length > 1 ? targets[1] : -1, controls, entry, varies,
                [.. derivativeEntries], g, [.. angleIndices]) { RealEntries = opReal });
        }

        // Product-state prefix: single-qubit ops on qubits no multi-qubit op has touched yet move to the front.
        var prefix = new List<SmallOp>();
        var rest = new List<SmallOp>();
        long touched = 0;
        foreach (var op in ops)
        {
            long bits = op.ControlMask | (1L << op.Q0) | (op.Q1 >= 0 ? 1L << op.Q1 : 0);
            if (op.IsLocal && (touched & bits) == 0) prefix.Add(op);
            else
            {
                rest.Add(op);
                if (!op.IsLocal || (touched & bits) != 0) touched |= bits;
            }
        }

        // Deep runs of shared, underived gates become one dense block each (when that is cheaper).
        rest = SharedBlockFuser.Fuse(rest, shared, circuit.Qubits, ref real);

        var terms = new List<(int, double, long, long)>();
        for (int k = 0; k < observables.Count; k++)
        {
            foreach (var (c, pauli) in observables[k].Terms)
            {
                terms.Add((k, c, (long)pauli.XMask, (long)pauli.ZMask));
                real &= (pauli.XMask & pauli.ZMask) == 0;
            }
        }
        // Shared and per-sample entries are indexed in separate tables.
        return new SmallCircuitProgram(circuit.Qubits, batch, [.. prefix, .. rest], prefix.Count, [.. shared], table, rowsUsed,
            [.. terms], observables.Count, real, perSamplePooled: true);
    }
}
