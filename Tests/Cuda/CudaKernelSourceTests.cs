using System.Text;
using System.Text.RegularExpressions;
using QSim.Kernels;
using QSim.Kernels.Cuda;

namespace QSim.Tests.Cuda;

// The CUDA (NVRTC) view of the one kernel source that OpenCL also compiles (prelude.h + gates.cl + small_circuit.cl, as
// KernelSource.All hands it to both compilers). Without NVRTC, the host C++ compiler checks it as C++17 with stub
// definitions of the CUDA built-ins (Tests/Cuda/cuda_syntax_stubs.h): every construct that is OpenCL C but not
// C++ (get_global_id, popcount, mad, vector types, address-space qualifiers outside the prelude, …) fails there.
// Where clang is installed (Debian: apt-get install clang), it compiles the CUDA view for the device to PTX with
// its NVPTX backend and no CUDA SDK (Tests/Cuda/cuda_clang_stubs.h), which also enforces CUDA's device-code rules;
// every kernel must come out as an unmangled entry point.
// Where NVRTC is installed (a GPU machine), it compiles the sources to PTX in both precisions and every kernel
// must appear as an entry point; a broken source must come back with the compiler's log.
public sealed partial class CudaKernelSourceTests
{
    private static bool CudaRequired => Environment.GetEnvironmentVariable("QSIM_REQUIRE_CUDA") == "1";

    [GeneratedRegex(@"QS_KERNEL\s+void\s+(\w+)\s*\(")]
    private static partial Regex KernelDeclaration();

    private static List<string> KernelNames() => KernelDeclaration().Matches(KernelSource.All).Select(m => m.Groups[1].Value).ToList();

    [Test]
    public void KernelSource_DeclaresTheKernelsTheAcceleratorsLaunch() =>
        Assert.That(KernelNames(), Is.SupersetOf(new[]
        {
            "qs_set_basis", "qs_apply_dense", "qs_apply_1q", "qs_apply_dense_oop", "qs_apply_diagonal", "qs_weighted_norm", "qs_pair_product", "qs_add_scaled", "qs_small_circuit",
        }));

    [Test]
    public void KernelSource_SmallCircuitOpRecord_MatchesTheHostEncoding() =>
        Assert.That(KernelSource.All, Does.Contain($"#define QS_SC_FIELDS {QSim.Kernels.Device.DeviceAccelerator.SmallCircuitOpFields}\n"),
            "small_circuit.cl and DeviceAccelerator.SmallCircuit.cs agree on the size of an op record");

