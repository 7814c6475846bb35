namespace QSim.Simulator;

/// <summary>How a <see cref="Parameter"/> receives its value when a circuit runs.</summary>
public enum ParameterKind
{
    /// <summary>A trainable weight: one value shared by every sample of the batch.</summary>
    Weight,

    /// <summary>A per-sample input (data encoding): one value per sample of the batch.</summary>
    Input,
}
