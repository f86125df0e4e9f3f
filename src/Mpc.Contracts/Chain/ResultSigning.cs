using System.Numerics;
using System.Security.Cryptography;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>
/// The EIP-712 statement a node signs about a job's result, bound to one deployment of <c>SecretContracts</c>:
/// digest, signing, recovery and verification off chain, with exactly the rules <c>postResult</c> and <c>slash</c> apply.
/// </summary>
/// <remarks>
/// EIP-712 with domain <c>("MpcCompute", "1", chainId, verifyingContract)</c> and primary type
/// <c>Result(uint256 jobId,bytes32 outputsHash,bytes32 outputCommitment)</c>; the digest is
/// <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(result))</c> (docs/contract.md, "EIP-712"). The domain
/// separator is computed locally, so a node never trusts the RPC endpoint for what it signs; tests check it equals the
/// contract's <c>domainSeparator()</c> and <c>resultDigest(…)</c>. A signature is accepted only in the contract's form:
/// 65 bytes <c>r ‖ s ‖ v</c>, <c>v ∈ {27, 28}</c>, <c>s ≤ n/2</c> (EIP-2), so the malleated twin of a signature is rejected
/// here as it is on chain.
/// </remarks>
public sealed class ResultSigning
{
    /// <summary>The EIP-712 domain name.</summary>
    public const string DomainName = "MpcCompute";

    /// <summary>The EIP-712 domain version.</summary>
    public const string DomainVersion = "1";

    /// <summary>The EIP-712 type of the signed statement (the contract's <c>RESULT_TYPEHASH</c> preimage).</summary>
    public const string ResultType = "Result(uint256 jobId,bytes32 outputsHash,bytes32 outputCommitment)";

    private const int Word = 32;
    private readonly byte[] _domainSeparator;

    /// <summary>Binds the signing domain to <paramref name="verifyingContract"/> on chain <paramref name="chainId"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chainId"/> is not positive.</exception>
    public ResultSigning(BigInteger chainId, EthAddress verifyingContract)
    {
        if (chainId.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chainId), chainId, "The EIP-712 chain id must be positive.");
        }

        ChainId = chainId;
        VerifyingContract = verifyingContract;
        _domainSeparator = Eip712.DomainSeparator(DomainName, DomainVersion, chainId, verifyingContract);
    }

    /// <summary>The chain id of the domain.</summary>
    public BigInteger ChainId { get; }

    /// <summary>The <c>SecretContracts</c> deployment of the domain.</summary>
    public EthAddress VerifyingContract { get; }

    /// <summary>The 32-byte EIP-712 domain separator.</summary>
    public ReadOnlySpan<byte> DomainSeparator => _domainSeparator;

    /// <summary><c>keccak256(abi.encodePacked(outputs))</c>: the 32-byte output words concatenated and hashed.</summary>
    /// <exception cref="ArgumentException">An output is not 32 bytes; the message names its index.</exception>
    public static byte[] OutputsHash(IReadOnlyList<byte[]> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var packed = new byte[Word * outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            RequireWord(outputs[i], $"outputs[{i}]");
            outputs[i].CopyTo(packed, Word * i);
        }

        return Keccak256.Hash(packed);
    }

    /// <summary>The digest members sign for result (<paramref name="outputsHash"/>, <paramref name="outputCommitment"/>) of <paramref name="jobId"/>.</summary>
    /// <exception cref="ArgumentException">A hash is not 32 bytes.</exception>
    public byte[] Digest(ulong jobId, ReadOnlySpan<byte> outputsHash, ReadOnlySpan<byte> outputCommitment)
    {
        RequireWord(outputsHash, nameof(outputsHash));
        RequireWord(outputCommitment, nameof(outputCommitment));
        byte[] structHash = Eip712.HashStruct(ResultType, jobId, outputsHash.ToArray(), outputCommitment.ToArray());
        return Eip712.Digest(_domainSeparator, structHash);
    }

    /// <summary>Signs the result statement with a member's key; the signature has low s and v ∈ {27, 28}.</summary>
    /// <exception cref="ArgumentException">A hash is not 32 bytes.</exception>
    public EthSignature Sign(EthKey key, ulong jobId, ReadOnlySpan<byte> outputsHash, ReadOnlySpan<byte> outputCommitment)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Digest(jobId, outputsHash, outputCommitment));
    }

    /// <summary>
    /// The address the contract's <c>_recover</c> would obtain from <paramref name="signature"/>, or null where it gets
    /// <c>address(0)</c>: wrong length, v ∉ {27, 28}, high s, r or s out of range, or no recoverable key.
    /// </summary>
    public EthAddress? Recover(ReadOnlySpan<byte> signature, ulong jobId, ReadOnlySpan<byte> outputsHash, ReadOnlySpan<byte> outputCommitment)
    {
        byte[] digest = Digest(jobId, outputsHash, outputCommitment);
        if (signature.Length != EthSignature.Length || signature[64] is not (27 or 28))
        {
            return null;
        }

        EthSignature parsed;
        try
        {
            parsed = EthSignature.FromBytes(signature);
        }
        catch (ArgumentException)
        {
            // r or s is 0 or ≥ n: ecrecover returns address(0) for these.
            return null;
        }

        if (!parsed.IsLowS)
        {
            return null;
        }

        try
        {
            return EcdsaSigner.Recover(digest, parsed);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is <paramref name="expectedSigner"/>'s valid signature of the statement, as
    /// <c>postResult</c> would accept it; compares addresses in constant time and never throws for a bad signature.
    /// </summary>
    /// <exception cref="ArgumentException">A hash is not 32 bytes.</exception>
    public bool Verify(ReadOnlySpan<byte> signature, EthAddress expectedSigner, ulong jobId, ReadOnlySpan<byte> outputsHash, ReadOnlySpan<byte> outputCommitment)
    {
        EthAddress? recovered = Recover(signature, jobId, outputsHash, outputCommitment);
        // Compare a fixed-size buffer either way, so timing does not reveal whether recovery succeeded.
        ReadOnlySpan<byte> actual = recovered is { } address ? address.Bytes : EthAddress.Zero.Bytes;
        bool same = CryptographicOperations.FixedTimeEquals(actual, expectedSigner.Bytes);
        return same & recovered.HasValue;
    }

    private static void RequireWord(ReadOnlySpan<byte> value, string name)
    {
        if (value.Length != Word)
        {
            throw new ArgumentException($"{name} must be 32 bytes, got {value.Length}.", name);
        }
    }
}
