using System.Runtime.InteropServices;

namespace QSim.Kernels.Cuda;

/// <summary>
/// The CUDA driver API entry points QSim needs, bound to <c>libcuda.so.1</c> (installed with the NVIDIA driver, not
/// with the toolkit). Types follow <c>cuda.h</c> on 64-bit Linux: <c>CUresult</c> and <c>CUdevice</c> are <c>int</c>,
/// <c>CUdeviceptr</c> is <c>unsigned long long</c>, every other handle is a pointer, <c>size_t</c> is <c>nuint</c>.
/// The versioned symbols (<c>_v2</c>) are the ones <c>cuda.h</c> maps the plain names to since CUDA 3.2/11.0; each
/// entry point is resolved on its first call, so a binding no code path uses cannot fail.
/// </summary>
internal static unsafe partial class CudaNative
{
    public const string Library = "libcuda.so.1";

    // CUresult values (cuda.h, enum cudaError_enum).
    public const int Success = 0;
    public const int ErrorInvalidValue = 1;
    public const int ErrorOutOfMemory = 2;
    public const int ErrorNotInitialized = 3;
    public const int ErrorStubLibrary = 34;
    public const int ErrorInsufficientDriver = 35;
    public const int ErrorNoDevice = 100;
    public const int ErrorInvalidDevice = 101;
    public const int ErrorNoBinaryForGpu = 209;
    public const int ErrorInvalidPtx = 218;
    public const int ErrorUnsupportedPtxVersion = 222;
    public const int ErrorSystemDriverMismatch = 803;
    public const int ErrorCompatNotSupportedOnDevice = 804;

    // CUdevice_attribute values.
    public const int AttributeMaxThreadsPerBlock = 1;
    public const int AttributeMaxGridDimX = 5;
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;

    // CUfunction_attribute values.
    public const int FunctionAttributeMaxThreadsPerBlock = 0;

    // Flags.
    public const uint StreamDefault = 0;
    public const uint EventDefault = 0;

    [LibraryImport(Library, EntryPoint = "cuInit")]
    public static partial int Init(uint flags);

    [LibraryImport(Library, EntryPoint = "cuDriverGetVersion")]
    public static partial int DriverGetVersion(int* version);

    [LibraryImport(Library, EntryPoint = "cuGetErrorName")]
    public static partial int GetErrorName(int error, byte** name);

    [LibraryImport(Library, EntryPoint = "cuGetErrorString")]
    public static partial int GetErrorString(int error, byte** description);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetCount")]
    public static partial int DeviceGetCount(int* count);

    [LibraryImport(Library, EntryPoint = "cuDeviceGet")]
    public static partial int DeviceGet(int* device, int ordinal);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetName")]
    public static partial int DeviceGetName(byte* name, int length, int device);

    [LibraryImport(Library, EntryPoint = "cuDeviceTotalMem_v2")]
    public static partial int DeviceTotalMem(nuint* bytes, int device);

    [LibraryImport(Library, EntryPoint = "cuDeviceGetAttribute")]
    public static partial int DeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRetain")]
    public static partial int DevicePrimaryCtxRetain(nint* context, int device);

    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    public static partial int DevicePrimaryCtxRelease(int device);

    [LibraryImport(Library, EntryPoint = "cuCtxSetCurrent")]
    public static partial int CtxSetCurrent(nint context);

    [LibraryImport(Library, EntryPoint = "cuCtxSynchronize")]
    public static partial int CtxSynchronize();

    [LibraryImport(Library, EntryPoint = "cuStreamCreate")]
    public static partial int StreamCreate(nint* stream, uint flags);

    [LibraryImport(Library, EntryPoint = "cuStreamDestroy_v2")]
    public static partial int StreamDestroy(nint stream);

    [LibraryImport(Library, EntryPoint = "cuStreamSynchronize")]
    public static partial int StreamSynchronize(nint stream);

