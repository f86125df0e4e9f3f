using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class EthKeyTests
{
    public static TheoryData<int, string> DevAccountAddresses => new()
    {
        // Addresses anvil prints for the "test … junk" mnemonic.
        { 0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
        { 1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
        { 2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
        { 9, "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
    };

    [Theory]
    [MemberData(nameof(DevAccountAddresses))]
    public void Address_OfDevKey_MatchesPublishedAddress(int index, string expected)
    {
        using EthKey key = DevAccounts.Key(index);

        Assert.Equal(expected, key.Address.ToString());
    }

    [Fact]
    public void PublicKey_OfScalarOne_IsGenerator()
    {
        using EthKey key = EthKey.FromHex("0x0000000000000000000000000000000000000000000000000000000000000001");

        Assert.Equal(
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
            Convert.ToHexStringLower(key.PublicKey));
        // Well-known address of private key 1.
        Assert.Equal("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", key.Address.ToString());
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public void Constructor_RejectsScalarsOutsideGroup(string hex) =>
        Assert.Throws<ArgumentException>(() => EthKey.FromHex(hex));

    [Fact]
    public void FromHex_RejectsWrongLength() =>
        Assert.Throws<FormatException>(() => EthKey.FromHex("0x1234"));

    [Fact]
    public void Generate_GivesDistinctKeysThatRoundTripThroughHex()
    {
        using EthKey a = EthKey.Generate();
        using EthKey b = EthKey.Generate();
        using EthKey reloaded = EthKey.FromHex(a.ExportPrivateKeyHex());

        Assert.NotEqual(a.Address, b.Address);
        Assert.Equal(a.Address, reloaded.Address);
    }

    [Fact]
    public void ToString_ShowsAddressNotKey()
    {
        using EthKey key = DevAccounts.Key(0);

        Assert.DoesNotContain("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(key.Address.ToString(), key.ToString());
    }

    [Fact]
    public void Dispose_PreventsExport()
    {
        EthKey key = EthKey.Generate();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKeyHex());
    }
}
