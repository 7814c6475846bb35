/* Test-only: what a CUDA device compilation with clang needs when no CUDA SDK is installed (-nocudainc
   -nocudalib): the kernel attributes and the thread-index built-ins that NVRTC provides, written with clang's NVPTX
   intrinsics. With them, `clang++ -x cuda --cuda-device-only --cuda-gpu-arch=sm_80 -S` compiles the CUDA view of
   Kernels/Sources (prelude.h + gates.cl) to PTX, enforcing CUDA's device-code rules as well as C++17. */
#ifndef QSIM_CUDA_CLANG_STUBS_H
#define QSIM_CUDA_CLANG_STUBS_H

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __forceinline__ __inline__ __attribute__((always_inline))

struct qs_stub_uint3 { unsigned int x, y, z; };
__device__ static inline qs_stub_uint3 qs_stub_block_idx() { return { (unsigned int)__nvvm_read_ptx_sreg_ctaid_x(), 0u, 0u }; }
__device__ static inline qs_stub_uint3 qs_stub_thread_idx() { return { (unsigned int)__nvvm_read_ptx_sreg_tid_x(), 0u, 0u }; }
__device__ static inline qs_stub_uint3 qs_stub_block_dim() { return { (unsigned int)__nvvm_read_ptx_sreg_ntid_x(), 0u, 0u }; }
__device__ static inline qs_stub_uint3 qs_stub_grid_dim() { return { (unsigned int)__nvvm_read_ptx_sreg_nctaid_x(), 0u, 0u }; }
#define blockIdx (qs_stub_block_idx())
#define threadIdx (qs_stub_thread_idx())
#define blockDim (qs_stub_block_dim())
#define gridDim (qs_stub_grid_dim())

__device__ static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }

#endif
