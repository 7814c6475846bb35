using QSim.Kernels;

namespace QSim.Tests.Kernels;

// Checks PauliString (host-side, no accelerator): Parse of the documented forms (separators, case, identity, qubit
// 63), ToString's canonical form and Parse/ToString round trips over random masks, FormatException for malformed
// text with a message that quotes the offending part, Single, and the derived properties (YCount, Support, MaxQubit,
// indexer).
[TestFixture]
public sealed class PauliStringTests
{
    [TestCase("Z0 Z1", 0b00UL, 0b11UL)]
    [TestCase("X3Y5", 0b101000UL, 0b100000UL)]
    [TestCase("x0 y1 z2", 0b011UL, 0b110UL)]
    [TestCase("X0*Z3", 0b0001UL, 0b1000UL)]
    [TestCase("X0⊗Z3", 0b0001UL, 0b1000UL)]
    [TestCase("  Y2   ", 0b100UL, 0b100UL)]
    [TestCase("I", 0UL, 0UL)]
    [TestCase("I X1", 0b10UL, 0UL)]
    [TestCase("Z007", 0UL, 0b10000000UL)]
    [TestCase("Z63", 0UL, 1UL << 63)]
    public void Parse_ValidText_GivesMasks(string text, ulong x, ulong z)
    {
        var p = PauliString.Parse(text);
        Assert.That(p.XMask, Is.EqualTo(x), "XMask");
        Assert.That(p.ZMask, Is.EqualTo(z), "ZMask");
    }

    [TestCase("Z1 X0", "X0 Z1")]
    [TestCase("X3Y5", "X3 Y5")]
    [TestCase("y63 x0", "X0 Y63")]
    [TestCase("I", "I")]
    [TestCase("I0", "I")]
    public void ToString_ParsedText_IsCanonicalForm(string text, string expected) =>
        Assert.That(PauliString.Parse(text).ToString(), Is.EqualTo(expected));

    [Test]
    public void ParseOfToString_RandomMasks_RoundTrips()
    {
        var rng = new Random(91000);
        for (int i = 0; i < 500; i++)
        {
            ulong x = (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
            ulong z = (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
            if (i % 3 == 0) x &= 0xFF; // sparse strings too
            var p = new PauliString(x, z);
            Assert.That(PauliString.Parse(p.ToString()), Is.EqualTo(p), p.ToString());
        }
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("A0", "'A' at position 0")]
    [TestCase("X1,Z2", "',' at position 2")]
    [TestCase("X", "'X' at position 0 has no qubit index")]
    [TestCase("Z1 Y", "'Y' at position 3 has no qubit index")]
    [TestCase("Z-1", "'Z' at position 0 has no qubit index")]
    [TestCase("X64", "'64' is outside 0…63")]
    [TestCase("X99999999999", "'99999999999' is outside 0…63")]
    [TestCase("X1 Z1", "qubit 1 appears twice")]
    [TestCase("Y7Y7", "qubit 7 appears twice")]
    public void Parse_MalformedText_ThrowsFormatExceptionNamingTheProblem(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => PauliString.Parse(text));
        Assert.That(ex!.Message, Does.Contain(fragment));
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => PauliString.Parse(null!));

    [Test]
    public void Single_EveryOperator_EqualsParse()
    {
        foreach (char op in "IXYZixyz")
        {
            var expected = char.ToUpperInvariant(op) == 'I' ? PauliString.Identity : PauliString.Parse($"{op}5");
            Assert.That(PauliString.Single(op, 5), Is.EqualTo(expected), op.ToString());
        }
    }

    [Test]
    public void Single_BadOperatorOrQubit_ThrowsNamingIt()
    {
        var op = Assert.Throws<ArgumentException>(() => PauliString.Single('Q', 0));
        Assert.That(op!.Message, Does.Contain("'Q'"));
        Assert.That(op.ParamName, Is.EqualTo("op"));
        var q = Assert.Throws<ArgumentOutOfRangeException>(() => PauliString.Single('X', 64));
        Assert.That(q!.Message, Does.Contain("qubit 64"));
        Assert.Throws<ArgumentOutOfRangeException>(() => PauliString.Single('X', -1));
    }

    [Test]
    public void Properties_MixedString_AreConsistent()
    {
        var p = PauliString.Parse("X1 Y3 Z4 Y9");
        Assert.That(p.YCount, Is.EqualTo(2));
        Assert.That(p.Support, Is.EqualTo((1UL << 1) | (1UL << 3) | (1UL << 4) | (1UL << 9)));
        Assert.That(p.MaxQubit, Is.EqualTo(9));
        Assert.That(new[] { p[0], p[1], p[3], p[4], p[9], p[10], p[64], p[-1] }, Is.EqualTo(new[] { 'I', 'X', 'Y', 'Z', 'Y', 'I', 'I', 'I' }));
        Assert.That(PauliString.Identity.MaxQubit, Is.EqualTo(-1));
        Assert.That(PauliString.Parse("Z63").MaxQubit, Is.EqualTo(63));
    }
}
