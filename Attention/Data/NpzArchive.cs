using System.IO.Compression;

namespace QSim.Attention.Data;

/// <summary>
/// A NumPy <c>.npz</c> archive: a zip file whose members are <c>.npy</c> arrays (written by <c>np.savez</c>, stored,
/// or <c>np.savez_compressed</c>, deflated).
/// </summary>
/// <remarks>
/// Arrays are named by their member name without the <c>.npy</c> suffix, as NumPy does (<c>train_images.npy</c> →
/// <c>train_images</c>); <see cref="Read"/> accepts either form. The archive keeps its file open until disposed, and
/// is not safe for concurrent use (read the arrays from one thread, then share the results).
/// </remarks>
public sealed class NpzArchive : IDisposable
{
    private const string Suffix = ".npy";
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly string _source;
    private bool _disposed;

    private NpzArchive(ZipArchive zip, string source)
    {
        _zip = zip;
        _source = source;
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue; // a directory record
            string name = entry.FullName.EndsWith(Suffix, StringComparison.Ordinal) ? entry.FullName[..^Suffix.Length] : entry.FullName;
            if (!_entries.TryAdd(name, entry))
                throw new InvalidDataException($"npz '{source}': array '{name}' appears more than once");
        }
        Names = Array.AsReadOnly(_entries.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The array names (member names without <c>.npy</c>), sorted ordinally.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Opens an <c>.npz</c> file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The archive; dispose it to close the file.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip archive.</exception>
    public static NpzArchive Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = File.OpenRead(path);
        try
        {
            return OpenCore(stream, leaveOpen: false, Path.GetFileName(path));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens an <c>.npz</c> archive held in a stream.</summary>
    /// <param name="stream">A readable, seekable stream holding the zip.</param>
    /// <param name="leaveOpen">Whether disposing the archive leaves the stream open.</param>
    /// <returns>The archive.</returns>
    /// <exception cref="ArgumentNullException">The stream is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable and seekable.</exception>
    /// <exception cref="InvalidDataException">The stream does not hold a zip archive.</exception>
    public static NpzArchive Open(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("the stream must be readable and seekable", nameof(stream));
        return OpenCore(stream, leaveOpen, "stream");
    }

    /// <summary>Whether the archive holds an array.</summary>
    /// <param name="name">The array name, with or without <c>.npy</c>.</param>
    /// <returns>True if present.</returns>
    /// <exception cref="ArgumentNullException">The name is null.</exception>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.ContainsKey(Normalize(name));
    }

    /// <summary>Reads one array.</summary>
    /// <param name="name">The array name, with or without <c>.npy</c>.</param>
    /// <returns>The array, named without the suffix.</returns>
    /// <exception cref="ArgumentNullException">The name is null.</exception>
    /// <exception cref="ObjectDisposedException">The archive is disposed.</exception>
    /// <exception cref="KeyNotFoundException">No such array; the message lists the names available.</exception>
    /// <exception cref="InvalidDataException">The member is not a valid <c>.npy</c> array, or its compressed data is corrupt.</exception>
    public NpyArray Read(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string key = Normalize(name);
        if (!_entries.TryGetValue(key, out var entry))
        {
            string available = Names.Count == 0 ? "none (the archive is empty)" : string.Join(", ", Names.Select(n => $"'{n}'"));
            throw new KeyNotFoundException($"npz '{_source}' has no array '{key}'; available arrays: {available}");
        }
        return ReadCore(entry, key);
    }

    /// <summary>Closes the archive (and its stream unless opened with <c>leaveOpen</c>).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _zip.Dispose();
    }

    private static NpzArchive OpenCore(Stream stream, bool leaveOpen, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"npz '{source}' is not a valid zip archive: {e.Message}", e);
        }
        try
        {
            return new NpzArchive(zip, source);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private NpyArray ReadCore(ZipArchiveEntry entry, string name)
    {
        try
        {
            using var member = entry.Open();
            return NpyArray.Read(member, name);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("npy ", StringComparison.Ordinal))
        {
            // Zip-level corruption (bad deflate data, CRC mismatch, unsupported compression method).
            throw new InvalidDataException($"npz '{_source}': member '{entry.FullName}' could not be read: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"npz '{_source}': member '{entry.FullName}' could not be read: {e.Message}", e);
        }
    }

    private static string Normalize(string name) => name.EndsWith(Suffix, StringComparison.Ordinal) ? name[..^Suffix.Length] : name;
}
