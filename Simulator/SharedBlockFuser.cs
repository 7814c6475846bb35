using System.Numerics;
using QSim.Kernels.Circuits;

namespace QSim.Simulator;

/// <summary>
/// The "shared unitary" specialisation of the fused small-circuit kernel: a run of consecutive ops that are the
/// same for every sample and carry no derivative is multiplied out once, on the host, into one dense 2^k × 2^k
/// matrix (<see cref="SmallOpKind.MatrixK"/>) on the union of their qubits, and applied to every sample as a matrix
/// product. A pure pass over the op list.
/// </summary>
/// <remarks>
/// It pays when the run is deep relative to its width: applying a k-qubit dense block costs about 2^k complex
/// multiply-adds per amplitude, a 2×2 gate 2, a 4×4 gate 4, a diagonal 1 and a bit flip or swap about ½. A block is
/// formed only when its cost is at most <see cref="CostRatio"/> of the ops it replaces, so shallow runs (such as one
/// RY layer and a CNOT ring) stay gate by gate.
/// </remarks>
internal static class SharedBlockFuser
{
    /// <summary>Widest block: 2^6 × 2^6 entries (64 KiB of complex doubles).</summary>
    internal const int MaxBlockQubits = 6;

    /// <summary>A block replaces its ops only if it costs at most this fraction of them.</summary>
    internal const double CostRatio = 0.75;

    /// <summary>Cost of an op per amplitude, in complex multiply-adds.</summary>
    internal static double Cost(SmallOp op) => op.Kind switch
    {
        SmallOpKind.Matrix1 => 2,
        SmallOpKind.Matrix2 => 4,
        SmallOpKind.Diagonal1 or SmallOpKind.Diagonal2 => 1,
        SmallOpKind.MatrixK => 1 << op.Qubits.Length,
        _ => 0.5,
    };

    /// <summary>
    /// Returns <paramref name="ops"/> with every profitable run of shared, underived ops replaced by one MatrixK op
    /// whose entries are appended to <paramref name="shared"/> ((re, im) pairs).
    /// </summary>
    internal static List<SmallOp> Fuse(List<SmallOp> ops, List<double> shared, int qubits, ref bool real)
    {
        int maxWidth = Math.Min(qubits, MaxBlockQubits);
        var result = new List<SmallOp>(ops.Count);
        int i = 0;
        while (i < ops.Count)
        {
            // Longest run from i of fusable ops whose qubits fit in maxWidth.
            long union = 0;
            int end = i;
            double cost = 0;
            while (end < ops.Count && Fusable(ops[end]))
            {
                long next = union | Bits(ops[end]);
                if (BitOperations.PopCount((ulong)next) > maxWidth) break;
                union = next;
                cost += Cost(ops[end]);
                end++;
            }
            int width = BitOperations.PopCount((ulong)union);
            if (end - i >= 2 && (1 << width) <= CostRatio * cost)
            {
                result.Add(Block(ops, i, end, union, shared, ref real));
                i = end;
            }
            else
            {
                result.Add(ops[i]);
                i++;
            }
        }
        return result;
    }

    private static bool Fusable(SmallOp op) => !op.PerSample && op.Derivatives.Length == 0 && op.Kind != SmallOpKind.MatrixK;

    private static long Bits(SmallOp op) => op.ControlMask | (1L << op.Q0) | (op.Q1 >= 0 ? 1L << op.Q1 : 0);

    /// <summary>Multiplies ops [start, end) into one dense matrix on the qubits of <paramref name="union"/>.</summary>
    private static SmallOp Block(List<SmallOp> ops, int start, int end, long union, List<double> shared, ref bool real)
    {
        int[] qubits = Enumerable.Range(0, 64).Where(q => ((union >> q) & 1) != 0).ToArray();
        int k = qubits.Length, dim = 1 << k;
        var local = new Dictionary<int, int>();
        for (int j = 0; j < k; j++) local[qubits[j]] = j;
        long LocalMask(long mask)
        {
            long m = 0;
            for (int q = 0; q < 64; q++) if (((mask >> q) & 1) != 0) m |= 1L << local[q];
            return m;
        }
        Complex Shared(int e) => new(shared[2 * e], shared[2 * e + 1]);

        // Column c of the block = the ops applied to basis vector |c⟩ (in the block's local qubit order).
        var matrix = new Complex[dim * dim];
        var v = new Complex[dim];
        for (int c = 0; c < dim; c++)
        {
            Array.Clear(v);
            v[c] = 1;
            for (int o = start; o < end; o++)
            {
                var op = ops[o];
                long cm = LocalMask(op.ControlMask);
                int b0 = local[op.Q0], b1 = op.Q1 >= 0 ? local[op.Q1] : -1;
                for (int a = 0; a < dim; a++)
                {
                    if ((a & cm) != cm) continue;
                    switch (op.Kind)
                    {
                        case SmallOpKind.Not:
                            if (((a >> b0) & 1) == 0) (v[a], v[a | (1 << b0)]) = (v[a | (1 << b0)], v[a]);
                            break;
                        case SmallOpKind.Swap:
                            if (((a >> b0) & 1) == 1 && ((a >> b1) & 1) == 0)
                            {
                                int x = a ^ (1 << b0) ^ (1 << b1);
                                (v[a], v[x]) = (v[x], v[a]);
                            }
                            break;
                        case SmallOpKind.Diagonal1:
                            v[a] *= Shared(op.Entry + ((a >> b0) & 1));
                            break;
                        case SmallOpKind.Diagonal2:
                            v[a] *= Shared(op.Entry + (((a >> b0) & 1) | (((a >> b1) & 1) << 1)));
                            break;
                        case SmallOpKind.Matrix1:
                            if (((a >> b0) & 1) == 0)
                            {
                                int a1 = a | (1 << b0);
                                Complex x0 = v[a], x1 = v[a1];
                                v[a] = Shared(op.Entry) * x0 + Shared(op.Entry + 1) * x1;
                                v[a1] = Shared(op.Entry + 2) * x0 + Shared(op.Entry + 3) * x1;
                            }
                            break;
                        case SmallOpKind.Matrix2:
                            if (((a >> b0) & 1) == 0 && ((a >> b1) & 1) == 0)
                            {
                                Span<int> idx = [a, a | (1 << b0), a | (1 << b1), a | (1 << b0) | (1 << b1)];
                                Span<Complex> x = [v[idx[0]], v[idx[1]], v[idx[2]], v[idx[3]]];
                                for (int r = 0; r < 4; r++)
                                {
                                    Complex sum = 0;
                                    for (int cc = 0; cc < 4; cc++) sum += Shared(op.Entry + 4 * r + cc) * x[cc];
                                    v[idx[r]] = sum;
                                }
                            }
                            break;
                        default:
                            throw new InvalidOperationException($"op kind {op.Kind} cannot join a shared block");
                    }
                }
            }
            for (int r = 0; r < dim; r++) matrix[r * dim + c] = v[r];
        }
        int entry = shared.Count / 2;
        bool blockReal = true;
        foreach (var z in matrix)
        {
            shared.Add(z.Real);
            shared.Add(z.Imaginary);
            blockReal &= z.Imaginary == 0;
        }
        real &= blockReal;
        return new SmallOp(SmallOpKind.MatrixK, qubits[0], -1, 0, entry, false, [], ops[start].Gate, [])
        {
            Qubits = qubits,
            RealEntries = blockReal,
        };
    }
}
