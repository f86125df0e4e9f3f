using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mpc.Core.Fields;
using Mpc.Node.Chain;
using Mpc.Node.Security;

namespace Mpc.Node;

/// <summary>A cluster member as seen from every node: its index, where to reach it and its pinned certificate.</summary>
public sealed class PeerOptions
{
    /// <summary>The member's party index, 0-based; party i evaluates shares at x = i + 1.</summary>
    public int Index { get; set; } = -1;

    /// <summary>The member's gRPC endpoint, e.g. <c>https://10.0.0.2:7400</c>. Must be https.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>SHA-256 fingerprint of the member's certificate (64 hex digits).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>The TCP port on the endpoint's host where the member accepts links from other members; default: the endpoint's port + 1.</summary>
    /// <remarks>
    /// Node-to-node traffic has its own mutual-TLS listener (like etcd's client and peer URLs): the endpoint serves
    /// clients over gRPC, the peer port carries protocol rounds (see <c>PeerTransport</c>). Members read from the
    /// chain registry always use the default.
    /// </remarks>
    public int? PeerPort { get; set; }

    /// <summary>The peer port in effect: <see cref="PeerPort"/>, or the endpoint's port + 1.</summary>
    public int ResolvedPeerPort => PeerPort ?? (Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) ? uri.Port + 1 : 0);
}

/// <summary>Configuration of one node daemon, loaded from <c>node.json</c> and validated at start-up.</summary>
/// <remarks>
/// The same <see cref="Peers"/> list (all members, this node included) is given to every node of a
/// cluster. There is deliberately no insecure or test mode: every connection is mutual TLS with
/// pinned fingerprints, and nothing here can select a trusted dealer.
/// </remarks>
public sealed class NodeOptions
{
    /// <summary>The fields a node can compute in.</summary>
    public static readonly IReadOnlyList<string> SupportedFields = [Fp61.Name, Fp127.Name, Gf2k64.Name];

    /// <summary>This node's party index in <see cref="Peers"/>. Required.</summary>
    public int NodeIndex { get; set; } = -1;

    /// <summary>IP address Kestrel listens on. Default <c>127.0.0.1</c>; use <c>0.0.0.0</c> to listen on all interfaces.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port for the peer and client gRPC services (HTTP/2 over TLS). 0 picks a free port (see <c>NodeHost.Urls</c>). Default 7400.</summary>
    public int ListenPort { get; set; } = 7400;

    /// <summary>Directory holding the node's database (<c>node.db</c>) and, by default, its key and certificate. Required; created if missing.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>PEM certificate path. Default <c>&lt;DataDirectory&gt;/node.crt</c>; relative paths are resolved against the config file's directory.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM PKCS#8 private key path. Default <c>&lt;DataDirectory&gt;/node.key</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>All cluster members, this node included, indices 0..n−1 each exactly once.</summary>
    public List<PeerOptions> Peers { get; set; } = [];

    /// <summary>Fingerprints of client certificates allowed to use the Client service. Default none.</summary>
    public List<string> AllowedClients { get; set; } = [];

    /// <summary>Which client acts for which circuit party: party name (as in <c>input alice.x</c>) → client fingerprint.</summary>
    /// <remarks>
    /// Only the mapped client may submit inputs owned by that party or fetch that party's private output
    /// shares. A party name that is not mapped may be acted for by any allowed client (convenient for a
    /// single-client development cluster; map every party in production). Every fingerprint here must also
    /// be in <see cref="AllowedClients"/>.
    /// </remarks>
    public Dictionary<string, string> ClientParties { get; set; } = [];

    /// <summary>Shamir threshold t: any t nodes learn nothing. Must satisfy 1 ≤ t and n ≥ 2t + 1. Required.</summary>
    public int Threshold { get; set; }

    /// <summary>The computation field: <c>Fp61</c> (default), <c>Fp127</c>, or <c>Gf2k64</c> for boolean (Bristol) circuits.</summary>
    public string Field { get; set; } = "Fp61";

