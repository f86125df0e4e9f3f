using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mpc.Core.Circuits;

namespace Mpc.Node.Chain;

/// <summary>The circuits (<c>*.ir</c>) of a node's circuits directory, by circuit id: what a secret contract's on-chain circuit id resolves to.</summary>
/// <remarks>
/// Each file is parsed and optimised exactly as <c>mpc compile</c> and the clients do
/// (<see cref="CircuitOptimizer.Optimize"/> of <see cref="CircuitText.Parse"/>), so the id matches the one deployed on chain.
/// A miss rescans the directory, so a circuit added while the node runs is found without a restart. Files that do not
/// parse are skipped with a log line. Thread-safe.
/// </remarks>
public sealed class CircuitCatalog
{
    private readonly string? _directory;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Circuit> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _loaded = new(StringComparer.Ordinal);

    /// <summary>Creates the catalog of <paramref name="directory"/> (null: an empty catalog).</summary>
    public CircuitCatalog(string? directory, ILogger log)
    {
        _directory = directory;
        _log = log;
        Scan();
    }

    /// <summary>The circuits found so far.</summary>
    public int Count => _byId.Count;

    /// <summary>The circuit whose id is <paramref name="circuitId"/>, rescanning the directory once on a miss; null when none has it.</summary>
    public Circuit? Find(CircuitId circuitId)
    {
        string key = circuitId.ToString();
        if (_byId.TryGetValue(key, out var circuit))
            return circuit;
        Scan();
        return _byId.GetValueOrDefault(key);
    }

    private void Scan()
    {
        if (_directory is null || !Directory.Exists(_directory))
            return;
        foreach (string file in Directory.EnumerateFiles(_directory, "*.ir", SearchOption.TopDirectoryOnly))
        {
            DateTime written = File.GetLastWriteTimeUtc(file);
            if (_loaded.TryGetValue(file, out var seen) && seen == written)
                continue;
            _loaded[file] = written;
            try
            {
                var circuit = CircuitOptimizer.Optimize(CircuitText.Parse(File.ReadAllText(file), file));
                _byId[circuit.Id.ToString()] = circuit;
            }
            catch (Exception e) when (e is CircuitValidationException or NotSupportedException or IOException)
            {
                _log.CircuitFileSkipped(file, e.Message);
            }
        }
    }
}
