using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>Off-chain EIP-712 result signing and verification, with the contract's acceptance rules.</summary>
public sealed class ResultSigningTests
{
    private static readonly EthAddress Contract = EthAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static readonly ResultSigning Signing = new(31337, Contract);
    private static readonly byte[] OutputsHash = ResultSigning.OutputsHash([Keccak256.Hash("o1"), Keccak256.Hash("o2")]);
    private static readonly byte[] Commitment = Keccak256.Hash("commitment");

    [Fact]
    public void Digest_FollowsTheEip712FormulaOfTheContract()
    {
        // Rebuilt from abi.encode as the Solidity source does, without the Eip712 helper.
        byte[] domain = Keccak256.Hash(Abi.Encode(
            "bytes32,bytes32,bytes32,uint256,address",
            Keccak256.Hash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            Keccak256.Hash("MpcCompute"),
            Keccak256.Hash("1"),
            new BigInteger(31337),
            Contract));
        byte[] structHash = Keccak256.Hash(Abi.Encode(
            "bytes32,uint256,bytes32,bytes32",
            Keccak256.Hash("Result(uint256 jobId,bytes32 outputsHash,bytes32 outputCommitment)"),
            new BigInteger(7),
            OutputsHash,
            Commitment));
        byte[] expected = Keccak256.Hash([0x19, 0x01, .. domain, .. structHash]);

        Assert.Equal(domain, Signing.DomainSeparator.ToArray());
        Assert.Equal(expected, Signing.Digest(7, OutputsHash, Commitment));
    }

    [Fact]
    public void OutputsHash_IsKeccakOfThePackedWords_AndRejectsShortWords()
    {
        byte[] a = Keccak256.Hash("a");
        byte[] b = Keccak256.Hash("b");

        Assert.Equal(Keccak256.Hash([.. a, .. b]), ResultSigning.OutputsHash([a, b]));
        Assert.Equal(Keccak256.Hash([]), ResultSigning.OutputsHash([]));
        ArgumentException e = Assert.Throws<ArgumentException>(() => ResultSigning.OutputsHash([a, new byte[31]]));
        Assert.Contains("outputs[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ThenVerify_AcceptsTheSigner_AndRecoversIt()
    {
        using EthKey key = EthKey.Generate();
        byte[] signature = Signing.Sign(key, 7, OutputsHash, Commitment).ToBytes();

        Assert.True(Signing.Verify(signature, key.Address, 7, OutputsHash, Commitment));
        Assert.Equal(key.Address, Signing.Recover(signature, 7, OutputsHash, Commitment));
        Assert.True(signature[64] is 27 or 28);
    }

    public static TheoryData<string> Tamperings => ["other signer", "other job", "other outputs", "other commitment", "other contract", "malleated", "v as 0/1", "64 bytes"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Verify_RejectsWhatPostResultRejects(string tampering)
    {
        using EthKey key = EthKey.Generate();
        using EthKey other = EthKey.Generate();
        EthSignature signature = Signing.Sign(key, 7, OutputsHash, Commitment);
        byte[] bytes = signature.ToBytes();
        ResultSigning verifier = Signing;
        EthAddress expected = key.Address;
        (ulong job, byte[] outputsHash, byte[] commitment) = (7, OutputsHash, Commitment);
        switch (tampering)
        {
            case "other signer": expected = other.Address; break;
            case "other job": job = 8; break;
            case "other outputs": outputsHash = Keccak256.Hash("x"); break;
            case "other commitment": commitment = Keccak256.Hash("y"); break;
            case "other contract": verifier = new ResultSigning(31337, other.Address); break;
            case "malleated": bytes = ResultTests.Malleate(signature); break;
            case "v as 0/1": bytes[64] -= 27; break;
            case "64 bytes": bytes = bytes[..64]; break;
        }

        Assert.False(verifier.Verify(bytes, expected, job, outputsHash, commitment));
        if (tampering is "malleated" or "v as 0/1" or "64 bytes")
        {
            Assert.Null(verifier.Recover(bytes, job, outputsHash, commitment));
        }
    }

    [Fact]
    public void Verify_OfGarbage_IsFalseWithoutThrowing()
    {
        byte[] zeros = new byte[65];
        zeros[64] = 27;

        Assert.False(Signing.Verify(zeros, EthAddress.Zero, 7, OutputsHash, Commitment));
        Assert.Null(Signing.Recover(zeros, 7, OutputsHash, Commitment));
    }

    [Fact]
    public void Construction_RejectsANonPositiveChainId() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResultSigning(0, Contract));
}
