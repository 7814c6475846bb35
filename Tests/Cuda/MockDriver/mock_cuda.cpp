// A test-only stand-in for the NVIDIA driver's libcuda.so.1: the driver API entry points QSim calls, on host memory,
// with the checks a real driver makes and a few stricter ones, so that QSim's CUDA host code (argument marshalling,
// contexts across threads, copies, the argument arena, module loading, launch geometry) runs end to end on a machine
// without a GPU. Kernels come from mock_nvrtc.cpp (the same source, built by g++) and run by emulating the grid, one
// thread after another. Everything is synchronous, so stream-ordering bugs are NOT caught here.
// Checks: every call but cuInit/cuDevice*/cuGetError* needs the primary context current on the calling thread
// (CUDA_ERROR_INVALID_CONTEXT otherwise); device ranges of copies and every pointer kernel argument must lie inside
// a live allocation (CUDA_ERROR_INVALID_VALUE, with a line on stderr); streams and functions must be live handles.
// Build: g++ -std=c++17 -shared -fPIC -o libcuda.so.1 mock_cuda.cpp -ldl
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace
{
constexpr int Success = 0, InvalidValue = 1, OutOfMemory = 2, NotInitialized = 3, InvalidDevice = 101, InvalidImage = 200,
              InvalidContext = 201, InvalidHandle = 400, NotFound = 500;
constexpr size_t TotalMemory = size_t(4) << 30;

std::mutex g_gate;
bool g_initialized = false;
int g_primaryRetains = 0;
int g_context = 0;  // its address is the primary context handle
thread_local void* t_current = nullptr;
std::map<uintptr_t, size_t> g_device;  // base → bytes
std::set<void*> g_host, g_streams;
size_t g_allocated = 0;

struct Module { void* library; };
struct Function
{
    void (*launch)(void**);
    const char* signature;
    void (*setIndices)(unsigned, unsigned, unsigned, unsigned);
    std::string name;
    Module* module;
};
std::set<Module*> g_modules;
std::set<Function*> g_functions;

int Fail(int code, const char* what)
{
    fprintf(stderr, "mock libcuda: %s (returning %d)\n", what, code);
    return code;
}

int NeedContext()
{
    if (!g_initialized) return Fail(NotInitialized, "call before cuInit");
    if (t_current != &g_context) return Fail(InvalidContext, "no current context on this thread");
    if (g_primaryRetains <= 0) return Fail(InvalidContext, "the primary context is not retained");
    return Success;
}

// [p, p + bytes) inside one live device allocation?
bool InDevice(uintptr_t p, size_t bytes)
{
    auto it = g_device.upper_bound(p);
    if (it == g_device.begin()) return false;
    --it;
    return p >= it->first && p - it->first <= it->second && bytes <= it->second - (p - it->first);
}

bool LiveStream(void* s) { return s == nullptr || g_streams.count(s) != 0; }
} // namespace

#define GUARD std::lock_guard<std::mutex> lock(g_gate)
#define NEED_CONTEXT do { int rc_ = NeedContext(); if (rc_ != Success) return rc_; } while (0)

