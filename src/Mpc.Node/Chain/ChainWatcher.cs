using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Node.Jobs;
using Mpc.Node.Storage;
using JobStatus = Mpc.Node.Storage.JobStatus;

namespace Mpc.Node.Chain;

/// <summary>The node's background loop over the chain: creates the jobs of its cluster from <c>JobCreated</c> events and starts them when their input deadline has passed.</summary>
/// <remarks>
/// <para>Every <see cref="ChainOptions.PollInterval"/>: read <c>JobCreated</c> logs from the first unscanned block to the
/// latest (at most <see cref="ChainOptions.MaxLogRange"/> blocks per query), and record the next block in the node's
/// store (<see cref="NodeStore.SetChainCursor"/>) so a restart resumes there. The very first scan starts at
/// <see cref="ChainOptions.StartBlock"/> or else the contract's deployment block (never at genesis of a long chain).</para>
/// <para>A job is this node's when its cluster is <see cref="ChainOptions.ClusterId"/> (or, without one, when the cluster's
/// member at this node's index is its operator address) and the cluster has as many members as the node has peers. Its
/// secret contract's circuit id is looked up in the circuits directory (<see cref="CircuitCatalog"/>) and the job is
/// registered locally with the chain job id; a circuit the node does not have may still be registered by the client.</para>
/// <para>Deadlines are judged by chain time (<see cref="SecretContractsClient.GetDeadlineClockAsync"/>): once it reaches a
/// job's input deadline the job is released (<see cref="JobScheduler.ReleaseChainJob"/>) and runs as soon as all committed
/// shares are in; if some are still missing <see cref="ChainOptions.LateInputGrace"/> later it fails, naming them. Every
/// node reaches the same decision from the same chain, so no coordinator is needed.</para>
/// </remarks>
public sealed class ChainWatcher : IAsyncDisposable
{
    private readonly JobScheduler _jobs;
    private readonly NodeStore _store;
    private readonly NodeOptions _options;
    private readonly NodeChain _chain;
    private readonly ILogger _log;
    private readonly CircuitCatalog _circuits;
    // Secret contracts and clusters never change once created: one getContract/getCluster call each, not one per job.
    private readonly Dictionary<ulong, SecretContractInfo> _contracts = [];
    private readonly Dictionary<ulong, ClusterInfo> _clusters = [];
    // Jobs waiting for their input deadline (or for late shares): touched only by the polling loop, so unlocked.
    private readonly Dictionary<ulong, DateTimeOffset> _waiting = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _cursorKey;
    private Task _loop = Task.CompletedTask;
    private long _next = -1;

    private ChainWatcher(JobScheduler jobs, NodeStore store, NodeOptions options, NodeChain chain, ILogger log)
    {
        _jobs = jobs;
        _store = store;
        _options = options;
        _chain = chain;
        _log = log;
        _circuits = new CircuitCatalog(chain.Options.CircuitsDirectory, log);
        _cursorKey = "jobs@" + chain.Contract.Address;
    }

    /// <summary>The block this watcher's first scan started at (the stored position after a restart); −1 before it.</summary>
    public long ScanStart { get; private set; } = -1;

