using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Mpc.Cli;

/// <summary>One <c>--input owner.name=value</c> argument: a value that the named party contributes.</summary>
/// <param name="Owner">The party that owns the input (e.g. <c>alice</c>).</param>
/// <param name="Name">The input's name within the circuit.</param>
/// <param name="Values">The value, or the elements of an array input written <c>[1,2,3]</c>.</param>
public sealed record InputAssignment(string Owner, string Name, IReadOnlyList<BigInteger> Values)
{
    /// <summary>Parses <c>owner.name=value</c> or <c>owner.name=[v1,v2,…]</c>; values are decimal (may be negative) or 0x-hex.</summary>
    /// <exception cref="FormatException">The argument is malformed; the message quotes it and says what is wrong.</exception>
    public static InputAssignment Parse(string text)
    {
        int eq = text.IndexOf('=');
        if (eq < 0) throw new FormatException($"--input '{text}': expected owner.name=value.");
        string key = text[..eq].Trim(), value = text[(eq + 1)..].Trim();
        int dot = key.IndexOf('.');
        if (dot <= 0 || dot == key.Length - 1)
            throw new FormatException($"--input '{text}': the name must be owner.input (e.g. alice.x0).");
        string owner = key[..dot], name = key[(dot + 1)..];

        List<BigInteger> values = [];
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            string body = value[1..^1];
            if (body.Trim().Length > 0)
                foreach (string part in body.Split(','))
                    values.Add(ParseNumber(part.Trim(), text));
        }
        else
        {
            values.Add(ParseNumber(value, text));
        }
        return new InputAssignment(owner, name, values);
    }

    private static BigInteger ParseNumber(string s, string whole)
    {
        bool negative = s.StartsWith('-');
        string digits = negative ? s[1..] : s;
        BigInteger v;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)
            : BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok || digits.Length == 0) throw new FormatException($"--input '{whole}': '{s}' is not an integer.");
        return negative ? -v : v;
    }

    /// <summary>The key used on the command line, <c>owner.name</c>.</summary>
    public string Key => $"{Owner}.{Name}";

    /// <summary>The repeatable <c>--input</c> option of the commands that run circuits.</summary>
    public static Option<string[]> CreateOption() => new("--input", "-i")
    {
        Description = "An input value, owner.name=value (decimal, negative or 0x-hex). Repeat for each input.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Parses every <c>--input</c> argument into one value per input key.</summary>
    /// <exception cref="CliException">An array value (needs the .circ language) or a key given twice.</exception>
    public static Dictionary<string, BigInteger> ParseAll(IEnumerable<string> arguments)
    {
        var values = new Dictionary<string, BigInteger>();
        foreach (string argument in arguments)
        {
            var input = Parse(argument);
            if (input.Values.Count != 1)
                throw new CliException($"--input '{argument}': '{input.Key}' takes one value; arrays need the .circ language.");
            if (!values.TryAdd(input.Key, input.Values[0]))
                throw new CliException($"--input '{argument}': '{input.Key}' is given more than once.");
        }
        return values;
    }
}
