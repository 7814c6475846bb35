namespace QSim.Attention.Training;

/// <summary>How <see cref="TrainingData.Load"/> subsamples and normalises a data set.</summary>
/// <remarks>Limits draw a class-stratified random subset (<see cref="Data.ImageSet.StratifiedSplit"/> seeded with
/// <see cref="Seed"/>), so class proportions are kept and the size is the limit up to per-class rounding.</remarks>
public sealed record TrainingDataOptions
{
    /// <summary>At most this many training images (≥ 1), or null for all. Default null.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>At most this many validation images (≥ 1), or null for all. For Fashion-MNIST, which has no
    /// validation split, this is the size of the split held out from its training images (default 10 %).</summary>
    public int? ValLimit { get; init; }

    /// <summary>At most this many test images (≥ 1), or null for all. Default null.</summary>
    public int? TestLimit { get; init; }

    /// <summary>
    /// Fashion-MNIST only: whether the validation split is held out from the 60,000 training images (default true).
    /// False trains on all 60,000 and validates on the official 10,000 test images, with no separate test split (the
    /// setting of the TensorCircuit benchmark the issue compares against).
    /// </summary>
    public bool FashionHoldOut { get; init; } = true;

    /// <summary>The seed of the subsampling and of Fashion-MNIST's validation hold-out. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether every split is normalised with the training split's per-channel mean and standard deviation
    /// (after subsampling). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Where the Fashion-MNIST IDX files are. Default <see cref="Data.FashionMnist.DefaultDirectory"/>.</summary>
    public string FashionMnistDirectory { get; init; } = Data.FashionMnist.DefaultDirectory;

    /// <summary>Checks every option, naming the first bad one.</summary>
    internal void Validate()
    {
        static void AtLeastOne(int? value, string name)
        {
            if (value is < 1) throw new ArgumentException($"TrainingDataOptions.{name} is {value}; expected at least 1 (or null for no limit)", name);
        }

        AtLeastOne(TrainLimit, nameof(TrainLimit));
        AtLeastOne(ValLimit, nameof(ValLimit));
        AtLeastOne(TestLimit, nameof(TestLimit));
        ArgumentNullException.ThrowIfNull(FashionMnistDirectory);
    }
}
