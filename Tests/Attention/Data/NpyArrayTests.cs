using System.Buffers.Binary;
using System.Text;
using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// NpyArray on .npy bytes written here the way NumPy writes them (versions 1.0, 2.0, 3.0; every supported dtype in both
// byte orders; shapes (), (n,), (0, 3), Fortran order) and on every kind of malformed input.
[TestFixture]
public sealed class NpyArrayTests
{
    private static NpyArray Read(byte[] bytes, string name = "arr") => NpyArray.Read(new MemoryStream(bytes), name);

    [Test]
    public void Read_Version1HeaderAsNumPyWritesIt_ByteExactAndParsed()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 3.25f);
        byte[] bytes = NpyBytes.File(NpyBytes.Header("<f4", "(3,)"), data);

        // The exact layout np.save produces for np.array([1.5, -2, 3.25], dtype='<f4').
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
        var expected = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(header + new string(' ', 117 - header.Length) + "\n"));
        expected.AddRange(data);
        Assert.That(bytes, Is.EqualTo(expected.ToArray()));
        Assert.That((bytes.Length - data.Length) % 64, Is.Zero);

        var array = Read(bytes, "x");
        Assert.That(array.Name, Is.EqualTo("x"));
        Assert.That(array.DType, Is.EqualTo("<f4"));
        Assert.That(array.Shape, Is.EqualTo(new[] { 3 }));
        Assert.That(array.Length, Is.EqualTo(3));
        Assert.That(array.IsInteger, Is.False);
        Assert.That(array.ToSingleArray(), Is.EqualTo(new[] { 1.5f, -2f, 3.25f }));
        Assert.That(array.ToDoubleArray(), Is.EqualTo(new[] { 1.5, -2.0, 3.25 }));
        Assert.That(array.ToString(), Is.EqualTo("x <f4 (3,)"));
    }

    [Test]
    public void Read_Version2Header_ParsesFourByteLength()
    {
        var data = new byte[6 * 8];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), i * 0.5);
        byte[] bytes = NpyBytes.File(NpyBytes.Header("<f8", "(2, 3)"), data, major: 2);
        Assert.That(bytes[6..10], Is.EqualTo(new byte[] { 2, 0, 116, 0 }), "version 2.0 and the low bytes of a u32 length");

        var array = Read(bytes);
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(array.ToDoubleArray(), Is.EqualTo(new[] { 0, 0.5, 1, 1.5, 2, 2.5 }));
    }

    [Test]
    public void Read_Version3Utf8Header_Parsed()
    {
        byte[] bytes = NpyBytes.File(NpyBytes.Header("<i2", "(2,)"), NpyBytes.Integers([-7, 300], 2, bigEndian: false), major: 3);
        Assert.That(Read(bytes).ToInt64Array(), Is.EqualTo(new long[] { -7, 300 }));
    }

    [Test]
    public void Read_ScalarShape_HasNoDimensionsAndOneElement()
    {
        var array = Read(NpyBytes.File(NpyBytes.Header("<i8", "()"), NpyBytes.Integers([42], 8, bigEndian: false)));
        Assert.That(array.Shape, Is.Empty);
        Assert.That(array.Length, Is.EqualTo(1));
        Assert.That(array.ToInt64Array(), Is.EqualTo(new long[] { 42 }));
        Assert.That(array.ToString(), Does.EndWith("()"));
    }

    [Test]
    public void Read_ZeroSizedShape_HasNoElements()
    {
        var array = Read(NpyBytes.File(NpyBytes.Header("<f4", "(0, 3)"), []));
        Assert.That(array.Shape, Is.EqualTo(new[] { 0, 3 }));
        Assert.That(array.Length, Is.Zero);
        Assert.That(array.ToSingleArray(), Is.Empty);
    }

    [TestCase("|u1", 1, new long[] { 0, 1, 255, 128 })]
    [TestCase("|i1", 1, new long[] { -128, -1, 0, 127 })]
    [TestCase("|b1", 1, new long[] { 0, 1, 1, 0 })]
    [TestCase("<i2", 2, new long[] { short.MinValue, -1, 2, short.MaxValue })]
    [TestCase(">i2", 2, new long[] { short.MinValue, -1, 2, short.MaxValue })]
    [TestCase("<u2", 2, new long[] { 0, 1, 40000, ushort.MaxValue })]
    [TestCase(">u2", 2, new long[] { 0, 1, 40000, ushort.MaxValue })]
    [TestCase("<i4", 4, new long[] { int.MinValue, -5, 70000, int.MaxValue })]
    [TestCase(">i4", 4, new long[] { int.MinValue, -5, 70000, int.MaxValue })]
    [TestCase("<u4", 4, new long[] { 0, 7, 3_000_000_000, uint.MaxValue })]
    [TestCase(">u4", 4, new long[] { 0, 7, 3_000_000_000, uint.MaxValue })]
    [TestCase("<i8", 8, new long[] { long.MinValue, -3, 1L << 40, long.MaxValue })]
    [TestCase(">i8", 8, new long[] { long.MinValue, -3, 1L << 40, long.MaxValue })]
    [TestCase("<u8", 8, new long[] { 0, 9, 1L << 50, long.MaxValue })]
    [TestCase(">u8", 8, new long[] { 0, 9, 1L << 50, long.MaxValue })]
    public void Read_IntegerDtype_ValuesRoundTrip(string descr, int size, long[] values)
    {
        var array = Read(NpyBytes.File(NpyBytes.Header(descr, "(2, 2)"), NpyBytes.Integers(values, size, descr[0] == '>')));
        Assert.That(array.DType, Is.EqualTo(descr));
        Assert.That(array.IsInteger, Is.True);
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(array.ToInt64Array(), Is.EqualTo(values));
        Assert.That(array.ToDoubleArray(), Is.EqualTo(values.Select(v => (double)v).ToArray()));
    }

    [TestCase("<f4")]
    [TestCase(">f4")]
    [TestCase("<f8")]
    [TestCase(">f8")]
    [TestCase("=f8")]
    public void Read_FloatDtype_ValuesRoundTrip(string descr)
    {
        double[] values = [0.5, -1.25, 1e10, double.NegativeInfinity];
        bool big = descr[0] == '>';
        int size = descr[2] - '0';
        var data = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            var span = data.AsSpan(i * size, size);
            if (size == 4 && big) BinaryPrimitives.WriteSingleBigEndian(span, (float)values[i]);
            else if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(span, (float)values[i]);
            else if (big) BinaryPrimitives.WriteDoubleBigEndian(span, values[i]);
            else BinaryPrimitives.WriteDoubleLittleEndian(span, values[i]);
        }
        var array = Read(NpyBytes.File(NpyBytes.Header(descr, "(4,)"), data));
        Assert.That(array.ToDoubleArray(), Is.EqualTo(values));
        Assert.That(array.ToSingleArray(), Is.EqualTo(values.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void Read_HalfPrecision_Converted()
    {
        var data = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-0.25f));
        Assert.That(Read(NpyBytes.File(NpyBytes.Header("<f2", "(2,)"), data)).ToSingleArray(), Is.EqualTo(new[] { 1.5f, -0.25f }));
    }

    [Test]
    public void Read_FortranOrder_TransposedToCOrder()
    {
        // The 2 × 3 matrix [[0, 1, 2], [10, 11, 12]] stored column by column.
        long[] columnMajor = [0, 10, 1, 11, 2, 12];
        var array = Read(NpyBytes.File(NpyBytes.Header("<i4", "(2, 3)", fortran: true), NpyBytes.Integers(columnMajor, 4, false)));
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(array.ToInt64Array(), Is.EqualTo(new long[] { 0, 1, 2, 10, 11, 12 }));
    }

    [Test]
    public void Read_FortranOrderThreeDimensions_TransposedToCOrder()
    {
        // Element [i, j, k] = 100 i + 10 j + k of shape (2, 3, 4); Fortran offset i + 2 j + 6 k.
        var columnMajor = new long[24];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++) columnMajor[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        var expected = new long[24];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++) expected[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;

        var array = Read(NpyBytes.File(NpyBytes.Header(">i8", "(2, 3, 4)", fortran: true), NpyBytes.Integers(columnMajor, 8, bigEndian: true)));
        Assert.That(array.ToInt64Array(), Is.EqualTo(expected));
    }

    [Test]
    public void Read_HeaderVariants_Accepted()
    {
        // Keys in another order, double quotes, Python 2 long suffixes, no trailing comma, no padding.
        string header = "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"|u1\"}";
        var array = Read(NpyBytes.Raw(1, 0, Encoding.ASCII.GetBytes(header), [3, 4]));
        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(array.ToByteArray(), Is.EqualTo(new byte[] { 3, 4 }));
    }

    [Test]
    public void Load_File_NamedAfterFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.npy");
        File.WriteAllBytes(path, NpyBytes.UInt8("(3,)", 1, 2, 3));
        var array = NpyArray.Load(path);
        Assert.That(array.Name, Is.EqualTo("weights"));
        Assert.That(array.ToByteArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void ToInt64Array_FloatDtype_Throws()
    {
        var array = Read(NpyBytes.File(NpyBytes.Header("<f4", "(1,)"), new byte[4]), "scores");
        Assert.That(() => array.ToInt64Array(), Throws.InvalidOperationException.With.Message.Contains("scores").And.Message.Contains("<f4"));
        Assert.That(() => array.ToByteArray(), Throws.InvalidOperationException);
    }

    [Test]
    public void ToByteArray_ValueAbove255_ThrowsOverflow()
    {
        var array = Read(NpyBytes.File(NpyBytes.Header("<i2", "(2,)"), NpyBytes.Integers([1, 300], 2, false)), "big");
        Assert.That(() => array.ToByteArray(), Throws.TypeOf<OverflowException>().With.Message.Contains("big"));
        Assert.That(array.ToInt32Array(), Is.EqualTo(new[] { 1, 300 }));
    }

    [Test]
    public void ToInt64Array_UInt64AboveLongMax_ThrowsOverflow()
    {
        var array = Read(NpyBytes.File(NpyBytes.Header("<u8", "(1,)"), NpyBytes.Integers([-1], 8, false)));
        Assert.That(() => array.ToInt64Array(), Throws.TypeOf<OverflowException>());
        Assert.That(array.ToDoubleArray(), Is.EqualTo(new[] { 18446744073709551615.0 }));
    }

    [Test]
    public void Read_NullArguments_Throw()
    {
        Assert.That(() => NpyArray.Read(null!, "x"), Throws.ArgumentNullException);
        Assert.That(() => NpyArray.Read(new MemoryStream(), null!), Throws.ArgumentNullException);
        Assert.That(() => NpyArray.Load(""), Throws.ArgumentException);
    }

    // ------------------------------------------------------------------ malformed input

    private static readonly byte[] Valid = NpyBytes.UInt8("(2,)", 1, 2);

    private static IEnumerable<TestCaseData> Malformed()
    {
        static TestCaseData Case(string label, byte[] bytes, string fragment) => new TestCaseData(bytes, fragment).SetArgDisplayNames(label);
        static byte[] WithHeader(string header, byte[]? data = null) => NpyBytes.File(header, data ?? [1, 2]);

        yield return Case("bad magic", [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'X', .. Valid[6..]], "bad magic");
        yield return Case("empty", [], "bad magic");
        yield return Case("zip instead", [0x50, 0x4B, 3, 4, 0, 0, 0, 0], "bad magic");
        yield return Case("magic only", Valid[..6], "truncated");
        yield return Case("no header length", Valid[..9], "truncated");
        yield return Case("version 4.0", NpyBytes.Raw(4, 0, Encoding.ASCII.GetBytes(NpyBytes.Header("|u1", "(2,)")), [1, 2]), "version 4.0");
        yield return Case("version 1.1", NpyBytes.Raw(1, 1, Encoding.ASCII.GetBytes(NpyBytes.Header("|u1", "(2,)")), [1, 2]), "version 1.1");
        yield return Case("truncated header", Valid[..40], "truncated header");
        yield return Case("header is a list", WithHeader("[1, 2]"), "not a dict");
        yield return Case("header is a tuple", WithHeader("('descr', '|u1')"), "not a dict");
        yield return Case("header not a literal", WithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (2,"), "not a valid Python literal");
        yield return Case("header with code", WithHeader("__import__('os')"), "not a valid Python literal");
        yield return Case("float in shape", WithHeader(NpyBytes.Header("|u1", "(2.0,)")), "not a valid Python literal");
        yield return Case("missing shape", WithHeader("{'descr': '|u1', 'fortran_order': False, }"), "missing 'shape'");
        yield return Case("extra key", WithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'x': 1}"), "unexpected 'x'");
        yield return Case("duplicate key", WithHeader("{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (2,)}"), "duplicate key");
        yield return Case("unknown dtype", WithHeader(NpyBytes.Header("<c16", "(2,)")), "unknown or unsupported dtype '<c16'");
        yield return Case("object dtype", WithHeader(NpyBytes.Header("|O", "(2,)")), "dtype '|O'");
        yield return Case("unicode dtype", WithHeader(NpyBytes.Header("<U5", "(2,)")), "dtype '<U5'");
        yield return Case("no byte order", WithHeader(NpyBytes.Header("f4", "(2,)")), "unknown dtype 'f4'");
        yield return Case("multi-byte with |", WithHeader(NpyBytes.Header("|i4", "(2,)"), new byte[8]), "no byte order");
        yield return Case("structured dtype", WithHeader("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }"), "structured");
        yield return Case("fortran_order not bool", WithHeader("{'descr': '|u1', 'fortran_order': 0, 'shape': (2,), }"), "'fortran_order' must be True or False");
        yield return Case("shape not tuple", WithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': 2, }"), "'shape' must be a tuple");
        yield return Case("shape is list", WithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': [2], }"), "'shape' must be a tuple");
        yield return Case("negative dim", WithHeader(NpyBytes.Header("|u1", "(-2,)")), "out of range");
        yield return Case("string dim", WithHeader(NpyBytes.Header("|u1", "('2',)")), "must be an integer");
        yield return Case("truncated data", NpyBytes.File(NpyBytes.Header("<i4", "(3,)"), new byte[10]), "truncated data");
        yield return Case("no data", NpyBytes.File(NpyBytes.Header("<i4", "(3,)"), []), "truncated data");
        yield return Case("trailing data", NpyBytes.File(NpyBytes.Header("|u1", "(2,)"), [1, 2, 3]), "size mismatch");
        yield return Case("huge shape", WithHeader(NpyBytes.Header("<f8", "(100000, 100000, 100000)")), "too large");
        yield return Case("bad utf-8 in v3", NpyBytes.Raw(3, 0, [(byte)'{', 0xFF, (byte)'}'], [], lengthBytes: 4), "UTF-8");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Read_MalformedInput_ThrowsInvalidDataNamingArrayAndProblem(byte[] bytes, string fragment)
    {
        Assert.That(() => Read(bytes, "train_images"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'train_images'").And.Message.Contains(fragment));
    }

    [Test]
    public void Read_HeaderLengthBeyondLimit_ThrowsWithoutAllocating()
    {
        var bytes = NpyBytes.Raw(2, 0, Encoding.ASCII.GetBytes("{}"), [], lengthBytes: 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 0xFFFFFFF0);
        Assert.That(() => Read(bytes), Throws.TypeOf<InvalidDataException>().With.Message.Contains("exceeds"));
    }
}
