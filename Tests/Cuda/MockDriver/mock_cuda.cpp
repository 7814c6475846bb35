// A test-only stand-in for the NVIDIA driver's libcuda.so.1: the driver API entry points QSim calls, on host memory,
// with the checks a real driver makes and a few stricter ones, so that QSim's CUDA host code (argument marshalling,
// contexts across threads, copies, the argument arena, module loading, launch geometry) runs end to end on a machine
// without a GPU. Kernels come from mock_nvrtc.cpp (the same source, built by g++) and run by emulating the grid, one
// thread after another.
// Streams are asynchronous, as on a GPU: each has a worker thread that runs its copies and kernels in order, after a
// delay (QSIM_MOCK_OP_DELAY_US, default 20 µs) that widens every race. As the CUDA documentation specifies, a copy
// from pageable host memory is staged before the call returns and a copy to pageable host memory waits for the
// stream; copies from or to pinned memory (cuMemAllocHost) happen when the stream reaches them, kernel parameters
// are copied at launch. So reusing pinned memory or freeing device memory before the stream is done corrupts results
// or is refused, as it would be on a GPU.
// Checks: every call but cuInit/cuDevice*/cuGetError* needs the primary context current on the calling thread
// (CUDA_ERROR_INVALID_CONTEXT otherwise); device ranges of copies and every pointer kernel argument must lie inside
// a live allocation (CUDA_ERROR_INVALID_VALUE, with a line on stderr); streams and functions must be live handles;
// cuMemFree, cuMemFreeHost and cuModuleUnload are refused while any stream has work pending (stricter than CUDA,
// which may synchronise implicitly: QSim waits for its stream itself).
// Build: g++ -std=c++17 -shared -fPIC -o libcuda.so.1 mock_cuda.cpp -ldl
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <thread>
#include <vector>
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
std::map<uintptr_t, size_t> g_pinned;  // cuMemAllocHost base → bytes
size_t g_allocated = 0;

int OpDelayMicroseconds()
{
    static const int delay = getenv("QSIM_MOCK_OP_DELAY_US") ? atoi(getenv("QSIM_MOCK_OP_DELAY_US")) : 20;
    return delay;
}

// An in-order queue of work run by its own thread.
struct Stream
{
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::function<void()>> queue;
    bool busy = false, stop = false;
    std::thread worker;

    Stream() : worker([this] { Run(); }) {}

    void Run()
    {
        std::unique_lock<std::mutex> lock(m);
        for (;;)
        {
            cv.wait(lock, [this] { return stop || !queue.empty(); });
            if (queue.empty()) return;
            auto op = std::move(queue.front());
            queue.pop_front();
            busy = true;
            lock.unlock();
            if (OpDelayMicroseconds() > 0) std::this_thread::sleep_for(std::chrono::microseconds(OpDelayMicroseconds()));
            op();
            lock.lock();
            busy = false;
            cv.notify_all();
        }
    }

    void Enqueue(std::function<void()> op)
    {
        std::lock_guard<std::mutex> lock(m);
        queue.push_back(std::move(op));
        cv.notify_all();
    }

    void Wait()
    {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [this] { return queue.empty() && !busy; });
    }

    bool Idle()
    {
        std::lock_guard<std::mutex> lock(m);
        return queue.empty() && !busy;
    }

    ~Stream()
    {
        {
            std::lock_guard<std::mutex> lock(m);
            stop = true;
            cv.notify_all();
        }
        worker.join();
    }
};
std::set<Stream*> g_streams;

bool AllIdle()
{
    for (Stream* s : g_streams) if (!s->Idle()) return false;
    return true;
}

// [p, p + bytes) inside one pinned host allocation?
bool InPinned(uintptr_t p, size_t bytes)
{
    auto it = g_pinned.upper_bound(p);
    if (it == g_pinned.begin()) return false;
    --it;
    return p >= it->first && p - it->first <= it->second && bytes <= it->second - (p - it->first);
}

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

bool LiveStream(void* s) { return s != nullptr && g_streams.count(static_cast<Stream*>(s)) != 0; }
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

int cuCtxSynchronize()
{
    std::vector<Stream*> streams;
    {
        GUARD;
        NEED_CONTEXT;
        streams.assign(g_streams.begin(), g_streams.end());
    }
    for (Stream* s : streams) s->Wait();
    return Success;
}

int cuStreamCreate(void** stream, unsigned int flags)
{
    GUARD;
    NEED_CONTEXT;
    if (flags > 1) return InvalidValue;
    auto* created = new Stream();
    g_streams.insert(created);
    *stream = created;
    return Success;
}

int cuStreamDestroy_v2(void* stream)
{
    Stream* s;
    {
        GUARD;
        NEED_CONTEXT;
        s = static_cast<Stream*>(stream);
        if (!LiveStream(s)) return Fail(InvalidHandle, "cuStreamDestroy of an unknown stream");
        g_streams.erase(s);
    }
    s->Wait();
    delete s;
    return Success;
}

int cuStreamSynchronize(void* stream)
{
    Stream* s;
    {
        GUARD;
        NEED_CONTEXT;
        s = static_cast<Stream*>(stream);
        if (!LiveStream(s)) return Fail(InvalidHandle, "cuStreamSynchronize of an unknown stream (the legacy stream 0 is not used by QSim)");
    }
    s->Wait();
    return Success;
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
    if (!AllIdle()) return Fail(InvalidValue, "cuMemFree while stream work is pending (synchronise first)");
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
    g_pinned[(uintptr_t)*pointer] = bytes;
    return Success;
}

