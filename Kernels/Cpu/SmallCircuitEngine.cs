using System.Numerics;
using System.Runtime.CompilerServices;
using QSim.Kernels.Circuits;

namespace QSim.Kernels.Cpu;

/// <summary>
/// The fused kernel for small circuits on the CPU: samples are processed in groups of one SIMD vector (8 doubles or
/// 16 floats with AVX-512), lane l of every vector holding sample b0 + l, so a per-sample matrix costs the same as a
/// shared one. A group's whole state (2^n amplitudes × lanes, ≤ 512 KiB) stays in L1/L2 while every gate, the
/// observables and the adjoint sweep run; only expectation values and gradients are written out.
/// </summary>
/// <typeparam name="T">Precision.</typeparam>
/// <typeparam name="V">Vector type.</typeparam>
internal static unsafe class SmallCircuitEngine<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : unmanaged, IVec<V, T>
{
    private readonly struct Context
    {
        public readonly SmallCircuitProgram P;
        public readonly T* Shared;
        public readonly T* PerSample;
        public readonly int Stride; // padded batch

        public Context(SmallCircuitProgram p, T* shared, T* perSample, int stride)
        {
            P = p;
            Shared = shared;
            PerSample = perSample;
            Stride = stride;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Entry(SmallOp op, int e, int b0, out V re, out V im)
        {
            if (op.PerSample)
            {
                re = V.Load(PerSample + (long)(2 * e) * Stride + b0);
                im = V.Load(PerSample + (long)(2 * e + 1) * Stride + b0);
            }
            else
            {
                re = V.Broadcast(Shared[2 * e]);
                im = V.Broadcast(Shared[2 * e + 1]);
            }
        }
    }

    /// <summary>
    /// Runs the program: <paramref name="values"/>[b·K + k] = ⟨O_k⟩_b; for each seed s (weights seeds[s][b·K + k] on the
    /// observables), gradients[s][occurrence][b] = ∂(Σ_k seed·⟨O_k⟩_b)/∂θ_occurrence.
    /// </summary>
    public static void Run(SmallCircuitProgram p, double[] values, double[][]? seeds, double[][][]? gradients)
    {
        int w = V.Count;
        int batch = p.Batch;
        int groups = (batch + w - 1) / w;
        int stride = groups * w;
        var shared = new T[Math.Max(1, p.Shared.Length)];
        for (int i = 0; i < p.Shared.Length; i++) shared[i] = T.CreateTruncating(p.Shared[i]);
        int entries = p.PerSampleRows;
        var perSample = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(1, entries * stride));
        for (int row = 0; row < entries; row++)
        {
            // Converted to T, and padded to whole vectors by repeating the last sample.
            var from = p.PerSample.AsSpan(row * batch, batch);
            var to = perSample.AsSpan(row * stride, stride);
            for (int b = 0; b < batch; b++) to[b] = T.CreateTruncating(from[b]);
            to[batch..].Fill(to[batch - 1]);
        }
        long dim = 1L << p.Qubits;
        int states = seeds is null ? 1 : seeds.Length > 1 ? 3 : 2; // ψ, λ, and a copy of ψ when several seeds share it
        CpuParallel.For(groups, dim * w * 6 * Math.Max(1, p.Ops.Length), (_, g0, g1) =>
        {
            int planes = p.IsReal ? 1 : 2;
            var scratch = System.Buffers.ArrayPool<T>.Shared.Rent((int)(states * planes * dim * w + 2 * w));
            try
            {
                fixed (T* s = scratch, sh = shared, ps = perSample)
                {
                    var ctx = new Context(p, sh, ps, stride);
                    T* psiRe = s, psiIm = p.IsReal ? null : s + dim * w;
                    T* lamRe = s + planes * dim * w, lamIm = p.IsReal ? null : lamRe + dim * w;
                    T* phiRe = s + 2 * planes * dim * w, phiIm = p.IsReal ? null : phiRe + dim * w;
                    T* lanes = s + states * planes * dim * w;
                    for (long g = g0; g < g1; g++)
                    {
                        int b0 = (int)g * w;
                        Forward(ctx, b0, psiRe, psiIm);
                        if (p.OutputsProbabilities)
                        {
                            WriteProbabilities(p, b0, psiRe, psiIm, values, lanes);
                            continue;
                        }
                        Observe(ctx, b0, psiRe, psiIm, values, lanes);
                        if (seeds is null) continue;
                        for (int si = 0; si < seeds.Length; si++)
                        {
                            bool last = si == seeds.Length - 1;
                            T* wr = last ? psiRe : phiRe, wi = last ? psiIm : phiIm;
                            if (!last)
                            {
                                new Span<T>(psiRe, (int)(planes * dim * w)).CopyTo(new Span<T>(phiRe, (int)(planes * dim * w)));
                            }
                            SeedLambda(ctx, b0, psiRe, psiIm, lamRe, lamIm, seeds[si]);
                            Backward(ctx, b0, wr, wi, lamRe, lamIm, gradients![si], lanes);
                        }
                    }
                }
            }
            finally
            {
                System.Buffers.ArrayPool<T>.Shared.Return(scratch);
            }
        });
        System.Buffers.ArrayPool<T>.Shared.Return(perSample);
    }

