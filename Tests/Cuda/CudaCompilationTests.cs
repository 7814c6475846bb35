using QSim.Kernels.Cuda;

namespace QSim.Tests.Cuda;

// The pure parts of the CUDA backend, checked without a GPU: compute capability → NVRTC architecture, the choice
// of architecture against what NVRTC supports, the exact NVRTC option strings, and the launch geometry
// (threads per block, blocks per grid-stride launch).
public sealed class CudaCompilationTests
{
    [TestCase(3, 5, 35)]
    [TestCase(7, 5, 75)]
    [TestCase(8, 0, 80)]
    [TestCase(8, 6, 86)]
    [TestCase(8, 9, 89)]
    [TestCase(9, 0, 90)]
    [TestCase(10, 0, 100)]
    [TestCase(12, 0, 120)]
    public void Architecture_ComputeCapability_IsMajorTimesTenPlusMinor(int major, int minor, int expected) =>
        Assert.That(CudaCompilation.Architecture(major, minor), Is.EqualTo(expected));

    [TestCase(0, 0)]
    [TestCase(-1, 5)]
    [TestCase(9, -1)]
    [TestCase(9, 10)]
    public void Architecture_InvalidComputeCapability_Throws(int major, int minor) =>
        Assert.That(() => CudaCompilation.Architecture(major, minor),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"{major}.{minor}"));

    [Test]
    public void ChooseArchitecture_UnknownSupportList_IsTheDevicesOwn() =>
        Assert.That(CudaCompilation.ChooseArchitecture(90, []), Is.EqualTo(90));

    [Test]
    public void ChooseArchitecture_DeviceSupported_IsTheDevicesOwn() =>
        Assert.That(CudaCompilation.ChooseArchitecture(90, [75, 80, 86, 87, 89, 90, 100, 120]), Is.EqualTo(90));

    [Test]
    public void ChooseArchitecture_DeviceNewerThanNvrtc_IsNewestSupportedBelow() =>
        Assert.That(CudaCompilation.ChooseArchitecture(100, [52, 60, 70, 75, 80, 86, 89, 90]), Is.EqualTo(90));

    [Test]
    public void ChooseArchitecture_UnsortedList_IsNewestSupportedBelow() =>
        Assert.That(CudaCompilation.ChooseArchitecture(87, [90, 75, 86, 80, 120]), Is.EqualTo(86));

    [Test]
    public void ChooseArchitecture_DeviceOlderThanEverySupported_IsNull() =>
        Assert.That(CudaCompilation.ChooseArchitecture(61, [75, 80, 90]), Is.Null);

    [Test]
    public void Options_FloatOnH100_AreTheExactNvrtcStrings() =>
        Assert.That(CudaCompilation.Options(isDouble: false, 90),
            Is.EqualTo(new[] { "-DQS_DOUBLE=0", "--gpu-architecture=compute_90", "-default-device", "--std=c++17" }));

    [Test]
    public void Options_DoubleOnRtx3090_AreTheExactNvrtcStrings() =>
        Assert.That(CudaCompilation.Options(isDouble: true, 86),
            Is.EqualTo(new[] { "-DQS_DOUBLE=1", "--gpu-architecture=compute_86", "-default-device", "--std=c++17" }));

    [Test]
    public void Options_Cubin_TargetsTheRealArchitecture() =>
        Assert.That(CudaCompilation.Options(isDouble: true, 90, cubin: true),
            Is.EqualTo(new[] { "-DQS_DOUBLE=1", "--gpu-architecture=sm_90", "-default-device", "--std=c++17" }));

    [TestCase(1024, 256)]
    [TestCase(256, 256)]
    [TestCase(255, 224)]
    [TestCase(128, 128)]
    [TestCase(33, 32)]
    [TestCase(16, 16)]
    public void BlockSize_KernelLimit_IsPreferredOrWholeWarpsBelowTheLimit(int maxThreadsPerBlock, int expected) =>
        Assert.That(CudaAccelerator.BlockSize(maxThreadsPerBlock), Is.EqualTo(expected));

    [TestCase(1L, 1L)]
    [TestCase(256L, 1L)]
    [TestCase(257L, 2L)]
    [TestCase(1L << 20, 4096L)]
    [TestCase(1L << 24, 65536L)]
    [TestCase(1L << 40, 65536L)]
    public void Blocks_Count_CoversEveryElementUpToTheGridCap(long count, long expected) =>
        Assert.That(CudaAccelerator.Blocks(count, 256), Is.EqualTo(expected));

    [Test]
    public void Blocks_ZeroCount_IsStillOneBlock() =>
        Assert.That(CudaAccelerator.Blocks(0, 256), Is.EqualTo(1));
}