    /// <summary>
    /// κ, the statistical security in bits of the masks behind comparisons and truncations (Catrina–de Hoogh 2010):
    /// a masked opening leaks at most 2^−κ. A circuit whose integer gates have k + κ + 1 ≥ log2 p in <see cref="Field"/>
    /// is refused when its job is registered. All nodes of a cluster must use the same value. Default 40; 1..120.
    /// </summary>
    public int Security { get; set; } = 40;

    /// <summary>How long peers may take to connect after start-up (and to reconnect) before exchanges with them fail. Default 30 s.</summary>
    public TimeSpan PeerConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a receive waits for one message from a live peer before failing. Default 60 s.</summary>
    public TimeSpan RoundTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Interval of keep-alive pings on peer links (and of HTTP/2 pings to clients); a peer link on which nothing arrives for three intervals is dropped. Default 5 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message accepted from or sent to a peer, and largest input share, in bytes. Default 256 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 256 << 20;

    /// <summary>
    /// Largest total, in bytes, of one peer's messages held for receives nobody has asked for yet (a job this node has not
    /// started, a peer rounds ahead). A peer that sends past it is disconnected with <c>RESOURCE_EXHAUSTED</c>, which fails the
    /// exchanges this node has with it, so a faulty or hostile member cannot make a node buffer without bound. Default 1 GiB;
    /// at least <see cref="MaxMessageBytes"/>.
    /// </summary>
    public long MaxBufferedBytesPerPeer { get; set; } = 1L << 30;

    /// <summary>Plain-HTTP URL serving Prometheus-style text metrics at <c>/metrics</c>, e.g. <c>http://127.0.0.1:9464</c>. Default none (disabled).</summary>
    public string? MetricsUrl { get; set; }