    private static void Forward(in Context c, int b0, T* re, T* im)
    {
        var p = c.P;
        int n = p.Qubits, w = V.Count;
        // Product-state prefix: each qubit's two amplitudes, then their tensor product (built by doubling).
        var qr = stackalloc T[2 * SmallCircuitProgram.MaxQubits * w];
        var qi = stackalloc T[2 * SmallCircuitProgram.MaxQubits * w];
        for (int q = 0; q < n; q++)
        {
            PrefixFactor(c, b0, q, -1, -1, out var f0r, out var f0i, out var f1r, out var f1i);
            V.Store(f0r, qr + 2 * q * w); V.Store(f1r, qr + (2 * q + 1) * w);
            V.Store(f0i, qi + 2 * q * w); V.Store(f1i, qi + (2 * q + 1) * w);
        }
        V.Store(V.Broadcast(T.One), re);
        if (im != null) V.Store(V.Zero, im);
        for (int q = 0; q < n; q++)
        {
            long half = 1L << q;
            V v0r = V.Load(qr + 2 * q * w), v1r = V.Load(qr + (2 * q + 1) * w);
            V v0i = V.Load(qi + 2 * q * w), v1i = V.Load(qi + (2 * q + 1) * w);
            for (long a = 0; a < half; a++)
            {
                V xr = V.Load(re + a * w);
                if (im == null)
                {
                    V.Store(xr * v1r, re + (a + half) * w);
                    V.Store(xr * v0r, re + a * w);
                }
                else
                {
                    V xi = V.Load(im + a * w);
                    Mul(v1r, v1i, xr, xi, out var hr, out var hi);
                    Mul(v0r, v0i, xr, xi, out var lr, out var li);
                    V.Store(hr, re + (a + half) * w); V.Store(hi, im + (a + half) * w);
                    V.Store(lr, re + a * w); V.Store(li, im + a * w);
                }
            }
        }
        for (int o = p.PrefixLength; o < p.Ops.Length; o++) Apply(c, b0, p.Ops[o], re, im, adjoint: false);
    }

