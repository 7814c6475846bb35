using System.Buffers.Binary;
using System.IO.Compression;

namespace QSim.Attention.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST: unsigned-byte images (magic <c>0x00000803</c>: count, rows,
/// columns) and labels (magic <c>0x00000801</c>: count), dimensions as big-endian 32-bit integers.
/// </summary>
/// <remarks>
/// The path overloads gunzip transparently: a file starting with the gzip signature <c>1F 8B</c> is decompressed,
/// whatever its extension. The stream overloads read uncompressed IDX (wrap a <see cref="GZipStream"/> yourself).
/// A bad magic number, a negative dimension, truncated data or bytes after the data raise
/// <see cref="InvalidDataException"/> naming the file.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional IDX file (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional IDX file (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an images file (gzipped or not).</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The pixels (count · rows · columns bytes, row-major) and the three dimensions.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid unsigned-byte IDX images file.</exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenMaybeGzip(path);
        return ReadImagesCore(stream, Path.GetFileName(path));
    }

    /// <summary>Reads an uncompressed images file from a stream.</summary>
    /// <param name="stream">A readable stream at the magic number; it must end where the data ends.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>The pixels (count · rows · columns bytes, row-major) and the three dimensions.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a valid unsigned-byte IDX images file.</exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(Stream stream, string name)
    {
        CheckStream(stream, name);
        return ReadImagesCore(stream, name);
    }

    /// <summary>Reads a labels file (gzipped or not).</summary>
    /// <param name="path">The file path.</param>
    /// <returns>One byte per label.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid unsigned-byte IDX labels file.</exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenMaybeGzip(path);
        return ReadLabelsCore(stream, Path.GetFileName(path));
    }

    /// <summary>Reads an uncompressed labels file from a stream.</summary>
    /// <param name="stream">A readable stream at the magic number; it must end where the data ends.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>One byte per label.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a valid unsigned-byte IDX labels file.</exception>
    public static byte[] ReadLabels(Stream stream, string name)
    {
        CheckStream(stream, name);
        return ReadLabelsCore(stream, name);
    }

    private static void CheckStream(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
    }

    private static (byte[] Pixels, int Count, int Rows, int Columns) ReadImagesCore(Stream stream, string name)
    {
        var dims = ReadHeader(stream, name, ImagesMagic, "unsigned-byte images, 3 dimensions");
        var pixels = ReadData(stream, name, dims);
        return (pixels, dims[0], dims[1], dims[2]);
    }

    private static byte[] ReadLabelsCore(Stream stream, string name)
    {
        var dims = ReadHeader(stream, name, LabelsMagic, "unsigned-byte labels, 1 dimension");
        return ReadData(stream, name, dims);
    }

    private static int[] ReadHeader(Stream stream, string name, int magic, string what)
    {
        try
        {
            Span<byte> word = stackalloc byte[4];
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new InvalidDataException($"idx '{name}': truncated before the magic number");
            int actual = BinaryPrimitives.ReadInt32BigEndian(word);
            if (actual != magic)
                throw new InvalidDataException($"idx '{name}': bad magic number 0x{actual:X8}; expected 0x{magic:X8} ({what})");
            int rank = magic & 0xFF;
            var dims = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                    throw new InvalidDataException($"idx '{name}': truncated in the dimensions (expected {rank})");
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dims[d] < 0) throw new InvalidDataException($"idx '{name}': dimension {d} is negative ({dims[d]})");
            }
            return dims;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("idx ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"idx '{name}': corrupt compressed data: {e.Message}", e);
        }
    }

    private static byte[] ReadData(Stream stream, string name, int[] dims)
    {
        long count = 1;
        foreach (int d in dims) count *= d; // at most 3 dims < 2^31: no overflow before the check
        if (count > Array.MaxLength)
            throw new InvalidDataException($"idx '{name}': dimensions ({string.Join(", ", dims)}) are too large for one .NET array");
        var data = new byte[count];
        try
        {
            int got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (got < data.Length)
                throw new InvalidDataException($"idx '{name}': truncated data: dimensions ({string.Join(", ", dims)}) need {count} bytes, found {got}");
            if (stream.ReadByte() >= 0)
                throw new InvalidDataException($"idx '{name}': size mismatch: more data than dimensions ({string.Join(", ", dims)}) account for");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("idx ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"idx '{name}': corrupt compressed data: {e.Message}", e);
        }
        return data;
    }

    private static Stream OpenMaybeGzip(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[2];
        int got = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (got == 2 && signature[0] == 0x1F && signature[1] == 0x8B) return new GZipStream(file, CompressionMode.Decompress);
        return file;
    }
}