    /// <summary>Starts watching in the background (the first poll runs at once).</summary>
    /// <exception cref="InvalidOperationException">The node has no chain settings.</exception>
    public static ChainWatcher Start(JobScheduler jobs, NodeStore store, NodeOptions options, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var chain = jobs.Chain ?? throw new InvalidOperationException("the chain watcher needs NodeOptions.Chain");
        var watcher = new ChainWatcher(jobs, store, options, chain, log);
        watcher._loop = Task.Run(() => watcher.RunAsync(watcher._stopping.Token));
        return watcher;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is EthereumRpcException or HttpRequestException or SecretContractsRevertException or InvalidDataException or InvalidOperationException or TimeoutException)
            {
                _log.WatcherPollFailed(e.Message);
            }
            try
            {
                await Task.Delay(_chain.Options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One poll: scan new blocks for jobs, then release or fail waiting jobs by chain time.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        var contract = _chain.Contract;
        if (_next < 0)
            await StartScanAsync(cancellationToken).ConfigureAwait(false);

        long latest = await contract.Rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        while (_next <= latest)
        {
            long to = Math.Min(latest, _next + _chain.Options.MaxLogRange - 1);
            var created = await contract.GetJobCreatedEventsAsync(BlockParameter.Number(_next), BlockParameter.Number(to), null, cancellationToken).ConfigureAwait(false);
            foreach (var job in created)
                await OnJobCreatedAsync(job, cancellationToken).ConfigureAwait(false);
            // Durable before moving on: a crash re-reads at most this range, and registration is idempotent.
            _store.SetChainCursor(_cursorKey, to + 1);
            _next = to + 1;
        }

        if (_waiting.Count == 0)
            return;
        var now = await contract.GetDeadlineClockAsync(cancellationToken).ConfigureAwait(false);
        // A copy: the loop forgets entries as it goes.
        foreach (var (id, deadline) in _waiting.ToArray())
        {
            string job = id.ToString(CultureInfo.InvariantCulture);
            var record = _store.GetJob(job);
            if (record is null)
            {
                // Its circuit is unknown here; a client may still register it until the grace period ends.
                if (now >= deadline + _chain.Options.LateInputGrace)
                    _waiting.Remove(id);
                continue;
            }
            if (record.Status != JobStatus.Pending)
            {
                _waiting.Remove(id);
                continue;
            }
            if (now < deadline)
                continue;
            if (_jobs.ReleaseChainJob(job))
                _log.ChainJobReleased(job);
            if (now >= deadline + _chain.Options.LateInputGrace && _store.GetJob(job)?.Status == JobStatus.Pending)
            {
                string missing = string.Join(", ", MissingInputs(record));
                if (_jobs.FailPendingJob(job, $"input share(s) {missing} missing {_chain.Options.LateInputGrace} after the input deadline"))
                    _waiting.Remove(id);
            }
        }
    }

    private async Task StartScanAsync(CancellationToken cancellationToken)
    {
        long start = _store.GetChainCursor(_cursorKey)
            ?? _chain.Options.StartBlock
            ?? await _chain.Contract.FindDeploymentBlockAsync(cancellationToken).ConfigureAwait(false);
        _chain.ScanFloor = _chain.Options.StartBlock ?? start;
        // After a restart: pending on-chain jobs created before the cursor still need their deadline.
        foreach (var job in _store.ListJobs())
        {
            if (job.Status == JobStatus.Pending && NodeChain.TryParseJobId(job.Id, out ulong id))
            {
                var info = await _chain.Contract.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
                _waiting[id] = info.InputDeadline;
            }
        }
        ScanStart = start;
        _next = start;
        _log.WatcherStarted(_chain.Contract.Address.ToString(), start, _chain.Operator.ToString());
    }

    private async Task OnJobCreatedAsync(JobCreatedEvent created, CancellationToken cancellationToken)
    {
        string job = created.JobId.ToString(CultureInfo.InvariantCulture);
        if (!_contracts.TryGetValue(created.ContractId, out var contract))
            _contracts[created.ContractId] = contract = await _chain.Contract.GetContractAsync(created.ContractId, cancellationToken).ConfigureAwait(false);
        if (!_clusters.TryGetValue(contract.ClusterId, out var cluster))
            _clusters[contract.ClusterId] = cluster = await _chain.Contract.GetClusterAsync(contract.ClusterId, cancellationToken).ConfigureAwait(false);
        bool ours = _chain.Options.ClusterId is { } mine
            ? contract.ClusterId == mine
            : cluster.Size > _options.NodeIndex && cluster.Members[_options.NodeIndex] == _chain.Operator;
        if (!ours || cluster.Size != _options.Peers.Count)
        {
            _log.ChainJobIgnored(job, contract.ClusterId);
            return;
        }
        var circuitId = CircuitId.FromBytes(contract.CircuitId);
        _log.ChainJobSeen(job, created.Log.BlockNumber, contract.ClusterId, circuitId.ToString(), created.InputDeadline);
        _chain.RememberJobBlock(created.JobId, created.Log.BlockNumber);
        var circuit = _circuits.Find(circuitId);
        try
        {
            if (circuit is not null)
                _jobs.Register(job, circuitId.ToString(), CircuitEncoding.Encode(circuit), "");
            else if (_store.GetJob(job) is null)
                _jobs.Register(job, circuitId.ToString(), [], "");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Not in the circuits directory and not stored: the client may still register it with the encoding.
            _log.ChainJobNotCreated(job, $"circuit {circuitId} is not in the circuits directory; waiting for a client to register it");
        }
        catch (RpcException e)
        {
            _log.ChainJobNotCreated(job, e.Status.Detail);
            return;
        }
        _waiting[created.JobId] = created.InputDeadline;
    }

    private IEnumerable<string> MissingInputs(JobRecord job)
    {
        var encoding = _store.GetCircuit(job.CircuitId);
        if (encoding is null)
            return ["(circuit unknown)"];
        var present = _store.GetInputShares(job.Id).Select(s => s.InputName).ToHashSet(StringComparer.Ordinal);
        return CircuitEncoding.Decode(encoding).Inputs.Select(i => i.QualifiedName).Where(n => !present.Contains(n));
    }

    /// <summary>Stops the loop and waits for the poll in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on shutdown.
        }
        _stopping.Dispose();
    }
}
