using System.Security.Cryptography;

namespace Mpc.Core.Fields;

/// <summary>Random bytes from the operating system's cryptographically secure generator.</summary>
/// <remarks>Thread-safe: it keeps no state of its own.</remarks>
public sealed class CryptoRandom : IRandomSource
{
    /// <summary>The shared instance.</summary>
    public static CryptoRandom Shared { get; } = new();

    /// <inheritdoc />
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
