using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace QSim.Attention.Data;

/// <summary>
/// An n-dimensional array read from a NumPy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// <para>Supported dtypes: <c>b1</c>, <c>i1</c>, <c>u1</c>, <c>i2</c>, <c>u2</c>, <c>i4</c>, <c>u4</c>,
/// <c>i8</c>, <c>u8</c>, <c>f2</c>, <c>f4</c>, <c>f8</c>, little-endian (<c>&lt;</c>), big-endian (<c>&gt;</c>),
/// native (<c>=</c>) or byte-order-free (<c>|</c>, one-byte types). Big-endian data is byte-swapped on read.
/// Structured, string, complex and object dtypes are rejected.</para>
/// <para>Elements are always exposed in C (row-major) order: a file written with <c>fortran_order: True</c> is
/// transposed on read, so element <c>[i0, …, ik]</c> sits at the row-major offset of that index either way.</para>
/// <para>Malformed input (bad magic, unsupported version, a header that is not the expected dict, unknown dtype,
/// truncated data or trailing bytes after the data) raises <see cref="InvalidDataException"/> with the array's name.</para>
/// </remarks>
public sealed class NpyArray
{
    /// <summary>The largest header this reader accepts, in bytes (NumPy itself refuses headers over 10 000 bytes by default).</summary>
    private const int MaxHeaderBytes = 1 << 20;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private readonly NpyElementType _type;
    private readonly int _itemSize;
    private readonly byte[] _data; // native byte order, C order

    private NpyArray(string name, string dtype, NpyElementType type, int itemSize, int[] shape, byte[] data)
    {
        Name = name;
        DType = dtype;
        _type = type;
        _itemSize = itemSize;
        Shape = Array.AsReadOnly(shape);
        _data = data;
    }

    /// <summary>The array's name (the member name inside an <c>.npz</c>, or the file name).</summary>
    public string Name { get; }

    /// <summary>The dtype descriptor exactly as the file's header gives it, e.g. <c>|u1</c>, <c>&lt;f4</c>, <c>&gt;i2</c>.</summary>
    public string DType { get; }

    /// <summary>The dimensions; empty for a 0-d (scalar) array.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public int Length => _data.Length / _itemSize;

    /// <summary>Whether the elements are integers (including bool), as opposed to floating point.</summary>
    public bool IsInteger => NpyElementTypes.IsInteger(_type);

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The array, named after the file (without extension).</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid, supported <c>.npy</c> file.</exception>
    public static NpyArray Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return ReadCore(stream, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads one <c>.npy</c> array from a stream; the stream must end where the data ends.</summary>
    /// <param name="stream">A readable stream positioned at the magic string.</param>
    /// <param name="name">The array's name, used in <see cref="Name"/> and in error messages.</param>
    /// <returns>The array.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a valid, supported <c>.npy</c> array.</exception>
    public static NpyArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        return ReadCore(stream, name);
    }

    /// <summary>The elements as single-precision floats, in C order (any dtype; 64-bit values are rounded).</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    public float[] ToSingleArray() => Convert<float>();

    /// <summary>The elements as double-precision floats, in C order (any dtype; 64-bit integers may be rounded).</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    public double[] ToDoubleArray() => Convert<double>();

    /// <summary>The elements as 64-bit integers, in C order.</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    /// <exception cref="InvalidOperationException">The dtype is floating point.</exception>
    /// <exception cref="OverflowException">A <c>u8</c> element exceeds <see cref="long.MaxValue"/>.</exception>
    public long[] ToInt64Array() => ConvertInteger<long>();

    /// <summary>The elements as 32-bit integers, in C order.</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    /// <exception cref="InvalidOperationException">The dtype is floating point.</exception>
    /// <exception cref="OverflowException">An element is outside the <see cref="int"/> range.</exception>
    public int[] ToInt32Array() => ConvertInteger<int>();

    /// <summary>The elements as bytes, in C order.</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    /// <exception cref="InvalidOperationException">The dtype is floating point.</exception>
    /// <exception cref="OverflowException">An element is outside 0 … 255.</exception>
    public byte[] ToByteArray() => _type is NpyElementType.UInt8 or NpyElementType.Bool ? (byte[])_data.Clone() : ConvertInteger<byte>();

    /// <summary>A short description: name, dtype and shape.</summary>
    /// <returns>E.g. <c>train_images |u1 (3882, 28, 28)</c>.</returns>
    public override string ToString() => $"{Name} {DType} {FormatShape(Shape)}";

