using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using ECAlgorithms = Org.BouncyCastle.Math.EC.ECAlgorithms;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NumBigInteger = System.Numerics.BigInteger;

namespace Mpc.Contracts.Ethereum;

/// <summary>secp256k1 ECDSA with deterministic nonces, low-s normalisation and public-key recovery.</summary>
/// <remarks>
/// Signing follows SEC 1 §4.1.3 with k from RFC 6979 §3.2 (HMAC-SHA256), so the same key and digest always give
/// the same signature and a weak RNG can never leak the key. s is replaced by n − s when above n/2 (EIP-2), and
/// the recovery id is then found by recovering both candidates (SEC 1 §4.1.6) and keeping the one that matches.
/// Recovery ids 2 and 3 (r ≥ n − p, probability about 2^-128) are not produced or accepted.
/// </remarks>
public static class EcdsaSigner
{
    /// <summary>Signs a 32-byte digest with <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    public static EthSignature Sign(EthKey key, ReadOnlySpan<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireDigest(digest);
        byte[] message = digest.ToArray();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, key.PrivateParameters());
        BcBigInteger[] rs = signer.GenerateSignature(message);
        NumBigInteger r = Secp256k1.ToNumeric(rs[0]);
        NumBigInteger s = Secp256k1.ToNumeric(rs[1]);
        if (s > Secp256k1.HalfN)
        {
            s = Secp256k1.N - s;
        }

        for (byte recoveryId = 0; recoveryId < 2; recoveryId++)
        {
            byte[]? candidate = RecoverPublicKey(message, r, s, recoveryId);
            if (candidate is not null && CryptographicOperations.FixedTimeEquals(candidate, key.PublicKey))
            {
                return new EthSignature(r, s, recoveryId);
            }
        }

        throw new CryptographicException("No recovery id reproduces the signing key; r is above n - p (probability ~2^-128).");
    }

    /// <summary>Recovers the 65-byte uncompressed public key that produced <paramref name="signature"/> over <paramref name="digest"/>.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    /// <exception cref="CryptographicException">No public key fits the signature (r is not an x coordinate on the curve).</exception>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> digest, EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        RequireDigest(digest);
        return RecoverPublicKey(digest.ToArray(), signature.R, signature.S, signature.RecoveryId)
            ?? throw new CryptographicException("The signature does not recover to a public key: r is not the x coordinate of a curve point.");
    }

    /// <summary>Recovers the address that produced <paramref name="signature"/> over <paramref name="digest"/>.</summary>
    /// <exception cref="CryptographicException">No public key fits the signature.</exception>
    public static EthAddress Recover(ReadOnlySpan<byte> digest, EthSignature signature) =>
        EthAddress.FromPublicKey(RecoverPublicKey(digest, signature));

    /// <summary>
    /// Whether <paramref name="signature"/> is a low-s signature by <paramref name="expectedSigner"/> over <paramref name="digest"/>;
    /// never throws for a malformed or foreign signature, and compares addresses in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> digest, EthSignature signature, EthAddress expectedSigner)
    {
        ArgumentNullException.ThrowIfNull(signature);
        RequireDigest(digest);
        if (!signature.IsLowS)
        {
            return false;
        }

        byte[]? publicKey = RecoverPublicKey(digest.ToArray(), signature.R, signature.S, signature.RecoveryId);
        return publicKey is not null && EthAddress.FromPublicKey(publicKey) == expectedSigner;
    }

    private static byte[]? RecoverPublicKey(byte[] digest, NumBigInteger r, NumBigInteger s, byte recoveryId)
    {
        // SEC 1 §4.1.6 with j = 0: R has x = r and the y parity given by the recovery id.
        var x = Secp256k1.ToBouncy(r);
        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 | recoveryId);
        Secp256k1.WriteWord(r, compressed.AsSpan(1));
        ECPoint point;
        try
        {
            point = Secp256k1.Curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }

        BcBigInteger n = Secp256k1.Domain.N;
        BcBigInteger e = new BcBigInteger(1, digest).Mod(n);
        BcBigInteger rInverse = x.ModInverse(n);
        BcBigInteger u1 = e.Negate().Multiply(rInverse).Mod(n);
        BcBigInteger u2 = Secp256k1.ToBouncy(s).Multiply(rInverse).Mod(n);
        // Q = r⁻¹(sR − eG).
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.Domain.G, u1, point, u2).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(compressed: false);
    }

    private static void RequireDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException($"ECDSA signs a 32-byte digest, got {digest.Length} bytes.", nameof(digest));
        }
    }
}
