namespace QSim.Attention.Data;

/// <summary>
/// The Fashion-MNIST data set (Xiao, Rasul and Vollgraf, 2017): 60 000 training and 10 000 test images of 28 × 28
/// grayscale clothing items in 10 classes, read from its four IDX files.
/// </summary>
/// <remarks>
/// Debian's <c>dataset-fashion-mnist</c> package installs the files in <see cref="DefaultDirectory"/>. The loader
/// looks for <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each gzipped (<c>.gz</c>, preferred) or not. Pixels are scaled to [0, 1].
/// </remarks>
public sealed class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] Names =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(ImageSet train, ImageSet test)
    {
        Train = train;
        Test = test;
    }

    /// <summary>The ten class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(Names);

    /// <summary>The training images (60 000 in the official files), 1 × 28 × 28.</summary>
    public ImageSet Train { get; }

    /// <summary>The test images (10 000 in the official files), 1 × 28 × 28.</summary>
    public ImageSet Test { get; }

    /// <summary>Whether a directory holds all four files.</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>True if every file is present (gzipped or not).</returns>
    /// <exception cref="ArgumentNullException">The directory is null.</exception>
    public static bool IsAvailable(string directory = DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(f => File.Exists(Path.Combine(directory, f + ".gz")) || File.Exists(Path.Combine(directory, f)));
    }

    /// <summary>Loads the training and test sets.</summary>
    /// <param name="directory">The directory holding the four IDX files.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException">The directory is null or empty.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the paths tried.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, images and labels differ in count, or a label is above 9.</exception>
    public static FashionMnist Load(string directory = DefaultDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return new FashionMnist(LoadSplit(directory, "train"), LoadSplit(directory, "t10k"));
    }

    private static ImageSet LoadSplit(string directory, string prefix)
    {
        var (bytes, count, rows, columns) = IdxReader.ReadImages(Find(directory, $"{prefix}-images-idx3-ubyte"));
        byte[] rawLabels = IdxReader.ReadLabels(Find(directory, $"{prefix}-labels-idx1-ubyte"));
        if (rawLabels.Length != count)
            throw new InvalidDataException($"Fashion-MNIST '{prefix}': {count} images but {rawLabels.Length} labels");
        if (rows < 1 || columns < 1)
            throw new InvalidDataException($"Fashion-MNIST '{prefix}': images of {rows} × {columns} pixels");

        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = rawLabels[i];
            if (labels[i] >= Names.Length)
                throw new InvalidDataException($"Fashion-MNIST '{prefix}': label {i} = {labels[i]} is out of range (0 … {Names.Length - 1})");
        }
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i] / 255f;
        return new ImageSet(pixels, labels, 1, rows, columns, Names.Length, Names);
    }

    private static string Find(string directory, string baseName)
    {
        string gz = Path.Combine(directory, baseName + ".gz"), plain = Path.Combine(directory, baseName);
        if (File.Exists(gz)) return gz;
        if (File.Exists(plain)) return plain;
        throw new FileNotFoundException($"Fashion-MNIST file not found: tried '{gz}' and '{plain}'", gz);
    }
}
