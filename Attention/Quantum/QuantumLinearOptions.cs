namespace QSim.Attention;

/// <summary>
/// The circuit of a <see cref="QuantumLinear{T}"/>: angle encoding of the n features on n qubits (optionally after
/// H on every qubit), then <see cref="Layers"/> times [trainable rotations of the same axis on every qubit + the
/// entangler], optionally re-uploading the features before every layer after the first.
/// </summary>
public sealed record QuantumLinearOptions
{
    /// <summary>Rotation axis of the encoding and of the trainable rotations (default RY, as in Boucher et al. 2025).</summary>
    public QuantumEncoding Encoding { get; init; } = QuantumEncoding.RY;

    /// <summary>Whether H is applied to every qubit before the encoding.</summary>
    public bool HadamardFirst { get; init; }

    /// <summary>Whether the features are encoded again before each trainable layer after the first (data re-uploading).</summary>
    public bool Reuploading { get; init; }

    /// <summary>Trainable layers L (at least 1); the layer has L·n parameters.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>The entangler after each rotation layer.</summary>
    public QuantumEntangler Entangler { get; init; } = QuantumEntangler.Ring;

    /// <summary>Throws unless the options are usable.</summary>
    internal void Validate()
    {
        if (Layers < 1) throw new ArgumentOutOfRangeException(nameof(Layers), $"a quantum layer needs at least 1 trainable layer, got {Layers}");
        if (!Enum.IsDefined(Encoding)) throw new ArgumentOutOfRangeException(nameof(Encoding), $"unknown encoding {(int)Encoding}");
        if (!Enum.IsDefined(Entangler)) throw new ArgumentOutOfRangeException(nameof(Entangler), $"unknown entangler {(int)Entangler}");
    }
}
