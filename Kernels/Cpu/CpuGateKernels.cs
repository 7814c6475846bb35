using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>
/// Gate kernels of the CPU accelerator on split-plane, batch-innermost states (see <see cref="BatchedState{T}"/>).
/// Each kernel sweeps contiguous rows with the widest SIMD register available; rows shorter than a register
/// (low target qubits of a single state) take the scalar remainder path of the same code.
/// </summary>
internal static unsafe class CpuGateKernels<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // ------------------------------------------------------------------ dense, one matrix for the batch

    public static void Dense(T* re, T* im, int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrix)
    {
        var layout = new GateLayout(qubits, batch, targets, controls);
        if (targets.Length == 1 && CpuLowQubitKernels<T>.Applies(qubits, batch, (long)batch << targets[0]))
        {
            CpuLowQubitKernels<T>.Dense1(re, im, qubits, batch, targets[0], controls, matrix);
            return;
        }
        if (targets.Length <= 3 && CpuLowQubitKernels<T>.Applies(qubits, batch, layout.Chunk))
        {
            CpuLowQubitKernels<T>.Dense(re, im, qubits, batch, targets, controls, matrix);
            return;
        }
        int k = targets.Length;
        int dim = 1 << k;
        var mr = new T[dim * dim];
        var mi = new T[dim * dim];
        for (int i = 0; i < mr.Length; i++)
        {
            mr[i] = T.CreateTruncating(matrix[i].Real);
            mi[i] = T.CreateTruncating(matrix[i].Imaginary);
        }
        if (Vector512.IsHardwareAccelerated) DenseShared<Vec512<T>>(re, im, layout, mr, mi);
        else if (Vector256.IsHardwareAccelerated) DenseShared<Vec256<T>>(re, im, layout, mr, mi);
        else DenseShared<VecScalar<T>>(re, im, layout, mr, mi);
    }

    private static void DenseShared<TV>(T* re, T* im, GateLayout layout, T[] mr, T[] mi) where TV : unmanaged, IVec<TV, T>
    {
        long[] offsets = layout.TargetOffsets;
        long chunk = layout.Chunk;
        CpuParallel.ForGroups(layout.Groups, chunk, chunk * offsets.Length, (g0, g1, e0, e1) =>
        {
            fixed (T* pr = mr, pi = mi)
            {
                if (offsets.Length == 2)
                {
                    var m = new Mat2<TV>(pr, pi);
                    var ms = new Mat2<VecScalar<T>>(pr, pi);
                    for (long g = g0; g < g1; g++)
                    {
                        long b0 = layout.GroupBase(g);
                        T* r0 = re + b0, i0 = im + b0, r1 = r0 + offsets[1], i1 = i0 + offsets[1];
                        long e = e0;
                        for (; e + TV.Count <= e1; e += TV.Count)
                        {
                            Prefetch.Ahead(r0 + e);
                            Prefetch.Ahead(i0 + e);
                            Prefetch.Ahead(r1 + e);
                            Prefetch.Ahead(i1 + e);
                            m.Apply(r0 + e, i0 + e, r1 + e, i1 + e);
                        }
                        for (; e < e1; e++) ms.Apply(r0 + e, i0 + e, r1 + e, i1 + e);
                    }
                }
                else if (offsets.Length == 4)
                {
                    TV* m = stackalloc TV[32];
                    for (int x = 0; x < 16; x++)
                    {
                        m[2 * x] = TV.Broadcast(pr[x]);
                        m[2 * x + 1] = TV.Broadcast(pi[x]);
                    }
                    long o1 = offsets[1], o2 = offsets[2], o3 = offsets[3];
                    VecScalar<T>* sr = stackalloc VecScalar<T>[4];
                    VecScalar<T>* si = stackalloc VecScalar<T>[4];
                    for (long g = g0; g < g1; g++)
                    {
                        long b0 = layout.GroupBase(g);
                        long e = e0;
                        for (; e + TV.Count <= e1; e += TV.Count)
                        {
                            T* pr0 = re + b0 + e, pi0 = im + b0 + e;
                            Prefetch.Ahead(pr0); Prefetch.Ahead(pr0 + o1); Prefetch.Ahead(pr0 + o2); Prefetch.Ahead(pr0 + o3);
                            Prefetch.Ahead(pi0); Prefetch.Ahead(pi0 + o1); Prefetch.Ahead(pi0 + o2); Prefetch.Ahead(pi0 + o3);
                            Apply4(pr0, pi0, o1, o2, o3, m);
                        }
                        for (; e < e1; e++) DenseStep(re + b0 + e, im + b0 + e, offsets, pr, pi, sr, si);
                    }
                }
                else
                {
                    int dim = offsets.Length;
                    TV* vr = stackalloc TV[dim];
                    TV* vi = stackalloc TV[dim];
                    VecScalar<T>* sr = stackalloc VecScalar<T>[dim];
                    VecScalar<T>* si = stackalloc VecScalar<T>[dim];
                    for (long g = g0; g < g1; g++)
                    {
                        long b0 = layout.GroupBase(g);
                        long e = e0;
                        for (; e + TV.Count <= e1; e += TV.Count) DenseStep(re + b0 + e, im + b0 + e, offsets, pr, pi, vr, vi);
                        for (; e < e1; e++) DenseStep(re + b0 + e, im + b0 + e, offsets, pr, pi, sr, si);
                    }
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DenseStep<TV>(T* re, T* im, long[] offsets, T* mr, T* mi, TV* vr, TV* vi) where TV : unmanaged, IVec<TV, T>
    {
        int dim = offsets.Length;
        for (int c = 0; c < dim; c++)
        {
            vr[c] = TV.Load(re + offsets[c]);
            vi[c] = TV.Load(im + offsets[c]);
        }
        for (int r = 0; r < dim; r++)
        {
            TV accR = TV.Zero, accI = TV.Zero;
            T* rowR = mr + r * dim, rowI = mi + r * dim;
            for (int c = 0; c < dim; c++)
            {
                TV cr = TV.Broadcast(rowR[c]), ci = TV.Broadcast(rowI[c]);
                accR = TV.Fnma(ci, vi[c], TV.Fma(cr, vr[c], accR));
                accI = TV.Fma(ci, vr[c], TV.Fma(cr, vi[c], accI));
            }
            TV.Store(accR, re + offsets[r]);
            TV.Store(accI, im + offsets[r]);
        }
    }

    /// <summary>One register of each of the four rows of a 2-qubit gate; <paramref name="m"/> holds the 16 entries broadcast, (re, im) interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply4<TV>(T* re, T* im, long o1, long o2, long o3, TV* m) where TV : unmanaged, IVec<TV, T>
    {
        TV r0 = TV.Load(re), i0 = TV.Load(im);
        TV r1 = TV.Load(re + o1), i1 = TV.Load(im + o1);
        TV r2 = TV.Load(re + o2), i2 = TV.Load(im + o2);
        TV r3 = TV.Load(re + o3), i3 = TV.Load(im + o3);
        for (int r = 0; r < 4; r++)
        {
            TV* c = m + 8 * r;
            TV nr = TV.Fnma(c[7], i3, TV.Fma(c[6], r3, TV.Fnma(c[5], i2, TV.Fma(c[4], r2, TV.Fnma(c[3], i1, TV.Fma(c[2], r1, TV.Fnma(c[1], i0, c[0] * r0)))))));
            TV ni = TV.Fma(c[7], r3, TV.Fma(c[6], i3, TV.Fma(c[5], r2, TV.Fma(c[4], i2, TV.Fma(c[3], r1, TV.Fma(c[2], i1, TV.Fma(c[1], r0, c[0] * i0)))))));
            long o = r == 0 ? 0 : r == 1 ? o1 : r == 2 ? o2 : o3;
            TV.Store(nr, re + o);
            TV.Store(ni, im + o);
        }
    }

    /// <summary>A 2×2 complex matrix broadcast into registers once per call.</summary>
    private readonly struct Mat2<TV> where TV : unmanaged, IVec<TV, T>
    {
        private readonly TV _r00, _i00, _r01, _i01, _r10, _i10, _r11, _i11;

        public Mat2(T* mr, T* mi)
        {
            _r00 = TV.Broadcast(mr[0]); _i00 = TV.Broadcast(mi[0]);
            _r01 = TV.Broadcast(mr[1]); _i01 = TV.Broadcast(mi[1]);
            _r10 = TV.Broadcast(mr[2]); _i10 = TV.Broadcast(mi[2]);
            _r11 = TV.Broadcast(mr[3]); _i11 = TV.Broadcast(mi[3]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(T* r0, T* i0, T* r1, T* i1)
        {
            TV ar = TV.Load(r0), ai = TV.Load(i0), br = TV.Load(r1), bi = TV.Load(i1);
            TV nr0 = TV.Fnma(_i01, bi, TV.Fma(_r01, br, TV.Fnma(_i00, ai, _r00 * ar)));
            TV ni0 = TV.Fma(_i01, br, TV.Fma(_r01, bi, TV.Fma(_i00, ar, _r00 * ai)));
            TV nr1 = TV.Fnma(_i11, bi, TV.Fma(_r11, br, TV.Fnma(_i10, ai, _r10 * ar)));
            TV ni1 = TV.Fma(_i11, br, TV.Fma(_r11, bi, TV.Fma(_i10, ar, _r10 * ai)));
            TV.Store(nr0, r0); TV.Store(ni0, i0); TV.Store(nr1, r1); TV.Store(ni1, i1);
        }
    }

    // ------------------------------------------------------------------ dense, one matrix per sample

    public static void DensePerSample(T* re, T* im, int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrices)
    {
        var layout = new GateLayout(qubits, batch, targets, controls);
        int dim = 1 << targets.Length, dd = dim * dim;
        // Coefficients transposed to structure-of-arrays: entry (r, c) of sample b at (r·dim + c)·B + b.
        var mr = new T[dd * batch];
        var mi = new T[dd * batch];
        for (int b = 0; b < batch; b++)
        {
            for (int x = 0; x < dd; x++)
            {
                Complex v = matrices[b * dd + x];
                mr[x * batch + b] = T.CreateTruncating(v.Real);
                mi[x * batch + b] = T.CreateTruncating(v.Imaginary);
            }
        }
        if (Vector512.IsHardwareAccelerated) DensePerSample<Vec512<T>>(re, im, layout, mr, mi);
        else if (Vector256.IsHardwareAccelerated) DensePerSample<Vec256<T>>(re, im, layout, mr, mi);
        else DensePerSample<VecScalar<T>>(re, im, layout, mr, mi);
    }

    private static void DensePerSample<TV>(T* re, T* im, GateLayout layout, T[] mr, T[] mi) where TV : unmanaged, IVec<TV, T>
    {
        long[] offsets = layout.TargetOffsets;
        int batch = layout.Batch, dim = offsets.Length;
        long rowsPerGroup = 1L << layout.LowQubit;
        CpuParallel.For(layout.Groups, layout.Chunk * dim, (_, g0, g1) =>
        {
            fixed (T* pr = mr, pi = mi)
            {
                TV* vr = stackalloc TV[dim];
                TV* vi = stackalloc TV[dim];
                VecScalar<T>* sr = stackalloc VecScalar<T>[dim];
                VecScalar<T>* si = stackalloc VecScalar<T>[dim];
                for (long g = g0; g < g1; g++)
                {
                    long gb = layout.GroupBase(g);
                    for (long j = 0; j < rowsPerGroup; j++)
                    {
                        long rb = gb + j * batch;
                        int b = 0;
                        for (; b + TV.Count <= batch; b += TV.Count) PerSampleStep(re + rb + b, im + rb + b, offsets, pr + b, pi + b, batch, vr, vi);
                        for (; b < batch; b++) PerSampleStep(re + rb + b, im + rb + b, offsets, pr + b, pi + b, batch, sr, si);
                    }
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PerSampleStep<TV>(T* re, T* im, long[] offsets, T* mr, T* mi, int batch, TV* vr, TV* vi) where TV : unmanaged, IVec<TV, T>
    {
        int dim = offsets.Length;
        for (int c = 0; c < dim; c++)
        {
            vr[c] = TV.Load(re + offsets[c]);
            vi[c] = TV.Load(im + offsets[c]);
        }
        for (int r = 0; r < dim; r++)
        {
            TV accR = TV.Zero, accI = TV.Zero;
            for (int c = 0; c < dim; c++)
            {
                long x = (long)(r * dim + c) * batch;
                TV cr = TV.Load(mr + x), ci = TV.Load(mi + x);
                accR = TV.Fnma(ci, vi[c], TV.Fma(cr, vr[c], accR));
                accI = TV.Fma(ci, vr[c], TV.Fma(cr, vi[c], accI));
            }
            TV.Store(accR, re + offsets[r]);
            TV.Store(accI, im + offsets[r]);
        }
    }

    // ------------------------------------------------------------------ diagonal

    public static void Diagonal(T* re, T* im, int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonal)
    {
        int[] order = GateMath.DiagonalOrder(targets, controls);
        Complex[] full = GateMath.FoldControls(diagonal, targets.Length, controls.Length, 1);
        if (CpuLowQubitKernels<T>.Applies(qubits, batch, (long)batch << order.Min()))
        {
            CpuLowQubitKernels<T>.Diagonal(re, im, qubits, batch, order, full);
            return;
        }
        var dr = new T[full.Length];
        var di = new T[full.Length];
        for (int x = 0; x < full.Length; x++)
        {
            dr[x] = T.CreateTruncating(full[x].Real);
            di[x] = T.CreateTruncating(full[x].Imaginary);
        }
        if (Vector512.IsHardwareAccelerated) DiagonalShared<Vec512<T>>(re, im, qubits, batch, order, dr, di);
        else if (Vector256.IsHardwareAccelerated) DiagonalShared<Vec256<T>>(re, im, qubits, batch, order, dr, di);
        else DiagonalShared<VecScalar<T>>(re, im, qubits, batch, order, dr, di);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Extract(long i, int[] order)
    {
        int d = 0;
        for (int j = 0; j < order.Length; j++) d |= (int)((i >> order[j]) & 1) << j;
        return d;
    }

    private static void DiagonalShared<TV>(T* re, T* im, int qubits, int batch, int[] order, T[] dr, T[] di) where TV : unmanaged, IVec<TV, T>
    {
        int qmin = order.Min();
        long chunk = (long)batch << qmin;
        long runs = 1L << (qubits - qmin);
        CpuParallel.ForGroups(runs, chunk, chunk, (r0, r1, e0, e1) =>
        {
            for (long run = r0; run < r1; run++)
            {
                int d = Extract(run << qmin, order);
                T cr = dr[d], ci = di[d];
                if (cr == T.One && ci == T.Zero) continue;
                T* pr = re + run * chunk, pi = im + run * chunk;
                TV vcr = TV.Broadcast(cr), vci = TV.Broadcast(ci);
                long e = e0;
                for (; e + TV.Count <= e1; e += TV.Count) MulStep(pr + e, pi + e, vcr, vci);
                var scr = VecScalar<T>.Broadcast(cr);
                var sci = VecScalar<T>.Broadcast(ci);
                for (; e < e1; e++) MulStep(pr + e, pi + e, scr, sci);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulStep<TV>(T* pr, T* pi, TV cr, TV ci) where TV : unmanaged, IVec<TV, T>
    {
        TV ar = TV.Load(pr), ai = TV.Load(pi);
        TV.Store(TV.Fnma(ci, ai, cr * ar), pr);
        TV.Store(TV.Fma(ci, ar, cr * ai), pi);
    }

    public static void DiagonalPerSample(T* re, T* im, int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonals)
    {
        int[] order = GateMath.DiagonalOrder(targets, controls);
        int fullSize = 1 << order.Length;
        Complex[] full = GateMath.FoldControls(diagonals, targets.Length, controls.Length, batch);
        // Structure-of-arrays: entry d of sample b at d·B + b.
        var dr = new T[(long)fullSize * batch];
        var di = new T[(long)fullSize * batch];
        for (int b = 0; b < batch; b++)
        {
            for (int d = 0; d < fullSize; d++)
            {
                Complex v = full[(long)b * fullSize + d];
                dr[(long)d * batch + b] = T.CreateTruncating(v.Real);
                di[(long)d * batch + b] = T.CreateTruncating(v.Imaginary);
            }
        }
        if (Vector512.IsHardwareAccelerated) DiagonalPerSample<Vec512<T>>(re, im, qubits, batch, order, dr, di);
        else if (Vector256.IsHardwareAccelerated) DiagonalPerSample<Vec256<T>>(re, im, qubits, batch, order, dr, di);
        else DiagonalPerSample<VecScalar<T>>(re, im, qubits, batch, order, dr, di);
    }

    internal static void DiagonalPerSample<TV>(T* re, T* im, int qubits, int batch, int[] order, T[] dr, T[] di) where TV : unmanaged, IVec<TV, T>
    {
        long rows = 1L << qubits;
        CpuParallel.For(rows, batch, (_, i0, i1) =>
        {
            fixed (T* pdr = dr, pdi = di)
            {
                for (long i = i0; i < i1; i++)
                {
                    long d = (long)Extract(i, order) * batch;
                    T* pr = re + i * batch, pi = im + i * batch;
                    int b = 0;
                    for (; b + TV.Count <= batch; b += TV.Count) MulStep(pr + b, pi + b, TV.Load(pdr + d + b), TV.Load(pdi + d + b));
                    for (; b < batch; b++) MulStep(pr + b, pi + b, VecScalar<T>.Load(pdr + d + b), VecScalar<T>.Load(pdi + d + b));
                }
            }
        });
    }

    // ------------------------------------------------------------------ swap

    public static void Swap(T* re, T* im, int qubits, int batch, int q0, int q1, ReadOnlySpan<int> controls)
    {
        if (Vector512.IsHardwareAccelerated) Swap<Vec512<T>>(re, im, new GateLayout(qubits, batch, [q0, q1], controls));
        else if (Vector256.IsHardwareAccelerated) Swap<Vec256<T>>(re, im, new GateLayout(qubits, batch, [q0, q1], controls));
        else Swap<VecScalar<T>>(re, im, new GateLayout(qubits, batch, [q0, q1], controls));
    }

    private static void Swap<TV>(T* re, T* im, GateLayout layout) where TV : unmanaged, IVec<TV, T>
    {
        long o1 = layout.TargetOffsets[1], o2 = layout.TargetOffsets[2], chunk = layout.Chunk;
        CpuParallel.ForGroups(layout.Groups, chunk, chunk * 2, (g0, g1, e0, e1) =>
        {
            for (long g = g0; g < g1; g++)
            {
                long gb = layout.GroupBase(g) + e0;
                SwapRun<TV>(re + gb + o1, re + gb + o2, e1 - e0);
                SwapRun<TV>(im + gb + o1, im + gb + o2, e1 - e0);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapRun<TV>(T* a, T* b, long n) where TV : unmanaged, IVec<TV, T>
    {
        long e = 0;
        for (; e + TV.Count <= n; e += TV.Count)
        {
            TV x = TV.Load(a + e), y = TV.Load(b + e);
            TV.Store(y, a + e);
            TV.Store(x, b + e);
        }
        for (; e < n; e++) (a[e], b[e]) = (b[e], a[e]);
    }
}
