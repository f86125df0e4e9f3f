using Org.BouncyCastle.Crypto.Digests;

namespace Mpc.Core.Circuits;

/// <summary>
/// The 32-byte id of a circuit: Keccak-256 (the Ethereum variant, not SHA3-256) of its canonical
/// binary encoding. Printed as <c>0x</c> followed by 64 lower-case hex digits.
/// </summary>
public readonly struct CircuitId : IEquatable<CircuitId>
{
    /// <summary>Length of an id in bytes.</summary>
    public const int Length = 32;

    private readonly byte[]? _bytes;

    private CircuitId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 bytes (all zero for <c>default</c>).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Length];

    /// <summary>Keccak-256 of <paramref name="data"/>.</summary>
    public static CircuitId Of(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var hash = new byte[Length];
        digest.DoFinal(hash, 0);
        return new CircuitId(hash);
    }

    /// <summary>Wraps a 32-byte hash the caller will never mutate (no copy).</summary>
    internal static CircuitId Wrap(byte[] hash) => new(hash);

    /// <summary>Wraps 32 bytes as an id.</summary>
    /// <exception cref="ArgumentException">Not exactly 32 bytes.</exception>
    public static CircuitId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"A circuit id is {Length} bytes, got {bytes.Length}.", nameof(bytes));
        return new CircuitId(bytes.ToArray());
    }

    /// <summary>Parses <c>0x</c> + 64 hex digits (the prefix is optional, case is ignored).</summary>
    /// <exception cref="FormatException">Not a 32-byte hex string.</exception>
    public static CircuitId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length != 2 * Length)
            throw new FormatException($"A circuit id is {2 * Length} hex digits, got {hex.Length} in '{text}'.");
        try
        {
            return new CircuitId(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new FormatException($"Circuit id '{text}' is not hexadecimal.");
        }
    }

    /// <inheritdoc />
    public bool Equals(CircuitId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CircuitId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <summary><c>0x</c> + 64 lower-case hex digits.</summary>
    public override string ToString() => "0x" + Convert.ToHexStringLower(Bytes);

    /// <summary>Equality of the bytes.</summary>
    public static bool operator ==(CircuitId left, CircuitId right) => left.Equals(right);

    /// <summary>Inequality of the bytes.</summary>
    public static bool operator !=(CircuitId left, CircuitId right) => !left.Equals(right);
}
