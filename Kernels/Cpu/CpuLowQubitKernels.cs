using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSim.Kernels.Cpu;

/// <summary>
/// AVX-512 kernels for gates whose rows are shorter than one register: low target qubits of a single state or of a
/// small power-of-two batch. Partners of a 1-qubit gate sit in the same register, so the kernel permutes lanes
/// (lane l pairs with l xor stride) and multiplies by per-lane coefficient vectors; controls below the register width
/// become identity coefficients on the lanes where they are 0. Diagonals use one coefficient vector per setting of
/// their bits above the register width. Every register is read and written once: a full-speed streaming pass.
/// </summary>
internal static unsafe class CpuLowQubitKernels<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static int W => Vector512<T>.Count;

    private static int Log2W => BitOperations.Log2((uint)W);

    /// <summary>Whether a gate whose lowest touched qubit gives rows of <paramref name="chunk"/> elements should take this path.</summary>
    public static bool Applies(int qubits, int batch, long chunk) =>
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated && chunk < W
        && BitOperations.IsPow2(batch) && ((long)batch << qubits) >= W;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Permute(Vector512<T> v, Vector512<T> index)
    {
        if (typeof(T) == typeof(double)) return Avx512F.PermuteVar8x64(v.AsDouble(), index.AsInt64()).As<double, T>();
        return Avx512F.PermuteVar16x32(v.AsSingle(), index.AsInt32()).As<float, T>();
    }

    private static Vector512<T> XorIndex(int stride)
    {
        if (typeof(T) == typeof(double))
        {
            Span<long> idx = stackalloc long[8];
            for (int l = 0; l < 8; l++) idx[l] = l ^ stride;
            return Vector512.Create<long>(idx).As<long, T>();
        }
        Span<int> idx32 = stackalloc int[16];
        for (int l = 0; l < 16; l++) idx32[l] = l ^ stride;
        return Vector512.Create<int>(idx32).As<int, T>();
    }

    /// <summary>Splits element bit positions into those inside one register and those above it.</summary>
    private static (long lowMask, int[] high) Split(ReadOnlySpan<int> qubits, int log2Batch)
    {
        long low = 0;
        var high = new List<int>();
        foreach (int q in qubits)
        {
            int pos = q + log2Batch;
            if (pos < Log2W) low |= 1L << pos;
            else high.Add(pos - Log2W);
        }
        high.Sort();
        return (low, high.ToArray());
    }

    /// <summary>A 2×2 matrix on a target whose partner lies in the same register (the k = 1 case, kept in registers).</summary>
    public static void Dense1(T* re, T* im, int qubits, int batch, int target, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> m)
    {
        int log2B = BitOperations.Log2((uint)batch);
        int stride = 1 << (target + log2B);
        var (lowControls, highControls) = Split(controls, log2B);
        Span<T> sr = stackalloc T[W], si = stackalloc T[W], pr = stackalloc T[W], pi = stackalloc T[W];
        for (int l = 0; l < W; l++)
        {
            bool active = (l & lowControls) == lowControls;
            int bit = (l & stride) == 0 ? 0 : 1;
            Complex self = active ? m[bit * 3] : Complex.One;
            Complex part = active ? m[bit == 0 ? 1 : 2] : Complex.Zero;
            sr[l] = T.CreateTruncating(self.Real); si[l] = T.CreateTruncating(self.Imaginary);
            pr[l] = T.CreateTruncating(part.Real); pi[l] = T.CreateTruncating(part.Imaginary);
        }
        var cSr = Vector512.Create<T>(sr); var cSi = Vector512.Create<T>(si);
        var cPr = Vector512.Create<T>(pr); var cPi = Vector512.Create<T>(pi);
        var index = XorIndex(stride);
        long highMask = 0;
        foreach (int h in highControls) highMask |= 1L << h;
        long blocks = (((long)batch << qubits) >> Log2W) >> highControls.Length;
        CpuParallel.For(blocks, W, (_, j0, j1) =>
        {
            for (long j = j0; j < j1; j++)
            {
                long block = j;
                foreach (int p in highControls) block = ((block >> p) << (p + 1)) | (block & ((1L << p) - 1));
                long e = (block | highMask) << Log2W;
                var vr = Vector512.Load(re + e);
                var vi = Vector512.Load(im + e);
                var wr = Permute(vr, index);
                var wi = Permute(vi, index);
                var nr = cSr * vr - cSi * vi + cPr * wr - cPi * wi;
                var ni = cSr * vi + cSi * vr + cPr * wi + cPi * wr;
                nr.Store(re + e);
                ni.Store(im + e);
            }
        });
    }

    /// <summary>
    /// A 2^k×2^k matrix where at least one target's partner lies in the same register. Targets inside the register
    /// ("low") are reached by lane permutations, targets above it ("high") by loading one register per setting.
    /// </summary>
    public static void Dense(T* re, T* im, int qubits, int batch, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> m)
    {
        int log2B = BitOperations.Log2((uint)batch);
        int k = targets.Length, dim = 1 << k;
        var lowJ = new List<int>();
        var highJ = new List<int>();
        for (int j = 0; j < k; j++) (targets[j] + log2B < Log2W ? lowJ : highJ).Add(j);
        int nl = lowJ.Count, nh = highJ.Count, hs = 1 << nh, ls = 1 << nl;
        var (lowControls, highControls) = Split(controls, log2B);
        long lowTargetLanes = 0;
        foreach (int j in lowJ) lowTargetLanes |= 1L << (targets[j] + log2B);

        // Permutation cl: every lane reads the lane with its low-target bits replaced by setting cl.
        var perm = new T[ls * W];
        for (int cl = 0; cl < ls; cl++)
        {
            for (int l = 0; l < W; l++)
            {
                long src = l & ~lowTargetLanes;
                for (int x = 0; x < nl; x++) if (((cl >> x) & 1) != 0) src |= 1L << (targets[lowJ[x]] + log2B);
                if (typeof(T) == typeof(double)) Unsafe.As<T, long>(ref perm[cl * W + l]) = src;
                else Unsafe.As<T, int>(ref perm[cl * W + l]) = (int)src;
            }
        }
        // Coefficient (rh, ch, cl) per lane: the matrix entry linking this lane's row to input (ch, cl).
        int nc = hs * hs * ls;
        var cr = new T[nc * W];
        var ci = new T[nc * W];
        for (int rh = 0; rh < hs; rh++)
        {
            for (int ch = 0; ch < hs; ch++)
            {
                for (int cl = 0; cl < ls; cl++)
                {
                    int slot = ((rh * hs) + ch) * ls + cl;
                    for (int l = 0; l < W; l++)
                    {
                        int tl = 0;
                        for (int x = 0; x < nl; x++) tl |= (int)((l >> (targets[lowJ[x]] + log2B)) & 1) << x;
                        int row = Compose(rh, tl), col = Compose(ch, cl);
                        bool active = (l & lowControls) == lowControls;
                        Complex v = active ? m[row * dim + col] : (row == col ? Complex.One : Complex.Zero);
                        cr[slot * W + l] = T.CreateTruncating(v.Real);
                        ci[slot * W + l] = T.CreateTruncating(v.Imaginary);
                    }
                }
            }
        }

        int Compose(int h, int lo)
        {
            int index = 0;
            for (int x = 0; x < nh; x++) index |= ((h >> x) & 1) << highJ[x];
            for (int x = 0; x < nl; x++) index |= ((lo >> x) & 1) << lowJ[x];
            return index;
        }

        // Block space: one block is one register; high targets and high controls are bits of the block index.
        var blockInvolved = new List<int>(highControls);
        foreach (int j in highJ) blockInvolved.Add(targets[j] + log2B - Log2W);
        blockInvolved.Sort();
        long highControlMask = 0;
        foreach (int h in highControls) highControlMask |= 1L << h;
        var highOffsets = new long[hs];
        for (int h = 0; h < hs; h++)
        {
            for (int x = 0; x < nh; x++) if (((h >> x) & 1) != 0) highOffsets[h] |= 1L << (targets[highJ[x]] + log2B);
        }
        long blockFree = 0;
        {
            long all = (((long)batch << qubits) >> Log2W) - 1;
            long inv = 0;
            foreach (int p in blockInvolved) inv |= 1L << p;
            blockFree = all & ~inv;
        }
        long groups = (((long)batch << qubits) >> Log2W) >> blockInvolved.Count;
        int slots = hs * ls;
        if (slots <= 4)
        {
            // Up to four (register, permutation) inputs, kept in registers; unused inputs have zero coefficients.
            var srcOff = new long[4];
            var permIndex = new T[4 * W];
            var c4r = new T[hs * 4 * W];
            var c4i = new T[hs * 4 * W];
            for (int x = 0; x < 4; x++)
            {
                int ch = x < slots ? x / ls : 0, cl = x < slots ? x % ls : 0;
                srcOff[x] = highOffsets[ch];
                Array.Copy(perm, cl * W, permIndex, x * W, W);
                for (int rh = 0; rh < hs; rh++)
                {
                    if (x >= slots) continue;
                    Array.Copy(cr, (((rh * hs) + ch) * ls + cl) * W, c4r, (rh * 4 + x) * W, W);
                    Array.Copy(ci, (((rh * hs) + ch) * ls + cl) * W, c4i, (rh * 4 + x) * W, W);
                }
            }
            CpuParallel.For(groups, W * hs, (_, g0, g1) =>
            {
                fixed (T* pPerm = permIndex, pcr = c4r, pci = c4i)
                fixed (long* pOff = highOffsets)
                {
                    var p0 = Vector512.Load(pPerm); var p1 = Vector512.Load(pPerm + W);
                    var p2 = Vector512.Load(pPerm + 2 * W); var p3 = Vector512.Load(pPerm + 3 * W);
                    long s0 = srcOff[0], s1 = srcOff[1], s2 = srcOff[2], s3 = srcOff[3];
                    for (long g = g0; g < g1; g++)
                    {
                        long e = (BlockIndex(g, blockFree, blockInvolved) | highControlMask) << Log2W;
                        T* r = re + e, i = im + e;
                        var v0r = Permute(Vector512.Load(r + s0), p0); var v0i = Permute(Vector512.Load(i + s0), p0);
                        var v1r = Permute(Vector512.Load(r + s1), p1); var v1i = Permute(Vector512.Load(i + s1), p1);
                        var v2r = Permute(Vector512.Load(r + s2), p2); var v2i = Permute(Vector512.Load(i + s2), p2);
                        var v3r = Permute(Vector512.Load(r + s3), p3); var v3i = Permute(Vector512.Load(i + s3), p3);
                        for (int rh = 0; rh < hs; rh++)
                        {
                            T* a = pcr + rh * 4 * W, b = pci + rh * 4 * W;
                            var a0 = Vector512.Load(a); var b0 = Vector512.Load(b);
                            var a1 = Vector512.Load(a + W); var b1 = Vector512.Load(b + W);
                            var a2 = Vector512.Load(a + 2 * W); var b2 = Vector512.Load(b + 2 * W);
                            var a3 = Vector512.Load(a + 3 * W); var b3 = Vector512.Load(b + 3 * W);
                            var nr = a0 * v0r - b0 * v0i + a1 * v1r - b1 * v1i + a2 * v2r - b2 * v2i + a3 * v3r - b3 * v3i;
                            var ni = a0 * v0i + b0 * v0r + a1 * v1i + b1 * v1r + a2 * v2i + b2 * v2r + a3 * v3i + b3 * v3r;
                            nr.Store(r + pOff[rh]);
                            ni.Store(i + pOff[rh]);
                        }
                    }
                }
            });
            return;
        }
        CpuParallel.For(groups, W * hs, (_, g0, g1) =>
        {
            fixed (T* pPerm = perm, pcr = cr, pci = ci)
            fixed (long* pOff = highOffsets)
            {
                Vector512<T>* vr = stackalloc Vector512<T>[hs * ls];
                Vector512<T>* vi = stackalloc Vector512<T>[hs * ls];
                for (long g = g0; g < g1; g++)
                {
                    long e = (BlockIndex(g, blockFree, blockInvolved) | highControlMask) << Log2W;
                    for (int ch = 0; ch < hs; ch++)
                    {
                        var ar = Vector512.Load(re + e + pOff[ch]);
                        var ai = Vector512.Load(im + e + pOff[ch]);
                        for (int cl = 0; cl < ls; cl++)
                        {
                            var index = Vector512.Load(pPerm + cl * W);
                            vr[ch * ls + cl] = Permute(ar, index);
                            vi[ch * ls + cl] = Permute(ai, index);
                        }
                    }
                    for (int rh = 0; rh < hs; rh++)
                    {
                        var nr = Vector512<T>.Zero;
                        var ni = Vector512<T>.Zero;
                        T* sr = pcr + rh * hs * ls * W, si = pci + rh * hs * ls * W;
                        for (int x = 0; x < hs * ls; x++)
                        {
                            var c0 = Vector512.Load(sr + x * W);
                            var c1 = Vector512.Load(si + x * W);
                            nr += c0 * vr[x] - c1 * vi[x];
                            ni += c0 * vi[x] + c1 * vr[x];
                        }
                        nr.Store(re + e + pOff[rh]);
                        ni.Store(im + e + pOff[rh]);
                    }
                }
            }
        });
    }

    /// <summary>The index of the g-th block with every involved block bit zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long BlockIndex(long g, long freeMask, List<int> involved)
    {
        if (Bmi2.X64.IsSupported) return (long)Bmi2.X64.ParallelBitDeposit((ulong)g, (ulong)freeMask);
        long block = g;
        foreach (int p in involved) block = ((block >> p) << (p + 1)) | (block & ((1L << p) - 1));
        return block;
    }

    /// <summary>A diagonal (controls folded in) over <paramref name="order"/>, with at least one bit inside a register.</summary>
    public static void Diagonal(T* re, T* im, int qubits, int batch, int[] order, ReadOnlySpan<Complex> diagonal)
    {
        int log2B = BitOperations.Log2((uint)batch);
        var (_, high) = Split(order, log2B);
        int tables = 1 << high.Length;
        var tr = new T[tables * W];
        var ti = new T[tables * W];
        for (int h = 0; h < tables; h++)
        {
            long blockBits = 0;
            for (int j = 0; j < high.Length; j++) blockBits |= (long)((h >> j) & 1) << high[j];
            for (int l = 0; l < W; l++)
            {
                long i = ((blockBits << Log2W) | (long)l) >> log2B;
                int d = 0;
                for (int j = 0; j < order.Length; j++) d |= (int)((i >> order[j]) & 1) << j;
                tr[h * W + l] = T.CreateTruncating(diagonal[d].Real);
                ti[h * W + l] = T.CreateTruncating(diagonal[d].Imaginary);
            }
        }
        long blocks = ((long)batch << qubits) >> Log2W;
        CpuParallel.For(blocks, W, (_, j0, j1) =>
        {
            fixed (T* ptr = tr, pti = ti)
            {
                for (long j = j0; j < j1; j++)
                {
                    int h = 0;
                    for (int x = 0; x < high.Length; x++) h |= (int)((j >> high[x]) & 1) << x;
                    var cr = Vector512.Load(ptr + h * W);
                    var ci = Vector512.Load(pti + h * W);
                    long e = j << Log2W;
                    var vr = Vector512.Load(re + e);
                    var vi = Vector512.Load(im + e);
                    (cr * vr - ci * vi).Store(re + e);
                    (cr * vi + ci * vr).Store(im + e);
                }
            }
        });
    }
}
