using System.Globalization;
using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Hex text as Ethereum JSON-RPC writes it: <c>0x</c>-prefixed data and minimal quantities.</summary>
/// <remarks>
/// Ethereum distinguishes "data" (every byte, two digits each) from "quantities" (big-endian integers with
/// no leading zeros, <c>0x0</c> for zero); see the JSON-RPC specification, "Hex value encoding".
/// </remarks>
public static class Hex
{
    /// <summary>Encodes bytes as lower-case hex with a <c>0x</c> prefix.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => "0x" + Convert.ToHexStringLower(data);

    /// <summary>Decodes hex data with or without a <c>0x</c> prefix.</summary>
    /// <exception cref="FormatException">The text has an odd length or a non-hex character.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> digits = Strip(hex);
        if ((digits.Length & 1) != 0)
        {
            throw new FormatException($"Hex data '{Shorten(hex)}' has an odd number of digits ({digits.Length}).");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new FormatException($"Hex data '{Shorten(hex)}' contains a character that is not a hex digit.");
        }
    }

    /// <summary>Encodes a non-negative integer as an Ethereum quantity (<c>0x0</c>, <c>0x1a</c>, …).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "An Ethereum quantity cannot be negative.");
        }

        return value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
    }

    /// <summary>Decodes an Ethereum quantity (any number of hex digits, optional <c>0x</c>).</summary>
    /// <exception cref="FormatException">The text is empty or not hex.</exception>
    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> digits = Strip(hex);
        if (digits.IsEmpty)
        {
            throw new FormatException($"Quantity '{hex}' has no digits.");
        }

        // A leading 0 keeps BigInteger from reading the top bit as a sign.
        if (!BigInteger.TryParse("0" + digits.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out BigInteger value))
        {
            throw new FormatException($"Quantity '{Shorten(hex)}' is not hex.");
        }

        return value;
    }

    /// <summary>Decodes an Ethereum quantity that must fit in a <see cref="long"/>.</summary>
    /// <exception cref="FormatException">The text is not hex or the value exceeds <see cref="long.MaxValue"/>.</exception>
    public static long DecodeQuantityInt64(string hex)
    {
        BigInteger value = DecodeQuantity(hex);
        if (value > long.MaxValue)
        {
            throw new FormatException($"Quantity '{Shorten(hex)}' does not fit in 64 bits.");
        }

        return (long)value;
    }

    private static ReadOnlySpan<char> Strip(string hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();

    private static string Shorten(string hex) => hex.Length <= 80 ? hex : hex[..80] + "…";
}
