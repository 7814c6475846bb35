/* QSim gate and reduction kernels, shared by the OpenCL and CUDA accelerators (see prelude.h).
   State layout: one buffer, a real plane then an imaginary plane of 2^n * B elements each; amplitude i of sample b is element
   i*B + b. Matrices are (re, im) pairs, row-major, bit j of the row/column index is targets[j]; per-sample
   matrices follow one another, sample-major. */

/* Every sample to the basis state |index>. */
QS_KERNEL void qs_set_basis(QS_GLOBAL real* re, qs_long plane, int batch, qs_long index)
{
    QS_GLOBAL real* im = re + plane;
    QS_FOR(t, plane)
    {
        re[t] = (t / batch == index) ? (real)1 : (real)0;
        im[t] = (real)0;
    }
}

/* A 2^k x 2^k matrix (k <= 4) on the targets, where all control bits are 1. One work item owns the 2^k amplitudes of
   one (row with every touched bit zero, sample) pair. */
QS_KERNEL void qs_apply_dense(QS_GLOBAL real* re, qs_long plane, qs_long work, int batch,
                              QS_CONST int* sorted, int m, qs_long controlMask,
                              QS_CONST qs_long* offsets, int dim, QS_CONST real* matrix, int perSample)
{
    QS_GLOBAL real* im = re + plane;
    real ar[16];
    real ai[16];
    QS_FOR(t, work)
    {
        qs_long row = t / batch;
        int b = (int)(t - row * batch);
        qs_long base = (qs_insert_zeros(row, sorted, m) | controlMask) * batch + b;
        QS_CONST real* mat = matrix + (perSample ? (qs_long)b * dim * dim * 2 : 0);
        for (int c = 0; c < dim; ++c)
        {
            ar[c] = re[base + offsets[c]];
            ai[c] = im[base + offsets[c]];
        }
        for (int r = 0; r < dim; ++r)
        {
            real sr = 0, si = 0;
            for (int c = 0; c < dim; ++c)
            {
                real mr = mat[2 * (r * dim + c)], mi = mat[2 * (r * dim + c) + 1];
                sr += mr * ar[c] - mi * ai[c];
                si += mr * ai[c] + mi * ar[c];
            }
            re[base + offsets[r]] = sr;
            im[base + offsets[r]] = si;
        }
    }
}

