using System.CommandLine;
using System.Globalization;
using System.Numerics;
using Mpc.Core.Circuits.Language;

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
        var (owner, name, texts) = Split(text);
        return new InputAssignment(owner, name, texts.Select(t => ParseNumber(t, text)).ToList());
    }

    // owner.name=value or owner.name=[v1,…] into its parts, values still text (their type decides how they parse).
    private static (string Owner, string Name, List<string> Texts) Split(string text)
    {
        int eq = text.IndexOf('=');
        if (eq < 0) throw new FormatException($"--input '{text}': expected owner.name=value.");
        string key = text[..eq].Trim(), value = text[(eq + 1)..].Trim();
        int dot = key.IndexOf('.');
        if (dot <= 0 || dot == key.Length - 1)
            throw new FormatException($"--input '{text}': the name must be owner.input (e.g. alice.x0).");
        List<string> texts = [];
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            string body = value[1..^1];
            if (body.Trim().Length > 0)
                foreach (string part in body.Split(','))
                    texts.Add(part.Trim());
        }
        else texts.Add(value);
        return (key[..dot], key[(dot + 1)..], texts);
    }

    /// <summary>
    /// Parses every <c>--input</c> into raw values keyed by IR input name. For a <c>.circ</c> program
    /// (<paramref name="contract"/> set) an array argument <c>alice.v=[1,2,3]</c> fills <c>alice.v_0</c>…; <c>fixed</c>
    /// inputs take decimals (scaled by 2^16), <c>bool</c> inputs <c>true</c>/<c>false</c>/0/1, and a key naming one IR
    /// element (<c>alice.v_1</c>) works too. For <c>.ir</c> text (<paramref name="contract"/> null) every value is one integer.
    /// </summary>
    /// <exception cref="FormatException">A malformed argument or value; the message quotes the argument.</exception>
    /// <exception cref="CliException">A value of the wrong shape, or a key given twice.</exception>
    public static Dictionary<string, BigInteger> ParseAll(IEnumerable<string> arguments, ContractInterface? contract)
    {
        var values = new Dictionary<string, BigInteger>();
        foreach (string argument in arguments)
        {
            var (owner, name, texts) = Split(argument);
            string key = owner + "." + name;
            var declared = contract is null ? default : Declared(contract, key);
            if (declared.Names is null)
            {
                // Unknown here (or .ir text): let the circuit's own check name the inputs it has.
                if (texts.Count != 1)
                    throw new CliException(contract is null
                        ? $"--input '{argument}': '{key}' takes one value; arrays need the .circ language."
                        : $"--input '{argument}': the program has no array input '{key}'.");
                if (!values.TryAdd(key, ParseNumber(texts[0], argument)))
                    throw new CliException($"--input '{argument}': '{key}' is given more than once.");
                continue;
            }
            if (texts.Count != declared.Names.Count)
                throw new CliException($"--input '{argument}': '{key}' takes {declared.Names.Count} value(s), not {texts.Count}.");
            for (int i = 0; i < texts.Count; i++)
                if (!values.TryAdd(declared.Names[i], ParseTyped(texts[i], declared.Kind, argument)))
                    throw new CliException($"--input '{argument}': '{declared.Names[i]}' is given more than once.");
        }
        return values;
    }

    // The program's input that key names: one IR element (alice.v_1, or a scalar), or every element of an array (alice.v).
    private static (ScalarKind Kind, List<string>? Names) Declared(ContractInterface contract, string key) =>
        contract.Inputs.FirstOrDefault(i => i.IrNames.Contains(key)) is { } single
            ? (single.Kind, [key])
            : contract.Inputs.Select(i => (i.Kind, Names: i.IrNames.Where(n => n.StartsWith(key + "_", StringComparison.Ordinal)).ToList()))
                .FirstOrDefault(i => i.Names.Count > 0);

    private static BigInteger ParseTyped(string s, ScalarKind kind, string whole) => Quoted(() => ContractValues.Parse(kind, s), whole);

    private static BigInteger ParseNumber(string s, string whole) => Quoted(() => ContractValues.ParseInteger(s), whole);

    private static BigInteger Quoted(Func<BigInteger> parse, string whole)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new FormatException($"--input '{whole}': {e.Message}", e);
        }
    }

    /// <summary>The repeatable <c>--input</c> option of the commands that run circuits.</summary>
    public static Option<string[]> CreateOption() => new("--input", "-i")
    {
        Description = "An input value, owner.name=value (decimal, negative or 0x-hex). Repeat for each input.",
        AllowMultipleArgumentsPerToken = true,
    };
}
