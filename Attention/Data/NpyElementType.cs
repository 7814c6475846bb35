namespace QSim.Attention.Data;

/// <summary>The element types <see cref="NpyArray"/> reads, with their byte size.</summary>
internal enum NpyElementType
{
    /// <summary><c>b1</c>: NumPy bool, one byte 0 or 1.</summary>
    Bool,

    /// <summary><c>i1</c>.</summary>
    Int8,

    /// <summary><c>u1</c>.</summary>
    UInt8,

    /// <summary><c>i2</c>.</summary>
    Int16,

    /// <summary><c>u2</c>.</summary>
    UInt16,

    /// <summary><c>i4</c>.</summary>
    Int32,

    /// <summary><c>u4</c>.</summary>
    UInt32,

    /// <summary><c>i8</c>.</summary>
    Int64,

    /// <summary><c>u8</c>.</summary>
    UInt64,

    /// <summary><c>f2</c>.</summary>
    Float16,

    /// <summary><c>f4</c>.</summary>
    Float32,

    /// <summary><c>f8</c>.</summary>
    Float64,
}
