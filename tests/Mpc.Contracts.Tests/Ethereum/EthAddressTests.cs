using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class EthAddressTests
{
    // The EIP-55 specification's test cases (all caps, all lower, and mixed).
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void ToChecksumString_ReproducesEip55Examples(string checksummed)
    {
        EthAddress address = EthAddress.Parse(checksummed.ToLowerInvariant());

        Assert.Equal(checksummed, address.ToChecksumString());
    }

    [Fact]
    public void Parse_RejectsBadChecksum()
    {
        var ex = Assert.Throws<FormatException>(() => EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));

        Assert.Contains("checksum", ex.Message);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")]
    [InlineData("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void Parse_RejectsMalformedText(string text) =>
        Assert.Throws<FormatException>(() => EthAddress.Parse(text));

    [Fact]
    public void Equality_ComparesBytes()
    {
        EthAddress a = EthAddress.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        EthAddress b = EthAddress.Parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");

        Assert.True(a == b);
        Assert.NotEqual(a, EthAddress.Zero);
        Assert.Equal(new EthAddress(new byte[20]), default(EthAddress));
    }

    [Fact]
    public void ForCreate_MatchesAnvilFirstDeployment()
    {
        // The first contract deployed by anvil/hardhat dev account 0 (nonce 0) lands at this well-known address.
        EthAddress sender = EthAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", EthAddress.ForCreate(sender, 0).ToString());
    }
}
