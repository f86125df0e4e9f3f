using System.Numerics;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class Eip1559TransactionTests
{
    private static Eip1559Transaction Sample(EthAddress? to) => new()
    {
        ChainId = 31337,
        Nonce = 7,
        MaxPriorityFeePerGas = 1_000_000_000,
        MaxFeePerGas = 3_000_000_000,
        GasLimit = 21_000,
        To = to,
        Value = BigInteger.Pow(10, 18),
        Data = new byte[] { 0xde, 0xad },
    };

    [Fact]
    public void SigningHash_IsKeccakOfTypeByteAndRlpFields()
    {
        EthAddress to = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        byte[] rlp = Rlp.EncodeList(
            Rlp.EncodeInteger(31337UL), Rlp.EncodeInteger(7UL), Rlp.EncodeInteger(1_000_000_000UL), Rlp.EncodeInteger(3_000_000_000UL),
            Rlp.EncodeInteger(21_000UL), Rlp.EncodeBytes(to.Bytes), Rlp.EncodeInteger(BigInteger.Pow(10, 18)), Rlp.EncodeBytes([0xde, 0xad]),
            Rlp.EncodeList());

        Assert.Equal(Keccak256.Hash([0x02, .. rlp]), Sample(to).SigningHash());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sign_ThenDecode_RecoversFieldsAndSender(bool create)
    {
        using EthKey key = DevAccounts.Key(0);
        Eip1559Transaction tx = Sample(create ? null : EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));

        SignedTransaction signed = tx.Sign(key);
        (Eip1559Transaction decoded, EthSignature signature) = Eip1559Transaction.DecodeSigned(signed.Raw);

        Assert.Equal(0x02, signed.Raw[0]);
        Assert.Equal(Keccak256.Hash(signed.Raw), signed.Hash);
        Assert.Equal(tx.To, decoded.To);
        Assert.Equal(tx.Value, decoded.Value);
        Assert.Equal(tx.Data.ToArray(), decoded.Data.ToArray());
        Assert.Equal(tx with { Data = decoded.Data }, decoded);
        Assert.Equal(key.Address, EcdsaSigner.Recover(decoded.SigningHash(), signature));
    }

    [Fact]
    public void DecodeSigned_RejectsLegacyEnvelope() =>
        Assert.Throws<FormatException>(() => Eip1559Transaction.DecodeSigned([0xf8, 0x00]));
}
