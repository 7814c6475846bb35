using System.Text.RegularExpressions;

namespace QSim.Tests.Cuda;

// Runs every CUDA fixture of this suite in a child process against a mock NVIDIA driver and a mock NVRTC, built here
// with g++ from Tests/Cuda/MockDriver (mock_cuda.cpp, mock_nvrtc.cpp). QSim's whole CUDA host path then runs end to
// end on a machine without a GPU - discovery, the primary context made current on every thread, allocation against
// free memory, copies, the kernel-argument arena, NVRTC options and module loading, argument marshalling, launch
// geometry - while the kernels, built by g++ from the very source string QSim hands to NVRTC, run on the CPU by
// emulating the grid and are compared with the CPU oracle like any accelerator. The mock checks what a driver
// checks and more (current context, pointer arguments and copy ranges inside live allocations, live handles, no
// free while work is pending), and its streams are asynchronous worker threads, so reusing the argument arena
// before the stream is done corrupts results as on a GPU (checked: removing the wait makes this test fail). It says
// nothing about device code generation, the real driver's behaviour or speed. Ignored without g++, and
// where a real CUDA device is present (the real suite covers it there). Tests/Cuda/MockDriver/run-suite-on-mock-driver.sh
// runs the same by hand.
public sealed partial class CudaMockDriverTests
{
    private const string ChildVariable = "QSIM_MOCK_DRIVER_CHILD";

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed, (\d+) skipped\s*$", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [Test]
    public void CudaFixtures_OnMockDriver_AllPass()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) == "1") Assert.Ignore("this is the child run on the mock driver");
        if (TestAccelerators.Context.Accelerators.Any(a => a.Kind == QSim.Kernels.AcceleratorKind.Cuda && !a.Name.Contains("mock", StringComparison.Ordinal)))
        {
            Assert.Ignore("a real CUDA device is present: the CUDA fixtures run on it, not on the mock driver");
        }
        string? gxx = ExternalTools.FindOnPath("g++");
        if (gxx is null) Assert.Ignore("g++ is not on PATH, so the mock CUDA driver cannot be built on this machine");

        string sources = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cuda", "MockDriver");
        var dir = Directory.CreateTempSubdirectory("qsim-mock-driver-");
        try
        {
            Build(gxx!, ["-o", Path.Combine(dir.FullName, "libcuda.so.1"), Path.Combine(sources, "mock_cuda.cpp"), "-ldl"]);
            Build(gxx!, [$"-DQSIM_MOCK_DIR=\"{sources}\"", "-o", Path.Combine(dir.FullName, "libnvrtc-mock.so"), Path.Combine(sources, "mock_nvrtc.cpp")]);

            string apphost = Path.Combine(AppContext.BaseDirectory, "QSim.Tests");
            string assembly = typeof(CudaMockDriverTests).Assembly.Location;
            string program;
            var arguments = new List<string>();
            if (File.Exists(apphost))
            {
                program = apphost;
            }
            else
            {
                program = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTools.FindOnPath("dotnet")
                    ?? throw new InconclusiveException("neither the QSim.Tests executable nor dotnet is at hand to start the child run");
                arguments.Add(assembly);
            }
            arguments.AddRange(["--where", @"\(Cuda\)|Tests\.Cuda\."]);
            string libraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } existing ? $"{dir.FullName}:{existing}" : dir.FullName;
            var (exitCode, output) = ExternalTools.Run(program, arguments, TimeSpan.FromMinutes(10), new Dictionary<string, string>
            {
                ["LD_LIBRARY_PATH"] = libraryPath,
                ["QSIM_NVRTC_PATH"] = Path.Combine(dir.FullName, "libnvrtc-mock.so"),
                ["QSIM_REQUIRE_CUDA"] = "1",
                // Streams stay asynchronous (a worker thread each) but without the added delay: half the time.
                ["QSIM_MOCK_OP_DELAY_US"] = "0",
                [ChildVariable] = "1",
            });

            var summary = Summary().Matches(output).LastOrDefault();
            string report = Report(output);
            Assert.That(summary, Is.Not.Null, $"the child run printed no summary (exit code {exitCode}):\n{report}");
            int passed = int.Parse(summary!.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            int failed = int.Parse(summary.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(output, Does.Contain("accelerator: Cuda: QSim mock GPU"), $"the child did not find the mock CUDA device:\n{report}");
            Assert.That(failed, Is.EqualTo(0), $"CUDA fixtures failed on the mock driver:\n{report}");
            Assert.That(exitCode, Is.EqualTo(0), report);
            Assert.That(passed, Is.GreaterThan(500), $"too few CUDA tests ran on the mock driver:\n{report}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void Build(string gxx, string[] arguments)
    {
        string[] common = ["-std=c++17", "-O2", "-shared", "-fPIC", "-Wall", "-Werror"];
        var (exitCode, output) = ExternalTools.Run(gxx, [.. common, .. arguments], TimeSpan.FromMinutes(2));
        Assert.That(exitCode, Is.EqualTo(0), $"g++ could not build the mock: {output}");
    }

    /// <summary>The failures and the last lines of the child's output, short enough for a test message.</summary>
    private static string Report(string output)
    {
        string failures = string.Join("\n", Regex.Matches(output, @"^FAILED .*(?:\n  .*){0,6}", RegexOptions.Multiline).Take(10).Select(m => m.Value));
        string[] lines = output.Split('\n');
        string tail = string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 15)));
        return failures.Length > 0 ? $"{failures}\n...\n{tail}" : tail;
    }
}
