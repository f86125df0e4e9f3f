using Org.BouncyCastle.Crypto.Digests;

namespace Mpc.Contracts.Ethereum;

/// <summary>Keccak-256 as Ethereum uses it (the original Keccak padding, not FIPS-202 SHA3-256).</summary>
/// <remarks>
/// Ethereum adopted Keccak before NIST changed the padding byte from 0x01 to 0x06 for SHA-3, so
/// <c>keccak256("")</c> is <c>c5d2…a470</c> rather than SHA3-256's <c>a7ff…434a</c> (Yellow Paper, Appendix B).
/// BouncyCastle's <see cref="KeccakDigest"/> implements the original padding.
/// </remarks>
public static class Keccak256
{
    /// <summary>Length of a digest in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"Keccak-256 needs a 32-byte destination, got {destination.Length} bytes.", nameof(destination));
        }

        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        digest.DoFinal(destination);
    }

    /// <summary>
    /// Hashes the concatenation <paramref name="first"/> ‖ <paramref name="second"/> without copying them together.
    /// (Named apart from <see cref="Hash(ReadOnlySpan{byte}, Span{byte})"/> so a destination span never binds as a second input.)
    /// </summary>
    public static byte[] HashConcatenated(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        var result = new byte[HashLength];
        digest.DoFinal(result);
        return result;
    }

    /// <summary>Returns the 32-byte Keccak-256 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[HashLength];
        Hash(data, result);
        return result;
    }

    /// <summary>Returns the Keccak-256 digest of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
