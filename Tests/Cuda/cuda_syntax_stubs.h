/* Test-only stand-ins for the CUDA built-ins that the CUDA branch of Kernels/Sources/prelude.h uses, so that a host
   C++ compiler can check the CUDA (NVRTC) view of the kernel sources: syntax, name lookup, types and implicit
   conversions as C++17 sees them. Device semantics are not checked. Included before the sources with
   `g++ -fsyntax-only -std=c++17 -D__CUDACC_RTC__ -DQS_DOUBLE=0|1 -include cuda_syntax_stubs.h`. */
#ifndef QSIM_CUDA_SYNTAX_STUBS_H
#define QSIM_CUDA_SYNTAX_STUBS_H

#define __global__
#define __device__
#define __forceinline__ inline

struct qs_stub_uint3 { unsigned int x, y, z; };
extern const qs_stub_uint3 blockIdx, threadIdx, blockDim, gridDim;

int __popcll(unsigned long long x);

#endif
