/* QSim kernel prelude: the one place where OpenCL C and CUDA C++ (NVRTC) differ. Every kernel file is written
   against these macros only, so the same source compiles for both accelerators.
   Compile with QS_DOUBLE=1 for double precision, QS_DOUBLE=0 for float. */
#ifndef QSIM_PRELUDE_H
#define QSIM_PRELUDE_H

#if defined(__OPENCL_VERSION__)
  #if QS_DOUBLE
    #pragma OPENCL EXTENSION cl_khr_fp64 : enable
  #endif
  #define QS_KERNEL __kernel
  #define QS_GLOBAL __global
  #define QS_CONST __global const
  #define QS_DEVICE inline
  #define QS_GLOBAL_ID() ((long)get_global_id(0))
  #define QS_GLOBAL_SIZE() ((long)get_global_size(0))
  #define QS_POPCOUNT64(x) ((int)popcount((ulong)(x)))
  typedef long qs_long;
#elif defined(__CUDACC__) || defined(__CUDACC_RTC__)
  #define QS_KERNEL extern "C" __global__
  #define QS_GLOBAL
  #define QS_CONST const
  #define QS_DEVICE __device__ __forceinline__
  #define QS_GLOBAL_ID() ((long long)blockIdx.x * blockDim.x + threadIdx.x)
  #define QS_GLOBAL_SIZE() ((long long)gridDim.x * blockDim.x)
  #define QS_POPCOUNT64(x) (__popcll((unsigned long long)(x)))
  typedef long long qs_long;
#else
  #error "QSim kernels compile as OpenCL C or CUDA (NVRTC)"
#endif

#if QS_DOUBLE
  typedef double real;
#else
  typedef float real;
#endif

/* Grid-stride loop over [0, count): correct for any launch size. */
#define QS_FOR(t, count) for (qs_long t = QS_GLOBAL_ID(); t < (count); t += QS_GLOBAL_SIZE())

/* Inserts a zero bit at each of the m ascending positions in sorted[]. */
QS_DEVICE qs_long qs_insert_zeros(qs_long i, QS_CONST int* sorted, int m)
{
    for (int j = 0; j < m; ++j)
    {
        int p = sorted[j];
        qs_long low = i & ((((qs_long)1) << p) - 1);
        i = ((i >> p) << (p + 1)) | low;
    }
    return i;
}

#endif
