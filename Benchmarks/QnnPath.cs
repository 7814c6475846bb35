namespace QSim.Benchmarks;

/// <summary>How the batched QNN benchmark runs its circuit.</summary>
public enum QnnPath
{
    /// <summary>The fused small-circuit kernel (one launch per batch) where the accelerator has it.</summary>
    Fused,

    /// <summary>Gate by gate through the accelerator's kernels (fusion of 2-qubit blocks still on).</summary>
    General,
}
