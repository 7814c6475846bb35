using System.Numerics;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>
/// State-space kernels of the CPU accelerator: preparation, transfer, reductions and measurement. Reductions sum at
/// most 256 registers (or 64 rows) in the state's precision, then accumulate in double per sample, over fixed row
/// ranges, so results do not vary from run to run.
/// </summary>
internal static unsafe class CpuStateKernels<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static void SetBasis(T* re, T* im, long planeLength, int batch, long index)
    {
        CpuParallel.For(planeLength, 2, (_, s, e) =>
        {
            new Span<T>(re + s, checked((int)(e - s))).Clear();
            new Span<T>(im + s, checked((int)(e - s))).Clear();
        });
        for (int b = 0; b < batch; b++) re[index * batch + b] = T.One;
    }

    public static void Copy(T* srcRe, T* dstRe, long length)
    {
        // Both planes (and the gap between them) are one buffer of this length.
        CpuParallel.For(length, 1, (_, s, e) =>
            Buffer.MemoryCopy(srcRe + s, dstRe + s, (e - s) * sizeof(T), (e - s) * sizeof(T)));
    }

    public static void SetState(T* re, T* im, long dim, int batch, ReadOnlySpan<Complex> amplitudes)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<Complex> sample = amplitudes.Slice((int)(b * dim), (int)dim);
            for (long i = 0; i < dim; i++)
            {
                re[i * batch + b] = T.CreateTruncating(sample[(int)i].Real);
                im[i * batch + b] = T.CreateTruncating(sample[(int)i].Imaginary);
            }
        }
    }

    public static void GetState(T* re, T* im, long dim, int batch, Span<Complex> amplitudes)
    {
        for (int b = 0; b < batch; b++)
        {
            Span<Complex> sample = amplitudes.Slice((int)(b * dim), (int)dim);
            for (long i = 0; i < dim; i++)
            {
                sample[(int)i] = new Complex(double.CreateTruncating(re[i * batch + b]), double.CreateTruncating(im[i * batch + b]));
            }
        }
    }

    public static void Probabilities(T* re, T* im, long dim, int batch, Span<double> result)
    {
        for (int b = 0; b < batch; b++)
        {
            Span<double> sample = result.Slice((int)(b * dim), (int)dim);
            for (long i = 0; i < dim; i++)
            {
                double r = double.CreateTruncating(re[i * batch + b]), m = double.CreateTruncating(im[i * batch + b]);
                sample[(int)i] = r * r + m * m;
            }
        }
    }

    /// <summary>
    /// Sums, per sample, f over every row i of the state: <c>acc[b] += f(i, b)</c>. Rows are split into fixed ranges
    /// over the cores; partial sums are added in range order.
    /// </summary>
    private static void ReduceRows(long rows, int batch, int outputs, RowReducer body, Span<double> result)
    {
        int ranges = CpuParallel.Ranges(rows, batch);
        var partial = new double[ranges * outputs * batch];
        CpuParallel.For(rows, batch, (r, i0, i1) => body(i0, i1, partial.AsSpan(r * outputs * batch, outputs * batch)));
        result.Clear();
        for (int r = 0; r < ranges; r++)
        {
            for (int x = 0; x < outputs * batch; x++) result[x] += partial[r * outputs * batch + x];
        }
    }

    private delegate void RowReducer(long i0, long i1, Span<double> acc);

    public static void NormSquared(T* re, T* im, long dim, int batch, Span<double> result) =>
        WeightedNorms(re, im, dim, batch, 0, 0, 0, result);

    /// <summary>
    /// Per sample, Σ_i w(i)·|a_ib|² with w(i) = (−1)^{|i ∧ signMask|} where all bits of <paramref name="requireMask"/> are
    /// set to their value in <paramref name="requireValue"/>, else 0: the norm, a Z-string expectation and the probability of a qubit being 1 are all this sum.
    /// </summary>
    public static void WeightedNorms(T* re, T* im, long dim, int batch, long signMask, long requireMask, long requireValue, Span<double> result)
    {
        if (Vector512.IsHardwareAccelerated) WeightedNorms<Vec512<T>>(re, im, dim, batch, signMask, requireMask, requireValue, result);
        else if (Vector256.IsHardwareAccelerated) WeightedNorms<Vec256<T>>(re, im, dim, batch, signMask, requireMask, requireValue, result);
        else WeightedNorms<VecScalar<T>>(re, im, dim, batch, signMask, requireMask, requireValue, result);
    }

    private static void WeightedNorms<TV>(T* re, T* im, long dim, int batch, long signMask, long requireMask, long requireValue, Span<double> result) where TV : unmanaged, IVec<TV, T>
    {
        int w = TV.Count;
        result.Clear();
        if (BitOperations.IsPow2(batch) && batch <= w && dim * batch >= w)
        {
            // Flat mode: a register spans w/B consecutive rows; lane l holds sample l mod B. The weight factors into a
            // per-lane pattern (row bits inside the register) times a per-register value (row bits above it).
            int log2B = BitOperations.Log2((uint)batch), rowBits = BitOperations.Log2((uint)w) - log2B;
            long lowRows = (1L << rowBits) - 1;
            var pattern = new T[w];
            for (int l = 0; l < w; l++)
            {
                long i = l >> log2B;
                bool ok = (i & requireMask & lowRows) == (requireValue & lowRows);
                pattern[l] = ok ? ((BitOperations.PopCount((ulong)(i & signMask & lowRows)) & 1) == 0 ? T.One : -T.One) : T.Zero;
            }
            long blocks = dim * batch / w;
            int ranges = CpuParallel.Ranges(blocks, w);
            var partial = new double[ranges * w];
            CpuParallel.For(blocks, w, (r, j0, j1) =>
            {
                fixed (T* pp = pattern)
                {
                    TV pat = TV.Load(pp), acc = TV.Zero;
                    T* lanes = stackalloc T[w];
                    int pending = 0;
                    for (long j = j0; j < j1; j++)
                    {
                        long i = j << rowBits;
                        if ((i & requireMask & ~lowRows) != (requireValue & ~lowRows)) continue;
                        long e = j * w;
                        TV vr = TV.Load(re + e), vi = TV.Load(im + e);
                        TV v = TV.Fma(vr, vr, vi * vi) * pat;
                        acc = (BitOperations.PopCount((ulong)(i & signMask & ~lowRows)) & 1) == 0 ? acc + v : acc - v;
                        if (++pending == 256 || j == j1 - 1)
                        {
                            TV.Store(acc, lanes);
                            for (int l = 0; l < w; l++) partial[r * w + l] += double.CreateTruncating(lanes[l]);
                            acc = TV.Zero;
                            pending = 0;
                        }
                    }
                    if (pending > 0)
                    {
                        TV.Store(acc, lanes);
                        for (int l = 0; l < w; l++) partial[r * w + l] += double.CreateTruncating(lanes[l]);
                    }
                }
            });
            for (int x = 0; x < partial.Length; x++) result[x % batch] += partial[x];
            return;
        }

        // Row mode: one row is B contiguous samples; vectors run over the batch.
        int rowRanges = CpuParallel.Ranges(dim, batch);
        var sums = new double[rowRanges * batch];
        CpuParallel.For(dim, batch, (r, i0, i1) =>
        {
            var tmp = new T[batch];
            fixed (T* pt = tmp)
            {
                int pending = 0;
                for (long i = i0; i < i1; i++)
                {
                    if ((i & requireMask) != requireValue) continue;
                    bool negative = (BitOperations.PopCount((ulong)(i & signMask)) & 1) != 0;
                    T* pr = re + i * batch, pi = im + i * batch;
                    int b = 0;
                    for (; b + w <= batch; b += w) Accumulate<TV>(pt + b, pr + b, pi + b, negative);
                    for (; b < batch; b++) Accumulate<VecScalar<T>>(pt + b, pr + b, pi + b, negative);
                    if (++pending == 64)
                    {
                        for (int x = 0; x < batch; x++) sums[r * batch + x] += double.CreateTruncating(pt[x]);
                        tmp.AsSpan().Clear();
                        pending = 0;
                    }
                }
                for (int x = 0; x < batch; x++) sums[r * batch + x] += double.CreateTruncating(pt[x]);
            }
        });
        for (int x = 0; x < sums.Length; x++) result[x % batch] += sums[x];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TV>(T* acc, T* pr, T* pi, bool negative) where TV : unmanaged, IVec<TV, T>
    {
        TV vr = TV.Load(pr), vi = TV.Load(pi);
        TV v = TV.Fma(vr, vr, vi * vi);
        TV a = TV.Load(acc);
        TV.Store(negative ? a - v : a + v, acc);
    }

    /// <summary>y_b += a_b · x_b, amplitude rows split across cores; batch innermost.</summary>
    public static void AddScaled(T* xr, T* xi, T* yr, T* yi, long dim, int batch, ReadOnlySpan<Complex> factors)
    {
        var ar = new T[batch];
        var ai = new T[batch];
        for (int b = 0; b < batch; b++)
        {
            ar[b] = T.CreateTruncating(factors[b].Real);
            ai[b] = T.CreateTruncating(factors[b].Imaginary);
        }
        CpuParallel.For(dim, batch, (_, i0, i1) =>
        {
            for (long i = i0; i < i1; i++)
            {
                long o = i * batch;
                for (int b = 0; b < batch; b++)
                {
                    T u = xr[o + b], v = xi[o + b];
                    yr[o + b] += ar[b] * u - ai[b] * v;
                    yi[o + b] += ar[b] * v + ai[b] * u;
                }
            }
        });
    }

    public static void InnerProduct(T* ar, T* ai, T* br, T* bi, long dim, int batch, Span<Complex> result)
    {
        var sums = new double[2 * batch];
        ReduceRows(dim, batch, 2, (i0, i1, acc) =>
        {
            for (long i = i0; i < i1; i++)
            {
                long o = i * batch;
                for (int b = 0; b < batch; b++)
                {
                    double xr = double.CreateTruncating(ar[o + b]), xi = double.CreateTruncating(ai[o + b]);
                    double yr = double.CreateTruncating(br[o + b]), yi = double.CreateTruncating(bi[o + b]);
                    acc[b] += xr * yr + xi * yi;
                    acc[batch + b] += xr * yi - xi * yr;
                }
            }
        }, sums);
        for (int b = 0; b < batch; b++) result[b] = new Complex(sums[b], sums[batch + b]);
    }

    public static void ExpectationPauli(T* re, T* im, long dim, int batch, PauliString pauli, Span<double> result)
    {
        long x = (long)pauli.XMask, z = (long)pauli.ZMask;
        if (x == 0)
        {
            WeightedNorms(re, im, dim, batch, z, 0, 0, result);
            return;
        }
        var sums = new double[2 * batch];
        ReduceRows(dim, batch, 2, (i0, i1, acc) =>
        {
            for (long i = i0; i < i1; i++)
            {
                long j = i ^ x;
                double s = (BitOperations.PopCount((ulong)(i & z)) & 1) == 0 ? 1.0 : -1.0;
                T* pr = re + i * batch, pi = im + i * batch, qr = re + j * batch, qi = im + j * batch;
                for (int b = 0; b < batch; b++)
                {
                    // conj(a_j) · a_i · s
                    double ajr = double.CreateTruncating(qr[b]), aji = double.CreateTruncating(qi[b]);
                    double air = double.CreateTruncating(pr[b]), aii = double.CreateTruncating(pi[b]);
                    acc[b] += s * (ajr * air + aji * aii);
                    acc[batch + b] += s * (ajr * aii - aji * air);
                }
            }
        }, sums);
        // P|i⟩ = i^{nY} (−1)^{|i ∧ z|} |i ⊕ x⟩, so ⟨ψ|P|ψ⟩ = Re(i^{nY} Σ conj(a_{i⊕x}) a_i (−1)^{|i ∧ z|}).
        int ny = pauli.YCount & 3;
        for (int b = 0; b < batch; b++)
        {
            double cr = sums[b], ci = sums[batch + b];
            result[b] = ny switch { 0 => cr, 1 => -ci, 2 => -cr, _ => ci };
        }
    }

    public static void QubitProbability(T* re, T* im, long dim, int batch, int qubit, Span<double> probabilityZero, Span<double> probabilityOne)
    {
        WeightedNorms(re, im, dim, batch, 0, 1L << qubit, 0, probabilityZero);
        WeightedNorms(re, im, dim, batch, 0, 1L << qubit, 1L << qubit, probabilityOne);
    }

    public static void Collapse(T* re, T* im, int qubits, int batch, int qubit, ReadOnlySpan<int> outcomes, ReadOnlySpan<double> probabilityZero, ReadOnlySpan<double> probabilityOne)
    {
        // A per-sample diagonal on the measured qubit: (1/√p, 0) or (0, 1/√p).
        var dr = new T[2 * batch];
        var di = new T[2 * batch];
        for (int b = 0; b < batch; b++)
        {
            double p = outcomes[b] == 1 ? probabilityOne[b] : probabilityZero[b];
            dr[outcomes[b] * batch + b] = T.CreateTruncating(1.0 / Math.Sqrt(p));
        }
        int[] order = [qubit];
        if (Vector512.IsHardwareAccelerated) CpuGateKernels<T>.DiagonalPerSample<Vec512<T>>(re, im, qubits, batch, order, dr, di);
        else if (Vector256.IsHardwareAccelerated) CpuGateKernels<T>.DiagonalPerSample<Vec256<T>>(re, im, qubits, batch, order, dr, di);
        else CpuGateKernels<T>.DiagonalPerSample<VecScalar<T>>(re, im, qubits, batch, order, dr, di);
    }

    public static void Sample(T* re, T* im, long dim, int batch, int shots, ulong seed, Span<long> result)
    {
        var rng = new SplitMix64(seed);
        var draws = new double[shots];
        var order = new int[shots];
        for (int b = 0; b < batch; b++)
        {
            double total = 0;
            for (long i = 0; i < dim; i++)
            {
                double r = double.CreateTruncating(re[i * batch + b]), m = double.CreateTruncating(im[i * batch + b]);
                total += r * r + m * m;
            }
            if (!(total > 0)) throw new InvalidOperationException($"sample {b} has zero norm and cannot be sampled");
            for (int s = 0; s < shots; s++)
            {
                draws[s] = rng.NextDouble() * total;
                order[s] = s;
            }
            Array.Sort((double[])draws.Clone(), order);
            Span<long> outSample = result.Slice(b * shots, shots);
            double cumulative = 0;
            long index = 0;
            long last = -1;
            foreach (int s in order)
            {
                double u = draws[s];
                while (index < dim)
                {
                    double r = double.CreateTruncating(re[index * batch + b]), m = double.CreateTruncating(im[index * batch + b]);
                    double p = r * r + m * m;
                    if (p > 0) last = index;
                    if (u < cumulative + p) break;
                    cumulative += p;
                    index++;
                }
                // Rounding can leave u just past the last cumulative sum: take the last basis state with weight.
                outSample[s] = index < dim ? index : last;
            }
        }
    }
}
