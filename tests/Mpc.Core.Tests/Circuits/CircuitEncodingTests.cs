using FsCheck.Xunit;
using Mpc.Core.Circuits;

namespace Mpc.Core.Tests.Circuits;

public class CircuitEncodingTests
{
    // circuit c; party a; %0 = input x @a; %1 = const -1; %2 = mul %0 %1; %3 = output o %2 — written out
    // by hand from the format in CircuitEncoding's remarks, so a format change cannot go unnoticed.
    private static readonly string[] GoldenParts =
    [
        "4D504343", "0100",            // magic, version 1
        "01000000" + "63",             // name "c"
        "01000000", "01000000" + "61", // 1 party: "a"
        "04000000",                    // 4 gates
        "01", "01000000" + "78", "00000000",      // input "x" owner 0
        "02", "01000000" + "FF",                  // const −1: one two's-complement byte
        "06", "00000000", "01000000",             // mul %0 %1
        "07", "02000000", "01000000" + "6F", "00000000", // output "o" %2 public
    ];

    private static byte[] Golden(Func<string[], string[]>? edit = null) =>
        Convert.FromHexString(string.Concat((edit ?? (p => p))((string[])GoldenParts.Clone())));

    private static Circuit GoldenCircuit() =>
        CircuitText.Parse("circuit c\nparty a\n%0 = input x @a\n%1 = const -1\n%2 = mul %0 %1\n%3 = output o %2\n");

    [Fact]
    public void EncodingMatchesTheDocumentedLayout()
    {
        Assert.Equal(Convert.ToHexString(Golden()), Convert.ToHexString(CircuitEncoding.Encode(GoldenCircuit())));
        Assert.Equal(GoldenCircuit(), CircuitEncoding.Decode(Golden()));
    }

    [Fact]
    public void IdIsKeccak256NotSha3()
    {
        // Keccak-256("") as used by Ethereum; SHA3-256("") would be a7ffc6f8…
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", CircuitId.Of([]).ToString());
        Assert.Equal(CircuitId.Of(Golden()), GoldenCircuit().Id);
        Assert.Equal(GoldenCircuit().Id, CircuitId.Parse(GoldenCircuit().Id.ToString()));
        Assert.Matches("^0x[0-9a-f]{64}$", GoldenCircuit().Id.ToString());
    }

    [Property(Arbitrary = [typeof(CircuitArbitraries)], MaxTest = 200)]
    public bool RandomCircuitsRoundTrip(Circuit circuit)
    {
        var bytes = CircuitEncoding.Encode(circuit);
        var decoded = CircuitEncoding.Decode(bytes);
        return decoded.Equals(circuit) && decoded.Id == circuit.Id && CircuitEncoding.Encode(decoded).AsSpan().SequenceEqual(bytes);
    }

    [Fact]
    public void IdDependsOnContentNotOnSpelling()
    {
        var a = CircuitText.Parse("circuit c\nparty b\nparty a\n%0 = input x @a\n%1 = output o %0 @b\n");
        var b = CircuitText.Parse("# same circuit\ncircuit c\nparty a\nparty b\n%0 = input x @a   # x\n%1 = output o %0 @b\n");
        var c = CircuitText.Parse("circuit c\nparty a\nparty b\n%0 = input x @a\n%1 = output o %0 @a\n");

        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
    }

    public static TheoryData<string, int, string> Malformed => new()
    {
        { "bad-magic", 0, "missing magic" },
        { "version-2", 4, "unsupported version 2" },
        { "truncated", 59, "truncated" },
        { "trailing", 63, "1 trailing bytes" },
        { "non-minimal-integer", 35, "not minimally encoded" },
        { "unknown-kind", 34, "unknown gate kind 42" },
        { "owner-out-of-range", 30, "party index 1 out of range" },
        { "forward-reference", -1, "gate %2: first operand %3 is a forward reference" },
        { "unsorted-parties", 20, "out of canonical" },
        { "huge-gate-count", 20, "gate count 4294967295 exceeds" },
        { "bad-utf8", 10, "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void DecodeRejectsMalformedInputAndSaysWhere(string mutation, int offset, string reason)
    {
        byte[] bytes = mutation switch
        {
            "bad-magic" => Golden(p => { p[0] = "4D504344"; return p; }),
            "version-2" => Golden(p => { p[1] = "0200"; return p; }),
            "truncated" => Golden()[..^1],
            "trailing" => [.. Golden(), 0],
            "non-minimal-integer" => Golden(p => { p[10] = "02000000FFFF"; return p; }),
            "unknown-kind" => Golden(p => { p[9] = "2A"; return p; }),
            "owner-out-of-range" => Golden(p => { p[8] = "01000000"; return p; }),
            "forward-reference" => Golden(p => { p[12] = "03000000"; return p; }),
            "unsorted-parties" => Golden(p => { p[3] = "02000000"; p[4] = "0100000062" + "0100000061"; return p; }),
            "huge-gate-count" => Golden(p => { p[5] = "FFFFFFFF"; return p; }),
            "bad-utf8" => Golden(p => { p[2] = "01000000" + "FF"; return p; }),
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };

        var e = Assert.Throws<CircuitEncodingException>(() => CircuitEncoding.Decode(bytes));

        Assert.Equal(offset, e.Offset);
        Assert.Contains(reason, e.Message);
    }
}
