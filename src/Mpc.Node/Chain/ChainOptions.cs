using Mpc.Contracts.Ethereum;

namespace Mpc.Node.Chain;

/// <summary>How a node takes part in on-chain jobs: where the chain is, which <c>SecretContracts</c>, and its operator key.</summary>
/// <remarks>
/// With these settings every job id the node accepts is a decimal <c>SecretContracts</c> job id: input shares are
/// checked against the clients' on-chain commitments and the result is signed (EIP-712) with the operator key; the
/// members exchange signatures and the lowest member posts the result, the next ones after <see cref="FallbackPostDelay"/> if none is on chain.
/// </remarks>
public sealed class ChainOptions
{
    /// <summary>JSON-RPC URL of the Ethereum node, e.g. <c>http://127.0.0.1:8545</c>. Required.</summary>
    public string RpcUrl { get; set; } = "";

    /// <summary>Address of the deployed <c>SecretContracts</c> (0x + 40 hex digits). Required.</summary>
    public string ContractAddress { get; set; } = "";

    /// <summary>File holding the operator's secp256k1 private key as hex (the registered node address). Required; keep it private.</summary>
    public string OperatorKeyFile { get; set; } = "";

    /// <summary>How long the posting member keeps retrying <c>postResult</c> while the input phase is not over. Default 10 minutes.</summary>
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The on-chain cluster this node serves. With an empty <see cref="NodeOptions.Peers"/> list the node reads its peers
    /// from the registry at start-up (members in order, each registered endpoint and TLS fingerprint, which are then
    /// pinned), and takes <see cref="NodeOptions.NodeIndex"/> and <see cref="NodeOptions.Threshold"/> from the cluster.
    /// Without it, the watcher serves every cluster whose member at this node's index is its operator address.
    /// </summary>
    public ulong? ClusterId { get; set; }

    /// <summary>Directory of circuits (<c>*.ir</c>) this node runs when a job of a secret contract names one by circuit id; relative to the config file. Default none (the client must register the circuit).</summary>
    public string? CircuitsDirectory { get; set; }

    /// <summary>First block to scan for job events on the very first start (later starts resume where the last scan ended). Default: the contract's deployment block, found by binary search.</summary>
    public long? StartBlock { get; set; }

    /// <summary>How often the watcher polls the chain for new jobs and deadlines. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most blocks one <c>eth_getLogs</c> query spans (public endpoints cap the range). Default 5000.</summary>
    public int MaxLogRange { get; set; } = 5000;

    /// <summary>Member k posts the result only if none is on chain k × this delay after it signed (member 0 at once). Default 20 s.</summary>
    public TimeSpan FallbackPostDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long after the input deadline a job may still wait for committed shares that have not arrived before it fails. Default 30 s.</summary>
    public TimeSpan LateInputGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Resolves the relative paths in these settings against <paramref name="baseDirectory"/> (the config file's directory).</summary>
    internal void ResolvePaths(string baseDirectory)
    {
        if (OperatorKeyFile.Length > 0)
            OperatorKeyFile = Path.GetFullPath(OperatorKeyFile, baseDirectory);
        if (CircuitsDirectory is { Length: > 0 } circuits)
            CircuitsDirectory = Path.GetFullPath(circuits, baseDirectory);
    }

    /// <summary>Adds one entry per bad setting to <paramref name="error"/> (setting name, problem).</summary>
    internal void Validate(Action<string, string> error)
    {
        const string at = nameof(NodeOptions.Chain);
        if (!Uri.TryCreate(RpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
            error($"{at}.{nameof(RpcUrl)}", $"'{RpcUrl}' is not an http(s) URL");
        try
        {
            EthAddress.Parse(ContractAddress);
        }
        catch (FormatException e)
        {
            error($"{at}.{nameof(ContractAddress)}", e.Message);
        }
        if (string.IsNullOrWhiteSpace(OperatorKeyFile))
            error($"{at}.{nameof(OperatorKeyFile)}", "is required");
        else if (!File.Exists(OperatorKeyFile))
            error($"{at}.{nameof(OperatorKeyFile)}", $"'{OperatorKeyFile}' does not exist");
        if (PostTimeout <= TimeSpan.Zero)
            error($"{at}.{nameof(PostTimeout)}", $"{PostTimeout} must be positive");
        if (ClusterId == 0)
            error($"{at}.{nameof(ClusterId)}", "0 is not a cluster id (ids start at 1)");
        if (CircuitsDirectory is { Length: > 0 } circuits && !Directory.Exists(circuits))
            error($"{at}.{nameof(CircuitsDirectory)}", $"'{circuits}' does not exist");
        if (StartBlock < 0)
            error($"{at}.{nameof(StartBlock)}", $"{StartBlock} is not a block number");
        if (PollInterval < TimeSpan.FromMilliseconds(50))
            error($"{at}.{nameof(PollInterval)}", $"{PollInterval} must be at least 50 ms");
        if (MaxLogRange < 1)
            error($"{at}.{nameof(MaxLogRange)}", $"{MaxLogRange} must be at least 1");
        if (FallbackPostDelay <= TimeSpan.Zero)
            error($"{at}.{nameof(FallbackPostDelay)}", $"{FallbackPostDelay} must be positive");
        if (LateInputGrace < TimeSpan.Zero)
            error($"{at}.{nameof(LateInputGrace)}", $"{LateInputGrace} must not be negative");
    }
}
