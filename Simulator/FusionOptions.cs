using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// How the simulator fuses consecutive gates into fewer kernel passes (see <c>docs/simulator.md</c>, "Fusion").
/// </summary>
public sealed record FusionOptions
{
    /// <summary>Fusion off: every gate is one kernel pass.</summary>
    public static FusionOptions Disabled { get; } = new() { Enabled = false, SmallCircuitMaxQubits = 0 };

    /// <summary>Whether gates are fused at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The most qubits a fused dense block may act on (1…<see cref="Accelerator.MaxMatrixQubits"/>). A pass over a
    /// k-qubit block costs 2^k complex multiply-adds per amplitude, so the best value depends on how memory-bound the
    /// accelerator is.
    /// </summary>
    public int MaxQubits { get; init; } = 2;

    /// <summary>The most qubits a fused block made only of diagonal gates may act on (its pass costs one multiply
    /// per amplitude whatever its size).</summary>
    public int MaxDiagonalQubits { get; init; } = 10;

    /// <summary>
    /// Circuits on at most this many qubits (0…12) run as one fused launch per batch where the accelerator has the
    /// small-circuit kernel (the CPU): each group of samples keeps its whole state in cache while every gate, the
    /// observables and the adjoint sweep run, and only expectation values and gradients are written. It applies to
    /// <see cref="Simulator{T}.Expectations"/>, <see cref="Simulator{T}.Gradients"/> (adjoint) and
    /// <see cref="Simulator{T}.Backward"/> (adjoint). 0 turns it off.
    /// </summary>
    public int SmallCircuitMaxQubits { get; init; } = 12;

    /// <summary>The default for an accelerator: 2-qubit dense blocks. Measured on the CPU (layered circuit, n = 22):
    /// off 504/849 ms (float/double), 2 qubits 214/600 ms, 3 qubits 422/945 ms, 4 qubits 1544/1501 ms — the 3- and
    /// 4-qubit kernels are not yet register-resident.</summary>
    /// <param name="accelerator">The accelerator.</param>
    /// <returns>The options.</returns>
    public static FusionOptions For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return new FusionOptions();
    }

    /// <summary>Throws unless the limits are usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is outside 1…<see cref="Accelerator.MaxMatrixQubits"/> (dense) or 1…20 (diagonal).</exception>
    internal void Validate()
    {
        if (MaxQubits < 1 || MaxQubits > Accelerator.MaxMatrixQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQubits), $"fused blocks need 1…{Accelerator.MaxMatrixQubits} qubits, got {MaxQubits}");
        }
        if (MaxDiagonalQubits < 1 || MaxDiagonalQubits > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDiagonalQubits), $"fused diagonal blocks need 1…20 qubits, got {MaxDiagonalQubits}");
        }
        if (SmallCircuitMaxQubits < 0 || SmallCircuitMaxQubits > Kernels.Circuits.SmallCircuitProgram.MaxQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(SmallCircuitMaxQubits),
                $"the fused small-circuit kernel takes 0…{Kernels.Circuits.SmallCircuitProgram.MaxQubits} qubits, got {SmallCircuitMaxQubits}");
        }
    }
}
