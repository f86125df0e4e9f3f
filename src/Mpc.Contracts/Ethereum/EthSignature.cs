using System.Numerics;
using System.Security.Cryptography;

namespace Mpc.Contracts.Ethereum;

/// <summary>A recoverable secp256k1 signature (r, s, recovery id) as Ethereum uses it.</summary>
/// <remarks>
/// The 65-byte form is r‖s‖v with v = 27 + recovery id, the layout Solidity's <c>ecrecover(hash, v, r, s)</c>
/// and most wallets expect. Signatures produced by <see cref="EcdsaSigner"/> always have low s (EIP-2).
/// </remarks>
public sealed class EthSignature : IEquatable<EthSignature>
{
    /// <summary>Length of the r‖s‖v encoding in bytes.</summary>
    public const int Length = 65;

    /// <summary>Creates a signature from its components.</summary>
    /// <exception cref="ArgumentOutOfRangeException">r or s is not in [1, n−1], or the recovery id is not 0 or 1.</exception>
    public EthSignature(BigInteger r, BigInteger s, byte recoveryId)
    {
        if (r.Sign <= 0 || r >= Secp256k1.N)
        {
            throw new ArgumentOutOfRangeException(nameof(r), "Signature r must be in [1, n-1].");
        }

        if (s.Sign <= 0 || s >= Secp256k1.N)
        {
            throw new ArgumentOutOfRangeException(nameof(s), "Signature s must be in [1, n-1].");
        }

        if (recoveryId > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(recoveryId), recoveryId, "Recovery id must be 0 or 1.");
        }

        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    /// <summary>The x coordinate of the nonce point, reduced mod n.</summary>
    public BigInteger R { get; }

    /// <summary>The signature proof value.</summary>
    public BigInteger S { get; }

    /// <summary>0 when the nonce point's y is even, 1 when odd (the y-parity of EIP-1559 transactions).</summary>
    public byte RecoveryId { get; }

    /// <summary>The legacy v value, 27 + <see cref="RecoveryId"/>.</summary>
    public byte V => (byte)(27 + RecoveryId);

    /// <summary>Whether s ≤ n/2, as EIP-2 requires for transactions.</summary>
    public bool IsLowS => S <= Secp256k1.HalfN;

    /// <summary>Parses the 65-byte r‖s‖v form; v may be 27/28 or 0/1.</summary>
    /// <exception cref="ArgumentException">Wrong length or a v outside {0, 1, 27, 28}.</exception>
    public static EthSignature FromBytes(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Length)
        {
            throw new ArgumentException($"A signature is 65 bytes (r‖s‖v), got {signature.Length}.", nameof(signature));
        }

        byte v = signature[64];
        byte recoveryId = v switch
        {
            0 or 27 => 0,
            1 or 28 => 1,
            _ => throw new ArgumentException($"Signature v must be 27, 28, 0 or 1, got {v}.", nameof(signature)),
        };
        return new EthSignature(
            new BigInteger(signature[..32], isUnsigned: true, isBigEndian: true),
            new BigInteger(signature[32..64], isUnsigned: true, isBigEndian: true),
            recoveryId);
    }

    /// <summary>The 65-byte r‖s‖v form with v = 27/28.</summary>
    public byte[] ToBytes()
    {
        var result = new byte[Length];
        WriteTo(result);
        return result;
    }

    /// <summary>Writes r‖s‖v (v = 27/28) into the first 65 bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"Destination needs 65 bytes, has {destination.Length}.", nameof(destination));
        }

        Secp256k1.WriteWord(R, destination[..32]);
        Secp256k1.WriteWord(S, destination[32..64]);
        destination[64] = V;
    }

    /// <summary>Hex of the 65-byte form.</summary>
    public override string ToString() => Hex.Encode(ToBytes());

    /// <summary>Constant-time comparison of the 65-byte encodings.</summary>
    public bool Equals(EthSignature? other)
    {
        if (other is null)
        {
            return false;
        }

        Span<byte> mine = stackalloc byte[Length];
        Span<byte> theirs = stackalloc byte[Length];
        WriteTo(mine);
        other.WriteTo(theirs);
        return CryptographicOperations.FixedTimeEquals(mine, theirs);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EthSignature);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(R, S, RecoveryId);
}
