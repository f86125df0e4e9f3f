using System.Globalization;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;

namespace Mpc.Cli;

/// <summary>A client's side of an on-chain input: share it, commit <c>keccak256(share ‖ salt)</c> per member on chain, then send share i with salt i to node i.</summary>
/// <remarks>
/// The commitment goes on chain first (it must be mined before the input deadline); a node accepts the share only if it
/// matches entry i of the sender's commitment vector. The chain keeps one vector per account and job, so each input is
/// committed from its own account. Shares are sent once the nodes know the job (their chain watcher creates it).
/// </remarks>
internal static class ChainInputs
{
    /// <summary>Commits and submits one input from <paramref name="committer"/>'s account; returns the <c>commitInputs</c> receipt.</summary>
    public static async Task<TransactionReceipt> CommitAndSendAsync<T>(SecretContractsClient committer, MpcClient client, ulong jobId, string inputName, T value,
        CancellationToken ct) where T : struct, IField<T>
    {
        var scheme = new ShamirScheme<T>(client.Scheme.Parties, client.Scheme.Threshold);
        var shares = scheme.Share(value, CryptoRandom.Shared).Select(s =>
        {
            var bytes = new byte[T.ByteLength];
            s.Write(bytes);
            return bytes;
        }).ToArray();
        var salts = shares.Select(_ => InputCommitment.NewSalt()).ToArray();
        var receipt = await committer.CommitInputsAsync(jobId, shares.Select((s, i) => InputCommitment.Compute(s, salts[i])).ToList(), ct);
        await client.SubmitSharesWhenRegisteredAsync(jobId.ToString(CultureInfo.InvariantCulture), inputName, shares, salts, TimeSpan.FromSeconds(30), ct);
        return receipt;
    }

    /// <summary>The cluster of a job as its client reaches it: endpoints and TLS fingerprints pinned from the registry.</summary>
    public static async Task<(RegisteredCluster Cluster, List<NodeEndpoint> Nodes)> ClusterOfJobAsync(SecretContractsClient contract, ulong jobId, CancellationToken ct)
    {
        var job = await contract.GetJobAsync(jobId, ct);
        var cluster = await contract.GetRegisteredClusterAsync(job.ClusterId, ct);
        var nodes = cluster.Members.Select((m, i) => new NodeEndpoint { Index = i, Endpoint = m.Endpoint, Fingerprint = cluster.FingerprintHex(i) }).ToList();
        return (cluster, nodes);
    }
}
