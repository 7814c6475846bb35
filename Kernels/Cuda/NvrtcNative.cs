using System.Runtime.InteropServices;
using System.Text;

namespace QSim.Kernels.Cuda;

/// <summary>
/// NVRTC, the CUDA runtime compiler, loaded on first use from the first of <see cref="Candidates"/> that opens:
/// it ships with the CUDA toolkit (or the cuda-nvrtc package) under a versioned name, so no single soname fits every
/// installation. Entry points are C function pointers; the optional ones (supported architectures, CUBIN output) are
/// null on releases that lack them.
/// </summary>
internal static unsafe class NvrtcNative
{
    public const int Success = 0;
    public const int ErrorCompilation = 6;

    /// <summary>Environment variable naming the NVRTC library file to load, ahead of every other candidate.</summary>
    public const string PathVariable = "QSIM_NVRTC_PATH";

    private static readonly Lazy<Api?> s_api = new(Load);
    private static string s_tried = "";

    /// <summary>The loaded library's entry points.</summary>
    public sealed class Api
    {
        public required string Path { get; init; }
        public required int Major { get; init; }
        public required int Minor { get; init; }
        public delegate* unmanaged<int, byte*> GetErrorString;
        public delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int> CreateProgram;
        public delegate* unmanaged<nint*, int> DestroyProgram;
        public delegate* unmanaged<nint, int, byte**, int> CompileProgram;
        public delegate* unmanaged<nint, nuint*, int> GetProgramLogSize;
        public delegate* unmanaged<nint, byte*, int> GetProgramLog;
        public delegate* unmanaged<nint, nuint*, int> GetPtxSize;
        public delegate* unmanaged<nint, byte*, int> GetPtx;
        public delegate* unmanaged<nint, nuint*, int> GetCubinSize;
        public delegate* unmanaged<nint, byte*, int> GetCubin;
        public delegate* unmanaged<int*, int> GetNumSupportedArchs;
        public delegate* unmanaged<int*, int> GetSupportedArchs;

        /// <summary>"NVRTC 12.4 (/usr/local/cuda/lib64/libnvrtc.so.12)".</summary>
        public override string ToString() => $"NVRTC {Major}.{Minor} ({Path})";

        /// <summary>The architectures this NVRTC compiles for (e.g. 75, 80, 86, 89, 90, …), ascending; empty if it cannot say (before 11.2).</summary>
        public int[] SupportedArchitectures()
        {
            if (GetNumSupportedArchs == null || GetSupportedArchs == null) return [];
            int count;
            if (GetNumSupportedArchs(&count) != Success || count <= 0) return [];
            var archs = new int[count];
            fixed (int* p = archs)
            {
                if (GetSupportedArchs(p) != Success) return [];
            }
            return archs;
        }

        /// <summary>"NVRTC_ERROR_COMPILATION (6)".</summary>
        public string Describe(int status)
        {
            byte* s = GetErrorString(status);
            return s == null ? $"NVRTC status {status}" : $"{Marshal.PtrToStringUTF8((nint)s)} ({status})";
        }
    }

