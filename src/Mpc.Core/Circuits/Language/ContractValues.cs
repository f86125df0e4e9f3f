using System.Globalization;
using System.Numerics;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// The text form of one scalar input value of a contract, shared by the CLI's <c>--input</c> and by
/// expectation files, so that a value written once means the same everywhere.
/// </summary>
public static class ContractValues
{
    /// <summary>
    /// Parses <paramref name="text"/> as a value of <paramref name="kind"/> into its raw IR integer:
    /// <c>fixed</c> takes a decimal (scaled by 2^16, rounded half away from zero), <c>bool</c>
    /// <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>, every other kind an integer (decimal or 0x-hex, possibly negative).
    /// </summary>
    /// <exception cref="FormatException">The text is not a value of that kind; the message quotes it.</exception>
    public static BigInteger Parse(ScalarKind kind, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (kind)
        {
            case ScalarKind.Bool:
                return text switch
                {
                    "true" or "1" => BigInteger.One,
                    "false" or "0" => BigInteger.Zero,
                    _ => throw new FormatException($"'{text}' is not a bool (true, false, 1 or 0)."),
                };
            case ScalarKind.Fixed:
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
                    throw new FormatException($"'{text}' is not a decimal number.");
                return new BigInteger(decimal.Round(d * (1L << Typing.FixedFractionBits), MidpointRounding.AwayFromZero));
            default:
                return ParseInteger(text);
        }
    }

    /// <summary>Parses an integer: decimal or 0x-hex, possibly negative.</summary>
    /// <exception cref="FormatException">Not an integer; the message quotes the text.</exception>
    public static BigInteger ParseInteger(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        BigInteger v;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)
            : BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok || digits.Length == 0) throw new FormatException($"'{text}' is not an integer.");
        return negative ? -v : v;
    }
}
