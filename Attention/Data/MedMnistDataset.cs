using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace QSim.Attention.Data;

/// <summary>
/// A MedMNIST 2D data set loaded from its <c>.npz</c> file: any subset of the splits train, val and test, each an
/// <see cref="ImageSet"/> of pixels scaled to [0, 1] in (N, C, H, W) layout.
/// </summary>
/// <remarks>
/// <para>Layout read: arrays <c>{train,val,test}_images</c>, uint8 of shape (N, H, W) (grayscale) or (N, H, W, C)
/// with C = 1 or 3 (RGB, channels last, transposed to channels first), and <c>{train,val,test}_labels</c>, integers
/// of shape (N, 1) or (N,). Other arrays are ignored. Each split needs both arrays with the same N, and all splits
/// the same image size.</para>
/// <para>Only single-label tasks are loaded. Multi-label labels of shape (N, L) with L &gt; 1 (ChestMNIST) raise
/// <see cref="NotSupportedException"/>: an <see cref="ImageSet"/> holds one class per image.</para>
/// <para>Integrity: the file's MD5 is always computed (<see cref="Md5"/>). A file named like an official MedMNIST
/// file (<c>pneumoniamnist.npz</c>) must match the official sum (<see cref="MedMnistInfo.Md5Sums"/>); other names
/// (<c>pneumoniamnist-trainval.npz</c>) are checked only against <see cref="MedMnistLoadOptions.ExpectedMd5"/>.</para>
/// <code>
/// var data = MedMnistDataset.Load("pneumoniamnist.npz");
/// ImageSet train = data[MedMnistSplit.Train];      // 4708 × 1 × 28 × 28, labels 0 = normal, 1 = pneumonia
/// </code>
/// </remarks>
public sealed class MedMnistDataset
{
    private readonly Dictionary<MedMnistSplit, ImageSet> _splits;

    private MedMnistDataset(string path, string md5, bool md5Verified, MedMnistInfo? info, Dictionary<MedMnistSplit, ImageSet> splits, int classes, IReadOnlyList<string> classNames)
    {
        SourcePath = path;
        Md5 = md5;
        Md5Verified = md5Verified;
        Info = info;
        _splits = splits;
        Splits = Array.AsReadOnly(splits.Keys.Order().ToArray());
        Classes = classes;
        ClassNames = classNames;
    }

    /// <summary>The file the data set was loaded from.</summary>
    public string SourcePath { get; }

    /// <summary>The file's MD5 sum, lowercase hex.</summary>
    public string Md5 { get; }

    /// <summary>Whether <see cref="Md5"/> was checked against an expected sum (official or <see cref="MedMnistLoadOptions.ExpectedMd5"/>).</summary>
    public bool Md5Verified { get; }

    /// <summary>The official data set the file was identified as, or null.</summary>
    public MedMnistInfo? Info { get; }

    /// <summary>The splits found in the file, in the order train, val, test.</summary>
    public IReadOnlyList<MedMnistSplit> Splits { get; }

    /// <summary>The number of classes: from <see cref="Info"/> when known, else the largest label over all splits + 1.</summary>
    public int Classes { get; }

    /// <summary>The class names: from <see cref="Info"/> when known, else "0", "1", ….</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The training split, or null if the file has none.</summary>
    public ImageSet? Train => _splits.GetValueOrDefault(MedMnistSplit.Train);

    /// <summary>The validation split, or null if the file has none.</summary>
    public ImageSet? Val => _splits.GetValueOrDefault(MedMnistSplit.Val);

    /// <summary>The test split, or null if the file has none.</summary>
    public ImageSet? Test => _splits.GetValueOrDefault(MedMnistSplit.Test);

    /// <summary>One split.</summary>
    /// <param name="split">The split.</param>
    /// <returns>Its images.</returns>
    /// <exception cref="KeyNotFoundException">The file has no such split; the message lists the splits it has.</exception>
    public ImageSet this[MedMnistSplit split] => _splits.TryGetValue(split, out var set)
        ? set
        : throw new KeyNotFoundException($"'{Path.GetFileName(SourcePath)}' has no {split.ToString().ToLowerInvariant()} split; splits found: {string.Join(", ", Splits.Select(s => s.ToString().ToLowerInvariant()))}");

    /// <summary>One split, if present.</summary>
    /// <param name="split">The split.</param>
    /// <param name="set">Its images, or null.</param>
    /// <returns>Whether the file has the split.</returns>
    public bool TryGetSplit(MedMnistSplit split, [NotNullWhen(true)] out ImageSet? set) => _splits.TryGetValue(split, out set);