    [TestCase(0)]
    [TestCase(1)]
    public void CudaView_HostCompilerSyntaxCheck_Passes(int qsDouble)
    {
        string? compiler = ExternalTools.FindOnPath("g++") ?? ExternalTools.FindOnPath("clang++");
        if (compiler is null) Assert.Ignore("neither g++ nor clang++ is on PATH, so the CUDA view of the kernel sources is not syntax-checked on this machine");
        string stubs = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cuda", "cuda_syntax_stubs.h");
        Assert.That(File.Exists(stubs), Is.True, $"{stubs} is copied to the test output");

        var dir = Directory.CreateTempSubdirectory("qsim-cuda-syntax-");
        try
        {
            string source = Path.Combine(dir.FullName, "qsim_gates.cu");
            File.WriteAllText(source, KernelSource.All);
            string[] arguments =
            [
                "-fsyntax-only", "-std=c++17", "-pedantic-errors", "-Wall", "-Werror",
                "-D__CUDACC_RTC__", $"-DQS_DOUBLE={qsDouble}", "-include", stubs, "-x", "c++", source,
            ];
            var (exitCode, output) = ExternalTools.Run(compiler!, arguments, TimeSpan.FromMinutes(2));
            Assert.That(exitCode, Is.EqualTo(0),
                $"{Path.GetFileName(compiler)} rejects the CUDA view of the kernel sources (QS_DOUBLE={qsDouble}):\n{output}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    public void CudaView_ClangDeviceCompileToPtx_HasEveryKernel(int qsDouble)
    {
        string? clang = ExternalTools.FindOnPath("clang++");
        if (clang is null) Assert.Ignore("clang++ is not on PATH (Debian: apt-get install clang), so the CUDA view of the kernel sources is not compiled for the device on this machine");
        string stubs = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cuda", "cuda_clang_stubs.h");
        var dir = Directory.CreateTempSubdirectory("qsim-cuda-clang-");
        try
        {
            string source = Path.Combine(dir.FullName, "qsim_gates.cu"), ptxFile = Path.Combine(dir.FullName, "qsim_gates.ptx");
            File.WriteAllText(source, KernelSource.All);
            string[] arguments =
            [
                "-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_80", "-std=c++17", "-O2",
                "-Wall", "-Werror", "-D__CUDACC_RTC__", $"-DQS_DOUBLE={qsDouble}", "-include", stubs, "-S", "-o", ptxFile, source,
            ];
            var (exitCode, output) = ExternalTools.Run(clang!, arguments, TimeSpan.FromMinutes(2));
            if (exitCode != 0 && output.Contains("nvptx", StringComparison.OrdinalIgnoreCase) && output.Contains("target", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Ignore($"this clang++ has no NVPTX target: {output}");
            }
            Assert.That(exitCode, Is.EqualTo(0), $"clang++ rejects the CUDA view of the kernel sources for the device (QS_DOUBLE={qsDouble}):\n{output}");
            string ptx = File.ReadAllText(ptxFile);
            foreach (string name in KernelNames())
            {
                Assert.That(Regex.IsMatch(ptx, $@"\.entry\s+{name}\s*\("), Is.True, $"kernel {name} is not an entry point of the PTX (extern \"C\" lost?)");
            }
            if (qsDouble == 1) Assert.That(ptx, Does.Contain(".f64"), "double kernels compute in f64");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Nvrtc_SharedSources_CompileToPtxWithEveryKernel(bool isDouble)
    {
        var api = RequireNvrtc();
        int[] supported = api.SupportedArchitectures();
        int architecture = supported.Length > 0 ? supported.Max() : 75;
        string[] options = CudaCompilation.Options(isDouble, architecture);
        var result = NvrtcNative.Compile(api, KernelSource.All, "qsim_gates.cu", options, cubin: false);
        Assert.That(result.Image, Is.Not.Null, $"{api} with '{string.Join(' ', options)}': {api.Describe(result.Status)}\n{result.Log}");
        string ptx = Encoding.ASCII.GetString(result.Image!).TrimEnd('\0');
        foreach (string name in KernelNames())
        {
            Assert.That(Regex.IsMatch(ptx, $@"\.entry\s+{name}\s*\("), Is.True, $"kernel {name} is not an entry point of the PTX (extern \"C\" lost?)");
        }
        if (isDouble) Assert.That(ptx, Does.Contain(".f64"), "double kernels compute in f64");
    }

    [Test]
    public void Nvrtc_BrokenSource_FailsWithTheCompilersLog()
    {
        var api = RequireNvrtc();
        string broken = KernelSource.All + "\nQS_KERNEL void qs_broken(QS_GLOBAL real* x) { x[0] = qs_undeclared_helper(); }\n";
        var result = NvrtcNative.Compile(api, broken, "qsim_broken.cu", CudaCompilation.Options(false, 75), cubin: false);
        Assert.That(result.Image, Is.Null);
        Assert.That(result.Status, Is.EqualTo(NvrtcNative.ErrorCompilation), api.Describe(result.Status));
        Assert.That(result.Log, Does.Contain("qs_undeclared_helper"));
    }

    private static NvrtcNative.Api RequireNvrtc()
    {
        var api = NvrtcNative.TryGet(out string why);
        if (api is null)
        {
            if (CudaRequired) Assert.Fail($"QSIM_REQUIRE_CUDA=1 is set but {why}");
            Assert.Ignore(why);
        }
        return api!;
    }
}
