using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Mpc.Contracts.Artifacts;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>The functions, events and custom errors of <c>SecretContracts</c>, parsed once from the compiled artifact's ABI JSON.</summary>
/// <remarks>
/// Everything here is derived from <see cref="ContractArtifacts.SecretContracts"/> rather than typed by hand, so a
/// change to the Solidity source (recompiled artifact) cannot leave a stale selector, topic or error behind: a renamed
/// function fails loudly at first use with the list of names the ABI does have.
/// </remarks>
internal static class SecretContractsAbi
{
    private static readonly Lazy<Parsed> Instance = new(Parse);

    /// <summary>Every custom error of the contract, registered for revert decoding.</summary>
    public static RevertDecoder RevertDecoder => Instance.Value.Decoder;

    /// <summary>The function named <paramref name="name"/> (the contract has no overloads).</summary>
    /// <exception cref="KeyNotFoundException">The ABI has no such function.</exception>
    public static AbiFunction Function(string name) =>
        Instance.Value.Functions.TryGetValue(name, out AbiFunction? function)
            ? function
            : throw new KeyNotFoundException($"SecretContracts ABI has no function '{name}'. Known: {string.Join(", ", Instance.Value.Functions.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>The event named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The ABI has no such event.</exception>
    public static AbiEvent Event(string name) =>
        Instance.Value.Events.TryGetValue(name, out AbiEvent? abiEvent)
            ? abiEvent
            : throw new KeyNotFoundException($"SecretContracts ABI has no event '{name}'. Known: {string.Join(", ", Instance.Value.Events.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>Prints one ABI JSON entry as the human-readable signature <see cref="AbiSignatureParser"/> reads.</summary>
    /// <remarks>Example: <c>ResultPosted(uint256 indexed jobId, bytes32 outputsHash, …)</c>, <c>getCluster(uint256 clusterId) returns (address[] memberList, uint8 t)</c>.</remarks>
    internal static string Signature(JsonElement entry)
    {
        var text = new StringBuilder(entry.GetProperty("name").GetString());
        AppendParameters(text, entry.GetProperty("inputs"));
        if (entry.TryGetProperty("outputs", out JsonElement outputs) && outputs.GetArrayLength() > 0)
        {
            text.Append(" returns ");
            AppendParameters(text, outputs);
        }

        return text.ToString();
    }

    private static void AppendParameters(StringBuilder text, JsonElement parameters)
    {
        text.Append('(');
        bool first = true;
        foreach (JsonElement parameter in parameters.EnumerateArray())
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            text.Append(TypeName(parameter));
            if (parameter.TryGetProperty("indexed", out JsonElement indexed) && indexed.GetBoolean())
            {
                text.Append(" indexed");
            }

            if (parameter.TryGetProperty("name", out JsonElement name) && name.GetString() is { Length: > 0 } n)
            {
                text.Append(' ').Append(n);
            }
        }

        text.Append(')');
    }

    private static string TypeName(JsonElement parameter)
    {
        string type = parameter.GetProperty("type").GetString()
            ?? throw new InvalidDataException("SecretContracts ABI: a parameter has no type.");
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return type;
        }

        // solc writes structs as "tuple" (+ array suffix) with the members in "components".
        var inner = new StringBuilder();
        AppendParameters(inner, parameter.GetProperty("components"));
        return inner.Append(type["tuple".Length..]).ToString();
    }

    private static Parsed Parse()
    {
        using JsonDocument abi = ContractArtifacts.SecretContracts.ParseAbi();
        var functions = new Dictionary<string, AbiFunction>(StringComparer.Ordinal);
        var events = new Dictionary<string, AbiEvent>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (JsonElement entry in abi.RootElement.EnumerateArray())
        {
            switch (entry.GetProperty("type").GetString())
            {
                case "function":
                    AbiFunction function = AbiFunction.Parse(Signature(entry));
                    if (!functions.TryAdd(function.Name, function))
                    {
                        throw new InvalidDataException($"SecretContracts ABI overloads {function.Name}; the client addresses functions by name.");
                    }

                    break;
                case "event":
                    AbiEvent abiEvent = AbiEvent.Parse(Signature(entry));
                    events.Add(abiEvent.Name, abiEvent);
                    break;
                case "error":
                    errors.Add(Signature(entry));
                    break;
            }
        }

        return new Parsed(
            functions.ToFrozenDictionary(StringComparer.Ordinal),
            events.ToFrozenDictionary(StringComparer.Ordinal),
            new RevertDecoder(errors));
    }

    private sealed record Parsed(
        FrozenDictionary<string, AbiFunction> Functions,
        FrozenDictionary<string, AbiEvent> Events,
        RevertDecoder Decoder);
}
