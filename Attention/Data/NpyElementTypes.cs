namespace QSim.Attention.Data;

/// <summary>Parsing of dtype descriptors such as <c>&lt;f4</c>, <c>&gt;i2</c>, <c>|u1</c>.</summary>
internal static class NpyElementTypes
{
    /// <summary>The descriptors (without byte-order character) this reader supports, for messages.</summary>
    public const string Supported = "b1, i1, u1, i2, u2, i4, u4, i8, u8, f2, f4, f8 (byte order '<', '>', '=' or '|')";

    /// <summary>Parses a descriptor.</summary>
    /// <param name="descr">The descriptor.</param>
    /// <param name="name">The array name, for messages.</param>
    /// <param name="type">The element type.</param>
    /// <param name="size">Its size in bytes.</param>
    /// <param name="bigEndian">Whether multi-byte elements are stored big-endian.</param>
    /// <exception cref="InvalidDataException">The descriptor is unknown or unsupported.</exception>
    public static void Parse(string descr, string name, out NpyElementType type, out int size, out bool bigEndian)
    {
        if (descr.Length < 2 || descr[0] is not ('<' or '>' or '|' or '='))
            throw new InvalidDataException($"npy '{name}': unknown dtype '{descr}' (supported: {Supported})");

        char order = descr[0];
        string code = descr[1..];
        (type, size) = code switch
        {
            "b1" or "?" => (NpyElementType.Bool, 1),
            "i1" or "b" => (NpyElementType.Int8, 1),
            "u1" or "B" => (NpyElementType.UInt8, 1),
            "i2" => (NpyElementType.Int16, 2),
            "u2" => (NpyElementType.UInt16, 2),
            "i4" => (NpyElementType.Int32, 4),
            "u4" => (NpyElementType.UInt32, 4),
            "i8" => (NpyElementType.Int64, 8),
            "u8" => (NpyElementType.UInt64, 8),
            "f2" => (NpyElementType.Float16, 2),
            "f4" => (NpyElementType.Float32, 4),
            "f8" => (NpyElementType.Float64, 8),
            _ => throw new InvalidDataException($"npy '{name}': unknown or unsupported dtype '{descr}' (supported: {Supported})"),
        };
        if (order == '|' && size > 1)
            throw new InvalidDataException($"npy '{name}': dtype '{descr}' has {size}-byte elements but no byte order ('|'); expected '<' or '>'");
        bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
    }

    /// <summary>Whether the type holds integers (bool counts as the integers 0 and 1).</summary>
    /// <param name="type">The type.</param>
    /// <returns>True for bool and the integer types.</returns>
    public static bool IsInteger(NpyElementType type) => type is not (NpyElementType.Float16 or NpyElementType.Float32 or NpyElementType.Float64);
}
