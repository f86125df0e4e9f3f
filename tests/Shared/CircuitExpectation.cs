using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Fields;

namespace Mpc.Testing;

/// <summary>
/// A plaintext expectation for a circuit file (<c>circuits/NAME.expect.json</c>): clear inputs and the
/// outputs any correct evaluation must produce. Used by the circuit tests and by the engine's tests.
/// </summary>
/// <remarks>
/// Format: <c>{ "circuit": "NAME.ir", "inputs": { "alice.x0": 3, … }, "outputs": { "result": 70, … } }</c>;
/// an array value <c>"alice.v": [1, 2]</c> stands for <c>alice.v_0</c>, <c>alice.v_1</c> (the .circ naming).
/// Values are written as on the command line (<see cref="ContractValues"/>): integers as JSON numbers or
/// strings (for values past 2^53, or 0x-hex), possibly negative; a .circ program's fixed inputs as decimals
/// and bool inputs as true/false. They are reduced into the field under test, so an expectation holds in every field large enough that
/// the computation does not wrap. Input keys use the CLI convention <c>owner.name</c>; the circuit path
/// is relative to the expectation file.
/// </remarks>
public sealed class CircuitExpectation
{
    private readonly Dictionary<string, string> _inputTexts;

    private CircuitExpectation(string circuitPath, Dictionary<string, string> inputTexts, Dictionary<string, BigInteger> inputs,
        Dictionary<string, BigInteger> outputs)
    {
        CircuitPath = circuitPath;
        _inputTexts = inputTexts;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Full path of the circuit file the expectation is for.</summary>
    public string CircuitPath { get; }

    /// <summary>Clear inputs keyed <c>owner.name</c>, in file order.</summary>
    public IReadOnlyDictionary<string, BigInteger> Inputs { get; }

    /// <summary>Expected outputs by output name.</summary>
    public IReadOnlyDictionary<string, BigInteger> Outputs { get; }

    /// <summary>The inputs as CLI arguments <c>owner.name=value</c> (each follows an <c>--input</c>).</summary>
    /// <remarks>The values exactly as the file writes them: the CLI parses them by the same rules as <see cref="Inputs"/>.</remarks>
    public IReadOnlyList<string> InputArguments => _inputTexts.Select(kv => kv.Key + "=" + kv.Value).ToList();

    /// <summary>Reads an expectation file.</summary>
    /// <exception cref="FormatException">Malformed JSON or values; the message names the file and key.</exception>
    public static CircuitExpectation Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), System.IO.Path.GetDirectoryName(full)!, path);
    }

    /// <summary>Parses expectation JSON; <paramref name="baseDirectory"/> resolves the circuit path.</summary>
    /// <exception cref="FormatException">Malformed JSON or values; the message names <paramref name="source"/> and the key.</exception>
    public static CircuitExpectation Parse(string json, string baseDirectory, string source = "<json>")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: expected a JSON object with \"circuit\", \"inputs\" and \"outputs\"");
            if (!root.TryGetProperty("circuit", out var circuit) || circuit.ValueKind != JsonValueKind.String)
                throw new FormatException($"{source}: \"circuit\" (path of the .ir file) is missing or not a string");
            string circuitPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, circuit.GetString()!));
            var inputTexts = ReadValues(root, "inputs", source);
            // A .circ program's inputs are typed: fixed values are decimals, bools true/false, as on the command line.
            var kinds = circuitPath.EndsWith(".circ", StringComparison.Ordinal)
                ? CircProgram.Parse(File.ReadAllText(circuitPath), circuitPath).Compile().Interface.Inputs
                    .SelectMany(i => i.IrNames.Select(n => (Name: n, i.Kind))).ToDictionary(x => x.Name, x => x.Kind)
                : [];
            return new CircuitExpectation(circuitPath, inputTexts,
                Parse(inputTexts, (name, text) => kinds.TryGetValue(name, out var kind) ? ContractValues.Parse(kind, text) : ContractValues.ParseInteger(text), "inputs", source),
                Parse(ReadValues(root, "outputs", source), (_, text) => ContractValues.ParseInteger(text), "outputs", source));
        }
    }

    /// <summary>Parses the circuit file named by <see cref="CircuitPath"/>.</summary>
    public Circuit LoadCircuit() => CircuitFiles.Load(CircuitPath);

    /// <summary>The inputs reduced into field <typeparamref name="T"/>, keyed <c>owner.name</c>.</summary>
    public IReadOnlyDictionary<string, T> InputValues<T>() where T : struct, IField<T> =>
        Inputs.ToDictionary(kv => kv.Key, kv => T.FromBigInteger(kv.Value));

    /// <summary>Compares actual outputs with the expectation in field <typeparamref name="T"/>.</summary>
    /// <returns>One line per missing, unexpected or wrong output; empty when all match.</returns>
    public IReadOnlyList<string> Mismatches<T>(IReadOnlyDictionary<string, T> actual) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        var problems = new List<string>();
        foreach (var (name, expected) in Outputs)
        {
            if (!actual.TryGetValue(name, out var value)) problems.Add($"output '{name}' is missing");
            else if (value != T.FromBigInteger(expected))
                problems.Add($"output '{name}': expected {expected} (= {T.FromBigInteger(expected).ToBigInteger()} in {T.Name}), got {value.ToBigInteger()}");
        }
        foreach (var name in actual.Keys)
            if (!Outputs.ContainsKey(name)) problems.Add($"output '{name}' is not in the expectation");
        return problems;
    }

    private static Dictionary<string, BigInteger> Parse(Dictionary<string, string> texts, Func<string, string, BigInteger> parse, string property, string source)
    {
        var result = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var (name, text) in texts)
        {
            try
            {
                result[name] = parse(name, text);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source}: {property}.{name}: {e.Message}", e);
            }
        }
        return result;
    }

    private static Dictionary<string, string> ReadValues(JsonElement root, string property, string source)
    {
        if (!root.TryGetProperty(property, out var obj) || obj.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{source}: \"{property}\" is missing or not an object");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            // An array (for .circ array inputs and outputs) stands for its elements name_0, name_1, …
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var element in p.Value.EnumerateArray()) Add(result, $"{p.Name}_{i++}", element, property, source);
            }
            else Add(result, p.Name, p.Value, property, source);
        }
        return result;
    }

    private static void Add(Dictionary<string, string> result, string name, JsonElement element, string property, string source)
    {
        string text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw new FormatException($"{source}: {property}.{name} must be a number, a bool or a decimal string"),
        };
        if (!result.TryAdd(name, text))
            throw new FormatException($"{source}: {property}.{name} appears twice");
    }
}
