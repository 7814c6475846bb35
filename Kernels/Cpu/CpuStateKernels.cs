using System.Numerics;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>
/// State-space kernels of the CPU accelerator: preparation, transfer, reductions and measurement. Reductions
/// accumulate in double per sample, over fixed row ranges, so results do not vary from run to run.
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
        // Both planes are contiguous in one buffer: length is 2 · plane.
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

    public static void NormSquared(T* re, T* im, long dim, int batch, Span<double> result)
    {
        ReduceRows(dim, batch, 1, (i0, i1, acc) =>
        {
            for (long i = i0; i < i1; i++)
            {
                T* pr = re + i * batch, pi = im + i * batch;
                for (int b = 0; b < batch; b++)
                {
                    double r = double.CreateTruncating(pr[b]), m = double.CreateTruncating(pi[b]);
                    acc[b] += r * r + m * m;
                }
            }
        }, result);
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

    public static void QubitProbability(T* re, T* im, long dim, int batch, int qubit, Span<double> probabilityOne, Span<double> normSquared)
    {
        var sums = new double[2 * batch];
        ReduceRows(dim, batch, 2, (i0, i1, acc) =>
        {
            for (long i = i0; i < i1; i++)
            {
                int offset = ((i >> qubit) & 1) == 0 ? 0 : batch;
                T* pr = re + i * batch, pi = im + i * batch;
                for (int b = 0; b < batch; b++)
                {
                    double r = double.CreateTruncating(pr[b]), m = double.CreateTruncating(pi[b]);
                    acc[offset + b] += r * r + m * m;
                }
            }
        }, sums);
        for (int b = 0; b < batch; b++)
        {
            probabilityOne[b] = sums[batch + b];
            normSquared[b] = sums[b] + sums[batch + b];
        }
    }

    public static void Collapse(T* re, T* im, int qubits, int batch, int qubit, ReadOnlySpan<int> outcomes, ReadOnlySpan<double> probabilityOne, ReadOnlySpan<double> normSquared)
    {
        // A per-sample diagonal on the measured qubit: (1/√p, 0) or (0, 1/√p).
        var dr = new T[2 * batch];
        var di = new T[2 * batch];
        for (int b = 0; b < batch; b++)
        {
            double p = outcomes[b] == 1 ? probabilityOne[b] : normSquared[b] - probabilityOne[b];
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