    /// <summary>Formats a shape the way NumPy prints it: <c>()</c>, <c>(5,)</c>, <c>(2, 3)</c>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tuple text.</returns>
    internal static string FormatShape(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    private TOut[] ConvertInteger<TOut>() where TOut : INumberBase<TOut>
    {
        if (!IsInteger)
            throw new InvalidOperationException($"array '{Name}' has floating-point dtype '{DType}'; an integer conversion needs an integer dtype");
        try
        {
            return Convert<TOut>();
        }
        catch (OverflowException e)
        {
            throw new OverflowException($"array '{Name}' ({DType}) holds a value outside the range of {typeof(TOut).Name}", e);
        }
    }

    private TOut[] Convert<TOut>() where TOut : INumberBase<TOut> => _type switch
    {
        NpyElementType.Bool or NpyElementType.UInt8 => Cast<byte, TOut>(),
        NpyElementType.Int8 => Cast<sbyte, TOut>(),
        NpyElementType.Int16 => Cast<short, TOut>(),
        NpyElementType.UInt16 => Cast<ushort, TOut>(),
        NpyElementType.Int32 => Cast<int, TOut>(),
        NpyElementType.UInt32 => Cast<uint, TOut>(),
        NpyElementType.Int64 => Cast<long, TOut>(),
        NpyElementType.UInt64 => Cast<ulong, TOut>(),
        NpyElementType.Float16 => Cast<Half, TOut>(),
        NpyElementType.Float32 => Cast<float, TOut>(),
        NpyElementType.Float64 => Cast<double, TOut>(),
        _ => throw new InvalidOperationException($"unhandled element type {_type}"),
    };

    private TOut[] Cast<TIn, TOut>() where TIn : unmanaged, INumberBase<TIn> where TOut : INumberBase<TOut>
    {
        var source = MemoryMarshal.Cast<byte, TIn>(_data);
        var result = new TOut[source.Length];
        for (int i = 0; i < source.Length; i++) result[i] = TOut.CreateChecked(source[i]);
        return result;
    }

    private static NpyArray ReadCore(Stream stream, string name)
    {
        // Preamble: magic (6), version (2), header length (2 for v1, 4 for v2/v3).
        Span<byte> preamble = stackalloc byte[8];
        int got = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        if (got < 6 || !preamble[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"npy '{name}': bad magic string (expected \\x93NUMPY; is this a .npy file?)");
        if (got < 8) throw new InvalidDataException($"npy '{name}': truncated before the format version");

        byte major = preamble[6], minor = preamble[7];
        int lengthBytes = (major, minor) switch
        {
            (1, 0) => 2,
            (2, 0) or (3, 0) => 4,
            _ => throw new InvalidDataException($"npy '{name}': unsupported format version {major}.{minor} (supported: 1.0, 2.0, 3.0)"),
        };
        Span<byte> lengthField = stackalloc byte[4];
        if (stream.ReadAtLeast(lengthField[..lengthBytes], lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new InvalidDataException($"npy '{name}': truncated in the header length field");
        long headerLength = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"npy '{name}': header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");

        var headerBytes = new byte[headerLength];
        int headerGot = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (headerGot < headerBytes.Length)
            throw new InvalidDataException($"npy '{name}': truncated header (expected {headerLength} bytes, got {headerGot})");
        string headerText = major == 3 ? DecodeUtf8(headerBytes, name) : Encoding.Latin1.GetString(headerBytes);
        var header = NpyHeader.Parse(headerText, name);

        NpyElementTypes.Parse(header.Descr, name, out var type, out int itemSize, out bool bigEndian);

        long count = header.Shape.Contains(0) ? 0 : 1;
        foreach (int dim in header.Shape)
        {
            if (count > Array.MaxLength) break; // already too large; stop before the product can overflow
            count *= dim;
        }
        long byteCount = count * itemSize;
        if (count > Array.MaxLength || byteCount > Array.MaxLength)
            throw new InvalidDataException($"npy '{name}': shape {FormatShape(header.Shape)} of {header.Descr} is too large for one .NET array");

        var data = new byte[byteCount];
        int dataGot = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (dataGot < data.Length)
        {
            throw new InvalidDataException(
                $"npy '{name}': truncated data: shape {FormatShape(header.Shape)} of {header.Descr} needs {byteCount} bytes, found {dataGot}");
        }
        if (stream.ReadByte() >= 0)
        {
            throw new InvalidDataException(
                $"npy '{name}': size mismatch: more data than shape {FormatShape(header.Shape)} of {header.Descr} ({byteCount} bytes) accounts for");
        }

        if (itemSize > 1 && bigEndian == BitConverter.IsLittleEndian) SwapBytes(data, itemSize);
        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToC(data, header.Shape, itemSize);
        return new NpyArray(name, header.Descr, type, itemSize, header.Shape, data);
    }

    private static string DecodeUtf8(byte[] bytes, string name)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"npy '{name}': a version 3.0 header must be UTF-8", e);
        }
    }

    private static void SwapBytes(byte[] data, int itemSize)
    {
        switch (itemSize)
        {
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data.AsSpan()), MemoryMarshal.Cast<byte, ushort>(data.AsSpan()));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data.AsSpan()), MemoryMarshal.Cast<byte, uint>(data.AsSpan()));
                break;
            case 8:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(data.AsSpan()), MemoryMarshal.Cast<byte, ulong>(data.AsSpan()));
                break;
            default:
                throw new InvalidOperationException($"no byte swap for {itemSize}-byte elements");
        }
    }

    /// <summary>Reorders column-major data to row-major.</summary>
    private static byte[] FortranToC(byte[] data, int[] shape, int itemSize)
    {
        int rank = shape.Length;
        var fortranStride = new long[rank];
        long stride = 1;
        for (int d = 0; d < rank; d++)
        {
            fortranStride[d] = stride;
            stride *= shape[d];
        }

        var result = new byte[data.Length];
        var index = new int[rank];
        long count = data.Length / itemSize;
        long source = 0; // Fortran offset (in elements) of the current C-order index
        for (long c = 0; c < count; c++)
        {
            Buffer.BlockCopy(data, (int)(source * itemSize), result, (int)(c * itemSize), itemSize);
            // Increment the C-order index (last dimension fastest), keeping the Fortran offset in step.
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                source += fortranStride[d];
                if (index[d] < shape[d]) break;
                source -= fortranStride[d] * index[d];
                index[d] = 0;
            }
        }
        return result;
    }
}
