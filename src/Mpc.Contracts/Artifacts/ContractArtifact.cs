using System.Collections.ObjectModel;
using System.Text.Json;

namespace Mpc.Contracts.Artifacts;

/// <summary>
/// One compiled Solidity contract: its ABI, creation and runtime bytecode, function selectors and the
/// compiler that produced them. Instances are immutable; obtain them from <see cref="ContractArtifacts"/>.
/// </summary>
/// <remarks>
/// The artifact is the JSON file <c>src/Mpc.Contracts/compiled/&lt;Contract&gt;.json</c> written by
/// <c>node src/Mpc.Contracts/scripts/compile.js</c> from solc's standard-JSON output
/// (<c>abi</c>, <c>evm.bytecode.object</c>, <c>evm.deployedBytecode.object</c>,
/// <c>evm.methodIdentifiers</c>). The bytecode has no metadata hash, so it depends only on the sources'
/// code and the compiler settings recorded in <see cref="CompilerSettingsJson"/>.
/// </remarks>
public sealed class ContractArtifact
{
    private readonly byte[] _bytecode;
    private readonly byte[] _deployedBytecode;

    private ContractArtifact(
        string contractName,
        string sourceName,
        string compilerVersion,
        string compilerSettingsJson,
        string abiJson,
        IReadOnlyDictionary<string, string> methodIdentifiers,
        byte[] bytecode,
        byte[] deployedBytecode)
    {
        ContractName = contractName;
        SourceName = sourceName;
        CompilerVersion = compilerVersion;
        CompilerSettingsJson = compilerSettingsJson;
        AbiJson = abiJson;
        MethodIdentifiers = methodIdentifiers;
        _bytecode = bytecode;
        _deployedBytecode = deployedBytecode;
    }

    /// <summary>The Solidity contract name, e.g. <c>SecretContracts</c>.</summary>
    public string ContractName { get; }

    /// <summary>The source unit the contract came from, e.g. <c>contracts/SecretContracts.sol</c>.</summary>
    public string SourceName { get; }

    /// <summary>The full solc version string, e.g. <c>0.8.37+commit.f401782d.Emscripten.clang</c>.</summary>
    public string CompilerVersion { get; }

    /// <summary>The solc settings used (EVM version, optimizer, viaIR, metadata) as a JSON object.</summary>
    public string CompilerSettingsJson { get; }

    /// <summary>The contract's ABI: the JSON array solc emits (functions, events, errors, constructor).</summary>
    public string AbiJson { get; }

    /// <summary>
    /// Canonical function signature (e.g. <c>createJob(uint256,uint64,uint64)</c>) to its 4-byte selector
    /// as 8 lower-case hex digits without <c>0x</c>, as computed by solc.
    /// </summary>
    public IReadOnlyDictionary<string, string> MethodIdentifiers { get; }

    /// <summary>Creation bytecode (what a deployment transaction's data starts with).</summary>
    public ReadOnlySpan<byte> Bytecode => _bytecode;

    /// <summary>Runtime bytecode (what <c>eth_getCode</c> returns for a deployed instance).</summary>
    public ReadOnlySpan<byte> DeployedBytecode => _deployedBytecode;

    /// <summary>Creation bytecode as <c>0x</c>-prefixed lower-case hex.</summary>
    public string BytecodeHex => "0x" + Convert.ToHexStringLower(_bytecode);

    /// <summary>Parses the ABI into a <see cref="JsonDocument"/>; the caller disposes it.</summary>
    public JsonDocument ParseAbi() => JsonDocument.Parse(AbiJson);

    /// <summary>
    /// The data of a deployment transaction: the creation bytecode followed by the ABI-encoded
    /// constructor arguments (for SecretContracts: <c>(uint256 minStake, uint64 exitDelay)</c>).
    /// </summary>
    /// <param name="encodedConstructorArguments">The constructor arguments, ABI-encoded as a tuple.</param>
    public byte[] DeploymentData(ReadOnlySpan<byte> encodedConstructorArguments)
    {
        var data = new byte[_bytecode.Length + encodedConstructorArguments.Length];
        _bytecode.CopyTo(data, 0);
        encodedConstructorArguments.CopyTo(data.AsSpan(_bytecode.Length));
        return data;
    }

    /// <summary>
    /// The 4-byte selector of a function given its canonical signature.
    /// </summary>
    /// <param name="signature">Canonical signature without spaces or names, e.g. <c>getJob(uint256)</c>.</param>
    /// <exception cref="KeyNotFoundException">The contract has no function with that signature.</exception>
    public byte[] Selector(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!MethodIdentifiers.TryGetValue(signature, out var hex))
        {
            throw new KeyNotFoundException(
                $"Contract {ContractName} has no function '{signature}'. Known: {string.Join(", ", MethodIdentifiers.Keys)}.");
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>Parses an artifact JSON document as written by <c>scripts/compile.js</c>.</summary>
    /// <param name="json">The artifact's UTF-8 JSON.</param>
    /// <param name="origin">Where the JSON came from, used in error messages.</param>
    /// <exception cref="InvalidDataException">A field is missing or malformed; the message names it and <paramref name="origin"/>.</exception>
    public static ContractArtifact Parse(ReadOnlySpan<byte> json, string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Contract artifact {origin} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Contract artifact {origin}: expected a JSON object at the top level.");
            }

            var compiler = Property(root, "compiler", JsonValueKind.Object, origin);
            var abi = Property(root, "abi", JsonValueKind.Array, origin);
            var identifiers = Property(root, "methodIdentifiers", JsonValueKind.Object, origin);
            var methods = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var method in identifiers.EnumerateObject())
            {
                var selector = method.Value.ValueKind == JsonValueKind.String ? method.Value.GetString()! : string.Empty;
                if (selector.Length != 8 || !IsHex(selector))
                {
                    throw new InvalidDataException(
                        $"Contract artifact {origin}: methodIdentifiers['{method.Name}'] is not 8 hex digits.");
                }

                methods.Add(method.Name, selector);
            }

            return new ContractArtifact(
                StringProperty(root, "contractName", origin),
                StringProperty(root, "sourceName", origin),
                StringProperty(compiler, "version", origin),
                Property(compiler, "settings", JsonValueKind.Object, origin).GetRawText(),
                abi.GetRawText(),
                new ReadOnlyDictionary<string, string>(methods),
                HexProperty(root, "bytecode", origin),
                HexProperty(root, "deployedBytecode", origin));
        }
    }

    private static JsonElement Property(JsonElement obj, string name, JsonValueKind kind, string origin)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new InvalidDataException($"Contract artifact {origin}: '{name}' is missing or not a JSON {kind}.");
        }

        return value;
    }

    private static string StringProperty(JsonElement obj, string name, string origin)
    {
        var value = Property(obj, name, JsonValueKind.String, origin).GetString()!;
        if (value.Length == 0)
        {
            throw new InvalidDataException($"Contract artifact {origin}: '{name}' is empty.");
        }

        return value;
    }

    private static byte[] HexProperty(JsonElement obj, string name, string origin)
    {
        var text = StringProperty(obj, name, origin);
        var digits = text.StartsWith("0x", StringComparison.Ordinal) ? text.AsSpan(2) : text.AsSpan();
        if (digits.Length == 0 || digits.Length % 2 != 0 || !IsHex(digits))
        {
            throw new InvalidDataException(
                $"Contract artifact {origin}: '{name}' must be non-empty 0x-prefixed hex with an even number of digits.");
        }

        return Convert.FromHexString(digits);
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
