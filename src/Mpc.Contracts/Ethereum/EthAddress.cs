using System.Security.Cryptography;

namespace Mpc.Contracts.Ethereum;

/// <summary>A 20-byte Ethereum account address; formats with the EIP-55 mixed-case checksum.</summary>
/// <remarks>
/// Equality is constant-time because addresses recovered from signatures are compared for authorisation.
/// EIP-55: hex digit i is upper-case when nibble i of keccak256(lower-case hex address) is ≥ 8.
/// </remarks>
public readonly struct EthAddress : IEquatable<EthAddress>
{
    /// <summary>Length of an address in bytes.</summary>
    public const int Length = 20;

    private static readonly byte[] ZeroBytes = new byte[Length];

    // Never exposed mutable; null for default(EthAddress), which is the zero address.
    private readonly byte[]? _bytes;

    /// <summary>Creates an address from exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 20 bytes long.</exception>
    public EthAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An Ethereum address is 20 bytes, got {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The zero address <c>0x0000…0000</c> (also the <c>default</c> value).</summary>
    public static EthAddress Zero => default;

    /// <summary>The 20 address bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? ZeroBytes;

    /// <summary>Parses <c>0x</c> + 40 hex digits; mixed-case input must carry a valid EIP-55 checksum.</summary>
    /// <exception cref="FormatException">Wrong length, non-hex digits, or a mixed-case checksum that does not match.</exception>
    public static EthAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"Address '{text}' is not 0x followed by 40 hex digits.");
        }

        var address = new EthAddress(Hex.Decode(text));
        ReadOnlySpan<char> digits = text.AsSpan(2);
        bool allLower = !digits.ContainsAnyInRange('A', 'F');
        bool allUpper = !digits.ContainsAnyInRange('a', 'f');
        // EIP-55: all-lower or all-upper input carries no checksum; mixed case must match it exactly.
        if (!allLower && !allUpper && !digits.SequenceEqual(address.ToChecksumString().AsSpan(2)))
        {
            throw new FormatException($"Address '{text}' has an invalid EIP-55 checksum (expected {address.ToChecksumString()}).");
        }

        return address;
    }

    /// <summary>Derives the address of an uncompressed secp256k1 public key (65 bytes <c>04‖X‖Y</c> or 64 bytes <c>X‖Y</c>).</summary>
    /// <remarks>Yellow Paper eq. 284: the last 20 bytes of keccak256(X‖Y).</remarks>
    /// <exception cref="ArgumentException">The key is neither 64 nor 65 bytes, or a 65-byte key does not start with 0x04.</exception>
    public static EthAddress FromPublicKey(ReadOnlySpan<byte> uncompressedPublicKey)
    {
        ReadOnlySpan<byte> xy = uncompressedPublicKey.Length switch
        {
            65 when uncompressedPublicKey[0] == 0x04 => uncompressedPublicKey[1..],
            64 => uncompressedPublicKey,
            _ => throw new ArgumentException(
                $"An uncompressed public key is 65 bytes starting 0x04 or 64 bytes, got {uncompressedPublicKey.Length}.",
                nameof(uncompressedPublicKey)),
        };
        Span<byte> hash = stackalloc byte[Keccak256.HashLength];
        Keccak256.Hash(xy, hash);
        return new EthAddress(hash[12..]);
    }

    /// <summary>Derives the address of a contract created by <paramref name="sender"/> with <paramref name="nonce"/> (CREATE).</summary>
    /// <remarks>Yellow Paper eq. 86: the last 20 bytes of keccak256(rlp([sender, nonce])).</remarks>
    public static EthAddress ForCreate(EthAddress sender, ulong nonce)
    {
        byte[] encoded = Rlp.EncodeList(Rlp.EncodeBytes(sender.Bytes), Rlp.EncodeInteger(nonce));
        return new EthAddress(Keccak256.Hash(encoded).AsSpan(12));
    }

    /// <summary>The EIP-55 checksummed form, e.g. <c>0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed</c>.</summary>
    public string ToChecksumString()
    {
        string lower = Convert.ToHexStringLower(Bytes);
        byte[] hash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(lower));
        return string.Create(42, (lower, hash), static (chars, state) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            for (int i = 0; i < 40; i++)
            {
                int nibble = (i & 1) == 0 ? state.hash[i >> 1] >> 4 : state.hash[i >> 1] & 0x0f;
                char c = state.lower[i];
                chars[i + 2] = nibble >= 8 ? char.ToUpperInvariant(c) : c;
            }
        });
    }

    /// <summary>The EIP-55 checksummed form.</summary>
    public override string ToString() => ToChecksumString();

    /// <summary>Constant-time comparison of the 20 bytes.</summary>
    public bool Equals(EthAddress other) => CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EthAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Constant-time equality.</summary>
    public static bool operator ==(EthAddress left, EthAddress right) => left.Equals(right);

    /// <summary>Constant-time inequality.</summary>
    public static bool operator !=(EthAddress left, EthAddress right) => !left.Equals(right);
}
