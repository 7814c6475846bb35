/* QSim fused small-circuit kernel, shared by the OpenCL and CUDA accelerators (see prelude.h): a whole circuit on
   n <= 12 qubits for a chunk of samples in one launch, writing only the expectation values and, per seed, the adjoint
   gradients. The host side is Kernels/Device/DeviceAccelerator.SmallCircuit.cs; the semantics are exactly those of
   the CPU engine (Kernels/Cpu/SmallCircuitEngine.cs), which is the oracle in the tests.

   One work item per sample (grid-stride over the chunk). Each sample's working states live in the global scratch
   buffer: amplitude i of plane p of the chunk's sample b is scratch[b * sampleStride + (p * 2^n + i) * stride]. The
   host picks the layout: on a GPU sample innermost (stride = chunk size S, sampleStride = 1), so that neighbouring
   work items touch neighbouring addresses (coalesced); on a CPU device each sample's own block (stride = 1,
   sampleStride = planes * 2^n), which a work item running the whole circuit alone walks through its cache. Planes:
   psi (re, im) at 0 and 1, lambda at lambdaPlane, lambdaPlane + 1, the final psi kept for further seeds at
   savedPlane, and the out-of-place target of MatrixK ops at tempPlane (a plane index < 0 is absent). No local/shared
   memory and no barriers: every work item is independent (the CUDA mock driver emulates the grid one thread at a
   time and relies on that).

   Op table (int): one record of QS_SC_FIELDS ints per op, in circuit order, then the lists its records point to
   (derivative entries). Kinds are numbered as SmallOpKind. Entries are complex: shared ones at shared[2e], [2e + 1];
   per-sample ones at perSample[(2e + c) * batch + sample], c = 0 (re) or 1 (im). Terms (int): observable, X mask,
   Z mask per term, with its coefficient in coefficients[]. Seeds: seeds[(s * batch + sample) * observables + k].
   Outputs, in the kernel's precision (the host converts to double): values[k * batch + sample] and
   gradients[(s * occurrences + o) * batch + sample], both sample innermost. */

#define QS_SC_FIELDS 11
#define QS_SC_KIND 0         /* SmallOpKind */
#define QS_SC_Q0 1           /* first target */
#define QS_SC_Q1 2           /* second target or -1 */
#define QS_SC_CONTROLS 3     /* control mask: the op acts where all these bits are 1 */
#define QS_SC_ENTRY 4        /* first entry in the shared or per-sample table (-1 for Not/Swap) */
#define QS_SC_PER_SAMPLE 5   /* 1: entries in the per-sample table */
#define QS_SC_DERIVATIVES 6  /* number of derivative cores */
#define QS_SC_LIST 7         /* index in the op table of their entry indices */
#define QS_SC_OCCURRENCE 8   /* gradient row of the first derivative */
#define QS_SC_K 9            /* MatrixK: number of qubits */
#define QS_SC_MASK 10        /* MatrixK: bit mask of its qubits (ascending qubit j is bit j of a row index) */

#define QS_SC_MATRIX1 0
#define QS_SC_MATRIX2 1
#define QS_SC_DIAGONAL1 2
#define QS_SC_DIAGONAL2 3
#define QS_SC_NOT 4
#define QS_SC_SWAP 5
#define QS_SC_MATRIXK 6

typedef struct
{
    real re;
    real im;
} qs_c;

QS_DEVICE qs_c qs_c_make(real re, real im)
{
    qs_c z;
    z.re = re;
    z.im = im;
    return z;
}

QS_DEVICE qs_c qs_c_conj(qs_c z) { return qs_c_make(z.re, -z.im); }

/* Entry e of an op for this sample. */
QS_DEVICE qs_c qs_sc_entry(QS_CONST real* shared, QS_CONST real* perSample, qs_long batch, qs_long sample, int isPerSample, int e)
{
    if (isPerSample) return qs_c_make(perSample[(qs_long)(2 * e) * batch + sample], perSample[(qs_long)(2 * e + 1) * batch + sample]);
    return qs_c_make(shared[2 * e], shared[2 * e + 1]);
}

/* Inserts a zero bit at position q of t. */
QS_DEVICE int qs_sc_insert_zero(int t, int q) { return ((t >> q) << (q + 1)) | (t & ((1 << q) - 1)); }