int cuMemFreeHost(void* pointer)
{
    GUARD;
    NEED_CONTEXT;
    if (!g_pinned.count((uintptr_t)pointer)) return Fail(InvalidValue, "cuMemFreeHost of memory not from cuMemAllocHost");
    if (!AllIdle()) return Fail(InvalidValue, "cuMemFreeHost while stream work is pending (synchronise first)");
    g_pinned.erase((uintptr_t)pointer);
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

enum class Side { Device, Host };

// Checks at once; runs when the stream gets there. Pageable host memory: staged now (to the device) or waited for
// (to the host), as the CUDA documentation specifies; pinned host memory is read or written when the copy runs.
static int Copy(uint64_t dst, Side dstSide, uint64_t src, Side srcSide, size_t bytes, void* stream, const char* call)
{
    Stream* s;
    bool pageableSource, pageableDestination;
    {
        GUARD;
        NEED_CONTEXT;
        s = static_cast<Stream*>(stream);
        if (!LiveStream(s)) return Fail(InvalidHandle, "copy on an unknown stream (QSim never uses the legacy stream 0)");
        if ((dstSide == Side::Device && !InDevice(dst, bytes)) || (srcSide == Side::Device && !InDevice(src, bytes)) || !dst || !src)
        {
            fprintf(stderr, "mock libcuda: %s of %zu bytes from %#llx to %#llx is outside the device allocations\n", call, bytes,
                    (unsigned long long)src, (unsigned long long)dst);
            return InvalidValue;
        }
        pageableSource = srcSide == Side::Host && !InPinned(src, bytes);
        pageableDestination = dstSide == Side::Host && !InPinned(dst, bytes);
    }
    if (pageableDestination)
    {
        s->Wait();
        memmove((void*)dst, (const void*)src, bytes);
        return Success;
    }
    if (pageableSource)
    {
        auto staged = std::make_shared<std::vector<unsigned char>>((const unsigned char*)src, (const unsigned char*)src + bytes);
        s->Enqueue([dst, staged] { memcpy((void*)dst, staged->data(), staged->size()); });
        return Success;
    }
    s->Enqueue([dst, src, bytes] { memmove((void*)dst, (const void*)src, bytes); });
    return Success;
}

int cuMemcpyHtoDAsync_v2(uint64_t dst, const void* src, size_t bytes, void* s) { return Copy(dst, Side::Device, (uintptr_t)src, Side::Host, bytes, s, "cuMemcpyHtoDAsync"); }
int cuMemcpyDtoHAsync_v2(void* dst, uint64_t src, size_t bytes, void* s) { return Copy((uintptr_t)dst, Side::Host, src, Side::Device, bytes, s, "cuMemcpyDtoHAsync"); }
int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t bytes, void* s) { return Copy(dst, Side::Device, src, Side::Device, bytes, s, "cuMemcpyDtoDAsync"); }

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
    if (!g_modules.count(m)) return Fail(InvalidHandle, "cuModuleUnload of an unknown module");
    if (!AllIdle()) return Fail(InvalidValue, "cuModuleUnload while stream work is pending (synchronise first)");
    g_modules.erase(m);
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
    Stream* s;
    auto values = std::make_shared<std::vector<uint64_t>>();
    {
        GUARD;
        NEED_CONTEXT;
        f = static_cast<Function*>(function);
        s = static_cast<Stream*>(stream);
        if (!g_functions.count(f)) return Fail(InvalidHandle, "cuLaunchKernel of an unknown function");
        if (!LiveStream(s)) return Fail(InvalidHandle, "cuLaunchKernel on an unknown stream (QSim never uses the legacy stream 0)");
        if (gx == 0 || gy != 1 || gz != 1 || bx == 0 || by != 1 || bz != 1 || bx > 1024 || gx > 2147483647u)
            return Fail(InvalidValue, "cuLaunchKernel: bad grid or block dimensions");
        if (sharedMem != 0 || extra != nullptr || params == nullptr) return Fail(InvalidValue, "cuLaunchKernel: unexpected shared memory, extra or no params");
        // The driver copies every parameter at launch, its size from the kernel image: 8 bytes for pointers, long long
        // and double, 4 for int and float.
        for (size_t i = 0; f->signature[i]; ++i)
        {
            char kind = f->signature[i];
            if (kind == '?') return Fail(InvalidValue, "kernel parameter of an unexpected type");
            if (params[i] == nullptr) return Fail(InvalidValue, "null kernel parameter pointer");
            uint64_t value = 0;
            memcpy(&value, params[i], kind == 'i' || kind == 'f' ? 4 : 8);
            if (kind == 'p' && !InDevice(value, 1))
            {
                fprintf(stderr, "mock libcuda: %s parameter %zu (%#llx) is not inside a device allocation\n", f->name.c_str(), i, (unsigned long long)value);
                return InvalidValue;
            }
            values->push_back(value);
        }
    }
    s->Enqueue([f, values, gx, bx] {
        std::vector<void*> pointers(values->size());
        for (size_t i = 0; i < values->size(); ++i) pointers[i] = &(*values)[i];
        for (unsigned b = 0; b < gx; ++b)
        {
            for (unsigned t = 0; t < bx; ++t)
            {
                f->setIndices(b, t, bx, gx);
                f->launch(pointers.data());
            }
        }
    });
    return Success;
}

} // extern "C"
