using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class Eip712Tests
{
    private const string MailType = "Mail(Person from,Person to,string contents)Person(string name,address wallet)";
    private const string PersonType = "Person(string name,address wallet)";

    [Fact]
    public void MailExample_MatchesEip712ReferenceValues()
    {
        // EIP-712 "Example" (assets/eip-712/Example.js) and its published intermediate hashes.
        byte[] domain = Eip712.DomainSeparator("Ether Mail", "1", 1, EthAddress.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
        byte[] from = Eip712.HashStruct(PersonType, "Cow", EthAddress.Parse("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"));
        byte[] to = Eip712.HashStruct(PersonType, "Bob", EthAddress.Parse("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"));
        byte[] mail = Eip712.HashStruct(MailType, from, to, "Hello, Bob!");

        byte[] digest = Eip712.Digest(domain, mail);

        Assert.Equal("a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2", Convert.ToHexStringLower(Eip712.TypeHash(MailType)));
        Assert.Equal("f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Convert.ToHexStringLower(domain));
        Assert.Equal("c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", Convert.ToHexStringLower(mail));
        Assert.Equal("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void HashStruct_ArrayMember_HashesConcatenatedWords()
    {
        const string type = "Batch(uint256[] values)";
        byte[] words = Abi.Encode("uint256,uint256", 1, 2);
        byte[] expected = Keccak256.Hash([.. Eip712.TypeHash(type), .. Keccak256.Hash(words)]);

        Assert.Equal(expected, Eip712.HashStruct(type, (object)new object[] { 1, 2 }));
    }

    [Fact]
    public void HashStruct_NamesTheBadMember()
    {
        var ex = Assert.Throws<ArgumentException>(() => Eip712.HashStruct(PersonType, "Cow", "not an address"));

        Assert.Contains("wallet", ex.Message);
    }

    [Fact]
    public void HashStruct_StructMemberNeeds32ByteHash()
    {
        var ex = Assert.Throws<ArgumentException>(() => Eip712.HashStruct(MailType, "Cow", new byte[32], "x"));

        Assert.Contains("from", ex.Message);
    }
}
