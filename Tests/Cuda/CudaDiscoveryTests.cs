using QSim.Kernels;
using QSim.Kernels.Cuda;

namespace QSim.Tests.Cuda;

// CUDA discovery never throws: without a usable GPU the context carries exactly one line beginning with "CUDA:" that
// says why (no driver, no device, no NVRTC, …), and asking for a CUDA accelerator throws
// AcceleratorNotAvailableException with that line. With QSIM_REQUIRE_CUDA=1 (on a GPU machine) a missing CUDA
// device fails instead, and the devices found are checked for sane properties.
public sealed class CudaDiscoveryTests
{
    private static bool CudaRequired => Environment.GetEnvironmentVariable("QSIM_REQUIRE_CUDA") == "1";

    private static List<Accelerator> CudaDevices => TestAccelerators.Context.Accelerators.Where(a => a.Kind == AcceleratorKind.Cuda).ToList();

    private static List<string> CudaReasons => TestAccelerators.Context.Unavailable.Where(u => u.StartsWith("CUDA:", StringComparison.Ordinal)).ToList();

    [Test]
    public void Create_NoCudaDevice_ReportsExactlyOneClearCudaReason()
    {
        if (CudaDevices.Count > 0) Assert.Ignore($"this machine has CUDA devices: {string.Join("; ", CudaDevices)}");
        Assert.That(CudaRequired, Is.False, $"QSIM_REQUIRE_CUDA=1 is set but no CUDA device was found: {string.Join("; ", CudaReasons)}");
        Assert.That(CudaReasons, Has.Count.EqualTo(1), $"unavailable: {string.Join(" | ", TestAccelerators.Context.Unavailable)}");
        string reason = CudaReasons[0];
        Assert.That(reason, Does.Not.Contain("no CUDA backend"), "the placeholder line of the build without a CUDA backend");
        Assert.That(reason.Length, Is.GreaterThan("CUDA: ".Length + 20), $"too short to say why: '{reason}'");
        Assert.That(reason, Does.Contain("libcuda.so.1").Or.Contain("driver").Or.Contain("NVRTC").Or.Contain("device"), reason);
    }

    [Test]
    public void Get_NoCudaDevice_ThrowsWithTheReason()
    {
        if (CudaDevices.Count > 0) Assert.Ignore("this machine has CUDA devices");
        var e = Assert.Throws<AcceleratorNotAvailableException>(() => TestAccelerators.Context.Get(AcceleratorKind.Cuda));
        Assert.That(e!.Message, Does.Contain(CudaReasons[0]));
    }

    [Test]
    public void GetBest_CudaDevicePresent_IsCuda()
    {
        if (CudaDevices.Count == 0) Assert.Ignore($"no CUDA device: {string.Join("; ", CudaReasons)}");
        Assert.That(TestAccelerators.Context.GetBest().Kind, Is.EqualTo(AcceleratorKind.Cuda));
    }

    [Test]
    public void Discovery_CudaDevices_HaveSaneProperties()
    {
        if (CudaDevices.Count == 0)
        {
            if (CudaRequired) Assert.Fail($"QSIM_REQUIRE_CUDA=1 is set but no CUDA device was found: {string.Join("; ", CudaReasons)}");
            Assert.Ignore($"no CUDA device: {string.Join("; ", CudaReasons)}");
        }
        foreach (var a in CudaDevices)
        {
            Assert.That(a, Is.InstanceOf<CudaAccelerator>());
            Assert.That(a.SupportsFloat64, Is.True, a.Name);
            Assert.That(a.ComputeUnits, Is.GreaterThan(0), a.Name);
            Assert.That(a.MemorySize, Is.GreaterThan(1L << 28), a.Name);
            Assert.That(a.MaxBufferBytes, Is.GreaterThan(0).And.LessThanOrEqualTo(a.MemorySize), a.Name);
            long free = a.AvailableMemory;
            Assert.That(free, Is.GreaterThan(0).And.LessThanOrEqualTo(a.MemorySize), $"{a.Name}: free memory from cuMemGetInfo");
            Assert.That(a.Name, Does.Contain("compute capability"), a.Name);
        }
    }

    [Test]
    public void InitFailure_NoDevice_SaysSoAndNamesTheError()
    {
        string line = CudaDiscovery.InitFailure(CudaNative.ErrorNoDevice);
        Assert.That(line, Does.StartWith("CUDA: "));
        Assert.That(line, Does.Contain("no CUDA device").And.Contain("CUDA_ERROR_NO_DEVICE").And.Contain("100"));
    }

    [TestCase(CudaNative.ErrorStubLibrary, "stub")]
    [TestCase(CudaNative.ErrorInsufficientDriver, "too old")]
    [TestCase(CudaNative.ErrorSystemDriverMismatch, "different driver versions")]
    [TestCase(999, "failed to initialise")]
    public void InitFailure_OtherErrors_BeginWithCudaAndSayWhy(int status, string expected)
    {
        string line = CudaDiscovery.InitFailure(status);
        Assert.That(line, Does.StartWith("CUDA: ").And.Contain(expected).And.Contain($"({status})"));
    }

    [Test]
    public void CudaException_Message_NamesTheCallAndTheError()
    {
        var e = new CudaException("cuMemAlloc_v2", CudaNative.ErrorOutOfMemory);
        Assert.That(e.Message, Does.Contain("cuMemAlloc_v2").And.Contain("CUDA_ERROR_OUT_OF_MEMORY").And.Contain("(2)"));
        Assert.That(e.Status, Is.EqualTo(CudaNative.ErrorOutOfMemory));
    }

    [Test]
    public void NvrtcCandidates_IncludeEverySoname()
    {
        var candidates = NvrtcNative.Candidates().ToList();
        Assert.That(candidates, Is.SupersetOf(new[] { "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2" }));
        Assert.That(candidates, Has.None.Contains("builtins"), "libnvrtc-builtins is loaded by NVRTC itself");
    }
}