QS_DEVICE void qs_sc_swap(QS_GLOBAL real* re, QS_GLOBAL real* im, qs_long stride, int i, int j)
{
    qs_long a = (qs_long)i * stride, b = (qs_long)j * stride;
    real t = re[a];
    re[a] = re[b];
    re[b] = t;
    t = im[a];
    im[a] = im[b];
    im[b] = t;
}

/* Which of the 2 or 4 diagonal entries multiplies amplitude i. */
QS_DEVICE int qs_sc_diagonal_index(int kind, int q0, int q1, int i)
{
    int e = (i >> q0) & 1;
    if (kind == QS_SC_DIAGONAL2) e |= ((i >> q1) & 1) << 1;
    return e;
}

/* Applies the op (or its adjoint) to one sample's state (re, im); MatrixK goes out of place through (tre, tim). */
QS_DEVICE void qs_sc_apply(QS_CONST int* op, int n, int adjoint, QS_GLOBAL real* re, QS_GLOBAL real* im,
                           QS_GLOBAL real* tre, QS_GLOBAL real* tim, qs_long stride,
                           QS_CONST real* shared, QS_CONST real* perSample, qs_long batch, qs_long sample)
{
    int kind = op[QS_SC_KIND], q0 = op[QS_SC_Q0], q1 = op[QS_SC_Q1], cm = op[QS_SC_CONTROLS];
    int entry = op[QS_SC_ENTRY], ps = op[QS_SC_PER_SAMPLE];
    int dim = 1 << n;
    if (kind == QS_SC_NOT)
    {
        int bit = 1 << q0;
        for (int t = 0; t < dim >> 1; ++t)
        {
            int i0 = qs_sc_insert_zero(t, q0);
            if ((i0 & cm) == cm) qs_sc_swap(re, im, stride, i0, i0 | bit);
        }
    }
    else if (kind == QS_SC_SWAP)
    {
        int b0 = 1 << q0, b1 = 1 << q1;
        for (int i = 0; i < dim; ++i)
        {
            if ((i & b0) != 0 && (i & b1) == 0 && (i & cm) == cm) qs_sc_swap(re, im, stride, i, i ^ b0 ^ b1);
        }
    }
    else if (kind == QS_SC_DIAGONAL1 || kind == QS_SC_DIAGONAL2)
    {
        qs_c d[4];
        for (int e = 0; e < 4; ++e)
        {
            d[e] = (e < 2 || kind == QS_SC_DIAGONAL2) ? qs_sc_entry(shared, perSample, batch, sample, ps, entry + e) : qs_c_make(0, 0);
            if (adjoint) d[e] = qs_c_conj(d[e]);
        }
        for (int i = 0; i < dim; ++i)
        {
            if ((i & cm) != cm) continue;
            qs_c m = d[qs_sc_diagonal_index(kind, q0, q1, i)];
            qs_long at = (qs_long)i * stride;
            real xr = re[at], xi = im[at];
            re[at] = m.re * xr - m.im * xi;
            im[at] = m.re * xi + m.im * xr;
        }
    }
    else if (kind == QS_SC_MATRIX1)
    {
        qs_c m00 = qs_sc_entry(shared, perSample, batch, sample, ps, entry);
        qs_c m01 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 1);
        qs_c m10 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 2);
        qs_c m11 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 3);
        if (adjoint)
        {
            qs_c t = m01;
            m01 = qs_c_conj(m10);
            m10 = qs_c_conj(t);
            m00 = qs_c_conj(m00);
            m11 = qs_c_conj(m11);
        }
        int bit = 1 << q0;
        for (int t = 0; t < dim >> 1; ++t)
        {
            int i0 = qs_sc_insert_zero(t, q0);
            if ((i0 & cm) != cm) continue;
            qs_long a0 = (qs_long)i0 * stride, a1 = (qs_long)(i0 | bit) * stride;
            real ar = re[a0], ai = im[a0], br = re[a1], bi = im[a1];
            re[a0] = m00.re * ar - m00.im * ai + m01.re * br - m01.im * bi;
            im[a0] = m00.re * ai + m00.im * ar + m01.re * bi + m01.im * br;
            re[a1] = m10.re * ar - m10.im * ai + m11.re * br - m11.im * bi;
            im[a1] = m10.re * ai + m10.im * ar + m11.re * bi + m11.im * br;
        }
    }
    else if (kind == QS_SC_MATRIX2)
    {
        qs_c m[16];
        for (int e = 0; e < 16; ++e)
        {
            int source = adjoint ? (e & 3) * 4 + (e >> 2) : e;
            m[e] = qs_sc_entry(shared, perSample, batch, sample, ps, entry + source);
            if (adjoint) m[e] = qs_c_conj(m[e]);
        }
        int bit0 = 1 << q0, bit1 = 1 << q1;
        int lo = q0 < q1 ? q0 : q1, hi = q0 < q1 ? q1 : q0;
        for (int t = 0; t < dim >> 2; ++t)
        {
            int i0 = qs_sc_insert_zero(qs_sc_insert_zero(t, lo), hi);
            if ((i0 & cm) != cm) continue;
            qs_long at[4];
            at[0] = (qs_long)i0 * stride;
            at[1] = (qs_long)(i0 | bit0) * stride;
            at[2] = (qs_long)(i0 | bit1) * stride;
            at[3] = (qs_long)(i0 | bit0 | bit1) * stride;
            real xr[4], xi[4];
            for (int c = 0; c < 4; ++c)
            {
                xr[c] = re[at[c]];
                xi[c] = im[at[c]];
            }
            for (int r = 0; r < 4; ++r)
            {
                real sr = 0, si = 0;
                for (int c = 0; c < 4; ++c)
                {
                    qs_c z = m[4 * r + c];
                    sr += z.re * xr[c] - z.im * xi[c];
                    si += z.re * xi[c] + z.im * xr[c];
                }
                re[at[r]] = sr;
                im[at[r]] = si;
            }
        }
    }
    else if (kind == QS_SC_MATRIXK)
    {
        /* Rows and columns of the 2^k x 2^k matrix walk the submasks of the qubit mask in increasing order, which
           is the order of their indices because the qubits ascend; bases walk the submasks of the other bits. */
        int k = op[QS_SC_K], mask = op[QS_SC_MASK], size = 1 << k, rest = (dim - 1) & ~mask;
        int base = 0;
        do
        {
            if ((base & cm) == cm)
            {
                int rowBits = 0;
                for (int r = 0; r < size; ++r)
                {
                    real sr = 0, si = 0;
                    int columnBits = 0;
                    for (int c = 0; c < size; ++c)
                    {
                        qs_c z = qs_sc_entry(shared, perSample, batch, sample, ps, entry + (adjoint ? c * size + r : r * size + c));
                        if (adjoint) z = qs_c_conj(z);
                        qs_long at = (qs_long)(base | columnBits) * stride;
                        real xr = re[at], xi = im[at];
                        sr += z.re * xr - z.im * xi;
                        si += z.re * xi + z.im * xr;
                        columnBits = (columnBits - mask) & mask;
                    }
                    qs_long out = (qs_long)(base | rowBits) * stride;
                    tre[out] = sr;
                    tim[out] = si;
                    rowBits = (rowBits - mask) & mask;
                }
            }
            base = (base - rest) & rest;
        } while (base != 0);
        for (int i = 0; i < dim; ++i)
        {
            if ((i & cm) != cm) continue;
            qs_long at = (qs_long)i * stride;
            re[at] = tre[at];
            im[at] = tim[at];
        }
    }
}

