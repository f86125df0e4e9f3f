using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Testing;

/// <summary>
/// A plaintext expectation for a circuit file (<c>circuits/NAME.expect.json</c>): clear inputs and the
/// outputs any correct evaluation must produce. Used by the circuit tests and by the engine's tests.
/// </summary>
/// <remarks>
/// Format: <c>{ "circuit": "NAME.ir", "inputs": { "alice.x0": 3, … }, "outputs": { "result": 70, … } }</c>;
/// an array value <c>"alice.v": [1, 2]</c> stands for <c>alice.v_0</c>, <c>alice.v_1</c> (the .circ naming).
/// Values are integers, as JSON numbers or decimal strings (for values past 2^53), possibly negative;
/// they are reduced into the field under test, so an expectation holds in every field large enough that
/// the computation does not wrap. Input keys use the CLI convention <c>owner.name</c>; the circuit path
/// is relative to the expectation file.
/// </remarks>
public sealed class CircuitExpectation
{
    private CircuitExpectation(string circuitPath, Dictionary<string, BigInteger> inputs, Dictionary<string, BigInteger> outputs)
    {
        CircuitPath = circuitPath;
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
    public IReadOnlyList<string> InputArguments =>
        Inputs.Select(kv => kv.Key + "=" + kv.Value.ToString(CultureInfo.InvariantCulture)).ToList();

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
            return new CircuitExpectation(
                System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, circuit.GetString()!)),
                ReadValues(root, "inputs", source),
                ReadValues(root, "outputs", source));
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

    private static Dictionary<string, BigInteger> ReadValues(JsonElement root, string property, string source)
    {
        if (!root.TryGetProperty(property, out var obj) || obj.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{source}: \"{property}\" is missing or not an object");
        var result = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
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

    private static void Add(Dictionary<string, BigInteger> result, string name, JsonElement element, string property, string source)
    {
        string text = element.ValueKind switch
        {
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.String => element.GetString()!,
            _ => throw new FormatException($"{source}: {property}.{name} must be an integer (number or decimal string)"),
        };
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{source}: {property}.{name} = '{text}' is not an integer");
        if (!result.TryAdd(name, value))
            throw new FormatException($"{source}: {property}.{name} appears twice");
    }
}