    /// <summary>The library files tried, in order: <c>$QSIM_NVRTC_PATH</c>, the sonames, then libnvrtc.so* under
    /// <c>$CUDA_HOME</c>, <c>$CUDA_PATH</c> and /usr/local/cuda.</summary>
    public static IEnumerable<string> Candidates()
    {
        string? explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath)) yield return explicitPath;
        foreach (string soname in (string[])["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"]) yield return soname;
        var roots = new[] { Environment.GetEnvironmentVariable("CUDA_HOME"), Environment.GetEnvironmentVariable("CUDA_PATH"), "/usr/local/cuda" };
        foreach (string? root in roots.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct())
        {
            foreach (string dir in (string[])[System.IO.Path.Combine(root!, "lib64"), System.IO.Path.Combine(root!, "targets", "x86_64-linux", "lib")])
            {
                if (!Directory.Exists(dir)) continue;
                // libnvrtc.so.12.4.127 and the like; libnvrtc-builtins.so* does not match.
                foreach (string file in Directory.EnumerateFiles(dir, "libnvrtc.so*").Order(StringComparer.Ordinal)) yield return file;
            }
        }
    }

    /// <summary>The loaded NVRTC, or null with the reason in <paramref name="why"/>.</summary>
    public static Api? TryGet(out string why)
    {
        Api? api = s_api.Value;
        why = api is null ? $"NVRTC (the CUDA runtime compiler) was not found: tried {s_tried}; install the CUDA toolkit's NVRTC " +
                            $"(e.g. the cuda-nvrtc-12-x package), add its lib64 folder to LD_LIBRARY_PATH, or set {PathVariable}" : "";
        return api;
    }

    private static Api? Load()
    {
        var tried = new List<string>();
        foreach (string candidate in Candidates())
        {
            tried.Add(candidate);
            if (!NativeLibrary.TryLoad(candidate, out nint handle)) continue;
            try
            {
                var version = (delegate* unmanaged<int*, int*, int>)Export(handle, "nvrtcVersion");
                int major, minor;
                if (version(&major, &minor) != Success) continue;
                return new Api
                {
                    Path = candidate,
                    Major = major,
                    Minor = minor,
                    GetErrorString = (delegate* unmanaged<int, byte*>)Export(handle, "nvrtcGetErrorString"),
                    CreateProgram = (delegate* unmanaged<nint*, byte*, byte*, int, byte**, byte**, int>)Export(handle, "nvrtcCreateProgram"),
                    DestroyProgram = (delegate* unmanaged<nint*, int>)Export(handle, "nvrtcDestroyProgram"),
                    CompileProgram = (delegate* unmanaged<nint, int, byte**, int>)Export(handle, "nvrtcCompileProgram"),
                    GetProgramLogSize = (delegate* unmanaged<nint, nuint*, int>)Export(handle, "nvrtcGetProgramLogSize"),
                    GetProgramLog = (delegate* unmanaged<nint, byte*, int>)Export(handle, "nvrtcGetProgramLog"),
                    GetPtxSize = (delegate* unmanaged<nint, nuint*, int>)Export(handle, "nvrtcGetPTXSize"),
                    GetPtx = (delegate* unmanaged<nint, byte*, int>)Export(handle, "nvrtcGetPTX"),
                    GetCubinSize = (delegate* unmanaged<nint, nuint*, int>)OptionalExport(handle, "nvrtcGetCUBINSize"),
                    GetCubin = (delegate* unmanaged<nint, byte*, int>)OptionalExport(handle, "nvrtcGetCUBIN"),
                    GetNumSupportedArchs = (delegate* unmanaged<int*, int>)OptionalExport(handle, "nvrtcGetNumSupportedArchs"),
                    GetSupportedArchs = (delegate* unmanaged<int*, int>)OptionalExport(handle, "nvrtcGetSupportedArchs"),
                };
            }
            catch (EntryPointNotFoundException)
            {
                // Not a usable NVRTC (too old, or another library of that name): try the next candidate.
            }
        }
        s_tried = string.Join(", ", tried);
        return null;
    }

    private static nint Export(nint handle, string name) => NativeLibrary.GetExport(handle, name);

    private static nint OptionalExport(nint handle, string name) => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;

    /// <summary>The outcome of one compilation: the image (PTX text with its NUL, or a CUBIN) when it succeeded, and the log.</summary>
    /// <param name="Image">The loadable image, or null when compilation failed.</param>
    /// <param name="Status">The NVRTC status of the step that failed, or <see cref="Success"/>.</param>
    /// <param name="Log">The compiler's log (may hold warnings even on success).</param>
    public sealed record Result(byte[]? Image, int Status, string Log);

    /// <summary>Compiles <paramref name="source"/> with <paramref name="options"/> to PTX, or to a CUBIN when
    /// <paramref name="cubin"/> is set (the options must then name an <c>sm_XY</c> architecture).</summary>
    public static Result Compile(Api api, string source, string programName, IReadOnlyList<string> options, bool cubin)
    {
        byte[] src = Encoding.UTF8.GetBytes(source + "\0");
        byte[] name = Encoding.UTF8.GetBytes(programName + "\0");
        nint program;
        int status;
        fixed (byte* ps = src, pn = name) status = api.CreateProgram(&program, ps, pn, 0, null, null);
        if (status != Success) return new Result(null, status, $"nvrtcCreateProgram failed: {api.Describe(status)}");
        try
        {
            var encoded = options.Select(o => Encoding.UTF8.GetBytes(o + "\0")).ToArray();
            var handles = encoded.Select(e => GCHandle.Alloc(e, GCHandleType.Pinned)).ToArray();
            try
            {
                byte** pointers = stackalloc byte*[Math.Max(1, encoded.Length)];
                for (int i = 0; i < encoded.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                status = api.CompileProgram(program, encoded.Length, pointers);
            }
            finally
            {
                foreach (var h in handles) h.Free();
            }
            string log = ProgramLog(api, program);
            if (status != Success) return new Result(null, status, log);

            var getSize = cubin ? api.GetCubinSize : api.GetPtxSize;
            var get = cubin ? api.GetCubin : api.GetPtx;
            if (getSize == null || get == null) return new Result(null, ErrorCompilation, log + $"\n{api} cannot emit CUBIN (nvrtcGetCUBIN needs NVRTC 11.1 or newer)");
            nuint size;
            status = getSize(program, &size);
            if (status != Success) return new Result(null, status, log + $"\nnvrtcGet{(cubin ? "CUBIN" : "PTX")}Size failed: {api.Describe(status)}");
            var image = new byte[(int)size];
            fixed (byte* p = image) status = get(program, p);
            if (status != Success) return new Result(null, status, log + $"\nnvrtcGet{(cubin ? "CUBIN" : "PTX")} failed: {api.Describe(status)}");
            return new Result(image, Success, log);
        }
        finally
        {
            api.DestroyProgram(&program);
        }
    }

    private static string ProgramLog(Api api, nint program)
    {
        nuint size;
        if (api.GetProgramLogSize(program, &size) != Success || size <= 1) return "";
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            if (api.GetProgramLog(program, p) != Success) return "";
        }
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }
}
