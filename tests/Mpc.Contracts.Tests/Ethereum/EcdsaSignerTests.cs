using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class EcdsaSignerTests
{
    private const string OneKey = "0000000000000000000000000000000000000000000000000000000000000001";
    private const string NMinusOneKey = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";

    public static TheoryData<string, string, string, string> Rfc6979Vectors => new()
    {
        // The widely published secp256k1 RFC 6979 (HMAC-SHA256) vectors with low s (bitcointalk topic 285142),
        // message hashed with SHA-256.
        { OneKey, "Satoshi Nakamoto", "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8", "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5" },
        { OneKey, "Everything should be made as simple as possible, but not simpler.", "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c9", "6f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262" },
        { OneKey, "All those moments will be lost in time, like tears in rain. Time to die...", "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b", "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21" },
        { NMinusOneKey, "Satoshi Nakamoto", "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0", "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5" },
    };

    [Theory]
    [MemberData(nameof(Rfc6979Vectors))]
    public void Sign_MatchesRfc6979Vectors_AndRecoversSigner(string privateKey, string message, string r, string s)
    {
        using EthKey key = EthKey.FromHex(privateKey);
        byte[] digest = SHA256.HashData(Encoding.ASCII.GetBytes(message));

        EthSignature signature = EcdsaSigner.Sign(key, digest);

        Assert.Equal(r, Hex32(signature.R));
        Assert.Equal(s, Hex32(signature.S));
        Assert.Equal(key.Address, EcdsaSigner.Recover(digest, signature));
    }

    [Fact]
    public void Sign_Eip712MailExample_MatchesPublishedSignature()
    {
        // EIP-712 reference Example.js: key keccak256("cow") signs the Mail digest with v=28 and these r, s.
        using var key = new EthKey(Keccak256.Hash("cow"));
        byte[] digest = Convert.FromHexString("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");

        EthSignature signature = key.Sign(digest);

        Assert.Equal("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", key.Address.ToString());
        Assert.Equal(28, signature.V);
        Assert.Equal("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d", Hex32(signature.R));
        Assert.Equal("07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562", Hex32(signature.S));
    }

    [Property(MaxTest = 40)]
    public Property SignThenRecover_ReturnsSignerAddress_WithLowS()
    {
        Gen<byte[]> bytes32 = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32);
        return Prop.ForAll(bytes32.ToArbitrary(), bytes32.ToArbitrary(), (seed, digest) =>
        {
            using var key = new EthKey(Keccak256.Hash(seed));
            EthSignature signature = key.Sign(digest);
            EthSignature reparsed = EthSignature.FromBytes(signature.ToBytes());

            return signature.IsLowS
                && EcdsaSigner.Recover(digest, reparsed) == key.Address
                && EcdsaSigner.Verify(digest, reparsed, key.Address);
        });
    }

    [Fact]
    public void Verify_RejectsOtherDigestOtherSignerAndHighS()
    {
        using EthKey key = EthKey.Generate();
        using EthKey other = EthKey.Generate();
        byte[] digest = Keccak256.Hash("message");
        EthSignature signature = key.Sign(digest);
        var highS = new EthSignature(signature.R, Secp256k1N - signature.S, (byte)(signature.RecoveryId ^ 1));

        Assert.False(EcdsaSigner.Verify(Keccak256.Hash("other"), signature, key.Address));
        Assert.False(EcdsaSigner.Verify(digest, signature, other.Address));
        // The malleated twin still recovers the key, but EIP-2 forbids it.
        Assert.Equal(key.Address, EcdsaSigner.Recover(digest, highS));
        Assert.False(EcdsaSigner.Verify(digest, highS, key.Address));
    }

    [Fact]
    public void Sign_IsDeterministic()
    {
        using EthKey key = EthKey.Generate();
        byte[] digest = Keccak256.Hash("same");

        Assert.Equal(key.Sign(digest), key.Sign(digest));
    }

    [Fact]
    public void FromBytes_RejectsBadLengthAndV()
    {
        Assert.Throws<ArgumentException>(() => EthSignature.FromBytes(new byte[64]));
        byte[] bytes = new byte[65];
        bytes[31] = 1;
        bytes[63] = 1;
        bytes[64] = 29;
        Assert.Contains("v must be", Assert.Throws<ArgumentException>(() => EthSignature.FromBytes(bytes)).Message);
    }

    [Fact]
    public void Sign_RejectsWrongDigestLength()
    {
        using EthKey key = EthKey.Generate();

        Assert.Throws<ArgumentException>(() => key.Sign(new byte[31]));
    }

    private static readonly BigInteger Secp256k1N =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    private static string Hex32(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(true)), out _, isUnsigned: true, isBigEndian: true);
        return Convert.ToHexStringLower(bytes);
    }
}
