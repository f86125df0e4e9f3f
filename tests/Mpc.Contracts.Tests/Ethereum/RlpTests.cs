using System.Numerics;
using System.Text;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class RlpTests
{
    private static byte[] S(string text) => Rlp.EncodeString(text);

    public static TheoryData<byte[], string> Examples => new()
    {
        // Examples from the Ethereum wiki RLP page / ethereum/tests RLPTests/rlptest.json.
        { S("dog"), "83646f67" },
        { Rlp.EncodeList(S("cat"), S("dog")), "c88363617483646f67" },
        { S(string.Empty), "80" },
        { Rlp.EncodeList(), "c0" },
        { Rlp.EncodeInteger(0UL), "80" },
        { Rlp.EncodeBytes([0x00]), "00" },
        { Rlp.EncodeInteger(15UL), "0f" },
        { Rlp.EncodeInteger(1024UL), "820400" },
        { Rlp.EncodeInteger(BigInteger.Parse("83729609699884896815286331701780722", System.Globalization.CultureInfo.InvariantCulture)), "8f102030405060708090a0b0c0d0e0f2" },
        // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
        { Rlp.EncodeList(Rlp.EncodeList(), Rlp.EncodeList(Rlp.EncodeList()), Rlp.EncodeList(Rlp.EncodeList(), Rlp.EncodeList(Rlp.EncodeList()))), "c7c0c1c0c3c0c1c0" },
        {
            S("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
            "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974"
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encode_MatchesPublishedExamples(byte[] encoded, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(encoded));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decode_ThenReencode_RoundTrips(byte[] encoded, string expected)
    {
        RlpItem item = Rlp.Decode(Convert.FromHexString(expected));

        Assert.Equal(encoded, Reencode(item));
    }

    [Fact]
    public void Decode_LongList_ReadsItems()
    {
        string[] words = Enumerable.Range(0, 20).Select(i => $"word{i}").ToArray();
        byte[] encoded = Rlp.EncodeList(words.Select(S).ToArray());

        RlpItem item = Rlp.Decode(encoded);

        Assert.True(encoded[0] > 0xf7);
        Assert.Equal(words, item.Items.Select(i => Encoding.UTF8.GetString(i.Bytes)).ToArray());
    }

    [Theory]
    [InlineData("8100", "must be encoded as itself")]
    [InlineData("b80100", "long form")]
    [InlineData("83646f", "remain")]
    [InlineData("83646f6700", "trailing")]
    [InlineData("b900ff", "leading zero")]
    [InlineData("", "ends")]
    public void Decode_RejectsNonCanonicalOrTruncatedInput(string hex, string messagePart)
    {
        var ex = Assert.Throws<FormatException>(() => Rlp.Decode(Convert.FromHexString(hex)));

        Assert.Contains(messagePart, ex.Message);
    }

    private static byte[] Reencode(RlpItem item) =>
        item.IsList ? Rlp.EncodeList(item.Items.Select(Reencode).ToArray()) : Rlp.EncodeBytes(item.Bytes);
}
