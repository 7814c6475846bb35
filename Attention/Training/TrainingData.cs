using System.Globalization;
using QSim.Attention.Data;

namespace QSim.Attention.Training;

/// <summary>The splits one experiment trains, selects and tests on.</summary>
/// <param name="Name">A short name: <c>Fashion-MNIST</c>, or the MedMNIST flag (e.g. <c>PneumoniaMNIST</c>) or file
/// name.</param>
/// <param name="Train">The training images.</param>
/// <param name="Val">The validation images (model selection).</param>
/// <param name="Test">The held-out test images, or null when the source has none.</param>
/// <param name="Description">Where each split came from and how it was subsampled, for reports.</param>
public sealed record TrainingData(string Name, ImageSet Train, ImageSet Val, ImageSet? Test, string Description)
{
    /// <summary>The name that selects Fashion-MNIST in <see cref="Load"/>.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>
    /// Loads Fashion-MNIST (<paramref name="source"/> = <c>fashion-mnist</c>) or a MedMNIST <c>.npz</c> file
    /// (<paramref name="source"/> = its path), subsamples and normalises it.
    /// </summary>
    /// <param name="source"><c>fashion-mnist</c> (case-insensitive), or the path of a MedMNIST <c>.npz</c> file.</param>
    /// <param name="options">Limits, seed and normalisation; null for the defaults.</param>
    /// <returns>The splits. Fashion-MNIST: validation held out (stratified) from its 60,000 training images, test =
    /// its 10,000 test images. MedMNIST: its train, val and (if present) test arrays.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty or names no known data set and is not a
    /// file path; an option is out of range; a MedMNIST file lacks its train or val split.</exception>
    /// <exception cref="FileNotFoundException">A path (or the Fashion-MNIST files) does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainingData Load(string source, TrainingDataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new TrainingDataOptions();
        options.Validate();
        string trimmed = source.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException($"the data set name is empty; expected '{FashionMnistName}' or the path of a MedMNIST .npz file", nameof(source));
        }
        if (IsFashionName(trimmed))
        {
            if (!FashionMnist.IsAvailable(options.FashionMnistDirectory))
            {
                throw new FileNotFoundException(
                    $"Fashion-MNIST IDX files were not found in {options.FashionMnistDirectory} (install the Debian package dataset-fashion-mnist)",
                    options.FashionMnistDirectory);
            }
            return LoadFashion(options);
        }
        if (File.Exists(trimmed)) return LoadMedMnist(trimmed, options);
        bool looksLikePath = trimmed.Contains('/') || trimmed.Contains('\\') || trimmed.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        if (looksLikePath)
        {
            throw new FileNotFoundException($"data file '{trimmed}' does not exist (full path {Path.GetFullPath(trimmed)})", trimmed);
        }
        throw new ArgumentException(
            $"unknown data set '{trimmed}': expected '{FashionMnistName}' or the path of a MedMNIST .npz file (e.g. shared/data/pneumoniamnist-trainval.npz)",
            nameof(source));
    }

    private static bool IsFashionName(string name) =>
        name.Equals(FashionMnistName, StringComparison.OrdinalIgnoreCase)
        || name.Equals("fashionmnist", StringComparison.OrdinalIgnoreCase)
        || name.Equals("fashion_mnist", StringComparison.OrdinalIgnoreCase);

    private static TrainingData LoadFashion(TrainingDataOptions options)
    {
        var fashion = FashionMnist.Load(options.FashionMnistDirectory);
        ImageSet full = fashion.Train;
        if (!options.FashionHoldOut)
        {
            ImageSet all = Limit(full, options.TrainLimit, options.Seed + 1);
            ImageSet official = Limit(fashion.Test, options.ValLimit, options.Seed + 2);
            string noHoldOut = string.Create(CultureInfo.InvariantCulture,
                $"Fashion-MNIST: train {all.Count:N0}{(all.Count < full.Count ? $" (stratified subsample of the {full.Count:N0} training images)" : " (all training images, no hold-out)")}, val {official.Count:N0}{(official.Count < fashion.Test.Count ? $" (stratified subsample of the {fashion.Test.Count:N0} official test images)" : " (the official test images)")}, no separate test split");
            return Normalize(new TrainingData("Fashion-MNIST", all, official, null, noHoldOut), options);
        }
        int valCount = Math.Min(options.ValLimit ?? full.Count / 10, full.Count - 1);
        (ImageSet val, ImageSet rest) = full.StratifiedSplit(valCount / (double)full.Count, options.Seed);
        ImageSet train = Limit(rest, options.TrainLimit, options.Seed + 1);
        ImageSet test = Limit(fashion.Test, options.TestLimit, options.Seed + 2);
        string description = string.Create(CultureInfo.InvariantCulture,
            $"Fashion-MNIST: train {train.Count:N0}{(train.Count < rest.Count ? $" (stratified subsample of the {rest.Count:N0} training images left after the hold-out)" : "")}, val {val.Count:N0} (stratified hold-out from the {full.Count:N0} training images), test {test.Count:N0}{(test.Count < fashion.Test.Count ? $" (stratified subsample of the {fashion.Test.Count:N0} official test images)" : " (the official test images)")}");
        return Normalize(new TrainingData("Fashion-MNIST", train, val, test, description), options);
    }

    private static TrainingData LoadMedMnist(string path, TrainingDataOptions options)
    {
        var dataset = MedMnistDataset.Load(path);
        ImageSet fullTrain = dataset.Train ?? throw new ArgumentException($"'{path}' has no train split (found: {string.Join(", ", dataset.Splits)})", nameof(path));
        ImageSet fullVal = dataset.Val ?? throw new ArgumentException($"'{path}' has no val split (found: {string.Join(", ", dataset.Splits)})", nameof(path));
        ImageSet train = Limit(fullTrain, options.TrainLimit, options.Seed + 1);
        ImageSet val = Limit(fullVal, options.ValLimit, options.Seed + 2);
        ImageSet? test = dataset.Test is { } fullTest ? Limit(fullTest, options.TestLimit, options.Seed + 3) : null;
        string name = dataset.Info is { } info ? Flag(info.Flag) : Path.GetFileName(path);
        string description = string.Create(CultureInfo.InvariantCulture,
            $"{name} ({Path.GetFileName(path)}): train {Part(train, fullTrain.Count)}, val {Part(val, fullVal.Count)}, ")
            + (test is null ? "no test split (validation scores are the final figures)" : string.Create(CultureInfo.InvariantCulture, $"test {Part(test, dataset.Test!.Count)}"));
        return Normalize(new TrainingData(name, train, val, test, description), options);
    }

    private static string Flag(string flag) =>
        flag.EndsWith("mnist", StringComparison.OrdinalIgnoreCase)
            ? char.ToUpperInvariant(flag[0]) + flag[1..^5] + "MNIST"
            : flag;

    private static string Part(ImageSet set, int of) =>
        set.Count == of
            ? set.Count.ToString("N0", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{set.Count:N0} of {of:N0} (stratified subsample)");

    private static ImageSet Limit(ImageSet set, int? limit, int seed) =>
        limit is { } n && n < set.Count ? set.StratifiedSplit(n / (double)set.Count, seed).First : set;

    private static TrainingData Normalize(TrainingData data, TrainingDataOptions options)
    {
        if (!options.Normalize) return data;
        (float[] mean, float[] std) = data.Train.ChannelStatistics();
        for (int c = 0; c < std.Length; c++)
        {
            if (!(std[c] > 0)) std[c] = 1;
        }
        return data with
        {
            Train = data.Train.Normalized(mean, std),
            Val = data.Val.Normalized(mean, std),
            Test = data.Test?.Normalized(mean, std),
        };
    }
}
