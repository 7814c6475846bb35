using System.Text;
using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>The weights file: byte layout, bit-exact round trips and every malformed-file case (which must leave the
/// module untouched).</summary>
public sealed class ModuleSerializerTests
{
    private static VisionTransformerOptions Tiny(int seed) => new()
    {
        ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 4, Heads = 2, Depth = 1, MlpHidden = 8, Classes = 2, Seed = seed,
    };

    /// <summary>One hand-written entry: name, shape, element type byte, values.</summary>
    private sealed record Entry(string Name, int[] Shape, byte ElementType, double[] Values);

    private static byte[] Write(string magic, int count, params Entry[] entries)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory))
        {
            writer.Write(Encoding.ASCII.GetBytes(magic));
            writer.Write(count);
            foreach (Entry entry in entries)
            {
                byte[] name = Encoding.UTF8.GetBytes(entry.Name);
                writer.Write(name.Length);
                writer.Write(name);
                writer.Write(entry.Shape.Length);
                foreach (int dim in entry.Shape) writer.Write(dim);
                writer.Write(entry.ElementType);
                foreach (double v in entry.Values)
                {
                    if (entry.ElementType == 4) writer.Write((float)v);
                    else writer.Write(v);
                }
            }
        }
        return memory.ToArray();
    }

    private static Linear<double> NewLinear() => new(2, 3, new Random(1));

    private static Entry Weight(int[]? shape = null) => new("weight", shape ?? [3, 2], 8, Enumerable.Range(0, 6).Select(i => i + 0.5).ToArray());

    private static Entry Bias() => new("bias", [3], 8, [7.0, 8.0, 9.0]);

    private static double[] Snapshot(Module<double> module) => module.Parameters().SelectMany(p => p.Value.Data).ToArray();

    private static void AssertRejected(byte[] file, string messagePart)
    {
        Linear<double> layer = NewLinear();
        double[] before = Snapshot(layer);
        var e = Assert.Throws<InvalidDataException>(() => ModuleSerializer.Load(layer, new MemoryStream(file)));
        Assert.That(e!.Message, Does.Contain(messagePart));
        Assert.That(Snapshot(layer), Is.EqualTo(before), "no weight may change when loading fails");
    }

    [Test]
    public void HandWrittenFile_Loads()
    {
        Linear<double> layer = NewLinear();
        ModuleSerializer.Load(layer, new MemoryStream(Write("QSIMW001", 2, Bias(), Weight())));
        Assert.That(layer.Weight.Value.Data, Is.EqualTo(Weight().Values));
        Assert.That(layer.Bias!.Value.Data, Is.EqualTo(Bias().Values));
    }

    [Test]
    public void Save_WritesTheDocumentedLayout()
    {
        Linear<double> layer = NewLinear();
        var memory = new MemoryStream();
        ModuleSerializer.Save(layer, memory);
        byte[] expected = Write("QSIMW001", 2,
            new Entry("weight", [3, 2], 8, layer.Weight.Value.Data),
            new Entry("bias", [3], 8, layer.Bias!.Value.Data));
        Assert.That(memory.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void SaveLoad_VisionTransformerFloat_RoundTripsBitExact()
    {
        var source = new VisionTransformer<float>(Tiny(1));
        var target = new VisionTransformer<float>(Tiny(2));
        var memory = new MemoryStream();
        ModuleSerializer.Save(source, memory);
        memory.Position = 0;
        ModuleSerializer.Load(target, memory);
        Assert.That(memory.Position, Is.EqualTo(memory.Length));
        int[] Bits(Module<float> m) => m.Parameters().SelectMany(p => p.Value.Data).Select(BitConverter.SingleToInt32Bits).ToArray();
        Assert.That(Bits(target), Is.EqualTo(Bits(source)));
        Tensor<float> images = Tensor<float>.FromArray(Enumerable.Range(0, 128).Select(i => (float)Math.Sin(i)).ToArray(), 2, 1, 8, 8);
        Assert.That(target.Forward(images).Data, Is.EqualTo(source.Forward(images).Data));
    }

    [Test]
    public void SaveLoad_DoubleThroughFile_RoundTripsBitExact()
    {
        var source = new VisionTransformer<double>(Tiny(1));
        var target = new VisionTransformer<double>(Tiny(2));
        string path = Path.Combine(Path.GetTempPath(), $"qsim-nn-{Guid.NewGuid():N}.qsimw");
        try
        {
            ModuleSerializer.Save(source, path);
            ModuleSerializer.Load(target, path);
        }
        finally
        {
            File.Delete(path);
        }
        long[] Bits(Module<double> m) => m.Parameters().SelectMany(p => p.Value.Data).Select(BitConverter.DoubleToInt64Bits).ToArray();
        Assert.That(Bits(target), Is.EqualTo(Bits(source)));
    }

    [Test]
    public void Load_BadMagic_Throws() =>
        AssertRejected(Write("QSIMW002", 2, Weight(), Bias()), "magic");

    [Test]
    public void Load_EveryTruncation_ThrowsAndLeavesWeights()
    {
        byte[] file = Write("QSIMW001", 2, Weight(), Bias());
        for (int length = 0; length < file.Length; length++)
        {
            AssertRejected(file[..length], length < 8 ? "magic" : "truncated");
        }
    }

    [Test]
    public void Load_MissingParameter_ThrowsNamingIt() =>
        AssertRejected(Write("QSIMW001", 1, Weight()), "'bias'");

    [Test]
    public void Load_ExtraParameter_ThrowsNamingIt() =>
        AssertRejected(Write("QSIMW001", 3, Weight(), Bias(), new Entry("scale", [1], 8, [1.0])), "'scale'");

    [Test]
    public void Load_DuplicateParameter_Throws() =>
        AssertRejected(Write("QSIMW001", 3, Weight(), Bias(), Bias()), "twice");

    [Test]
    public void Load_WrongShape_ThrowsNamingBothShapes() =>
        AssertRejected(Write("QSIMW001", 2, Weight([2, 3]), Bias()), "(2, 3) in the file but (3, 2) in the module");

    [Test]
    public void Load_WrongElementType_Throws() =>
        AssertRejected(Write("QSIMW001", 2, new Entry("weight", [3, 2], 4, new double[6]), Bias()), "float32");

    [Test]
    public void Load_UnknownElementType_Throws() =>
        AssertRejected(Write("QSIMW001", 2, new Entry("weight", [3, 2], 2, []), Bias()), "unknown");

    [Test]
    public void Load_NegativeCountOrBadRank_Throws()
    {
        AssertRejected(Write("QSIMW001", -1), "negative");
        AssertRejected(Write("QSIMW001", 1, new Entry("weight", new int[40], 8, [])), "rank 40");
    }

    [Test]
    public void Load_InvalidUtf8Name_Throws()
    {
        byte[] file = Write("QSIMW001", 2, Weight(), Bias());
        file[16] = 0xFF; // first byte of the first name
        AssertRejected(file, "UTF-8");
    }

    [Test]
    public void Load_FloatFileIntoDoubleModel_Throws()
    {
        var memory = new MemoryStream();
        ModuleSerializer.Save(new Linear<float>(2, 3, new Random(1)), memory);
        AssertRejected(memory.ToArray(), "float32 (4) in the file but the module is float64 (8)");
    }

    [Test]
    public void LoadFromPath_TrailingBytes_Throws()
    {
        string path = Path.Combine(Path.GetTempPath(), $"qsim-nn-{Guid.NewGuid():N}.qsimw");
        try
        {
            File.WriteAllBytes(path, [.. Write("QSIMW001", 2, Weight(), Bias()), 0]);
            Linear<double> layer = NewLinear();
            double[] before = Snapshot(layer);
            Assert.That(() => ModuleSerializer.Load(layer, path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("after the last"));
            Assert.That(Snapshot(layer), Is.EqualTo(before));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
