using System.Security.Cryptography;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>
/// A client's commitment to the share it sends one node: <c>keccak256(share ‖ salt)</c> with a fresh 32-byte salt,
/// posted on chain with <c>commitInputs</c> before the input deadline.
/// </summary>
/// <remarks>
/// The salt hides low-entropy shares (a share of a small secret could otherwise be found by hashing candidates) and is
/// sent to the node with the share, so the node can check the commitment and later prove which share it received.
/// The share bytes are exactly the bytes the client sends the node. docs/contract.md, "Functions", <c>commitInputs</c>.
/// </remarks>
public static class InputCommitment
{
    /// <summary>Length of a salt in bytes.</summary>
    public const int SaltLength = 32;

    /// <summary>A fresh salt from the operating system's CSPRNG.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltLength);

    /// <summary><c>keccak256(share ‖ salt)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="share"/> is empty or <paramref name="salt"/> is not 32 bytes.</exception>
    public static byte[] Compute(ReadOnlySpan<byte> share, ReadOnlySpan<byte> salt)
    {
        if (share.IsEmpty)
        {
            throw new ArgumentException("An input commitment needs the share's bytes; got none.", nameof(share));
        }

        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"An input commitment salt is {SaltLength} bytes, got {salt.Length}.", nameof(salt));
        }

        return Keccak256.HashConcatenated(share, salt);
    }

    /// <summary>Whether <paramref name="commitment"/> opens to (<paramref name="share"/>, <paramref name="salt"/>); constant time in the commitment.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Compute"/>.</exception>
    public static bool Verify(ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> share, ReadOnlySpan<byte> salt) =>
        CryptographicOperations.FixedTimeEquals(commitment, Compute(share, salt));
}
