using System.Collections.Concurrent;
using System.Reflection;

namespace Mpc.Contracts.Artifacts;

/// <summary>
/// The compiled Solidity contracts embedded in this assembly (ABI JSON, bytecode, selectors).
/// </summary>
/// <remarks>
/// Each <c>src/Mpc.Contracts/compiled/&lt;Contract&gt;.json</c> is embedded under the logical name
/// <c>Mpc.Contracts.Artifacts.&lt;Contract&gt;.json</c> (see Mpc.Contracts.csproj) and parsed once on
/// first use. The artifacts are committed and a test checks that they match a fresh compilation of
/// <c>src/Mpc.Contracts/contracts</c> with the pinned solc; regenerate them with
/// <c>node src/Mpc.Contracts/scripts/compile.js</c>.
/// </remarks>
public static class ContractArtifacts
{
    /// <summary>Prefix of the embedded resources' logical names.</summary>
    internal const string ResourcePrefix = "Mpc.Contracts.Artifacts.";

    private const string ResourceSuffix = ".json";
    private static readonly ConcurrentDictionary<string, ContractArtifact> Cache = new(StringComparer.Ordinal);
    private static readonly Assembly Assembly = typeof(ContractArtifacts).Assembly;

    /// <summary>
    /// The MpcCompute registry contract (nodes, clusters, secret contracts, jobs, commitments, results,
    /// fees, slashing). Constructor: <c>(uint256 minStake, uint64 exitDelay)</c>; see docs/contract.md.
    /// </summary>
    public static ContractArtifact SecretContracts => Get("SecretContracts");

    /// <summary>Names of every embedded contract, sorted ordinally.</summary>
    public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^ResourceSuffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The embedded artifact of a contract, parsed once and cached.</summary>
    /// <param name="contractName">The Solidity contract name, e.g. <c>SecretContracts</c>.</param>
    /// <exception cref="KeyNotFoundException">No artifact of that name is embedded; the message lists those that are.</exception>
    /// <exception cref="InvalidDataException">The embedded artifact is malformed.</exception>
    public static ContractArtifact Get(string contractName)
    {
        ArgumentNullException.ThrowIfNull(contractName);
        return Cache.GetOrAdd(contractName, Load);
    }

    private static ContractArtifact Load(string contractName)
    {
        var resource = ResourcePrefix + contractName + ResourceSuffix;
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new KeyNotFoundException(
                $"No contract artifact '{contractName}' is embedded in {Assembly.GetName().Name}. " +
                $"Known: {string.Join(", ", Names)}.");
        using var buffer = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(buffer);
        return ContractArtifact.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), resource);
    }
}
