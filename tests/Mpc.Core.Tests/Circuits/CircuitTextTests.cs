using FsCheck.Xunit;
using Mpc.Core.Circuits;

namespace Mpc.Core.Tests.Circuits;

public class CircuitTextTests
{
    [Theory]
    [MemberData(nameof(ExampleCircuits.Files), MemberType = typeof(ExampleCircuits))]
    public void ExamplesRoundTripThroughCanonicalText(string file)
    {
        var parsed = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, file));

        var printed = CircuitText.Print(parsed);
        var reparsed = CircuitText.Parse(printed);

        Assert.Equal(parsed, reparsed);
        Assert.Equal(printed, CircuitText.Print(reparsed));
        Assert.DoesNotContain("#", printed);
    }

    [Property(Arbitrary = [typeof(CircuitArbitraries)], MaxTest = 200)]
    public bool RandomCircuitsRoundTrip(Circuit circuit)
    {
        var printed = CircuitText.Print(circuit);
        var reparsed = CircuitText.Parse(printed);
        return reparsed.Equals(circuit) && CircuitText.Print(reparsed) == printed && reparsed.Id == circuit.Id;
    }

    [Fact]
    public void CommentsBlankLinesSpacingAndPartyOrderAreNotPartOfTheCircuit()
    {
        const string messy = "  # header comment\r\n\r\ncircuit  c   # trailing\r\nparty bob\n\tparty alice\n%0 = input x @bob\n%1=const -7\n%2 = mulc %0 -1   #neg\n%3 = mul %2 %1\n%4 = output r %3 @alice\n";
        const string canonical = "circuit c\nparty alice\nparty bob\n\n%0 = input x @bob\n%1 = const -7\n%2 = mulc %0 -1\n%3 = mul %2 %1\n%4 = output r %3 @alice\n";

        var circuit = CircuitText.Parse(messy);

        Assert.Equal(canonical, CircuitText.Print(circuit));
        Assert.Equal<string>(["alice", "bob"], circuit.Parties);
        Assert.Equal(new OutputDeclaration("r", OutputVisibility.Private, "alice", 3, 4), Assert.Single(circuit.Outputs));
    }

    // Golden errors: each bad input must be reported at exactly this file:line:col with this reason.
    public static TheoryData<string, string> BadInputs => new()
    {
        { "", "t.ir:1:1: empty circuit: expected 'circuit NAME'" },
        { "party alice\n", "t.ir:1:1: expected 'circuit NAME' before anything else, got 'party'" },
        { "circuit c\ncircuit d\n", "t.ir:2:1: duplicate 'circuit' header" },
        { "circuit 9lives\n", "t.ir:1:9: circuit name '9lives' is not an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 128 characters)" },
        { "circuit c\nparty a\nparty a\n", "t.ir:3:7: party 'a' is declared twice" },
        { "circuit c\nparty a\n%0 = input x @b\n%1 = output o %0\n", "t.ir:3:15: unknown party 'b' (declared: a)" },
        { "circuit c\nparty a\n%0 = input x @a\n%2 = output o %0\n", "t.ir:4:1: expected %1 (gates are numbered in order), got %2" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = add %0 %2\n%2 = output o %1\n", "t.ir:4:13: second operand %2 is a forward reference (gates may only read earlier wires)" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %7\n", "t.ir:4:15: first operand %7 is undefined (the circuit has 2 gates)" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %0\n%2 = add %1 %0\n%3 = output p %2\n", "t.ir:5:10: first operand %1 is an output gate, which has no value" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = input x @a\n%2 = output o %0\n", "t.ir:4:12: duplicate input 'a.x'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %0\n%2 = output o %0\n", "t.ir:5:13: duplicate output name 'o'" },
        { "circuit c\nparty a\n%0 = input x @a\n", "t.ir:1:9: circuit has no outputs" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = div %0 %0\n", "t.ir:4:6: unknown operation 'div' (expected input, const, add, sub, mulc, mul, output, ltz, eqz, trunc, truncpr, mod2m)" },
        { "circuit c\nparty a\n%0 = const 0x10\n", "t.ir:3:12: expected a decimal integer (optionally negative, no leading zeros), got '0x10'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = mulc %0\n", "t.ir:4:13: incomplete statement: expected '%i = mulc %a INTEGER'" },
        { "circuit c\nparty a\n%0 = input x @a extra\n", "t.ir:3:17: unexpected 'extra': expected '%i = input NAME @PARTY'" },
        { "circuit c\nparty a\n%0 = input x a\n", "t.ir:3:14: expected '@' before the party, got 'a'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %0 a\n", "t.ir:4:18: expected '@' before the party, got 'a'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = add %0 0\n", "t.ir:4:13: expected a wire like %3, got '0'" },
        { "circuit c\nparty a\n%0 = input x! @a\n", "t.ir:3:13: unexpected character '!'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %0\nparty b\n", "t.ir:5:1: party declarations must come before the first gate" },
        { "circuit c\nparty a\n%0 input x @a\n", "t.ir:3:4: expected '=' after %0" },
        { "circuit c\nparty a\n%0 : input x @a\n", "t.ir:3:4: unexpected character ':'" },
        { "circuit c\nparty a\n%0 = input x @a\n%1 = output o %0 @\n", "t.ir:4:19: incomplete statement: expected '%i = output NAME %a [@PARTY]'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void ParseErrorsPointAtTheOffendingToken(string text, string expected)
    {
        var e = Assert.Throws<CircuitParseException>(() => CircuitText.Parse(text, "t.ir"));

        Assert.Equal(expected, e.Message);
        Assert.Equal(expected, $"{e.File}:{e.Line}:{e.Column}: {e.Reason}");
    }
}