/* Re<lambda| D psi> for the derivative core D at `entry` (same shape as the op), acting where the controls are 1. */
QS_DEVICE real qs_sc_derivative(QS_CONST int* op, int entry, int n, QS_GLOBAL real* pr, QS_GLOBAL real* pi,
                                QS_GLOBAL real* lr, QS_GLOBAL real* li, qs_long stride,
                                QS_CONST real* shared, QS_CONST real* perSample, qs_long batch, qs_long sample)
{
    int kind = op[QS_SC_KIND], q0 = op[QS_SC_Q0], q1 = op[QS_SC_Q1], cm = op[QS_SC_CONTROLS], ps = op[QS_SC_PER_SAMPLE];
    int dim = 1 << n;
    real acc = 0;
    if (kind == QS_SC_DIAGONAL1 || kind == QS_SC_DIAGONAL2)
    {
        qs_c d[4];
        for (int e = 0; e < 4; ++e)
        {
            d[e] = (e < 2 || kind == QS_SC_DIAGONAL2) ? qs_sc_entry(shared, perSample, batch, sample, ps, entry + e) : qs_c_make(0, 0);
        }
        for (int i = 0; i < dim; ++i)
        {
            if ((i & cm) != cm) continue;
            qs_c m = d[qs_sc_diagonal_index(kind, q0, q1, i)];
            qs_long at = (qs_long)i * stride;
            real xr = pr[at], xi = pi[at];
            acc += lr[at] * (m.re * xr - m.im * xi) + li[at] * (m.re * xi + m.im * xr);
        }
    }
    else if (kind == QS_SC_MATRIX1)
    {
        qs_c m00 = qs_sc_entry(shared, perSample, batch, sample, ps, entry);
        qs_c m01 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 1);
        qs_c m10 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 2);
        qs_c m11 = qs_sc_entry(shared, perSample, batch, sample, ps, entry + 3);
        int bit = 1 << q0;
        for (int t = 0; t < dim >> 1; ++t)
        {
            int i0 = qs_sc_insert_zero(t, q0);
            if ((i0 & cm) != cm) continue;
            qs_long a0 = (qs_long)i0 * stride, a1 = (qs_long)(i0 | bit) * stride;
            real ar = pr[a0], ai = pi[a0], br = pr[a1], bi = pi[a1];
            acc += lr[a0] * (m00.re * ar - m00.im * ai + m01.re * br - m01.im * bi)
                 + li[a0] * (m00.re * ai + m00.im * ar + m01.re * bi + m01.im * br)
                 + lr[a1] * (m10.re * ar - m10.im * ai + m11.re * br - m11.im * bi)
                 + li[a1] * (m10.re * ai + m10.im * ar + m11.re * bi + m11.im * br);
        }
    }
    else if (kind == QS_SC_MATRIX2)
    {
        qs_c m[16];
        for (int e = 0; e < 16; ++e) m[e] = qs_sc_entry(shared, perSample, batch, sample, ps, entry + e);
        int bit0 = 1 << q0, bit1 = 1 << q1;
        int lo = q0 < q1 ? q0 : q1, hi = q0 < q1 ? q1 : q0;
        for (int t = 0; t < dim >> 2; ++t)
        {
            int i0 = qs_sc_insert_zero(qs_sc_insert_zero(t, lo), hi);
            if ((i0 & cm) != cm) continue;
            qs_long at[4];
            at[0] = (qs_long)i0 * stride;
            at[1] = (qs_long)(i0 | bit0) * stride;
            at[2] = (qs_long)(i0 | bit1) * stride;
            at[3] = (qs_long)(i0 | bit0 | bit1) * stride;
            real xr[4], xi[4];
            for (int c = 0; c < 4; ++c)
            {
                xr[c] = pr[at[c]];
                xi[c] = pi[at[c]];
            }
            for (int r = 0; r < 4; ++r)
            {
                real sr = 0, si = 0;
                for (int c = 0; c < 4; ++c)
                {
                    qs_c z = m[4 * r + c];
                    sr += z.re * xr[c] - z.im * xi[c];
                    si += z.re * xi[c] + z.im * xr[c];
                }
                acc += lr[at[r]] * sr + li[at[r]] * si;
            }
        }
    }
    return acc;
}