/* A 2x2 matrix shared by the batch, passed by value: the common case, kept free of loops and private arrays. */
QS_KERNEL void qs_apply_1q(QS_GLOBAL real* re, qs_long plane, qs_long work, int batch,
                           QS_CONST int* sorted, int m, qs_long controlMask, qs_long offset,
                           real m00r, real m00i, real m01r, real m01i, real m10r, real m10i, real m11r, real m11i)
{
    QS_GLOBAL real* im = re + plane;
    QS_FOR(t, work)
    {
        qs_long row = batch == 1 ? t : t / batch;
        qs_long b = t - row * batch;
        qs_long i0 = (qs_insert_zeros(row, sorted, m) | controlMask) * batch + b;
        qs_long i1 = i0 + offset;
        real ar = re[i0], ai = im[i0], br = re[i1], bi = im[i1];
        re[i0] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
        im[i0] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
        re[i1] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
        im[i1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
    }
}

/* The same for any k, out of place: reads src, writes dst (amplitudes no gate touches are copied by the caller). */
QS_KERNEL void qs_apply_dense_oop(QS_CONST real* sre, QS_GLOBAL real* dre, qs_long plane,
                                  qs_long work, int batch, QS_CONST int* sorted, int m, qs_long controlMask,
                                  QS_CONST qs_long* offsets, int dim, QS_CONST real* matrix, int perSample)
{
    QS_CONST real* sim = sre + plane;
    QS_GLOBAL real* dim_ = dre + plane;
    QS_FOR(t, work)
    {
        qs_long row = t / batch;
        int b = (int)(t - row * batch);
        qs_long base = (qs_insert_zeros(row, sorted, m) | controlMask) * batch + b;
        QS_CONST real* mat = matrix + (perSample ? (qs_long)b * dim * dim * 2 : 0);
        for (int r = 0; r < dim; ++r)
        {
            real sr = 0, si = 0;
            for (int c = 0; c < dim; ++c)
            {
                real mr = mat[2 * (r * dim + c)], mi = mat[2 * (r * dim + c) + 1];
                real xr = sre[base + offsets[c]], xi = sim[base + offsets[c]];
                sr += mr * xr - mi * xi;
                si += mr * xi + mi * xr;
            }
            dre[base + offsets[r]] = sr;
            dim_[base + offsets[r]] = si;
        }
    }
}

/* Multiplies amplitude (i, b) by diag[d] where bit j of d is bit order[j] of i (controls already folded in). */
QS_KERNEL void qs_apply_diagonal(QS_GLOBAL real* re, qs_long plane, int batch,
                                 QS_CONST int* order, int m, QS_CONST real* diag, int perSample)
{
    QS_GLOBAL real* im = re + plane;
    QS_FOR(t, plane)
    {
        qs_long i = t / batch;
        int b = (int)(t - i * batch);
        int d = 0;
        for (int j = 0; j < m; ++j) d |= (int)((i >> order[j]) & 1) << j;
        qs_long x = 2 * ((perSample ? (qs_long)b << m : 0) + d);
        real cr = diag[x], ci = diag[x + 1];
        real vr = re[t], vi = im[t];
        re[t] = cr * vr - ci * vi;
        im[t] = cr * vi + ci * vr;
    }
}

/* Partial per-sample sums of w(i)|a_ib|^2, w(i) = (-1)^popcount(i & signMask) where (i & requireMask) == requireValue,
   else 0. Work item (slice, b) sums rows slice, slice + slices, ...; partials[slice * B + b]. */
QS_KERNEL void qs_weighted_norm(QS_CONST real* re, qs_long rows, int batch, int slices,
                                qs_long signMask, qs_long requireMask, qs_long requireValue, QS_GLOBAL real* partials)
{
    QS_CONST real* im = re + rows * batch;
    QS_FOR(t, (qs_long)slices * batch)
    {
        qs_long slice = t / batch;
        int b = (int)(t - slice * batch);
        real acc = 0;
        for (qs_long i = slice; i < rows; i += slices)
        {
            if ((i & requireMask) != requireValue) continue;
            real vr = re[i * batch + b], vi = im[i * batch + b];
            real p = vr * vr + vi * vi;
            acc += (QS_POPCOUNT64(i & signMask) & 1) ? -p : p;
        }
        partials[t] = acc;
    }
}

/* Partial per-sample sums of conj(x_ib) * y_(i^flip)b * (-1)^popcount(i & signMask): inner products (flip = 0,
   signMask = 0, x = bra, y = ket) and Pauli expectations (x = y = state). Real parts to pr, imaginary to pi. */
QS_KERNEL void qs_pair_product(QS_CONST real* xre, QS_CONST real* yre,
                               qs_long rows, int batch, int slices, qs_long flip, qs_long signMask,
                               QS_GLOBAL real* pr, QS_GLOBAL real* pi)
{
    QS_CONST real* xim = xre + rows * batch;
    QS_CONST real* yim = yre + rows * batch;
    QS_FOR(t, (qs_long)slices * batch)
    {
        qs_long slice = t / batch;
        int b = (int)(t - slice * batch);
        real accr = 0, acci = 0;
        for (qs_long i = slice; i < rows; i += slices)
        {
            qs_long j = i ^ flip;
            real s = (QS_POPCOUNT64(i & signMask) & 1) ? (real)-1 : (real)1;
            real ar = xre[j * batch + b], ai = xim[j * batch + b];
            real br = yre[i * batch + b], bi = yim[i * batch + b];
            accr += s * (ar * br + ai * bi);
            acci += s * (ar * bi - ai * br);
        }
        pr[t] = accr;
        pi[t] = acci;
    }
}

/* y_b += a_b · x_b over every amplitude; a holds B real parts then B imaginary parts. */
QS_KERNEL void qs_add_scaled(QS_CONST real* xre, QS_GLOBAL real* yre, qs_long plane, int batch, QS_CONST real* a)
{
    QS_CONST real* xim = xre + plane;
    QS_GLOBAL real* yim = yre + plane;
    QS_FOR(t, plane)
    {
        int b = (int)(t % batch);
        real ar = a[b], ai = a[batch + b];
        real u = xre[t], v = xim[t];
        yre[t] += ar * u - ai * v;
        yim[t] += ar * v + ai * u;
    }
}
