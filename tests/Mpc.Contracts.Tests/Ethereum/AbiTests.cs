using System.Numerics;
using System.Text;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class AbiTests
{
    private static string W(string hexWord) => hexWord.PadLeft(64, '0');

    private static string R(string hexBytes) => hexBytes.PadRight(64, '0');

    [Theory]
    [InlineData("transfer(address,uint256)", "a9059cbb")]
    [InlineData("transfer(address to, uint amount)", "a9059cbb")]
    [InlineData("baz(uint32,bool)", "cdcd77c0")]
    [InlineData("bar(bytes3[2])", "fce353f6")]
    [InlineData("sam(bytes,bool,uint256[])", "a5643bf2")]
    [InlineData("f(uint256,uint32[],bytes10,bytes)", "8be65246")]
    [InlineData("g(uint256[][],string[])", "2289b18c")]
    [InlineData("Error(string)", "08c379a0")]
    public void FunctionSelector_MatchesKnownSelectors(string signature, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Abi.FunctionSelector(signature)));

    [Fact]
    public void EventTopic_OfErc20Transfer_MatchesKnownHash() =>
        Assert.Equal(
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            Convert.ToHexStringLower(Abi.EventTopic("Transfer(address indexed from, address indexed to, uint256 value)")));

    public static TheoryData<string, object?[], string> SpecExamples => new()
    {
        // Solidity ABI specification, "Examples" and "Use of Dynamic Types".
        { "baz(uint32,bool)", [69, true], "cdcd77c0" + W("45") + W("1") },
        { "bar(bytes3[2])", [new object[] { "abc"u8.ToArray(), "def"u8.ToArray() }], "fce353f6" + R("616263") + R("646566") },
        {
            "sam(bytes,bool,uint256[])",
            ["dave"u8.ToArray(), true, new object[] { 1, 2, 3 }],
            "a5643bf2" + W("60") + W("1") + W("a0") + W("4") + R("64617665") + W("3") + W("1") + W("2") + W("3")
        },
        {
            "f(uint256,uint32[],bytes10,bytes)",
            [0x123, new object[] { 0x456, 0x789 }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray()],
            "8be65246" + W("123") + W("80") + R("31323334353637383930") + W("e0") + W("2") + W("456") + W("789") + W("d")
                + R("48656c6c6f2c20776f726c6421")
        },
        {
            "g(uint256[][],string[])",
            [new object[] { new object[] { 1, 2 }, new object[] { 3 } }, new object[] { "one", "two", "three" }],
            "2289b18c" + W("40") + W("140") + W("2") + W("40") + W("a0") + W("2") + W("1") + W("2") + W("1") + W("3")
                + W("3") + W("60") + W("a0") + W("e0") + W("3") + R("6f6e65") + W("3") + R("74776f") + W("5") + R("7468726565")
        },
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void EncodeCall_MatchesSpecExamples(string signature, object?[] args, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Abi.EncodeCall(signature, args)));

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Decode_OfSpecExamples_ReencodesIdentically(string signature, object?[] args, string expected)
    {
        AbiFunction function = AbiFunction.Parse(signature);
        byte[] data = Convert.FromHexString(expected);

        object?[] decoded = Abi.Decode(function.Inputs.Select(p => p.Type).ToArray(), data.AsSpan(4));

        Assert.Equal(args.Length, decoded.Length);
        Assert.Equal(data, function.EncodeCall(decoded));
    }

    [Fact]
    public void RoundTrip_AllSupportedTypes()
    {
        const string types = "uint8,uint64,uint256,int256,int8,address,bool,bytes32,bytes,string,address[2],(uint64,string)[],(bool,(bytes,int16))";
        EthAddress a = EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        object?[] values =
        [
            (byte)255, ulong.MaxValue, (BigInteger.One << 256) - 1, -(BigInteger.One << 255), (sbyte)-128, a, true,
            Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), new byte[] { 1, 2, 3 }, "héllo ✓",
            new object[] { a, EthAddress.Zero },
            new object[] { new object[] { 5UL, "x" }, new object[] { 6UL, string.Empty } },
            (false, (new byte[40], (short)-2)),
        ];

        object?[] decoded = Abi.Decode(types, Abi.Encode(types, values));

        Assert.Equal((BigInteger)255, decoded[0]);
        Assert.Equal((BigInteger)ulong.MaxValue, decoded[1]);
        Assert.Equal((BigInteger.One << 256) - 1, decoded[2]);
        Assert.Equal(-(BigInteger.One << 255), decoded[3]);
        Assert.Equal((BigInteger)(-128), decoded[4]);
        Assert.Equal(a, decoded[5]);
        Assert.Equal(true, decoded[6]);
        Assert.Equal(values[7], decoded[7]);
        Assert.Equal(values[8], decoded[8]);
        Assert.Equal("héllo ✓", decoded[9]);
        Assert.Equal(new object[] { a, EthAddress.Zero }, decoded[10]);
        var tuples = (object?[])decoded[11]!;
        Assert.Equal("x", ((object?[])tuples[0]!)[1]);
        Assert.Equal((BigInteger)6, ((object?[])tuples[1]!)[0]);
        var nested = (object?[])((object?[])decoded[12]!)[1]!;
        Assert.Equal(new byte[40], nested[0]);
        Assert.Equal((BigInteger)(-2), nested[1]);
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint256", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void Encode_RejectsOutOfRangeIntegers(string type, int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Abi.Encode(type, value));

        Assert.Contains(type, ex.Message);
    }

    [Fact]
    public void Encode_NamesWrongTypeAndArgumentCount()
    {
        Assert.Contains("value[1]", Assert.Throws<ArgumentException>(() => Abi.Encode("uint256,bool", 1, "yes")).Message);
        Assert.Contains("takes 2 arguments", Assert.Throws<ArgumentException>(() => Abi.EncodeCall("transfer(address,uint256)", 1)).Message);
        Assert.Contains("needs 3 bytes", Assert.Throws<ArgumentException>(() => Abi.Encode("bytes3", new byte[2])).Message);
    }

    [Theory]
    [InlineData("uint256", "00", "need 32 bytes")]
    [InlineData("bool", "0000000000000000000000000000000000000000000000000000000000000002", "not 0 or 1")]
    [InlineData("uint8", "0000000000000000000000000000000000000000000000000000000000000100", "padding")]
    [InlineData("address", "0100000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "padding")]
    [InlineData("string", "0000000000000000000000000000000000000000000000000000000000000040", "points past the end")]
    [InlineData("bytes", "000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000ff", "only 0 bytes follow")]
    [InlineData("uint256[]", "00000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000077359400", "more than the data holds")]
    public void Decode_RejectsMalformedData(string type, string hex, string messagePart)
    {
        var ex = Assert.Throws<FormatException>(() => Abi.Decode(type, Convert.FromHexString(hex)));

        Assert.Contains(messagePart, ex.Message);
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("bytes33")]
    [InlineData("fixed128x18")]
    [InlineData("uint256[0]")]
    [InlineData("(uint256")]
    public void AbiType_Parse_RejectsUnsupportedTypes(string type) =>
        Assert.Throws<FormatException>(() => AbiType.Parse(type));

    [Fact]
    public void AbiFunction_Parse_ReadsNamesOutputsAndModifiers()
    {
        AbiFunction f = AbiFunction.Parse("function getJob(uint64 id) external view returns ((address owner, uint256 fee) job, bool open)");

        Assert.Equal("getJob(uint64)", f.Signature);
        Assert.Equal("id", f.Inputs[0].Name);
        Assert.Equal("(address,uint256)", f.Outputs[0].Type.CanonicalName);
        Assert.Equal("open", f.Outputs[1].Name);
    }

    [Fact]
    public void AbiEvent_Decode_ReadsTopicsAndData()
    {
        AbiEvent e = AbiEvent.Parse("Posted(address indexed node, uint64 indexed job, string label, bytes32 commitment)");
        EthAddress node = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        byte[] commitment = Keccak256.Hash("c");
        var log = new LogEntry(
            EthAddress.Zero,
            [e.Topic.ToArray(), Abi.Encode("address", node), Abi.Encode("uint64", 42)],
            Abi.Encode("string,bytes32", "lbl", commitment),
            1,
            new byte[32],
            0,
            false);

        object?[] values = e.Decode(log);

        Assert.Equal(node, values[0]);
        Assert.Equal((BigInteger)42, values[1]);
        Assert.Equal("lbl", values[2]);
        Assert.Equal(commitment, values[3]);
        Assert.Throws<FormatException>(() => e.Decode(log with { Topics = log.Topics.Take(2).ToArray() }));
        Assert.Throws<FormatException>(() => AbiEvent.Parse("Transfer(address from,uint256 v)").Decode(log));
    }

    [Fact]
    public void Decode_StringWithInvalidUtf8_Throws()
    {
        byte[] data = Abi.Encode("bytes", new byte[] { 0xff, 0xfe });

        Assert.Contains("UTF-8", Assert.Throws<FormatException>(() => Abi.Decode("string", data)).Message);
    }

    [Fact]
    public void CanonicalSignature_ExpandsAliases() =>
        Assert.Equal("f(uint256,int256[],(address,bytes))", Abi.CanonicalSignature("f(uint a, int[] b, tuple(address, bytes) c)"));

    [Fact]
    public void Encode_TextTypesUseUtf8()
    {
        byte[] encoded = Abi.Encode("string", "é");

        Assert.Equal(2, (int)new BigInteger(encoded.AsSpan(32, 32), true, true));
        Assert.Equal(Encoding.UTF8.GetBytes("é"), encoded.AsSpan(64, 2).ToArray());
    }
}