    /// <summary>
    /// Qubit <paramref name="q"/>'s factor of the product-state prefix: its prefix ops applied in order to |0⟩. With
    /// <paramref name="replaceOp"/> ≥ 0, that op's entries are taken from <paramref name="replaceEntry"/> instead (a
    /// derivative core), which gives the factor's derivative with respect to that angle.
    /// </summary>
    private static void PrefixFactor(in Context c, int b0, int q, int replaceOp, int replaceEntry, out V ar, out V ai, out V br, out V bi)
    {
        var p = c.P;
        ar = V.Broadcast(T.One); ai = V.Zero; br = V.Zero; bi = V.Zero;
        for (int o = 0; o < p.PrefixLength; o++)
        {
            var op = p.Ops[o];
            if (op.Q0 != q) continue;
            int entry = o == replaceOp ? replaceEntry : op.Entry;
            switch (op.Kind)
            {
                case SmallOpKind.Not:
                    (ar, br) = (br, ar);
                    (ai, bi) = (bi, ai);
                    break;
                case SmallOpKind.Diagonal1:
                {
                    c.Entry(op, entry, b0, out var d0r, out var d0i);
                    c.Entry(op, entry + 1, b0, out var d1r, out var d1i);
                    Mul(d0r, d0i, ar, ai, out ar, out ai);
                    Mul(d1r, d1i, br, bi, out br, out bi);
                    break;
                }
                default:
                {
                    c.Entry(op, entry, b0, out var m00r, out var m00i);
                    c.Entry(op, entry + 1, b0, out var m01r, out var m01i);
                    c.Entry(op, entry + 2, b0, out var m10r, out var m10i);
                    c.Entry(op, entry + 3, b0, out var m11r, out var m11i);
                    MulAdd(m00r, m00i, ar, ai, m01r, m01i, br, bi, out var xr, out var xi);
                    MulAdd(m10r, m10i, ar, ai, m11r, m11i, br, bi, out var yr, out var yi);
                    (ar, ai, br, bi) = (xr, xi, yr, yi);
                    break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mul(V ar, V ai, V br, V bi, out V r, out V i)
    {
        r = V.Fnma(ai, bi, ar * br);
        i = V.Fma(ai, br, ar * bi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAdd(V ar, V ai, V xr, V xi, V br, V bi, V yr, V yi, out V r, out V i)
    {
        r = V.Fnma(bi, yi, V.Fma(br, yr, V.Fnma(ai, xi, ar * xr)));
        i = V.Fma(bi, yr, V.Fma(br, yi, V.Fma(ai, xr, ar * xi)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long InsertZero(long t, int q) => ((t >> q) << (q + 1)) | (t & ((1L << q) - 1));

    /// <summary>Applies an op (or its adjoint) to one group's state.</summary>
    private static void Apply(in Context c, int b0, SmallOp op, T* re, T* im, bool adjoint)
    {
        int n = c.P.Qubits, w = V.Count;
        long cm = op.ControlMask;
        switch (op.Kind)
        {
            case SmallOpKind.Not:
            {
                long bit = 1L << op.Q0;
                for (long t = 0; t < 1L << (n - 1); t++)
                {
                    long i0 = InsertZero(t, op.Q0);
                    if ((i0 & cm) != cm) continue;
                    SwapAmp(re, im, i0, i0 | bit, w);
                }
                return;
            }
            case SmallOpKind.Swap:
            {
                long b1 = 1L << op.Q0, b2 = 1L << op.Q1;
                for (long i = 0; i < 1L << n; i++)
                {
                    if ((i & b1) == 0 || (i & b2) != 0 || (i & cm) != cm) continue;
                    SwapAmp(re, im, i, i ^ b1 ^ b2, w);
                }
                return;
            }
            case SmallOpKind.Diagonal1:
            case SmallOpKind.Diagonal2:
            {
                int size = op.Size;
                var dr = stackalloc V[size];
                var di = stackalloc V[size];
                for (int e = 0; e < size; e++)
                {
                    c.Entry(op, op.Entry + e, b0, out dr[e], out di[e]);
                    if (adjoint) di[e] = V.Zero - di[e];
                }
                for (long i = 0; i < 1L << n; i++)
                {
                    if ((i & cm) != cm) continue;
                    int e = DiagonalIndex(op, i);
                    V xr = V.Load(re + i * w);
                    if (im == null || op.RealEntries)
                    {
                        V.Store(dr[e] * xr, re + i * w);
                        if (im != null) V.Store(dr[e] * V.Load(im + i * w), im + i * w);
                    }
                    else
                    {
                        Mul(dr[e], di[e], xr, V.Load(im + i * w), out var yr, out var yi);
                        V.Store(yr, re + i * w); V.Store(yi, im + i * w);
                    }
                }
                return;
            }
            case SmallOpKind.Matrix1:
            {
                c.Entry(op, op.Entry, b0, out var m00r, out var m00i);
                c.Entry(op, op.Entry + 1, b0, out var m01r, out var m01i);
                c.Entry(op, op.Entry + 2, b0, out var m10r, out var m10i);
                c.Entry(op, op.Entry + 3, b0, out var m11r, out var m11i);
                if (adjoint)
                {
                    (m01r, m10r) = (m10r, m01r);
                    (m01i, m10i) = (m10i, m01i);
                    m00i = V.Zero - m00i; m01i = V.Zero - m01i; m10i = V.Zero - m10i; m11i = V.Zero - m11i;
                }
                long bit = 1L << op.Q0;
                for (long t = 0; t < 1L << (n - 1); t++)
                {
                    long i0 = InsertZero(t, op.Q0);
                    if ((i0 & cm) != cm) continue;
                    long i1 = i0 | bit;
                    V ar = V.Load(re + i0 * w), br = V.Load(re + i1 * w);
                    if (im == null || op.RealEntries)
                    {
                        // Real entries: each plane separately (a complex state under a real gate).
                        V.Store(V.Fma(m01r, br, m00r * ar), re + i0 * w);
                        V.Store(V.Fma(m11r, br, m10r * ar), re + i1 * w);
                        if (im == null) continue;
                        V ai = V.Load(im + i0 * w), bi = V.Load(im + i1 * w);
                        V.Store(V.Fma(m01r, bi, m00r * ai), im + i0 * w);
                        V.Store(V.Fma(m11r, bi, m10r * ai), im + i1 * w);
                    }
                    else
                    {
                        V ai = V.Load(im + i0 * w), bi = V.Load(im + i1 * w);
                        MulAdd(m00r, m00i, ar, ai, m01r, m01i, br, bi, out var xr, out var xi);
                        MulAdd(m10r, m10i, ar, ai, m11r, m11i, br, bi, out var yr, out var yi);
                        V.Store(xr, re + i0 * w); V.Store(xi, im + i0 * w);
                        V.Store(yr, re + i1 * w); V.Store(yi, im + i1 * w);
                    }
                }
                return;
            }
            case SmallOpKind.MatrixK:
                ApplyDense(c, op, re, im, adjoint);
                return;
            default: // Matrix2
            {
                var mr = stackalloc V[16];
                var mi = stackalloc V[16];
                for (int e = 0; e < 16; e++)
                {
                    int src = adjoint ? (e & 3) * 4 + (e >> 2) : e;
                    c.Entry(op, op.Entry + src, b0, out mr[e], out mi[e]);
                    if (adjoint) mi[e] = V.Zero - mi[e];
                }
                long bit0 = 1L << op.Q0, bit1 = 1L << op.Q1;
                int lo = Math.Min(op.Q0, op.Q1), hi = Math.Max(op.Q0, op.Q1);
                var xr = stackalloc V[4];
                var xi = stackalloc V[4];
                Span<long> idx = stackalloc long[4];
                for (long t = 0; t < 1L << (n - 2); t++)
                {
                    long i0 = InsertZero(InsertZero(t, lo), hi);
                    if ((i0 & cm) != cm) continue;
                    Gather4(re, im, i0, bit0, bit1, idx, xr, xi);
                    if (op.RealEntries)
                    {
                        for (int r = 0; r < 4; r++)
                        {
                            V.Store(Row4Real(mr, xr, r), re + idx[r] * w);
                            if (im != null) V.Store(Row4Real(mr, xi, r), im + idx[r] * w);
                        }
                        continue;
                    }
                    for (int r = 0; r < 4; r++)
                    {
                        Row4(mr, mi, xr, xi, r, out var sr, out var si);
                        V.Store(sr, re + idx[r] * w);
                        if (im != null) V.Store(si, im + idx[r] * w);
                    }
                }
                return;
            }
        }
    }

    /// <summary>
    /// A shared dense 2^k × 2^k block (or its adjoint) on one group's state: for each setting of the other qubits,
    /// gather the 2^k amplitudes, multiply by the matrix (entries broadcast from the shared table), scatter back.
    /// </summary>
    private static void ApplyDense(in Context c, SmallOp op, T* re, T* im, bool adjoint)
    {
        int n = c.P.Qubits, w = V.Count, k = op.Qubits.Length, dim = 1 << k;
        T* m = c.Shared + 2 * op.Entry;
        bool real = im == null || op.RealEntries;
        var offsets = stackalloc long[dim];
        for (int a = 0; a < dim; a++)
        {
            long off = 0;
            for (int j = 0; j < k; j++) if (((a >> j) & 1) != 0) off |= 1L << op.Qubits[j];
            offsets[a] = off;
        }
        var xr = stackalloc V[dim];
        var xi = stackalloc V[dim];
        for (long t = 0; t < 1L << (n - k); t++)
        {
            long i0 = t;
            foreach (int q in op.Qubits) i0 = InsertZero(i0, q);
            for (int a = 0; a < dim; a++)
            {
                xr[a] = V.Load(re + (i0 | offsets[a]) * w);
                xi[a] = im == null ? V.Zero : V.Load(im + (i0 | offsets[a]) * w);
            }
            for (int r = 0; r < dim; r++)
            {
                V sr = V.Zero, si = V.Zero;
                for (int col = 0; col < dim; col++)
                {
                    // Entry (r, col) of M, or of M† = conj(M[col, r]).
                    int e = adjoint ? col * dim + r : r * dim + col;
                    V mr = V.Broadcast(m[2 * e]);
                    if (real)
                    {
                        sr = V.Fma(mr, xr[col], sr);
                        si = V.Fma(mr, xi[col], si);
                        continue;
                    }
                    V mi = V.Broadcast(adjoint ? -m[2 * e + 1] : m[2 * e + 1]);
                    sr = V.Fnma(mi, xi[col], V.Fma(mr, xr[col], sr));
                    si = V.Fma(mi, xr[col], V.Fma(mr, xi[col], si));
                }
                V.Store(sr, re + (i0 | offsets[r]) * w);
                if (im != null) V.Store(si, im + (i0 | offsets[r]) * w);
            }
        }
    }

    /// <summary>Loads the four amplitudes of a 2-qubit group (index i0 with bits bit0, bit1 clear) and their indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather4(T* re, T* im, long i0, long bit0, long bit1, Span<long> idx, V* xr, V* xi)
    {
        int w = V.Count;
        idx[0] = i0; idx[1] = i0 | bit0; idx[2] = i0 | bit1; idx[3] = i0 | bit0 | bit1;
        for (int k = 0; k < 4; k++)
        {
            xr[k] = V.Load(re + idx[k] * w);
            xi[k] = im == null ? V.Zero : V.Load(im + idx[k] * w);
        }
    }

    /// <summary>Row <paramref name="r"/> of a 4×4 complex matrix times a gathered 4-vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row4(V* mr, V* mi, V* xr, V* xi, int r, out V sr, out V si)
    {
        sr = V.Zero;
        si = V.Zero;
        for (int k = 0; k < 4; k++)
        {
            V a = mr[4 * r + k], b = mi[4 * r + k];
            sr = V.Fnma(b, xi[k], V.Fma(a, xr[k], sr));
            si = V.Fma(b, xr[k], V.Fma(a, xi[k], si));
        }
    }

    /// <summary>Row <paramref name="r"/> of a real 4×4 matrix times one plane of a gathered 4-vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Row4Real(V* mr, V* x, int r) =>
        V.Fma(mr[4 * r + 3], x[3], V.Fma(mr[4 * r + 2], x[2], V.Fma(mr[4 * r + 1], x[1], mr[4 * r] * x[0])));

    /// <summary>Which entry of a 1- or 2-qubit diagonal op multiplies amplitude <paramref name="i"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DiagonalIndex(SmallOp op, long i)
    {
        int e = (int)((i >> op.Q0) & 1);
        if (op.Q1 >= 0) e |= (int)((i >> op.Q1) & 1) << 1;
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapAmp(T* re, T* im, long i, long j, int w)
    {
        V a = V.Load(re + i * w), b = V.Load(re + j * w);
        V.Store(b, re + i * w); V.Store(a, re + j * w);
        if (im == null) return;
        a = V.Load(im + i * w); b = V.Load(im + j * w);
        V.Store(b, im + i * w); V.Store(a, im + j * w);
    }

    /// <summary>Re Σ_a i^{nY} (−1)^{|a∧z|} conj(ψ_{a⊕x}) ψ_a per lane, for one Pauli term.</summary>
    private static void PauliExpectation(int n, long x, long z, T* re, T* im, out V result)
    {
        int w = V.Count;
        int ny = BitOperations.PopCount((ulong)(x & z)) & 3;
        V sr = V.Zero, si = V.Zero;
        for (long a = 0; a < 1L << n; a++)
        {
            long j = a ^ x;
            V ar = V.Load(re + a * w), jr = V.Load(re + j * w);
            V pr, pi;
            if (im == null)
            {
                pr = jr * ar;
                pi = V.Zero;
            }
            else
            {
                V ai = V.Load(im + a * w), ji = V.Load(im + j * w);
                pr = V.Fma(ji, ai, jr * ar);
                pi = V.Fnma(ji, ar, jr * ai);
            }
            if ((BitOperations.PopCount((ulong)(a & z)) & 1) != 0)
            {
                sr = sr - pr;
                si = si - pi;
            }
            else
            {
                sr = sr + pr;
                si = si + pi;
            }
        }
        result = ny switch { 0 => sr, 1 => V.Zero - si, 2 => V.Zero - sr, _ => si };
    }

    private static void Observe(in Context c, int b0, T* re, T* im, double[] values, T* lanes)
    {
        var p = c.P;
        int w = V.Count, k = p.Observables;
        int count = Math.Min(w, p.Batch - b0);
        for (int l = 0; l < count; l++)
        {
            for (int o = 0; o < k; o++) values[(long)(b0 + l) * k + o] = 0;
        }
        if (DiagonalTerms(p))
        {
            // Z-only terms: one pass, |ψ_a|² once per amplitude, ± into each term's sum.
            int nt = p.Terms.Length;
            var sums = stackalloc V[nt];
            for (int t = 0; t < nt; t++) sums[t] = V.Zero;
            for (long a = 0; a < 1L << p.Qubits; a++)
            {
                V xr = V.Load(re + a * w);
                V prob = xr * xr;
                if (im != null)
                {
                    V xi = V.Load(im + a * w);
                    prob = V.Fma(xi, xi, prob);
                }
                for (int t = 0; t < nt; t++)
                {
                    sums[t] = (BitOperations.PopCount((ulong)(a & p.Terms[t].ZMask)) & 1) != 0 ? sums[t] - prob : sums[t] + prob;
                }
            }
            for (int t = 0; t < nt; t++)
            {
                V.Store(sums[t], lanes);
                var (obs, coefficient, _, _) = p.Terms[t];
                for (int l = 0; l < count; l++) values[(long)(b0 + l) * k + obs] += coefficient * double.CreateTruncating(lanes[l]);
            }
            return;
        }
        foreach (var (obs, coefficient, x, z) in p.Terms)
        {
            PauliExpectation(p.Qubits, x, z, re, im, out var e);
            V.Store(e, lanes);
            for (int l = 0; l < count; l++) values[(long)(b0 + l) * k + obs] += coefficient * double.CreateTruncating(lanes[l]);
        }
    }

    /// <summary>values[b·2^n + a] = |ψ_b(a)|² for the group's samples.</summary>
    private static void WriteProbabilities(SmallCircuitProgram p, int b0, T* re, T* im, double[] values, T* lanes)
    {
        int w = V.Count, count = Math.Min(w, p.Batch - b0);
        long dim = 1L << p.Qubits;
        for (long a = 0; a < dim; a++)
        {
            V xr = V.Load(re + a * w);
            V prob = xr * xr;
            if (im != null)
            {
                V xi = V.Load(im + a * w);
                prob = V.Fma(xi, xi, prob);
            }
            V.Store(prob, lanes);
            for (int l = 0; l < count; l++) values[(b0 + l) * dim + a] = double.CreateTruncating(lanes[l]);
        }
    }

    /// <summary>Whether every observable term is a Z string (diagonal), and few enough to keep one sum per term in registers and stack.</summary>
    private static bool DiagonalTerms(SmallCircuitProgram p)
    {
        if (p.Terms.Length > 64) return false;
        foreach (var term in p.Terms)
        {
            if (term.XMask != 0) return false;
        }
        return true;
    }

    /// <summary>λ ← Σ_k seed[b][k] O_k ψ for one group.</summary>
    private static void SeedLambda(in Context c, int b0, T* re, T* im, T* lr, T* li, double[] seed)
    {
        var p = c.P;
        int n = p.Qubits, w = V.Count, k = p.Observables;
        long dim = 1L << n;
        var coef = stackalloc T[w];
        if (DiagonalTerms(p))
        {
            // Z-only terms: λ_a = (Σ_t ± c_t) ψ_a in one pass.
            int nt = p.Terms.Length;
            var cvs = stackalloc V[nt];
            for (int t = 0; t < nt; t++)
            {
                var (obs, coefficient, _, _) = p.Terms[t];
                for (int l = 0; l < w; l++)
                {
                    int b = Math.Min(b0 + l, p.Batch - 1);
                    coef[l] = T.CreateTruncating(coefficient * seed[(long)b * k + obs]);
                }
                cvs[t] = V.Load(coef);
            }
            for (long a = 0; a < dim; a++)
            {
                V m = V.Zero;
                for (int t = 0; t < nt; t++) m = (BitOperations.PopCount((ulong)(a & p.Terms[t].ZMask)) & 1) != 0 ? m - cvs[t] : m + cvs[t];
                V.Store(m * V.Load(re + a * w), lr + a * w);
                if (li != null) V.Store(m * V.Load(im + a * w), li + a * w);
            }
            return;
        }
        new Span<T>(lr, (int)(dim * w)).Clear();
        if (li != null) new Span<T>(li, (int)(dim * w)).Clear();
        foreach (var (obs, coefficient, x, z) in p.Terms)
        {
            for (int l = 0; l < w; l++)
            {
                int b = Math.Min(b0 + l, p.Batch - 1);
                coef[l] = T.CreateTruncating(coefficient * seed[(long)b * k + obs]);
            }
            V cv = V.Load(coef);
            int ny = BitOperations.PopCount((ulong)(x & z)) & 3;
            // (Pψ)_{a⊕x} = i^{nY} (−1)^{|a∧z|} ψ_a
            for (long a = 0; a < dim; a++)
            {
                long d = a ^ x;
                V s = (BitOperations.PopCount((ulong)(a & z)) & 1) != 0 ? V.Zero - cv : cv;
                V ar = V.Load(re + a * w);
                V ai = im == null ? V.Zero : V.Load(im + a * w);
                // multiply by i^{ny}
                V tr, ti;
                switch (ny)
                {
                    case 0: tr = ar; ti = ai; break;
                    case 1: tr = V.Zero - ai; ti = ar; break;
                    case 2: tr = V.Zero - ar; ti = V.Zero - ai; break;
                    default: tr = ai; ti = V.Zero - ar; break;
                }
                V.Store(V.Fma(s, tr, V.Load(lr + d * w)), lr + d * w);
                if (li != null) V.Store(V.Fma(s, ti, V.Load(li + d * w)), li + d * w);
            }
        }
    }

    /// <summary>The adjoint sweep for one group: gradients[occurrence][b] = 2 Re⟨λ|(dU/dθ)φ⟩.</summary>
    private static void Backward(in Context c, int b0, T* pr, T* pi, T* lr, T* li, double[][] gradients, T* lanes)
    {
        var p = c.P;
        int count = Math.Min(V.Count, p.Batch - b0);
        int occurrence = p.Occurrences;
        var sums = stackalloc V[3];
        // With a product-state prefix, the sweep stops at its end and the prefix angles are differentiated by
        // contracting λ against the product state (PrefixGradients) instead of un-applying the prefix gate by gate.
        int stop = p.PrefixLength > 0 ? p.PrefixLength : 0;
        for (int o = p.Ops.Length - 1; o >= stop; o--)
        {
            var op = p.Ops[o];
            occurrence -= op.Derivatives.Length;
            if (op.Kind == SmallOpKind.Matrix1 && o > 0 && op.Derivatives.Length <= 3)
            {
                // One pass: ψ ← U†ψ, ∂_j += Re⟨λ|D_j ψ⟩, λ ← U†λ, pair by pair while both are in registers.
                Matrix1Step(c, b0, op, pr, pi, lr, li, sums);
                for (int j = 0; j < op.Derivatives.Length; j++)
                {
                    V.Store(sums[j] + sums[j], lanes);
                    var target = gradients[occurrence + j];
                    for (int l = 0; l < count; l++) target[b0 + l] = double.CreateTruncating(lanes[l]);
                }
                continue;
            }
            Apply(c, b0, op, pr, pi, adjoint: true);
            for (int j = 0; j < op.Derivatives.Length; j++)
            {
                var g = DerivativeProduct(c, b0, op, op.Derivatives[j], pr, pi, lr, li);
                V.Store(g + g, lanes);
                var target = gradients[occurrence + j];
                for (int l = 0; l < count; l++) target[b0 + l] = double.CreateTruncating(lanes[l]);
            }
            if (o > 0) Apply(c, b0, op, lr, li, adjoint: true);
        }
        if (occurrence > 0) PrefixGradients(c, b0, pr, pi, lr, li, gradients, lanes);
    }

    /// <summary>
    /// Gradients of the product-state prefix's angles, given λ at the end of the prefix. For the product state
    /// ψ = ⊗_q φ_q and an angle in qubit q's factor, ∂ = 2 Re Σ_s R_q[s]·conj(∂φ_q[s]) with the environment
    /// R_q[s] = Σ_{a: a_q = s} λ_a ∏_{k≠q} conj φ_k(a_k). All R_q come from one top-down contraction of λ (in λ's
    /// buffer: T_{q+1} holds λ contracted over qubits above q) and a table of products over the low qubits (in ψ's
    /// buffer: L_q at offset 2^q holds ∏_{k&lt;q} conj φ_k), about four passes over 2^n amplitudes in all; both buffers
    /// are consumed.
    /// </summary>
    private static void PrefixGradients(in Context c, int b0, T* pr, T* pi, T* lr, T* li, double[][] gradients, T* lanes)
    {
        var p = c.P;
        int n = p.Qubits, w = V.Count;
        int count = Math.Min(w, p.Batch - b0);
        bool complex = pi != null;
        var fr = stackalloc V[2 * SmallCircuitProgram.MaxQubits];
        var fi = stackalloc V[2 * SmallCircuitProgram.MaxQubits];
        for (int q = 0; q < n; q++)
        {
            PrefixFactor(c, b0, q, -1, -1, out fr[2 * q], out fi[2 * q], out fr[2 * q + 1], out fi[2 * q + 1]);
            // Conjugated once here: every product below uses conj φ.
            fi[2 * q] = V.Zero - fi[2 * q];
            fi[2 * q + 1] = V.Zero - fi[2 * q + 1];
        }
        // L tables: L_0 = [1] at offset 1; L_k[a] = L_{k-1}[a mod 2^{k-1}] · conj φ_{k-1}(a_{k-1}).
        V.Store(V.Broadcast(T.One), pr + w);
        if (complex) V.Store(V.Zero, pi + w);
        for (int k = 1; k < n; k++)
        {
            long size = 1L << k, half = size >> 1;
            for (long a = 0; a < size; a++)
            {
                int s = (int)(a >> (k - 1));
                long from = (half + (a & (half - 1))) * w, to = (size + a) * w;
                V xr = V.Load(pr + from), xi = complex ? V.Load(pi + from) : V.Zero;
                Mul(fr[2 * (k - 1) + s], fi[2 * (k - 1) + s], xr, xi, out var yr, out var yi);
                V.Store(yr, pr + to);
                if (complex) V.Store(yi, pi + to);
            }
        }
        int prefixOccurrence = 0;
        var occurrenceOf = stackalloc int[p.PrefixLength];
        for (int o = 0; o < p.PrefixLength; o++)
        {
            occurrenceOf[o] = prefixOccurrence;
            prefixOccurrence += p.Ops[o].Derivatives.Length;
        }
        for (int q = n - 1; q >= 0; q--)
        {
            long half = 1L << q;
            bool wanted = false;
            for (int o = 0; o < p.PrefixLength; o++) wanted |= p.Ops[o].Q0 == q && p.Ops[o].Derivatives.Length > 0;
            if (wanted)
            {
                // R_q[s] = Σ_{a < 2^q} T_{q+1}[a + s·2^q] · L_q[a]
                V r0r = V.Zero, r0i = V.Zero, r1r = V.Zero, r1i = V.Zero;
                for (long a = 0; a < half; a++)
                {
                    long l = (half + a) * w, t0 = a * w, t1 = (a + half) * w;
                    V lrv = V.Load(pr + l), liv = complex ? V.Load(pi + l) : V.Zero;
                    V t0r = V.Load(lr + t0), t0i = complex ? V.Load(li + t0) : V.Zero;
                    V t1r = V.Load(lr + t1), t1i = complex ? V.Load(li + t1) : V.Zero;
                    r0r = V.Fnma(t0i, liv, V.Fma(t0r, lrv, r0r));
                    r0i = V.Fma(t0i, lrv, V.Fma(t0r, liv, r0i));
                    r1r = V.Fnma(t1i, liv, V.Fma(t1r, lrv, r1r));
                    r1i = V.Fma(t1i, lrv, V.Fma(t1r, liv, r1i));
                }
                for (int o = 0; o < p.PrefixLength; o++)
                {
                    var op = p.Ops[o];
                    if (op.Q0 != q) continue;
                    for (int j = 0; j < op.Derivatives.Length; j++)
                    {
                        PrefixFactor(c, b0, q, o, op.Derivatives[j], out var d0r, out var d0i, out var d1r, out var d1i);
                        // 2 Re Σ_s R[s]·conj(∂φ[s])
                        V g = V.Fma(r1i, d1i, V.Fma(r1r, d1r, V.Fma(r0i, d0i, r0r * d0r)));
                        V.Store(g + g, lanes);
                        var target = gradients[occurrenceOf[o] + j];
                        for (int l = 0; l < count; l++) target[b0 + l] = double.CreateTruncating(lanes[l]);
                    }
                }
            }
            // T_q[a] = T_{q+1}[a]·conj φ_q(0) + T_{q+1}[a + 2^q]·conj φ_q(1)
            if (q == 0) break;
            for (long a = 0; a < half; a++)
            {
                long t0 = a * w, t1 = (a + half) * w;
                V t0r = V.Load(lr + t0), t0i = complex ? V.Load(li + t0) : V.Zero;
                V t1r = V.Load(lr + t1), t1i = complex ? V.Load(li + t1) : V.Zero;
                MulAdd(fr[2 * q], fi[2 * q], t0r, t0i, fr[2 * q + 1], fi[2 * q + 1], t1r, t1i, out var yr, out var yi);
                V.Store(yr, lr + t0);
                if (complex) V.Store(yi, li + t0);
            }
        }
    }

    /// <summary>The fused backward step of a 2×2 op: un-applies it from ψ and λ and accumulates every derivative product.</summary>
    private static void Matrix1Step(in Context c, int b0, SmallOp op, T* pr, T* pi, T* lr, T* li, V* sums)
    {
        int n = c.P.Qubits, w = V.Count, nd = op.Derivatives.Length;
        long cm = op.ControlMask, bit = 1L << op.Q0;
        // U† entries.
        c.Entry(op, op.Entry, b0, out var u00r, out var u00i);
        c.Entry(op, op.Entry + 2, b0, out var u01r, out var u01i);
        c.Entry(op, op.Entry + 1, b0, out var u10r, out var u10i);
        c.Entry(op, op.Entry + 3, b0, out var u11r, out var u11i);
        u00i = V.Zero - u00i; u01i = V.Zero - u01i; u10i = V.Zero - u10i; u11i = V.Zero - u11i;
        var dr = stackalloc V[12];
        var di = stackalloc V[12];
        for (int j = 0; j < nd; j++)
        {
            sums[j] = V.Zero;
            for (int e = 0; e < 4; e++) c.Entry(op, op.Derivatives[j] + e, b0, out dr[4 * j + e], out di[4 * j + e]);
        }
        for (long t = 0; t < 1L << (n - 1); t++)
        {
            long i0 = InsertZero(t, op.Q0);
            if ((i0 & cm) != cm) continue;
            long i1 = i0 | bit;
            T* a0 = pr + i0 * w, a1 = pr + i1 * w, l0 = lr + i0 * w, l1 = lr + i1 * w;
            if (pi == null || op.RealEntries)
            {
                // Real entries: the real plane, then (for a complex state) the imaginary plane the same way.
                RealPairStep(a0, a1, l0, l1, u00r, u01r, u10r, u11r, dr, nd, sums);
                if (pi != null) RealPairStep(pi + i0 * w, pi + i1 * w, li + i0 * w, li + i1 * w, u00r, u01r, u10r, u11r, dr, nd, sums);
            }
            else
            {
                T* a0i = pi + i0 * w, a1i = pi + i1 * w, l0i = li + i0 * w, l1i = li + i1 * w;
                V ar = V.Load(a0), ai = V.Load(a0i), br = V.Load(a1), bi = V.Load(a1i);
                MulAdd(u00r, u00i, ar, ai, u01r, u01i, br, bi, out var xr, out var xi);
                MulAdd(u10r, u10i, ar, ai, u11r, u11i, br, bi, out var yr, out var yi);
                V.Store(xr, a0); V.Store(xi, a0i); V.Store(yr, a1); V.Store(yi, a1i);
                V lr0 = V.Load(l0), li0 = V.Load(l0i), lr1 = V.Load(l1), li1 = V.Load(l1i);
                for (int j = 0; j < nd; j++)
                {
                    MulAdd(dr[4 * j], di[4 * j], xr, xi, dr[4 * j + 1], di[4 * j + 1], yr, yi, out var m0r, out var m0i);
                    MulAdd(dr[4 * j + 2], di[4 * j + 2], xr, xi, dr[4 * j + 3], di[4 * j + 3], yr, yi, out var m1r, out var m1i);
                    sums[j] = V.Fma(li1, m1i, V.Fma(lr1, m1r, V.Fma(li0, m0i, V.Fma(lr0, m0r, sums[j]))));
                }
                MulAdd(u00r, u00i, lr0, li0, u01r, u01i, lr1, li1, out var nr0, out var ni0);
                MulAdd(u10r, u10i, lr0, li0, u11r, u11i, lr1, li1, out var nr1, out var ni1);
                V.Store(nr0, l0); V.Store(ni0, l0i); V.Store(nr1, l1); V.Store(ni1, l1i);
            }
        }
    }

    /// <summary>One amplitude pair of one plane under a real 2×2 op: ψ ← U†ψ, sums_j += λ·D_jψ, λ ← U†λ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RealPairStep(T* a0, T* a1, T* l0, T* l1, V u00, V u01, V u10, V u11, V* dr, int nd, V* sums)
    {
        V ar = V.Load(a0), br = V.Load(a1);
        V xr = V.Fma(u01, br, u00 * ar), yr = V.Fma(u11, br, u10 * ar);
        V.Store(xr, a0); V.Store(yr, a1);
        V lam0 = V.Load(l0), lam1 = V.Load(l1);
        for (int j = 0; j < nd; j++)
        {
            V m0 = V.Fma(dr[4 * j + 1], yr, dr[4 * j] * xr), m1 = V.Fma(dr[4 * j + 3], yr, dr[4 * j + 2] * xr);
            sums[j] = V.Fma(lam1, m1, V.Fma(lam0, m0, sums[j]));
        }
        V.Store(V.Fma(u01, lam1, u00 * lam0), l0);
        V.Store(V.Fma(u11, lam1, u10 * lam0), l1);
    }

    /// <summary>Re⟨λ|Dφ⟩ per lane, D the derivative core at <paramref name="entry"/> (same shape as the op) acting where the controls are 1.</summary>
    private static V DerivativeProduct(in Context c, int b0, SmallOp op, int entry, T* pr, T* pi, T* lr, T* li)
    {
        int n = c.P.Qubits, w = V.Count;
        long cm = op.ControlMask;
        V acc = V.Zero;
        switch (op.Kind)
        {
            case SmallOpKind.Diagonal1:
            case SmallOpKind.Diagonal2:
            {
                int size = op.Size;
                var dr = stackalloc V[size];
                var di = stackalloc V[size];
                for (int e = 0; e < size; e++) c.Entry(op, entry + e, b0, out dr[e], out di[e]);
                for (long i = 0; i < 1L << n; i++)
                {
                    if ((i & cm) != cm) continue;
                    int e = DiagonalIndex(op, i);
                    V xr = V.Load(pr + i * w), yr = V.Load(lr + i * w);
                    if (pi == null)
                    {
                        acc = V.Fma(yr, dr[e] * xr, acc);
                    }
                    else
                    {
                        Mul(dr[e], di[e], xr, V.Load(pi + i * w), out var zr, out var zi);
                        acc = V.Fma(V.Load(li + i * w), zi, V.Fma(yr, zr, acc));
                    }
                }
                return acc;
            }
            case SmallOpKind.Matrix1:
            {
                c.Entry(op, entry, b0, out var m00r, out var m00i);
                c.Entry(op, entry + 1, b0, out var m01r, out var m01i);
                c.Entry(op, entry + 2, b0, out var m10r, out var m10i);
                c.Entry(op, entry + 3, b0, out var m11r, out var m11i);
                long bit = 1L << op.Q0;
                for (long t = 0; t < 1L << (n - 1); t++)
                {
                    long i0 = InsertZero(t, op.Q0);
                    if ((i0 & cm) != cm) continue;
                    long i1 = i0 | bit;
                    V ar = V.Load(pr + i0 * w), br = V.Load(pr + i1 * w);
                    if (pi == null)
                    {
                        acc = V.Fma(V.Load(lr + i0 * w), V.Fma(m01r, br, m00r * ar), acc);
                        acc = V.Fma(V.Load(lr + i1 * w), V.Fma(m11r, br, m10r * ar), acc);
                    }
                    else
                    {
                        V ai = V.Load(pi + i0 * w), bi = V.Load(pi + i1 * w);
                        MulAdd(m00r, m00i, ar, ai, m01r, m01i, br, bi, out var xr, out var xi);
                        MulAdd(m10r, m10i, ar, ai, m11r, m11i, br, bi, out var yr, out var yi);
                        acc = V.Fma(V.Load(lr + i0 * w), xr, acc);
                        acc = V.Fma(V.Load(li + i0 * w), xi, acc);
                        acc = V.Fma(V.Load(lr + i1 * w), yr, acc);
                        acc = V.Fma(V.Load(li + i1 * w), yi, acc);
                    }
                }
                return acc;
            }
            default: // Matrix2
            {
                var mr = stackalloc V[16];
                var mi = stackalloc V[16];
                for (int e = 0; e < 16; e++) c.Entry(op, entry + e, b0, out mr[e], out mi[e]);
                long bit0 = 1L << op.Q0, bit1 = 1L << op.Q1;
                int lo = Math.Min(op.Q0, op.Q1), hi = Math.Max(op.Q0, op.Q1);
                var xr = stackalloc V[4];
                var xi = stackalloc V[4];
                Span<long> idx = stackalloc long[4];
                for (long t = 0; t < 1L << (n - 2); t++)
                {
                    long i0 = InsertZero(InsertZero(t, lo), hi);
                    if ((i0 & cm) != cm) continue;
                    Gather4(pr, pi, i0, bit0, bit1, idx, xr, xi);
                    for (int r = 0; r < 4; r++)
                    {
                        Row4(mr, mi, xr, xi, r, out var sr, out var si);
                        acc = V.Fma(V.Load(lr + idx[r] * w), sr, acc);
                        if (li != null) acc = V.Fma(V.Load(li + idx[r] * w), si, acc);
                    }
                }
                return acc;
            }
        }
    }
}
