/* Mock NVRTC (mock_nvrtc.cpp) only: put before the kernel source it is asked to compile, so that g++ builds the CUDA
   view of the kernels as a host shared library. The grid is emulated by mock_cuda.cpp, one thread after another,
   through the thread-local indices below (the kernels use no shared memory and no barriers, so that is exact). */
#include <cstddef>
#include <type_traits>
#include <utility>

#define __global__
#define __device__
#define __forceinline__ inline

struct qs_mock_uint3 { unsigned int x, y, z; };
extern thread_local qs_mock_uint3 blockIdx, threadIdx, blockDim, gridDim;

static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
