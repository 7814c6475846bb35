using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace QSim.Attention;

/// <summary>
/// Saves and loads the parameters of a <see cref="Module{T}"/> in the QSim weights format (<c>docs/nn.md</c>).
/// </summary>
/// <remarks>
/// <para>Layout, all integers little-endian int32: the 8 ASCII bytes <c>QSIMW001</c>; the parameter count; then per
/// parameter, in <see cref="Module{T}.NamedParameters"/> order: the dotted name as UTF-8 (byte length, then bytes), the
/// rank, each dimension, one element-type byte (4 = float32, 8 = float64) and the elements, row-major and
/// little-endian.</para>
/// <para>Loading matches entries by name, in any order. Every entry is checked and read into temporaries first; a
/// bad magic, a truncated file, an unknown, duplicate or missing name, a wrong shape or a wrong element type throws
/// <see cref="InvalidDataException"/> naming the problem, and no weight is modified. Gradients and optimiser state
/// are not stored.</para>
/// </remarks>
public static class ModuleSerializer
{
    /// <summary>The 8 magic bytes that open a weights file.</summary>
    public const string Magic = "QSIMW001";

    private const int MaxNameBytes = 4096;
    private const int MaxRank = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a module's parameters to a stream (left open, positioned after the data).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The module.</param>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Save<T>(Module<T> module, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("the stream is not writable", nameof(stream));
        }
        byte elementType = ElementType<T>();
        List<(string Name, TrainableParameter<T> Parameter)> parameters = module.NamedParameters().ToList();
        using var writer = new BinaryWriter(stream, StrictUtf8, leaveOpen: true);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(parameters.Count);
        foreach ((string name, TrainableParameter<T> parameter) in parameters)
        {
            byte[] nameBytes = StrictUtf8.GetBytes(name);
            writer.Write(nameBytes.Length);
            writer.Write(nameBytes);
            writer.Write(parameter.Value.Rank);
            foreach (int dim in parameter.Value.Shape)
            {
                writer.Write(dim);
            }
            writer.Write(elementType);
            writer.Flush();
            WriteLittleEndian<T>(stream, parameter.Value.Data);
        }
        writer.Flush();
    }

    /// <summary>Writes a module's parameters to a file (created or overwritten).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="module">The module.</param>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Save<T>(Module<T> module, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.Create(path);
        Save(module, stream);
    }

    /// <summary>Reads parameters from a stream into a module whose parameters have the same names and shapes.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/> (must match the file's element type).</typeparam>
    /// <param name="module">The module to fill.</param>
    /// <param name="stream">A readable stream positioned at the magic; left positioned after the last entry.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The data is malformed or does not match the module (no weight modified).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Load<T>(Module<T> module, Stream stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("the stream is not readable", nameof(stream));
        }
        LoadCore(module, stream);
    }

    /// <summary>Reads parameters from a file into a module whose parameters have the same names and shapes.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/> (must match the file's element type).</typeparam>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">The file path.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The file is malformed (including bytes after the last entry) or does not
    /// match the module (no weight modified).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Load<T>(Module<T> module, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        LoadCore(module, stream, requireEnd: true, source: path);
    }

    private static void LoadCore<T>(Module<T> module, Stream stream, bool requireEnd = false, string source = "the stream")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte elementType = ElementType<T>();
        var targets = new Dictionary<string, TrainableParameter<T>>(StringComparer.Ordinal);
        foreach ((string name, TrainableParameter<T> parameter) in module.NamedParameters())
        {
            targets[name] = parameter;
        }
        var loaded = new Dictionary<string, T[]>(StringComparer.Ordinal);
        string where = "the header";
        try
        {
            using var reader = new BinaryReader(stream, StrictUtf8, leaveOpen: true);
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
            {
                throw new InvalidDataException($"{source} is not a QSim weights file: expected the magic bytes '{Magic}'");
            }
            int count = reader.ReadInt32();
            if (count < 0)
            {
                throw new InvalidDataException($"{source}: the parameter count {count} is negative");
            }
            for (int entry = 0; entry < count; entry++)
            {
                where = $"entry {entry} of {count}";
                int nameLength = reader.ReadInt32();
                if (nameLength < 1 || nameLength > MaxNameBytes)
                {
                    throw new InvalidDataException($"{source}: {where} has a name length of {nameLength} bytes; expected 1…{MaxNameBytes}");
                }
                byte[] nameBytes = reader.ReadBytes(nameLength);
                if (nameBytes.Length != nameLength) throw new EndOfStreamException();
                string name;
                try
                {
                    name = StrictUtf8.GetString(nameBytes);
                }
                catch (DecoderFallbackException e)
                {
                    throw new InvalidDataException($"{source}: the name of {where} is not valid UTF-8", e);
                }
                where = $"parameter '{name}'";
                if (!targets.TryGetValue(name, out TrainableParameter<T>? target))
                {
                    throw new InvalidDataException($"{source}: {where} is not a parameter of the module {module}");
                }
                if (loaded.ContainsKey(name))
                {
                    throw new InvalidDataException($"{source}: {where} appears twice");
                }
                int rank = reader.ReadInt32();
                if (rank < 0 || rank > MaxRank)
                {
                    throw new InvalidDataException($"{source}: {where} has rank {rank}; expected 0…{MaxRank}");
                }
                var shape = new int[rank];
                for (int i = 0; i < rank; i++)
                {
                    shape[i] = reader.ReadInt32();
                }
                if (!target.Value.HasShape(shape))
                {
                    throw new InvalidDataException(
                        $"{source}: {where} has shape {ShapeText.Format(shape)} in the file but {ShapeText.Format(target.Value.Shape)} in the module");
                }
                byte fileType = reader.ReadByte();
                if (fileType != elementType)
                {
                    throw new InvalidDataException(
                        $"{source}: {where} has element type {TypeName(fileType)} in the file but the module is {TypeName(elementType)}");
                }
                var data = new T[target.Value.Length];
                ReadLittleEndian<T>(stream, data);
                loaded.Add(name, data);
            }
            where = "the end of the data";
            if (requireEnd && stream.ReadByte() >= 0)
            {
                throw new InvalidDataException($"{source}: unexpected bytes after the last of {count} parameters");
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{source} is truncated: it ends inside {where}", e);
        }

        foreach (string name in targets.Keys)
        {
            if (!loaded.ContainsKey(name))
            {
                throw new InvalidDataException($"{source}: parameter '{name}' of the module {module} is missing from the file");
            }
        }
        foreach ((string name, T[] data) in loaded)
        {
            data.CopyTo(targets[name].Value.Data, 0);
        }
    }

    private static byte ElementType<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? (byte)4
        : typeof(T) == typeof(double) ? (byte)8
        : throw new NotSupportedException($"the weights format stores float32 and float64 only, not {typeof(T).Name}");

    private static string TypeName(byte elementType) => elementType switch
    {
        4 => "float32 (4)",
        8 => "float64 (8)",
        _ => $"unknown ({elementType})",
    };

    private static void WriteLittleEndian<T>(Stream stream, T[] data) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        byte[] bytes = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        ReverseElements<T>(bytes);
        stream.Write(bytes);
    }

    private static void ReadLittleEndian<T>(Stream stream, T[] data) where T : unmanaged
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan());
        stream.ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseElements<T>(bytes);
        }
    }

    private static unsafe void ReverseElements<T>(Span<byte> bytes) where T : unmanaged
    {
        int size = sizeof(T);
        for (int i = 0; i < bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }
}
