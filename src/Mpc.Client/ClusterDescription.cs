using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mpc.Client;

/// <summary>One node as a client sees it: its party index, endpoint and pinned certificate fingerprint.</summary>
public sealed class NodeEndpoint
{
    /// <summary>The node's party index, 0-based (it holds shares at x = index + 1).</summary>
    public int Index { get; set; }

    /// <summary>The node's gRPC endpoint, <c>https://host:port</c>.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>SHA-256 fingerprint of the node's certificate (64 hex digits).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Process id when the node was started by <c>mpc cluster up</c>.</summary>
    public int? Pid { get; set; }

    /// <summary>When that process started (UTC); with <see cref="Pid"/> it identifies the process even after pids are recycled.</summary>
    public DateTime? Started { get; set; }

    /// <summary>The node's <c>node.json</c> when started by <c>mpc cluster up</c>; informational.</summary>
    public string? Config { get; set; }
}

/// <summary>What a client needs to reach a cluster: <c>cluster.json</c> as written by <c>mpc cluster up</c>.</summary>
/// <remarks>Relative paths (the client certificate and key) are resolved against the file's directory by <see cref="Load"/> and written relative to it by <see cref="Save"/>.</remarks>
public sealed class ClusterDescription
{
    /// <summary>Shamir threshold t of the cluster.</summary>
    public int Threshold { get; set; }

    /// <summary>The cluster's field, <c>Fp61</c>, <c>Fp127</c> or <c>Gf2k64</c>.</summary>
    public string Field { get; set; } = "Fp61";

    /// <summary>All nodes, ordered by index.</summary>
    public List<NodeEndpoint> Nodes { get; set; } = [];

    /// <summary>PEM certificate of the client identity allowed on every node.</summary>
    public string ClientCertificate { get; set; } = "";

    /// <summary>PEM PKCS#8 key of the client identity.</summary>
    public string ClientKey { get; set; } = "";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads <c>cluster.json</c>, resolving relative paths against its directory.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not JSON, or lists no nodes.</exception>
    public static ClusterDescription Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"cluster file '{path}' does not exist (run `mpc cluster up` first)");
        ClusterDescription? cluster;
        try
        {
            cluster = JsonSerializer.Deserialize<ClusterDescription>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
        if (cluster is null || cluster.Nodes.Count == 0)
            throw new InvalidDataException($"{path}: lists no nodes");
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        cluster.ClientCertificate = Path.GetFullPath(cluster.ClientCertificate, directory);
        cluster.ClientKey = Path.GetFullPath(cluster.ClientKey, directory);
        cluster.Nodes.Sort((a, b) => a.Index.CompareTo(b.Index));
        return cluster;
    }

    /// <summary>Writes the description as JSON (the format <see cref="Load"/> reads), with the client certificate and key relative to the file's directory.</summary>
    /// <remarks>The inverse of <see cref="Load"/>: a loaded description saves back as it was, so the cluster directory stays movable.</remarks>
    public void Save(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var saved = (ClusterDescription)MemberwiseClone();
        saved.ClientCertificate = Relative(ClientCertificate);
        saved.ClientKey = Relative(ClientKey);
        File.WriteAllText(path, JsonSerializer.Serialize(saved, JsonOptions));

        string Relative(string file) => file.Length == 0 ? file : Path.GetRelativePath(directory, Path.GetFullPath(file, directory));
    }
}
