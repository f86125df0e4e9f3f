using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class RevertDecoderTests
{
    [Fact]
    public void Describe_ErrorString_ReturnsReason()
    {
        byte[] data = Abi.EncodeCall("Error(string)", "deadline passed");

        Assert.Equal("deadline passed", RevertDecoder.Default.Describe(data));
    }

    [Fact]
    public void Describe_Panic_NamesTheCause()
    {
        byte[] data = Abi.EncodeCall("Panic(uint256)", 0x11);

        Assert.Equal("panic 0x11 (arithmetic overflow or underflow)", RevertDecoder.Default.Describe(data));
    }

    [Fact]
    public void Describe_RegisteredCustomError_ShowsNameAndArguments()
    {
        var decoder = new RevertDecoder("NotMember(address node, uint64 cluster)");
        byte[] data = Abi.EncodeCall("NotMember(address,uint64)", EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), 3);

        Assert.Equal("NotMember(0x70997970C51812dc3A010C7d01b50e0d17dc79C8, 3)", decoder.Describe(data));
        Assert.StartsWith("unknown error 0x", RevertDecoder.Default.Describe(data));
        DecodedRevert decoded = decoder.Decode(data);
        Assert.Equal("NotMember", decoded.CustomError?.Name);
        Assert.Equal([EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), new System.Numerics.BigInteger(3)], decoded.Arguments);
        Assert.Null(RevertDecoder.Default.Decode(data).CustomError);
    }

    [Fact]
    public void Describe_MalformedOrEmptyData_DoesNotThrow()
    {
        Assert.Equal("reverted without data", RevertDecoder.Default.Describe([]));
        Assert.StartsWith("malformed revert data 0x08c379a0", RevertDecoder.Default.Describe([0x08, 0xc3, 0x79, 0xa0, 1]));
        Assert.StartsWith("unknown revert data", RevertDecoder.Default.Describe([1, 2]));
        byte[] truncated = Abi.EncodeCall("NotMember(address,uint64)", EthAddress.Zero, 3)[..20];
        DecodedRevert malformed = new RevertDecoder("NotMember(address node, uint64 cluster)").Decode(truncated);
        Assert.StartsWith("malformed revert data", malformed.Reason);
        Assert.Null(malformed.CustomError);
        Assert.Empty(malformed.Arguments);
    }
}