/* Copies one sample's state (both planes). */
QS_DEVICE void qs_sc_copy(QS_GLOBAL real* sre, QS_GLOBAL real* sim, QS_GLOBAL real* dre, QS_GLOBAL real* dim_, int dim, qs_long stride)
{
    for (int i = 0; i < dim; ++i)
    {
        qs_long at = (qs_long)i * stride;
        dre[at] = sre[at];
        dim_[at] = sim[at];
    }
}

/* i^ny z. */
QS_DEVICE qs_c qs_sc_times_i_power(qs_c z, int ny)
{
    if (ny == 1) return qs_c_make(-z.im, z.re);
    if (ny == 2) return qs_c_make(-z.re, -z.im);
    if (ny == 3) return qs_c_make(z.im, -z.re);
    return z;
}

QS_KERNEL void qs_small_circuit(QS_GLOBAL real* scratch, qs_long stride, qs_long sampleStride, qs_long count, qs_long first, qs_long batch, int n,
                                QS_CONST int* ops, int opCount, QS_CONST real* shared, QS_CONST real* perSample,
                                QS_CONST int* terms, QS_CONST real* coefficients, int termCount, int observables,
                                QS_CONST real* seeds, int seedCount, int occurrences,
                                int lambdaPlane, int savedPlane, int tempPlane,
                                QS_GLOBAL real* values, QS_GLOBAL real* gradients)
{
    int dim = 1 << n;
    qs_long plane = (qs_long)dim * stride;
    QS_FOR(b, count)
    {
        qs_long sample = first + b;
        QS_GLOBAL real* pr = scratch + b * sampleStride;
        QS_GLOBAL real* pi = pr + plane;
        QS_GLOBAL real* lr = lambdaPlane >= 0 ? pr + lambdaPlane * plane : pr;
        QS_GLOBAL real* li = lr + plane;
        QS_GLOBAL real* sr = savedPlane >= 0 ? pr + savedPlane * plane : pr;
        QS_GLOBAL real* si = sr + plane;
        QS_GLOBAL real* tr = tempPlane >= 0 ? pr + tempPlane * plane : pr;
        QS_GLOBAL real* ti = tr + plane;

        /* Forward from |0...0> (the product-state prefix is applied as ordinary ops: the same state). */
        for (int i = 0; i < dim; ++i)
        {
            pr[(qs_long)i * stride] = i == 0 ? (real)1 : (real)0;
            pi[(qs_long)i * stride] = 0;
        }
        for (int o = 0; o < opCount; ++o)
        {
            qs_sc_apply(ops + o * QS_SC_FIELDS, n, 0, pr, pi, tr, ti, stride, shared, perSample, batch, sample);
        }

        /* values[k] = sum over terms of coefficient * <P>, <P> = Re i^ny sum_a (-1)^|a & z| conj(psi_(a^x)) psi_a. */
        for (int k = 0; k < observables; ++k) values[k * batch + sample] = 0;
        for (int t = 0; t < termCount; ++t)
        {
            int obs = terms[3 * t], x = terms[3 * t + 1], z = terms[3 * t + 2];
            real accr = 0, acci = 0;
            for (int a = 0; a < dim; ++a)
            {
                qs_long at = (qs_long)a * stride, jt = (qs_long)(a ^ x) * stride;
                real ar = pr[at], ai = pi[at], jr = pr[jt], ji = pi[jt];
                real er = jr * ar + ji * ai, ei = jr * ai - ji * ar;
                if (QS_POPCOUNT64(a & z) & 1)
                {
                    accr -= er;
                    acci -= ei;
                }
                else
                {
                    accr += er;
                    acci += ei;
                }
            }
            qs_c e = qs_sc_times_i_power(qs_c_make(accr, acci), QS_POPCOUNT64(x & z) & 3);
            values[obs * batch + sample] += coefficients[t] * e.re;
        }

        for (int s = 0; s < seedCount; ++s)
        {
            if (seedCount > 1)
            {
                if (s == 0) qs_sc_copy(pr, pi, sr, si, dim, stride);
                else qs_sc_copy(sr, si, pr, pi, dim, stride);
            }
            /* lambda = sum over terms of coefficient * seed[obs] * P psi, (P psi)_(a^x) = i^ny (-1)^|a & z| psi_a. */
            for (int i = 0; i < dim; ++i)
            {
                lr[(qs_long)i * stride] = 0;
                li[(qs_long)i * stride] = 0;
            }
            QS_CONST real* seed = seeds + ((qs_long)s * batch + sample) * observables;
            for (int t = 0; t < termCount; ++t)
            {
                int obs = terms[3 * t], x = terms[3 * t + 1], z = terms[3 * t + 2];
                int ny = QS_POPCOUNT64(x & z) & 3;
                real weight = coefficients[t] * seed[obs];
                for (int a = 0; a < dim; ++a)
                {
                    qs_long at = (qs_long)a * stride, dt = (qs_long)(a ^ x) * stride;
                    real w = (QS_POPCOUNT64(a & z) & 1) ? -weight : weight;
                    qs_c v = qs_sc_times_i_power(qs_c_make(pr[at], pi[at]), ny);
                    lr[dt] += w * v.re;
                    li[dt] += w * v.im;
                }
            }
            /* Adjoint sweep: psi <- U^dagger psi; d_j = 2 Re<lambda| D_j psi>; lambda <- U^dagger lambda. */
            for (int o = opCount - 1; o >= 0; --o)
            {
                QS_CONST int* op = ops + o * QS_SC_FIELDS;
                qs_sc_apply(op, n, 1, pr, pi, tr, ti, stride, shared, perSample, batch, sample);
                int derivatives = op[QS_SC_DERIVATIVES];
                for (int j = 0; j < derivatives; ++j)
                {
                    real g = qs_sc_derivative(op, ops[op[QS_SC_LIST] + j], n, pr, pi, lr, li, stride, shared, perSample, batch, sample);
                    gradients[((qs_long)s * occurrences + op[QS_SC_OCCURRENCE] + j) * batch + sample] = g + g;
                }
                if (o > 0) qs_sc_apply(op, n, 1, lr, li, tr, ti, stride, shared, perSample, batch, sample);
            }
        }
    }
}
