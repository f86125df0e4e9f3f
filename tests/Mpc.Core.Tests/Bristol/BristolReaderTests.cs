using Mpc.Core.Circuits.Bristol;

namespace Mpc.Core.Tests.Bristol;

public class BristolReaderTests
{
    /// <summary>Every gate kind: inputs a (wires 0, 1), b (wire 2); outputs ¬(a0 ∧ b), the constant 1, a1 ∧ b (MAND).</summary>
    [Fact]
    public void EvaluatesAHandWrittenCircuit()
    {
        const string text = """
            6 9
            2 2 1
            3 1 1 1

            2 1 0 2 3 AND
            1 1 3 6 INV
            1 1 1 4 EQ
            1 1 4 7 EQW
            4 2 1 0 2 1 8 5 MAND
            1 1 5 x EQW
            """;
        var e = Assert.Throws<BristolFormatException>(() => BristolReader.Parse(text, "t.txt"));
        Assert.Equal(10, e.Line);
        Assert.Contains("'x'", e.Message);

        var c = BristolReader.Parse(text.Replace("1 1 5 x EQW", "").Replace("6 9", "5 9"), "t.txt");
        Assert.Equal(3, c.AndCount);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 2; b++)
            {
                bool[][] o = c.Evaluate([[(a & 1) != 0, (a & 2) != 0], [b != 0]]);
                bool a0 = (a & 1) != 0, a1 = (a & 2) != 0, bb = b != 0;
                Assert.Equal(!(a0 && bb), o[0][0]);   // wire 6
                Assert.True(o[1][0]);                 // wire 7 = constant 1
                Assert.Equal(a1 && bb, o[2][0]);      // wire 8 from MAND (1 ∧ 2)
            }
    }

    [Fact]
    public void WriterOutputReadsBackToTheSameText()
    {
        var c = BristolGenerators.Multiplier(5);
        string text = BristolWriter.Write(c);
        var back = BristolReader.Parse(text);
        Assert.Equal(text, BristolWriter.Write(back));
        Assert.Equal(c.Gates.Select(g => (g.Kind, string.Join(",", g.Inputs), string.Join(",", g.Outputs))),
            back.Gates.Select(g => (g.Kind, string.Join(",", g.Inputs), string.Join(",", g.Outputs))));
    }

    private const string Good = "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n1 1 2 4 INV\n";

    public static TheoryData<string, int, string> Malformed() => new()
    {
        { "", 1, "the header" },
        { "2\n", 1, "needs 2 numbers" },
        { "2 -5\n", 1, "wire count '-5'" },
        { "2 0\n2 1 1\n1 1\n", 1, "wire count 0" },
        { "2 5\n", 2, "input line" },
        { "2 5\n2 1\n1 1\n", 2, "2 input value(s) declared but 1 size(s)" },
        { "2 5\n2 1 1\n", 3, "output line" },
        { "2 5\n2 1 1\n1 1 1\n", 3, "1 output value(s) declared but 2" },
        { "2 5\n2 1 1\n0\n", 3, "no outputs" },
        { "2 5\n2 1 3\n1 2\n", 3, "do not fit" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 NAND\n1 1 2 4 INV\n", 5, "unknown gate 'NAND'" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 AND\n1 1 2 4 INV\n", 5, "need 6 tokens, found 5" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 INV\n1 1 2 4 INV\n", 5, "INV takes 1 input and 1 output" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 9 2 AND\n1 1 2 4 INV\n", 5, "input wire 9 is outside 0..4" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 3 2 AND\n1 1 2 4 INV\n", 5, "input wire 3 is read before" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 1 AND\n1 1 2 4 INV\n", 5, "output wire 1 is already assigned" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n\n\n1 1 2 2 INV\n", 8, "output wire 2 is already assigned" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n1 1 2 3 INV\n", 6, "output wire 4 is never assigned" },
        { "2 5\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n", 5, "declares 2 gates but the file ends after 1" },
        { Good + "1 1 2 3 INV\n", 7, "more gates than the 2" },
        { "2 5\n2 1 1\n1 1\n\n1 1 2 3 EQ\n1 1 3 4 INV\n", 5, "EQ assigns a constant 0 or 1, not 2" },
        { "2 5\n2 1 1\n1 1\n\n2 2 0 1 2 3 MAND\n1 1 2 4 INV\n", 5, "MAND takes 2k inputs" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedFilesAreRejectedWithTheLineAndReason(string text, int line, string reason)
    {
        var e = Assert.Throws<BristolFormatException>(() => BristolReader.Parse(text, "bad.txt"));
        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Reason);
        Assert.StartsWith($"bad.txt:{line}: ", e.Message);
    }

    [Fact]
    public void TheGoodBaseOfTheMalformedCasesParses() => Assert.Equal(1, BristolReader.Parse(Good).AndCount);

    [Theory]
    [InlineData(BitOrder.Lsb, new[] { true, false, false, false })]
    [InlineData(BitOrder.Msb, new[] { false, false, false, true })]
    public void BitOrderDecidesWhichEndFeedsTheFirstWire(BitOrder order, bool[] expected)
    {
        Assert.Equal(expected, BristolBits.ToBits(1, 4, order, "x"));
        Assert.Equal(1, BristolBits.FromBits(expected, order));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BristolBits.ToBits(16, 4, order, "--input 0"));
        Assert.Contains("needs 5 bits; the input has 4", e.Message);
    }
}