    /// <summary>On-chain jobs (commitment checks, signed results); default none (off-chain jobs only). See <see cref="ChainOptions"/>.</summary>
    public ChainOptions? Chain { get; set; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads <c>node.json</c>; relative paths in it are resolved against the file's directory. Does not validate.</summary>
    /// <exception cref="InvalidDataException">The file is missing or is not valid JSON for these options.</exception>
    public static NodeOptions Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"node config '{path}' does not exist");
        NodeOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<NodeOptions>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
        if (options is null)
            throw new InvalidDataException($"{path}: the file holds no options object");
        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (options.DataDirectory.Length > 0)
            options.DataDirectory = Path.GetFullPath(options.DataDirectory, baseDirectory);
        if (options.CertificatePath is { Length: > 0 } cert)
            options.CertificatePath = Path.GetFullPath(cert, baseDirectory);
        if (options.KeyPath is { Length: > 0 } key)
            options.KeyPath = Path.GetFullPath(key, baseDirectory);
        options.Chain?.ResolvePaths(baseDirectory);
        return options;
    }

    /// <summary>Writes the options as JSON (the format <see cref="Load"/> reads).</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>The certificate path in effect (explicit or the default in <see cref="DataDirectory"/>).</summary>
    public string ResolvedCertificatePath => CertificatePath is { Length: > 0 } p ? p : Path.Combine(DataDirectory, "node.crt");

    /// <summary>The key path in effect (explicit or the default in <see cref="DataDirectory"/>).</summary>
    public string ResolvedKeyPath => KeyPath is { Length: > 0 } p ? p : Path.Combine(DataDirectory, "node.key");

    /// <summary>Checks every setting and throws one exception listing all problems, each naming its setting.</summary>
    /// <exception cref="NodeOptionsException">At least one setting is invalid.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        void Error(string setting, string problem) => errors.Add($"{setting}: {problem}");

        int n = Peers.Count;
        if (n < 3)
            Error(nameof(Peers), $"a cluster needs at least 3 members (honest majority with t ≥ 1), got {n}");
        if (NodeIndex < 0 || NodeIndex >= Math.Max(n, 1))
            Error(nameof(NodeIndex), $"{NodeIndex} is not the index of a member of {nameof(Peers)} (0..{n - 1})");
        if (!IPAddress.TryParse(ListenAddress, out _))
            Error(nameof(ListenAddress), $"'{ListenAddress}' is not an IP address");
        if (ListenPort is < 0 or > 65535)
            Error(nameof(ListenPort), $"{ListenPort} is not a TCP port (0..65535)");
        if (string.IsNullOrWhiteSpace(DataDirectory))
            Error(nameof(DataDirectory), "is required");
        if (Threshold < 1 || 2 * Threshold + 1 > n)
            Error(nameof(Threshold), $"t = {Threshold} needs 1 ≤ t and n ≥ 2t + 1 with n = {n} (honest majority)");
        if (!SupportedFields.Contains(Field))
            Error(nameof(Field), $"'{Field}' is not one of {string.Join(", ", SupportedFields)}");
        if (Security is < 1 or > 120)
            Error(nameof(Security), $"κ = {Security} must be between 1 and 120 bits (40 is the usual choice)");
        if (PeerConnectTimeout <= TimeSpan.Zero)
            Error(nameof(PeerConnectTimeout), $"{PeerConnectTimeout} must be positive");
        if (RoundTimeout <= TimeSpan.Zero)
            Error(nameof(RoundTimeout), $"{RoundTimeout} must be positive");
        if (KeepAliveInterval < TimeSpan.FromSeconds(1))
            Error(nameof(KeepAliveInterval), $"{KeepAliveInterval} must be at least 1 s");
        if (MaxMessageBytes < 1024)
            Error(nameof(MaxMessageBytes), $"{MaxMessageBytes} must be at least 1024 bytes");
        if (MaxBufferedBytesPerPeer < MaxMessageBytes)
            Error(nameof(MaxBufferedBytesPerPeer), $"{MaxBufferedBytesPerPeer} must be at least {nameof(MaxMessageBytes)} = {MaxMessageBytes}");
        if (MetricsUrl is not null && (!Uri.TryCreate(MetricsUrl, UriKind.Absolute, out var metrics) || metrics.Scheme != Uri.UriSchemeHttp
            || !IPAddress.TryParse(metrics.Host.Trim('[', ']'), out _) || metrics.Port <= 0))
            Error(nameof(MetricsUrl), $"'{MetricsUrl}' is not an http://<ip>:<port> URL");

        var seenIndex = new HashSet<int>();
        var seenFingerprint = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < n; i++)
        {
            var peer = Peers[i];
            string at = $"{nameof(Peers)}[{i}]";
            if (peer is null)
            {
                Error(at, "is null");
                continue;
            }
            if (peer.Index < 0 || peer.Index >= n)
                Error($"{at}.{nameof(PeerOptions.Index)}", $"{peer.Index} is outside 0..{n - 1}");
            else if (!seenIndex.Add(peer.Index))
                Error($"{at}.{nameof(PeerOptions.Index)}", $"index {peer.Index} appears twice");
            if (!Uri.TryCreate(peer.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Port <= 0)
                Error($"{at}.{nameof(PeerOptions.Endpoint)}", $"'{peer.Endpoint}' is not an https://host:port URL");
            else if (peer.ResolvedPeerPort is < 1 or > 65535)
                Error($"{at}.{nameof(PeerOptions.PeerPort)}", $"{peer.ResolvedPeerPort} is not a TCP port (1..65535){(peer.PeerPort is null ? "; the default is the endpoint's port + 1" : "")}");
            else if (peer.ResolvedPeerPort == uri.Port)
                Error($"{at}.{nameof(PeerOptions.PeerPort)}", $"{peer.ResolvedPeerPort} is the endpoint's own port; peers need a port of their own");
            if (!TryParseFingerprint(peer.Fingerprint, out string? problem))
                Error($"{at}.{nameof(PeerOptions.Fingerprint)}", problem!);
            else if (!seenFingerprint.Add(Normalize(peer.Fingerprint)))
                Error($"{at}.{nameof(PeerOptions.Fingerprint)}", "the same certificate is pinned for two members");
        }
        for (int i = 0; i < AllowedClients.Count; i++)
        {
            string at = $"{nameof(AllowedClients)}[{i}]";
            if (!TryParseFingerprint(AllowedClients[i], out string? problem))
                Error(at, problem!);
            else if (seenFingerprint.Contains(Normalize(AllowedClients[i])))
                Error(at, "is also a member's certificate; clients need their own");
        }
        var allowed = new HashSet<string>(AllowedClients.Where(c => c is not null).Select(Normalize), StringComparer.OrdinalIgnoreCase);
        foreach (var (party, fingerprint) in ClientParties)
        {
            string at = $"{nameof(ClientParties)}[{party}]";
            if (!Mpc.Core.Circuits.Circuit.IsIdentifier(party))
                Error(at, $"'{party}' is not a party name (an identifier)");
            if (fingerprint is null || !allowed.Contains(Normalize(fingerprint)))
                Error(at, $"'{fingerprint}' is not one of {nameof(AllowedClients)}");
        }
        Chain?.Validate(Error);
        errors.AddRange(PoolErrors());
        if (errors.Count > 0)
            throw new NodeOptionsException(errors);
    }

    /// <summary>True when the client with <paramref name="clientFingerprint"/> may act for circuit party <paramref name="party"/> (see <see cref="ClientParties"/>).</summary>
    public bool MayActFor(string clientFingerprint, string party) =>
        !ClientParties.TryGetValue(party, out string? owner) || string.Equals(Normalize(owner), Normalize(clientFingerprint), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string fingerprint) => fingerprint.Replace(":", "", StringComparison.Ordinal).Trim();

    private static bool TryParseFingerprint(string? fingerprint, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(fingerprint))
        {
            problem = "is required (SHA-256 of the certificate, 64 hex digits)";
            return false;
        }
        try
        {
            CertificatePins.ParseFingerprint(fingerprint);
            return true;
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return false;
        }
    }

    /// <summary>Triples the background preprocessing pool keeps in stock (0 disables the pool; jobs then generate all triples on demand).</summary>
    public int PoolTargetTriples { get; set; } = 1 << 16;

    /// <summary>Triples per pool batch, the unit the pool generates and jobs consume (1..2^24).</summary>
    public int PoolBatchSize { get; set; } = 1 << 12;

    /// <summary>
    /// Shared random bits the pool generates with each batch (0, the default: none), for the masks of comparisons and
    /// truncations: an Fp127 cluster running such circuits sets this to about 2·PoolBatchSize (a 32-bit comparison
    /// uses 73 bits and 42 triples at κ = 40). 0..2^24. Bits a job's batches do not cover are generated in the job.
    /// </summary>
    public int PoolBatchBits { get; set; }

    private IEnumerable<string> PoolErrors()
    {
        if (PoolBatchBits is < 0 or > 1 << 24)
            yield return $"{nameof(PoolBatchBits)}: {PoolBatchBits} must be 0..{1 << 24}";
        if (PoolTargetTriples < 0)
            yield return $"{nameof(PoolTargetTriples)}: {PoolTargetTriples} must be 0 (no pool) or positive";
        if (PoolBatchSize is < 1 or > 1 << 24)
            yield return $"{nameof(PoolBatchSize)}: {PoolBatchSize} must be 1..{1 << 24}";
        else if (PoolTargetTriples > 0 && PoolTargetTriples < PoolBatchSize)
            yield return $"{nameof(PoolTargetTriples)}: {PoolTargetTriples} is below one batch ({nameof(PoolBatchSize)} = {PoolBatchSize})";
    }
}

/// <summary>Invalid node configuration; <see cref="Exception.Message"/> lists every bad setting by name.</summary>
public sealed class NodeOptionsException : Exception
{
    /// <summary>Creates the exception from one line per problem, each starting with the setting's name.</summary>
    public NodeOptionsException(IReadOnlyList<string> errors)
        : base("invalid node configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e))) =>
        Errors = errors;

    /// <summary>One entry per problem, e.g. <c>Threshold: t = 2 needs … </c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