extern "C" {

int cuInit(unsigned int flags)
{
    GUARD;
    if (flags != 0) return Fail(InvalidValue, "cuInit flags must be 0");
    if (const char* forced = getenv("QSIM_MOCK_CUINIT_RESULT")) return atoi(forced);
    g_initialized = true;
    return Success;
}

int cuDriverGetVersion(int* version) { *version = 12040; return Success; }

int cuGetErrorName(int error, const char** name)
{
    switch (error)
    {
        case 0: *name = "CUDA_SUCCESS"; return Success;
        case 1: *name = "CUDA_ERROR_INVALID_VALUE"; return Success;
        case 2: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return Success;
        case 3: *name = "CUDA_ERROR_NOT_INITIALIZED"; return Success;
        case 100: *name = "CUDA_ERROR_NO_DEVICE"; return Success;
        case 201: *name = "CUDA_ERROR_INVALID_CONTEXT"; return Success;
        default: *name = nullptr; return InvalidValue;
    }
}

int cuGetErrorString(int error, const char** description)
{
    switch (error)
    {
        case 1: *description = "invalid argument"; return Success;
        case 2: *description = "out of memory"; return Success;
        case 100: *description = "no CUDA-capable device is detected"; return Success;
        case 201: *description = "invalid device context"; return Success;
        default: *description = nullptr; return InvalidValue;
    }
}

int cuDeviceGetCount(int* count)
{
    GUARD;
    if (!g_initialized) return Fail(NotInitialized, "cuDeviceGetCount before cuInit");
    *count = 1;
    return Success;
}

int cuDeviceGet(int* device, int ordinal)
{
    if (ordinal != 0) return InvalidDevice;
    *device = 0;
    return Success;
}

int cuDeviceGetName(char* name, int length, int device)
{
    if (device != 0 || length <= 0) return InvalidValue;
    snprintf(name, (size_t)length, "QSim mock GPU (host emulation)");
    return Success;
}

int cuDeviceTotalMem_v2(size_t* bytes, int device)
{
    if (device != 0) return InvalidDevice;
    *bytes = TotalMemory;
    return Success;
}

int cuDeviceGetAttribute(int* value, int attribute, int device)
{
    if (device != 0) return InvalidDevice;
    switch (attribute)
    {
        case 1: *value = 1024; return Success;        // MAX_THREADS_PER_BLOCK
        case 5: *value = 2147483647; return Success;  // MAX_GRID_DIM_X
        case 16: *value = 4; return Success;          // MULTIPROCESSOR_COUNT
        case 75: *value = 9; return Success;          // COMPUTE_CAPABILITY_MAJOR
        case 76: *value = 0; return Success;          // COMPUTE_CAPABILITY_MINOR
        default: return Fail(InvalidValue, "unexpected device attribute");
    }
}

int cuDevicePrimaryCtxRetain(void** context, int device)
{
    GUARD;
    if (!g_initialized) return NotInitialized;
    if (device != 0) return InvalidDevice;
    ++g_primaryRetains;
    *context = &g_context;
    return Success;
}

int cuDevicePrimaryCtxRelease_v2(int device)
{
    GUARD;
    if (device != 0) return InvalidDevice;
    if (g_primaryRetains <= 0) return Fail(InvalidContext, "primary context released more often than retained");
    --g_primaryRetains;
    return Success;
}

int cuCtxSetCurrent(void* context)
{
    if (context != nullptr && context != &g_context) return Fail(InvalidContext, "cuCtxSetCurrent with an unknown context");
    t_current = context;
    return Success;
}

int cuCtxSynchronize() { GUARD; NEED_CONTEXT; return Success; }

int cuStreamCreate(void** stream, unsigned int flags)
{
    GUARD;
    NEED_CONTEXT;
    if (flags > 1) return InvalidValue;
    *stream = new int(0);
    g_streams.insert(*stream);
    return Success;
}

int cuStreamDestroy_v2(void* stream)
{
    GUARD;
    NEED_CONTEXT;
    if (!stream || !g_streams.erase(stream)) return Fail(InvalidHandle, "cuStreamDestroy of an unknown stream");
    delete static_cast<int*>(stream);
    return Success;
}

int cuStreamSynchronize(void* stream)
{
    GUARD;
    NEED_CONTEXT;
    return LiveStream(stream) ? Success : Fail(InvalidHandle, "cuStreamSynchronize of an unknown stream");
}

int cuMemAlloc_v2(uint64_t* pointer, size_t bytes)
{
    GUARD;
    NEED_CONTEXT;
    if (bytes == 0) return Fail(InvalidValue, "cuMemAlloc of 0 bytes");
    if (g_allocated + bytes > TotalMemory) return OutOfMemory;
    void* p = malloc(bytes);
    if (!p) return OutOfMemory;
    memset(p, 0xA5, bytes);  // device memory is not zeroed: make reliance on that visible
    g_device[(uintptr_t)p] = bytes;
    g_allocated += bytes;
    *pointer = (uintptr_t)p;
    return Success;
}

int cuMemFree_v2(uint64_t pointer)
{
    GUARD;
    NEED_CONTEXT;
    auto it = g_device.find((uintptr_t)pointer);
    if (it == g_device.end()) return Fail(InvalidValue, "cuMemFree of a pointer that is not an allocation's base");
    g_allocated -= it->second;
    g_device.erase(it);
    free((void*)pointer);
    return Success;
}

int cuMemAllocHost_v2(void** pointer, size_t bytes)
{
    GUARD;
    NEED_CONTEXT;
    *pointer = malloc(bytes);
    g_host.insert(*pointer);
    return Success;
}

int cuMemFreeHost(void* pointer)
{
    GUARD;
    NEED_CONTEXT;
    if (!g_host.erase(pointer)) return Fail(InvalidValue, "cuMemFreeHost of memory not from cuMemAllocHost");
    free(pointer);
    return Success;
}

int cuMemGetInfo_v2(size_t* freeBytes, size_t* total)
{
    GUARD;
    NEED_CONTEXT;
    *freeBytes = TotalMemory - g_allocated;
    *total = TotalMemory;
    return Success;
}

static int Copy(uint64_t dst, bool dstDevice, uint64_t src, bool srcDevice, size_t bytes, void* stream, const char* call)
{
    GUARD;
    NEED_CONTEXT;
    if (!LiveStream(stream)) return Fail(InvalidHandle, "copy on an unknown stream");
    if ((dstDevice && !InDevice(dst, bytes)) || (srcDevice && !InDevice(src, bytes)) || !dst || !src)
    {
        fprintf(stderr, "mock libcuda: %s of %zu bytes from %#llx to %#llx is outside the device allocations\n", call, bytes,
                (unsigned long long)src, (unsigned long long)dst);
        return InvalidValue;
    }
    memmove((void*)dst, (const void*)src, bytes);
    return Success;
}

int cuMemcpyHtoD_v2(uint64_t dst, const void* src, size_t bytes) { return Copy(dst, true, (uintptr_t)src, false, bytes, nullptr, "cuMemcpyHtoD"); }
int cuMemcpyDtoH_v2(void* dst, uint64_t src, size_t bytes) { return Copy((uintptr_t)dst, false, src, true, bytes, nullptr, "cuMemcpyDtoH"); }
int cuMemcpyDtoD_v2(uint64_t dst, uint64_t src, size_t bytes) { return Copy(dst, true, src, true, bytes, nullptr, "cuMemcpyDtoD"); }
int cuMemcpyHtoDAsync_v2(uint64_t dst, const void* src, size_t bytes, void* s) { return Copy(dst, true, (uintptr_t)src, false, bytes, s, "cuMemcpyHtoDAsync"); }
int cuMemcpyDtoHAsync_v2(void* dst, uint64_t src, size_t bytes, void* s) { return Copy((uintptr_t)dst, false, src, true, bytes, s, "cuMemcpyDtoHAsync"); }
int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t bytes, void* s) { return Copy(dst, true, src, true, bytes, s, "cuMemcpyDtoDAsync"); }

