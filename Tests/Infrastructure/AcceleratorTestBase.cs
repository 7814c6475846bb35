using System.Numerics;
using QSim.Kernels;

namespace QSim.Tests;

/// <summary>
/// Base of fixtures that run on every accelerator kind. Derived fixtures are sealed and carry
/// <c>[TestFixtureSource(typeof(TestAccelerators), nameof(TestAccelerators.All))]</c> themselves (NUnit does not
/// inherit it); the accelerator is acquired once per fixture (a missing device ignores or fails the whole fixture).
/// </summary>
public abstract class AcceleratorTestBase
{
    private Accelerator? _accelerator;

    /// <summary>Creates the fixture for one kind.</summary>
    /// <param name="kind">The accelerator kind under test.</param>
    protected AcceleratorTestBase(AcceleratorKind kind) => Kind = kind;

    /// <summary>The kind under test.</summary>
    protected AcceleratorKind Kind { get; }

    /// <summary>The shared accelerator under test.</summary>
    protected Accelerator Accelerator => _accelerator ?? throw new InvalidOperationException("the accelerator is acquired in OneTimeSetUp");

    /// <summary>Acquires the shared accelerator (fails for a missing CPU, ignores a missing GPU).</summary>
    [OneTimeSetUp]
    public void AcquireAccelerator() => _accelerator = TestAccelerators.Get(Kind);

    /// <summary>Allocates a state (skipping the test if the precision is unsupported) and optionally fills it.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="qubits">n.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="amplitudes">Sample-major amplitudes, or null for |0…0⟩.</param>
    /// <returns>The state; the caller disposes it.</returns>
    protected BatchedState<T> NewState<T>(int qubits, int batchSize, Complex[]? amplitudes = null) where T : unmanaged
    {
        TestAccelerators.AssumeSupports<T>(Accelerator);
        var state = Accelerator.AllocateState<T>(qubits, batchSize);
        if (amplitudes is not null) Accelerator.SetState(state, amplitudes);
        return state;
    }

    /// <summary>Reads every amplitude of a state to the host.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <returns>Sample-major amplitudes.</returns>
    protected Complex[] Read<T>(BatchedState<T> state) where T : unmanaged => Accelerator.GetState(state);

    /// <summary>Settles finalizers of states leaked elsewhere, so that <see cref="Accelerator.AllocatedBytes"/> is stable.</summary>
    /// <returns>The allocated bytes after settling.</returns>
    protected long SettledAllocatedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Accelerator.AllocatedBytes;
    }
}
