using Microsoft.Extensions.Logging;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Node.Chain;

/// <summary>Fills a node's peer list from the on-chain registry when its config names <see cref="ChainOptions.ClusterId"/> instead of static peers.</summary>
/// <remarks>
/// Members come in cluster order (member i evaluates at i + 1); each peer's endpoint and TLS fingerprint are the ones its
/// operator registered with <c>registerNode</c>, and the node pins exactly those fingerprints, as it would from a static
/// list. The node's own index is where its operator address stands in the cluster, t is the cluster's. Read once at
/// start-up: a member that re-registers elsewhere is picked up on the next restart.
/// </remarks>
public static class ClusterRegistry
{
    /// <summary>True when <paramref name="options"/> asks for peers from the chain (a cluster id and no static peers).</summary>
    public static bool Applies(NodeOptions options) =>
        options is { Chain.ClusterId: not null, Peers.Count: 0 };

    /// <summary>Reads the cluster and sets <see cref="NodeOptions.Peers"/>, <see cref="NodeOptions.NodeIndex"/> and <see cref="NodeOptions.Threshold"/>.</summary>
    /// <exception cref="NodeOptionsException">The chain settings are invalid, the operator is not a member, a configured index or
    /// threshold contradicts the chain, a member is not registered, or the chain cannot be read (each naming the setting).</exception>
    public static async Task ResolveAsync(NodeOptions options, ILogger log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chain = options.Chain ?? throw new ArgumentException("no chain settings", nameof(options));
        var errors = new List<string>();
        chain.Validate((setting, problem) => errors.Add($"{setting}: {problem}"));
        if (errors.Count > 0)
            throw new NodeOptionsException(errors);
        ulong clusterId = chain.ClusterId!.Value;
        const string at = $"{nameof(NodeOptions.Chain)}.{nameof(ChainOptions.ClusterId)}";

        EthAddress self;
        using (var key = EthKey.FromFile(chain.OperatorKeyFile, $"{nameof(NodeOptions.Chain)}.{nameof(ChainOptions.OperatorKeyFile)}"))
            self = key.Address;
        RegisteredCluster cluster;
        using (var rpc = new EthereumRpcClient(new Uri(chain.RpcUrl), SecretContractsClient.RevertDecoder))
        {
            try
            {
                cluster = await new SecretContractsClient(rpc, EthAddress.Parse(chain.ContractAddress)).GetRegisteredClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EthereumRpcException or HttpRequestException or SecretContractsRevertException or InvalidOperationException or InvalidDataException)
            {
                throw new NodeOptionsException([$"{at}: cannot read cluster {clusterId} from the registry: {e.Message}"]);
            }
        }

        int index = cluster.IndexOf(self);
        if (index < 0)
            errors.Add($"{at}: this node's operator {self} is not a member of cluster {clusterId}");
        else if (options.NodeIndex >= 0 && options.NodeIndex != index)
            errors.Add($"{nameof(NodeOptions.NodeIndex)}: {options.NodeIndex}, but operator {self} is member {index} of cluster {clusterId}");
        if (options.Threshold != 0 && options.Threshold != cluster.Threshold)
            errors.Add($"{nameof(NodeOptions.Threshold)}: {options.Threshold}, but cluster {clusterId} has t = {cluster.Threshold}");
        for (int i = 0; i < cluster.Members.Count; i++)
        {
            var member = cluster.Members[i];
            if (member.Status is not (NodeStatus.Active or NodeStatus.Exiting) || member.Endpoint.Length == 0)
                errors.Add($"{at}: member {i} ({member.Operator}) of cluster {clusterId} is {member.Status}, not a registered node");
        }
        if (errors.Count > 0)
            throw new NodeOptionsException(errors);

        options.NodeIndex = index;
        options.Threshold = cluster.Threshold;
        options.Peers = [.. cluster.Members.Select((m, i) => new PeerOptions { Index = i, Endpoint = m.Endpoint, Fingerprint = cluster.FingerprintHex(i) })];
        log.ClusterResolved(clusterId, index, cluster.Members.Count, cluster.Threshold);
    }
}
