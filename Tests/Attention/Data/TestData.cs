using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

/// <summary>
/// Locates the real data files the data tests read. A missing file ignores the test with the reason, unless
/// <c>QSIM_REQUIRE_DATA=1</c> is set, which turns "ignored" into "failed".
/// </summary>
/// <remarks>
/// The pneumonia file lies in <c>shared/data</c> beside the repository root (the repository is cloned at
/// <c>X/&lt;repo&gt;</c> with <c>X/shared</c> next to it): the helper walks up from the test assembly directory and
/// takes the first ancestor that has <c>shared/data/pneumoniamnist-trainval.npz</c>. Fashion-MNIST comes from Debian's
/// <c>dataset-fashion-mnist</c> package (<see cref="FashionMnist.DefaultDirectory"/>).
/// </remarks>
internal static class TestData
{
    public const string PneumoniaFileName = "pneumoniamnist-trainval.npz";

    /// <summary>Whether missing data must fail the run (CI sets <c>QSIM_REQUIRE_DATA=1</c>).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("QSIM_REQUIRE_DATA") == "1";

    /// <summary>The path of <c>pneumoniamnist-trainval.npz</c>, or an ignored/failed test.</summary>
    public static string PneumoniaPath()
    {
        string start = TestContext.CurrentContext.TestDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", PneumoniaFileName);
            if (File.Exists(candidate)) return candidate;
        }
        Missing($"{PneumoniaFileName} was not found in shared/data of any ancestor of {start} (expected X/shared/data beside the repository X/<repo>)");
        throw new InvalidOperationException("unreachable: Assert.Fail/Ignore throw");
    }

    /// <summary>The Fashion-MNIST directory, or an ignored/failed test.</summary>
    public static string FashionDirectory()
    {
        if (FashionMnist.IsAvailable(FashionMnist.DefaultDirectory)) return FashionMnist.DefaultDirectory;
        Missing($"Fashion-MNIST IDX files are not in {FashionMnist.DefaultDirectory} (install the Debian package dataset-fashion-mnist)");
        throw new InvalidOperationException("unreachable: Assert.Fail/Ignore throw");
    }

    private static void Missing(string reason)
    {
        if (Required) Assert.Fail($"QSIM_REQUIRE_DATA=1 is set but {reason}");
        Assert.Ignore(reason);
    }
}
