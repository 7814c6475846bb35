using System.Buffers.Binary;
using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// NpzArchive on zips built here with ZipArchive: stored and deflated members, names with and without .npy, missing
// arrays, corrupt members and non-zip input.
[TestFixture]
public sealed class NpzArchiveTests
{
    private static byte[] TwoMembers() => NpyBytes.Npz(
        ("b.npy", NpyBytes.Int64("(3,)", 5, -6, 7), true),
        ("a.npy", NpyBytes.UInt8("(2, 2)", 1, 2, 3, 4), false));

    [Test]
    public void Npz_TestArchive_HasOneStoredAndOneDeflatedMember()
    {
        // Guard for the tests below: the local header's compression method is 0 (stored) or 8 (deflate).
        byte[] zip = TwoMembers();
        var methods = new List<int>();
        for (int i = 0; i + 30 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == 0x04034B50) methods.Add(BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 8)));
        }
        Assert.That(methods, Is.EquivalentTo(new[] { 0, 8 }));
    }

    [Test]
    public void Open_StoredAndDeflatedMembers_ListsAndReadsBoth()
    {
        using var npz = NpzArchive.Open(new MemoryStream(TwoMembers()));
        Assert.That(npz.Names, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(npz.Contains("a"), Is.True);
        Assert.That(npz.Contains("a.npy"), Is.True);
        Assert.That(npz.Contains("c"), Is.False);

        var a = npz.Read("a");
        Assert.That(a.Name, Is.EqualTo("a"));
        Assert.That(a.Shape, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(a.ToByteArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));

        var b = npz.Read("b.npy");
        Assert.That(b.Name, Is.EqualTo("b"));
        Assert.That(b.ToInt64Array(), Is.EqualTo(new long[] { 5, -6, 7 }));
    }

    [Test]
    public void Open_File_ReadsAndDisposes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.npz");
        File.WriteAllBytes(path, TwoMembers());
        using (var npz = NpzArchive.Open(path))
        {
            Assert.That(npz.Read("a").Length, Is.EqualTo(4));
        }
        File.Delete(path); // the file is closed
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Read_MissingArray_ThrowsKeyNotFoundListingAvailableNames()
    {
        using var npz = NpzArchive.Open(new MemoryStream(TwoMembers()));
        Assert.That(() => npz.Read("test_images"),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'test_images'").And.Message.Contains("available arrays: 'a', 'b'"));
    }

    [Test]
    public void Read_EmptyArchive_SaysSo()
    {
        using var npz = NpzArchive.Open(new MemoryStream(NpyBytes.Npz()));
        Assert.That(npz.Names, Is.Empty);
        Assert.That(() => npz.Read("a"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("empty"));
    }

    [Test]
    public void Read_MalformedMember_ThrowsInvalidDataNamingArray()
    {
        var zip = NpyBytes.Npz(("bad.npy", NpyBytes.File(NpyBytes.Header("<i4", "(4,)"), new byte[6]), true));
        using var npz = NpzArchive.Open(new MemoryStream(zip));
        Assert.That(() => npz.Read("bad"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("'bad'").And.Message.Contains("truncated data"));
    }

    [Test]
    public void Read_CorruptDeflateData_ThrowsInvalidData()
    {
        var member = NpyBytes.UInt8("(64,)", Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
        byte[] zip = NpyBytes.Npz(("x.npy", member, true));
        // Overwrite the compressed bytes after the local header (30 bytes + name) with junk.
        int dataStart = 30 + "x.npy".Length;
        for (int i = dataStart; i < dataStart + 20; i++) zip[i] = 0xFF;
        using var npz = NpzArchive.Open(new MemoryStream(zip));
        Assert.That(() => npz.Read("x"), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void Open_NotAZip_ThrowsInvalidData()
    {
        Assert.That(() => NpzArchive.Open(new MemoryStream(NpyBytes.UInt8("(2,)", 1, 2))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("not a valid zip"));
    }

    [Test]
    public void Read_AfterDispose_ThrowsObjectDisposed()
    {
        var npz = NpzArchive.Open(new MemoryStream(TwoMembers()));
        npz.Dispose();
        Assert.That(() => npz.Read("a"), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Open_InvalidArguments_Throw()
    {
        Assert.That(() => NpzArchive.Open((Stream)null!), Throws.ArgumentNullException);
        Assert.That(() => NpzArchive.Open(""), Throws.ArgumentException);
        Assert.That(() => NpzArchive.Open(Path.Combine(Path.GetTempPath(), "no-such-qsim-file.npz")), Throws.TypeOf<FileNotFoundException>());
    }
}
