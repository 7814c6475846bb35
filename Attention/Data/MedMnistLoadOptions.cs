namespace QSim.Attention.Data;

/// <summary>Options of <see cref="MedMnistDataset.Load"/>.</summary>
public sealed class MedMnistLoadOptions
{
    /// <summary>
    /// An MD5 sum (32 hex digits, any case) the file must have; checked whatever the file is called, and instead of
    /// the official sum. Null (the default): only files named like an official MedMNIST file are checked.
    /// </summary>
    public string? ExpectedMd5 { get; init; }

    /// <summary>
    /// Whether a file whose name is an official MedMNIST file name (e.g. <c>pneumoniamnist.npz</c>) must have the
    /// official MD5 sum. Default true.
    /// </summary>
    public bool VerifyOfficialMd5 { get; init; } = true;

    /// <summary>
    /// The data set the file holds, for its class count, class names and channel count. Null (the default): the
    /// data set whose flag starts the file name (<c>pneumoniamnist-trainval.npz</c> → PneumoniaMNIST), if any, else
    /// classes are counted as the largest label + 1 and named "0", "1", ….
    /// </summary>
    public MedMnistInfo? Info { get; init; }

    /// <summary>Whether to look the data set up from the file name when <see cref="Info"/> is null. Default true.</summary>
    public bool InferInfoFromFileName { get; init; } = true;

    /// <summary>
    /// Per-channel means (one value, or one per channel) subtracted after pixels are scaled to [0, 1]. Set together
    /// with <see cref="Std"/>; null (the default) leaves pixels in [0, 1].
    /// </summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviations (one value, or one per channel) that pixels are divided by after <see cref="Mean"/> is subtracted.</summary>
    public IReadOnlyList<float>? Std { get; init; }
}
