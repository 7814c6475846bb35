using System.Runtime.InteropServices;

namespace QSim.Kernels.OpenCL;

/// <summary>The few OpenCL 1.2 entry points QSim needs, bound to the ICD loader <c>libOpenCL.so.1</c>.</summary>
internal static unsafe partial class OpenCLNative
{
    public const string Library = "libOpenCL.so.1";

    public const int Success = 0;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;
    public const uint PlatformName = 0x0902;
    public const uint PlatformVersion = 0x0901;
    public const uint DeviceType = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DeviceMaxWorkGroupSize = 0x1004;
    public const uint DeviceMaxMemAllocSize = 0x1010;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVersion = 0x102F;
    public const uint DeviceDoubleFpConfig = 0x1032;
    public const uint ProgramBuildLog = 0x1183;
    public const ulong MemReadWrite = 1 << 0;
    public const ulong MemReadOnly = 1 << 2;
    public const ulong MemCopyHostPtr = 1 << 5;
    public const ulong DeviceTypeGpu = 1 << 2;

    [LibraryImport(Library, EntryPoint = "clGetPlatformIDs")]
    public static partial int GetPlatformIDs(uint numEntries, nint* platforms, uint* numPlatforms);

    [LibraryImport(Library, EntryPoint = "clGetPlatformInfo")]
    public static partial int GetPlatformInfo(nint platform, uint name, nuint size, void* value, nuint* sizeRet);

    [LibraryImport(Library, EntryPoint = "clGetDeviceIDs")]
    public static partial int GetDeviceIDs(nint platform, ulong type, uint numEntries, nint* devices, uint* numDevices);

    [LibraryImport(Library, EntryPoint = "clGetDeviceInfo")]
    public static partial int GetDeviceInfo(nint device, uint name, nuint size, void* value, nuint* sizeRet);

    [LibraryImport(Library, EntryPoint = "clCreateContext")]
    public static partial nint CreateContext(nint* properties, uint numDevices, nint* devices, nint callback, nint userData, int* error);

    [LibraryImport(Library, EntryPoint = "clCreateCommandQueue")]
    public static partial nint CreateCommandQueue(nint context, nint device, ulong properties, int* error);

    [LibraryImport(Library, EntryPoint = "clCreateBuffer")]
    public static partial nint CreateBuffer(nint context, ulong flags, nuint size, void* hostPtr, int* error);

    [LibraryImport(Library, EntryPoint = "clEnqueueWriteBuffer")]
    public static partial int EnqueueWriteBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* events, nint* evt);

    [LibraryImport(Library, EntryPoint = "clEnqueueReadBuffer")]
    public static partial int EnqueueReadBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* events, nint* evt);

    [LibraryImport(Library, EntryPoint = "clEnqueueCopyBuffer")]
    public static partial int EnqueueCopyBuffer(nint queue, nint src, nint dst, nuint srcOffset, nuint dstOffset, nuint size, uint numEvents, nint* events, nint* evt);

    [LibraryImport(Library, EntryPoint = "clCreateProgramWithSource")]
    public static partial nint CreateProgramWithSource(nint context, uint count, byte** strings, nuint* lengths, int* error);

    [LibraryImport(Library, EntryPoint = "clBuildProgram")]
    public static partial int BuildProgram(nint program, uint numDevices, nint* devices, byte* options, nint callback, nint userData);

    [LibraryImport(Library, EntryPoint = "clGetProgramBuildInfo")]
    public static partial int GetProgramBuildInfo(nint program, nint device, uint name, nuint size, void* value, nuint* sizeRet);

    [LibraryImport(Library, EntryPoint = "clCreateKernel")]
    public static partial nint CreateKernel(nint program, byte* name, int* error);

    [LibraryImport(Library, EntryPoint = "clSetKernelArg")]
    public static partial int SetKernelArg(nint kernel, uint index, nuint size, void* value);

    [LibraryImport(Library, EntryPoint = "clEnqueueNDRangeKernel")]
    public static partial int EnqueueNDRangeKernel(nint queue, nint kernel, uint workDim, nuint* globalOffset, nuint* globalSize, nuint* localSize, uint numEvents, nint* events, nint* evt);

    [LibraryImport(Library, EntryPoint = "clFinish")]
    public static partial int Finish(nint queue);

    [LibraryImport(Library, EntryPoint = "clReleaseMemObject")]
    public static partial int ReleaseMemObject(nint mem);

    [LibraryImport(Library, EntryPoint = "clReleaseKernel")]
    public static partial int ReleaseKernel(nint kernel);

    [LibraryImport(Library, EntryPoint = "clReleaseProgram")]
    public static partial int ReleaseProgram(nint program);

    [LibraryImport(Library, EntryPoint = "clReleaseCommandQueue")]
    public static partial int ReleaseCommandQueue(nint queue);

    [LibraryImport(Library, EntryPoint = "clReleaseContext")]
    public static partial int ReleaseContext(nint context);

    /// <summary>Throws <see cref="OpenCLException"/> for a non-zero status.</summary>
    public static void Check(int status, string call)
    {
        if (status != Success) throw new OpenCLException(call, status);
    }

    public static string DeviceString(nint device, uint name) =>
        InfoString((size, value, sizeRet) => GetDeviceInfo(device, name, size, value, sizeRet), "clGetDeviceInfo");

    public static string PlatformString(nint platform, uint name) =>
        InfoString((size, value, sizeRet) => GetPlatformInfo(platform, name, size, value, sizeRet), "clGetPlatformInfo");

    private delegate int InfoQuery(nuint size, void* value, nuint* sizeRet);

    /// <summary>A string-valued clGet*Info: ask for the size, then for the bytes.</summary>
    private static string InfoString(InfoQuery query, string call)
    {
        nuint size;
        Check(query(0, null, &size), call);
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) Check(query(size, p, null), call);
        return System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    public static T DeviceValue<T>(nint device, uint name) where T : unmanaged
    {
        T value = default;
        Check(GetDeviceInfo(device, name, (nuint)sizeof(T), &value, null), "clGetDeviceInfo");
        return value;
    }
}