int cuModuleLoadData(void** module, const void* image)
{
    GUARD;
    NEED_CONTEXT;
    const char* text = static_cast<const char*>(image);
    const char* marker = "// QSIM MOCK MODULE ";
    if (!text || strncmp(text, marker, strlen(marker)) != 0) return Fail(InvalidImage, "not an image from the mock NVRTC");
    std::string path(text + strlen(marker));
    path = path.substr(0, path.find('\n'));
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) return Fail(InvalidImage, dlerror());
    auto* m = new Module{ library };
    g_modules.insert(m);
    *module = m;
    return Success;
}

int cuModuleUnload(void* module)
{
    GUARD;
    NEED_CONTEXT;
    auto* m = static_cast<Module*>(module);
    if (!g_modules.erase(m)) return Fail(InvalidHandle, "cuModuleUnload of an unknown module");
    for (auto it = g_functions.begin(); it != g_functions.end();)  // functions die with their module
    {
        if ((*it)->module == m) { delete *it; it = g_functions.erase(it); }
        else ++it;
    }
    dlclose(m->library);
    delete m;
    return Success;
}

int cuModuleGetFunction(void** function, void* module, const char* name)
{
    GUARD;
    NEED_CONTEXT;
    auto* m = static_cast<Module*>(module);
    if (!g_modules.count(m)) return Fail(InvalidHandle, "cuModuleGetFunction on an unknown module");
    std::string n = name;
    auto launch = (void (*)(void**))dlsym(m->library, ("qs_mock_launch_" + n).c_str());
    auto signature = (const char* (*)())dlsym(m->library, ("qs_mock_signature_" + n).c_str());
    auto set = (void (*)(unsigned, unsigned, unsigned, unsigned))dlsym(m->library, "qs_mock_set_indices");
    if (!launch || !signature || !set) return NotFound;
    auto* f = new Function{ launch, signature(), set, n, m };
    g_functions.insert(f);
    *function = f;
    return Success;
}

int cuFuncGetAttribute(int* value, int attribute, void* function)
{
    GUARD;
    NEED_CONTEXT;
    if (!g_functions.count(static_cast<Function*>(function))) return Fail(InvalidHandle, "cuFuncGetAttribute of an unknown function");
    if (attribute != 0) return Fail(InvalidValue, "unexpected function attribute");
    *value = 1024;
    return Success;
}

int cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned sharedMem, void* stream, void** params, void** extra)
{
    Function* f;
    {
        GUARD;
        NEED_CONTEXT;
        f = static_cast<Function*>(function);
        if (!g_functions.count(f)) return Fail(InvalidHandle, "cuLaunchKernel of an unknown function");
        if (!LiveStream(stream)) return Fail(InvalidHandle, "cuLaunchKernel on an unknown stream");
        if (gx == 0 || gy != 1 || gz != 1 || bx == 0 || by != 1 || bz != 1 || bx > 1024 || gx > 2147483647u)
            return Fail(InvalidValue, "cuLaunchKernel: bad grid or block dimensions");
        if (sharedMem != 0 || extra != nullptr || params == nullptr) return Fail(InvalidValue, "cuLaunchKernel: unexpected shared memory, extra or no params");
        for (size_t i = 0; f->signature[i]; ++i)
        {
            if (f->signature[i] == '?') return Fail(InvalidValue, "kernel parameter of an unexpected type");
            if (params[i] == nullptr) return Fail(InvalidValue, "null kernel parameter pointer");
            if (f->signature[i] == 'p')
            {
                uintptr_t p = *static_cast<uintptr_t*>(params[i]);
                if (!InDevice(p, 1))
                {
                    fprintf(stderr, "mock libcuda: %s parameter %zu (%#llx) is not inside a device allocation\n", f->name.c_str(), i, (unsigned long long)p);
                    return InvalidValue;
                }
            }
        }
    }
    for (unsigned b = 0; b < gx; ++b)
    {
        for (unsigned t = 0; t < bx; ++t)
        {
            f->setIndices(b, t, bx, gx);
            f->launch(params);
        }
    }
    return Success;
}

} // extern "C"
