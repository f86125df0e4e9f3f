using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Math.EC.Multiplier;
using NumBigInteger = System.Numerics.BigInteger;

namespace Mpc.Contracts.Ethereum;

/// <summary>A secp256k1 private key with its public key and Ethereum address.</summary>
/// <remarks>
/// The private scalar d is held as 32 bytes that <see cref="Dispose"/> zeroes. <see cref="ToString"/> shows only the
/// address so a key never leaks into a log by accident. The public key is d·G computed with a fixed-point comb,
/// whose running time does not depend on d.
/// </remarks>
public sealed class EthKey : IDisposable
{
    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;
    private bool _disposed;

    /// <summary>Creates a key from a 32-byte big-endian private scalar.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes or not in [1, n−1].</exception>
    public EthKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException($"A secp256k1 private key is 32 bytes, got {privateKey.Length}.", nameof(privateKey));
        }

        var d = new NumBigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        if (d.IsZero || d >= Secp256k1.N)
        {
            throw new ArgumentException("A secp256k1 private key must be in [1, n-1].", nameof(privateKey));
        }

        _privateKey = privateKey.ToArray();
        ECPoint q = new FixedPointCombMultiplier().Multiply(Secp256k1.Domain.G, Secp256k1.ToBouncy(d)).Normalize();
        _publicKey = q.GetEncoded(compressed: false);
        Address = EthAddress.FromPublicKey(_publicKey);
    }

    /// <summary>The account address derived from the public key.</summary>
    public EthAddress Address { get; }

    /// <summary>The 65-byte uncompressed public key <c>04‖X‖Y</c>.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Generates a fresh key from the operating system's CSPRNG.</summary>
    public static EthKey Generate()
    {
        Span<byte> candidate = stackalloc byte[32];
        try
        {
            // Rejection sampling: a uniform 256-bit value is outside [1, n-1] with probability < 2^-127.
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                var d = new NumBigInteger(candidate, isUnsigned: true, isBigEndian: true);
                if (!d.IsZero && d < Secp256k1.N)
                {
                    return new EthKey(candidate);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>Parses a private key from 64 hex digits, with or without <c>0x</c>.</summary>
    /// <exception cref="FormatException">The text is not 32 bytes of hex.</exception>
    public static EthKey FromHex(string privateKeyHex)
    {
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(privateKeyHex);
        }
        catch (FormatException)
        {
            // Hex.Decode quotes its input; here that would be the private key.
            throw new FormatException("A private key is 64 hex digits (optionally 0x-prefixed); the text given is not hex.");
        }

        try
        {
            if (bytes.Length != 32)
            {
                throw new FormatException($"A private key is 64 hex digits, got {bytes.Length * 2}.");
            }

            return new EthKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Reads a key file: one line holding the private key as 64 hex digits (optionally <c>0x</c>-prefixed); surrounding whitespace is ignored.</summary>
    /// <param name="path">The file (keep it owner-readable only).</param>
    /// <param name="what">What the file is, for the error message (e.g. <c>--key-file</c>).</param>
    /// <exception cref="InvalidDataException">The file is missing or does not hold a key; the message names the file, never its content.</exception>
    public static EthKey FromFile(string path, string what = "key file")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{what} '{path}' does not exist.");
        }

        try
        {
            return FromHex(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            // Neither the parser's message nor the inner exception: both may describe the file's text, i.e. the key.
            throw new InvalidDataException($"{what} '{path}': not a secp256k1 private key (one line of 64 hex digits, optionally 0x-prefixed).");
        }
    }

    /// <summary>Signs a 32-byte digest (RFC 6979 deterministic nonce, low s).</summary>
    public EthSignature Sign(ReadOnlySpan<byte> digest) => EcdsaSigner.Sign(this, digest);

    /// <summary>Returns the private key as <c>0x</c> + 64 hex digits, for writing a key file.</summary>
    public string ExportPrivateKeyHex()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Hex.Encode(_privateKey);
    }

    /// <summary>Zeroes the private key bytes.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_privateKey);
        _disposed = true;
    }

    /// <summary>The address only; never the private key.</summary>
    public override string ToString() => Address.ToString();

    internal ECPrivateKeyParameters PrivateParameters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ECPrivateKeyParameters(new Org.BouncyCastle.Math.BigInteger(1, _privateKey), Secp256k1.Domain);
    }
}
