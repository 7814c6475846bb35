using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace QSim.Tests.Attention.Data;

/// <summary>Writes <c>.npy</c> and <c>.npz</c> bytes the way NumPy does, for tests.</summary>
internal static class NpyBytes
{
    /// <summary>
    /// A complete .npy file: magic, version, little-endian header length, the header text padded with spaces and
    /// ended by '\n' so that the data starts at a multiple of 64 bytes (NumPy's ARRAY_ALIGN), then the data.
    /// </summary>
    public static byte[] File(string header, byte[] data, int major = 1)
    {
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 6 + 2 + lengthBytes;
        int total = prefix + header.Length + 1;
        int padding = (64 - total % 64) % 64;
        string padded = header + new string(' ', padding) + "\n";
        byte[] headerBytes = major == 3 ? Encoding.UTF8.GetBytes(padded) : Encoding.Latin1.GetBytes(padded);
        return Raw(major, 0, headerBytes, data, lengthBytes);
    }

    /// <summary>A .npy file with an arbitrary version and header bytes (no padding added).</summary>
    public static byte[] Raw(int major, int minor, byte[] header, byte[] data, int lengthBytes = 2)
    {
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, (byte)minor]);
        Span<byte> length = stackalloc byte[4];
        if (lengthBytes == 2) BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        ms.Write(length[..lengthBytes]);
        ms.Write(header);
        ms.Write(data);
        return ms.ToArray();
    }

    /// <summary>The header dict NumPy writes: <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3,), }</c>.</summary>
    public static string Header(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";

    /// <summary>A .npy file of one-byte elements.</summary>
    public static byte[] UInt8(string shape, params byte[] values) => File(Header("|u1", shape), values);

    /// <summary>A .npy file of little-endian int64 elements.</summary>
    public static byte[] Int64(string shape, params long[] values)
    {
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
        return File(Header("<i8", shape), data);
    }

    /// <summary>Elements of a given size, written little- or big-endian from their two's-complement value.</summary>
    public static byte[] Integers(long[] values, int size, bool bigEndian)
    {
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            ulong v = unchecked((ulong)values[i]);
            for (int b = 0; b < size; b++)
            {
                int at = bigEndian ? size - 1 - b : b;
                data[i * size + at] = (byte)(v >> (8 * b));
            }
        }
        return data;
    }

    /// <summary>A zip of .npy members: (member name, bytes, deflate?).</summary>
    public static byte[] Npz(params (string Name, byte[] Bytes, bool Deflate)[] members)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes, deflate) in members)
            {
                var entry = zip.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }
}