    [LibraryImport(Library, EntryPoint = "cuMemAlloc_v2")]
    public static partial int MemAlloc(ulong* pointer, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemFree_v2")]
    public static partial int MemFree(ulong pointer);

    [LibraryImport(Library, EntryPoint = "cuMemAllocHost_v2")]
    public static partial int MemAllocHost(void** pointer, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemFreeHost")]
    public static partial int MemFreeHost(void* pointer);

    [LibraryImport(Library, EntryPoint = "cuMemGetInfo_v2")]
    public static partial int MemGetInfo(nuint* free, nuint* total);

    [LibraryImport(Library, EntryPoint = "cuMemcpyHtoD_v2")]
    public static partial int MemcpyHtoD(ulong destination, void* source, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoH_v2")]
    public static partial int MemcpyDtoH(void* destination, ulong source, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoD_v2")]
    public static partial int MemcpyDtoD(ulong destination, ulong source, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    public static partial int MemcpyHtoDAsync(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    public static partial int MemcpyDtoHAsync(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    public static partial int MemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Library, EntryPoint = "cuMemsetD8_v2")]
    public static partial int MemsetD8(ulong destination, byte value, nuint count);

    [LibraryImport(Library, EntryPoint = "cuModuleLoadData")]
    public static partial int ModuleLoadData(nint* module, void* image);

    [LibraryImport(Library, EntryPoint = "cuModuleUnload")]
    public static partial int ModuleUnload(nint module);

    [LibraryImport(Library, EntryPoint = "cuModuleGetFunction")]
    public static partial int ModuleGetFunction(nint* function, nint module, byte* name);

    [LibraryImport(Library, EntryPoint = "cuFuncGetAttribute")]
    public static partial int FuncGetAttribute(int* value, int attribute, nint function);

    [LibraryImport(Library, EntryPoint = "cuLaunchKernel")]
    public static partial int LaunchKernel(nint function, uint gridDimX, uint gridDimY, uint gridDimZ,
        uint blockDimX, uint blockDimY, uint blockDimZ, uint sharedMemBytes, nint stream, void** kernelParams, void** extra);

    [LibraryImport(Library, EntryPoint = "cuEventCreate")]
    public static partial int EventCreate(nint* evt, uint flags);

    [LibraryImport(Library, EntryPoint = "cuEventRecord")]
    public static partial int EventRecord(nint evt, nint stream);

    [LibraryImport(Library, EntryPoint = "cuEventSynchronize")]
    public static partial int EventSynchronize(nint evt);

    /// <summary>The unversioned symbol: every driver exports it (CUDA 12.8 added <c>cuEventElapsedTime_v2</c>, which older drivers lack).</summary>
    [LibraryImport(Library, EntryPoint = "cuEventElapsedTime")]
    public static partial int EventElapsedTime(float* milliseconds, nint start, nint end);

    [LibraryImport(Library, EntryPoint = "cuEventDestroy_v2")]
    public static partial int EventDestroy(nint evt);

    /// <summary>Throws <see cref="CudaException"/> for a status other than <see cref="Success"/>.</summary>
    public static void Check(int status, string call)
    {
        if (status != Success) throw new CudaException(call, status);
    }

    /// <summary>"CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected", from the driver when it can say.</summary>
    public static string Describe(int status)
    {
        string? name = null, description = null;
        try
        {
            byte* p;
            if (GetErrorName(status, &p) == Success && p != null) name = Marshal.PtrToStringUTF8((nint)p);
            if (GetErrorString(status, &p) == Success && p != null) description = Marshal.PtrToStringUTF8((nint)p);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Only the fallback names below.
        }
        name ??= KnownName(status);
        return description is null ? $"{name} ({status})" : $"{name} ({status}): {description}";
    }

    private static string KnownName(int status) => status switch
    {
        Success => "CUDA_SUCCESS",
        ErrorInvalidValue => "CUDA_ERROR_INVALID_VALUE",
        ErrorOutOfMemory => "CUDA_ERROR_OUT_OF_MEMORY",
        ErrorNotInitialized => "CUDA_ERROR_NOT_INITIALIZED",
        ErrorStubLibrary => "CUDA_ERROR_STUB_LIBRARY",
        ErrorInsufficientDriver => "CUDA_ERROR_INSUFFICIENT_DRIVER",
        ErrorNoDevice => "CUDA_ERROR_NO_DEVICE",
        ErrorInvalidDevice => "CUDA_ERROR_INVALID_DEVICE",
        ErrorNoBinaryForGpu => "CUDA_ERROR_NO_BINARY_FOR_GPU",
        ErrorInvalidPtx => "CUDA_ERROR_INVALID_PTX",
        ErrorUnsupportedPtxVersion => "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
        ErrorSystemDriverMismatch => "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
        ErrorCompatNotSupportedOnDevice => "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
        _ => "CUDA error",
    };
}