    /// <summary>Loads a MedMNIST <c>.npz</c> file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException">The path is null or empty; <see cref="MedMnistLoadOptions.ExpectedMd5"/> is not 32 hex digits; only one of Mean/Std is set, or they are invalid.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">MD5 mismatch; no split found; images without labels or the reverse; counts, dtypes, shapes or labels that are not valid MedMNIST data.</exception>
    /// <exception cref="NotSupportedException">The labels are multi-label (N, L).</exception>
    public static MedMnistDataset Load(string path, MedMnistLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new MedMnistLoadOptions();
        if (options.ExpectedMd5 is { } expected && (expected.Length != 32 || !expected.All(char.IsAsciiHexDigit)))
            throw new ArgumentException($"ExpectedMd5 must be 32 hexadecimal digits, got '{expected}'", nameof(options));
        if ((options.Mean is null) != (options.Std is null))
            throw new ArgumentException("set both Mean and Std, or neither", nameof(options));
        if (!File.Exists(path)) throw new FileNotFoundException($"MedMNIST file '{path}' does not exist", path);
        return LoadCore(path, options);
    }

    private static MedMnistDataset LoadCore(string path, MedMnistLoadOptions options)
    {
        string fileName = Path.GetFileName(path);
        string md5 = ComputeMd5(path);
        bool verified = false;
        var official = MedMnistInfo.Find(fileName);
        if (options.ExpectedMd5 is { } expected)
        {
            if (!string.Equals(md5, expected, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"MD5 mismatch for '{fileName}': expected {expected.ToLowerInvariant()} (ExpectedMd5 option), actual {md5}");
            verified = true;
        }
        else if (official is not null && options.VerifyOfficialMd5)
        {
            if (!official.Md5Sums.Contains(md5, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"MD5 mismatch for '{fileName}': expected {string.Join(" or ", official.Md5Sums)} (official MedMNIST {official.FileName}), actual {md5}; " +
                    "the file is corrupt or not the official release (rename it, or set VerifyOfficialMd5 = false, to load it anyway)");
            }
            verified = true;
        }

        var info = options.Info ?? official ?? (options.InferInfoFromFileName ? MedMnistInfo.FindByPrefix(fileName) : null);

        var raw = new Dictionary<MedMnistSplit, (NpyArray Images, NpyArray Labels)>();
        using (var npz = NpzArchive.Open(path))
        {
            foreach (var split in Enum.GetValues<MedMnistSplit>())
            {
                string prefix = split.ToString().ToLowerInvariant();
                string imagesName = prefix + "_images", labelsName = prefix + "_labels";
                bool hasImages = npz.Contains(imagesName), hasLabels = npz.Contains(labelsName);
                if (hasImages != hasLabels)
                {
                    throw new InvalidDataException(
                        $"'{fileName}' has '{(hasImages ? imagesName : labelsName)}' but no '{(hasImages ? labelsName : imagesName)}'; " +
                        "each split needs both images and labels");
                }
                if (hasImages) raw[split] = (npz.Read(imagesName), npz.Read(labelsName));
            }
            if (raw.Count == 0)
            {
                throw new InvalidDataException(
                    $"'{fileName}' holds no MedMNIST split (expected arrays such as 'train_images' and 'train_labels'); arrays found: " +
                    (npz.Names.Count == 0 ? "none" : string.Join(", ", npz.Names.Select(n => $"'{n}'"))));
            }
        }

        // Check shapes and dtypes of every split before converting any pixels.
        (int C, int H, int W)? size = null;
        MedMnistSplit? sizeFrom = null;
        var labelsBySplit = new Dictionary<MedMnistSplit, int[]>();
        int maxLabel = -1;
        foreach (var (split, (images, labels)) in raw)
        {
            var (n, c, h, w) = CheckImages(images, fileName);
            if (size is { } s && s != (c, h, w))
            {
                throw new InvalidDataException(
                    $"'{fileName}': {images.Name} holds {c} × {h} × {w} images but {sizeFrom.ToString()!.ToLowerInvariant()}_images holds {s.C} × {s.H} × {s.W}");
            }
            size ??= (c, h, w);
            sizeFrom ??= split;
            var values = CheckLabels(labels, n, fileName);
            labelsBySplit[split] = values;
            foreach (int v in values) maxLabel = Math.Max(maxLabel, v);
        }
        var (channels, height, width) = size!.Value;

        int classes;
        IReadOnlyList<string>? classNames;
        if (info is not null)
        {
            if (info.Task == MedMnistTask.MultiLabelBinaryClass)
                throw new NotSupportedException($"'{fileName}' is {info.Flag}, a multi-label task; only single-label MedMNIST sets can be loaded");
            if (info.Channels != channels)
                throw new InvalidDataException($"'{fileName}' holds {channels}-channel images but {info.Flag} has {info.Channels}; pass the right MedMnistLoadOptions.Info, or set InferInfoFromFileName = false");
            if (maxLabel >= info.Classes)
                throw new InvalidDataException($"'{fileName}' has label {maxLabel} but {info.Flag} has {info.Classes} classes (0 … {info.Classes - 1})");
            classes = info.Classes;
            classNames = info.ClassNames;
        }
        else
        {
            classes = Math.Max(1, maxLabel + 1);
            classNames = null;
        }

        float[]? mean = null, std = null;
        if (options.Mean is not null) (mean, std) = ImageSet.CheckNormalization(options.Mean, options.Std!, channels);

        var sets = new Dictionary<MedMnistSplit, ImageSet>();
        foreach (var (split, (images, _)) in raw)
        {
            float[] pixels = ToChannelsFirst(images.ToByteArray(), channels, height * width);
            if (mean is not null) ImageSet.NormalizeInPlace(pixels, channels, height * width, mean, std!);
            sets[split] = new ImageSet(pixels, labelsBySplit[split], channels, height, width, classes, classNames);
        }
        var dataset = new MedMnistDataset(path, md5, verified, info, sets, classes, sets.Values.First().ClassNames);
        return dataset;
    }

    private static (int N, int C, int H, int W) CheckImages(NpyArray images, string fileName)
    {
        if (images.DType is not ("|u1" or "<u1" or ">u1" or "=u1"))
            throw new InvalidDataException($"'{fileName}': {images.Name} has dtype '{images.DType}'; MedMNIST images are uint8 ('|u1')");
        var shape = images.Shape;
        if (shape.Count == 3 && shape[1] > 0 && shape[2] > 0) return (shape[0], 1, shape[1], shape[2]);
        if (shape.Count == 4 && shape[3] is 1 or 3 && shape[1] > 0 && shape[2] > 0) return (shape[0], shape[3], shape[1], shape[2]);
        throw new InvalidDataException(
            $"'{fileName}': {images.Name} has shape {NpyArray.FormatShape(shape)}; expected (N, H, W) grayscale or (N, H, W, 3) RGB images " +
            "(3D MedMNIST volumes are not supported)");
    }

    private static int[] CheckLabels(NpyArray labels, int count, string fileName)
    {
        var shape = labels.Shape;
        if (!labels.IsInteger)
            throw new InvalidDataException($"'{fileName}': {labels.Name} has dtype '{labels.DType}'; labels must be integers");
        if (shape.Count == 2 && shape[1] > 1)
        {
            throw new NotSupportedException(
                $"'{fileName}': {labels.Name} has shape {NpyArray.FormatShape(shape)}, multi-label data (one 0/1 flag per label, as in ChestMNIST); " +
                "only single-label sets, with labels (N, 1) or (N,), can be loaded");
        }
        if (!(shape.Count == 1 || (shape.Count == 2 && shape[1] == 1)))
            throw new InvalidDataException($"'{fileName}': {labels.Name} has shape {NpyArray.FormatShape(shape)}; expected (N, 1) or (N,)");
        string split = labels.Name[..labels.Name.IndexOf('_', StringComparison.Ordinal)];
        if (shape[0] != count)
            throw new InvalidDataException($"'{fileName}': {split}_images holds {count} images but {labels.Name} holds {shape[0]} labels");

        int[] values;
        try
        {
            values = labels.ToInt32Array();
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException($"'{fileName}': {labels.Name} holds a label outside the int range", e);
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0) throw new InvalidDataException($"'{fileName}': {labels.Name}[{i}] = {values[i]}; labels must be non-negative");
        }
        return values;
    }

    /// <summary>Scales uint8 pixels in (N, H·W, C) order to [0, 1] floats in (N, C, H·W) order.</summary>
    private static float[] ToChannelsFirst(byte[] bytes, int channels, int plane)
    {
        var pixels = new float[bytes.Length];
        if (channels == 1)
        {
            for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i] / 255f;
            return pixels;
        }
        int sample = channels * plane;
        for (int start = 0; start < bytes.Length; start += sample)
        {
            for (int p = 0; p < plane; p++)
            {
                for (int c = 0; c < channels; c++) pixels[start + c * plane + p] = bytes[start + p * channels + c] / 255f;
            }
        }
        return pixels;
    }

    private static string ComputeMd5(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
