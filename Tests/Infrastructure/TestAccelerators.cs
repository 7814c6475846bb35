using QSim.Kernels;

namespace QSim.Tests;

/// <summary>
/// The accelerators shared by the whole test run: one <see cref="AcceleratorContext"/>, created on first use and
/// disposed by <see cref="TestAcceleratorsTearDown"/> after the last fixture.
/// </summary>
/// <remarks>
/// <para>Pattern for a fixture that runs on every accelerator (the attribute is not inherited, so every sealed
/// fixture carries it):</para>
/// <code>
/// [TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]
/// public sealed class FooTests(AcceleratorKind kind) : AcceleratorTestBase(kind) { … }
/// </code>
/// <para>A missing CPU backend fails; a missing OpenCL or CUDA device ignores the fixture with the context's reason,
/// unless <c>QSIM_REQUIRE_OPENCL=1</c> or <c>QSIM_REQUIRE_CUDA=1</c> is set, which turns "ignored" into "failed".</para>
/// </remarks>
public static class TestAccelerators
{
    private static readonly object Gate = new();
    private static AcceleratorContext? _context;

    /// <summary>Every accelerator kind, whether or not this machine has it (missing ones are ignored, not hidden).</summary>
    public static IEnumerable<AcceleratorKind> All => Enum.GetValues<AcceleratorKind>();

    /// <summary>The run's context, created on first use.</summary>
    public static AcceleratorContext Context
    {
        get
        {
            lock (Gate)
            {
                return _context ??= AcceleratorContext.Create();
            }
        }
    }

    /// <summary>The shared accelerator of a kind, or a failed/ignored test when there is none.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The first accelerator of that kind.</returns>
    public static Accelerator Get(AcceleratorKind kind)
    {
        var found = Context.Accelerators.FirstOrDefault(a => a.Kind == kind);
        if (found is not null) return found;

        string reasons = string.Join("; ", Context.Unavailable.Where(u => u.StartsWith(kind.ToString(), StringComparison.OrdinalIgnoreCase)));
        string message = $"no {kind} accelerator is available: {(reasons.Length > 0 ? reasons : "the context gives no reason")}";
        switch (kind)
        {
            case AcceleratorKind.Cpu:
                Assert.Fail($"the CPU backend must always be present; {message}");
                break;
            case AcceleratorKind.OpenCL when Required("QSIM_REQUIRE_OPENCL"):
                Assert.Fail($"QSIM_REQUIRE_OPENCL=1 is set but {message}");
                break;
            case AcceleratorKind.Cuda when Required("QSIM_REQUIRE_CUDA"):
                Assert.Fail($"QSIM_REQUIRE_CUDA=1 is set but {message}");
                break;
            default:
                Assert.Ignore(message);
                break;
        }
        throw new InvalidOperationException("unreachable: Assert.Fail/Ignore throw");
    }

    /// <summary>Skips (inconclusive) a test whose precision the accelerator lacks, e.g. double on a device without fp64.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="accelerator">The accelerator.</param>
    public static void AssumeSupports<T>(Accelerator accelerator) where T : unmanaged =>
        Assume.That(accelerator.Supports<T>(), $"{accelerator} does not compute in {typeof(T).Name}");

    private static bool Required(string variable) => Environment.GetEnvironmentVariable(variable) == "1";

    /// <summary>Disposes the shared context (called once, after every fixture).</summary>
    internal static void DisposeContext()
    {
        lock (Gate)
        {
            _context?.Dispose();
            _context = null;
        }
    }
}

/// <summary>Disposes the shared accelerators after every fixture in <c>QSim.Tests</c> and below has run.</summary>
[SetUpFixture]
public sealed class TestAcceleratorsTearDown
{
    /// <summary>Disposes the shared context.</summary>
    [OneTimeTearDown]
    public void DisposeAccelerators() => TestAccelerators.DisposeContext();
}
