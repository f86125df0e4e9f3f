using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;
using Mpc.Node.Chain;
using Mpc.Node.Diagnostics;
using Mpc.Node.Storage;
using Mpc.Node.Transport;

namespace Mpc.Node.Jobs;

/// <summary>The outcome of this node's side of the multiplication benchmark.</summary>
/// <param name="Preprocessing">Wall time of the dealer-free triple generation.</param>
/// <param name="Online">Wall time of the one Beaver batch.</param>
/// <param name="OnlineBytesSent">Payload bytes this node sent in the online batch.</param>
/// <param name="RoundTrip">Mean wall time of a one-element opening (one communication round).</param>
public readonly record struct NodeBenchmark(TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent, TimeSpan RoundTrip);

/// <summary>The outcome of this node's side of the comparison benchmark.</summary>
/// <param name="Preprocessing">Wall time of the dealer-free mask and triple generation.</param>
/// <param name="Online">Wall time of the one batched comparison.</param>
/// <param name="OnlineBytesSent">Payload bytes this node sent in the online phase.</param>
/// <param name="Rounds">Online rounds of one comparison.</param>
/// <param name="RandomBits">Random bits per comparison.</param>
/// <param name="Triples">Triples per comparison.</param>
public readonly record struct NodeComparisonBenchmark(TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent, int Rounds, int RandomBits, int Triples);

/// <summary>One input's shares in a submission to <see cref="JobScheduler.SubmitInputSharesAsync"/>.</summary>
/// <param name="InputName">The input's qualified name <c>owner.name</c> (or an unambiguous bare name).</param>
/// <param name="Shares">One field element per copy of the job, packed fixed-width little-endian.</param>
/// <param name="Salt">The on-chain commitment salt (empty without a chain).</param>
public readonly record struct InputSubmission(string InputName, byte[] Shares, byte[] Salt);

/// <summary>Registers jobs, validates and stores input shares, and runs a job once all its inputs are in.</summary>
/// <remarks>
/// <para>Agreement without a coordinator: the job id determines the protocol session
/// (<see cref="SessionOf"/>), every node runs the same deterministic schedule in it, and a node starts as
/// soon as it durably holds a share of every circuit input. A node that starts early simply waits in its
/// first exchange (buffered by the transport) for the others, for up to <see cref="NodeOptions.RoundTimeout"/>.</para>
/// <para>Triples come from the node's <see cref="PreprocessingPool{T}"/> (batches generated in the background
/// in lockstep by all nodes); the job's first exchange agrees which pooled batches it uses, and whatever the
/// pool cannot cover is generated on demand in the job's own session (DN07, no dealer). That covers the triples
/// of integer gates (comparison, equality, truncation) too; their masks' random bits are generated in the job's
/// session by the nodes together, in one batch for the whole circuit, with statistical security
/// <see cref="NodeOptions.Security"/>.</para>
/// <para>Failure: a transport failure (peer disconnected, keep-alive lost, round timeout) aborts the job on
/// every surviving node with status <see cref="JobStatus.Failed"/> and the transport's reason, which names
/// the peer and never contains share data. A node that restarts marks its interrupted jobs failed.</para>
/// </remarks>
public sealed class JobScheduler : IDisposable
{
    private readonly NodeOptions _options;
    private readonly NodeStore _store;
    private readonly PeerTransport _transport;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _log;
    private readonly IFieldRuntime _runtime;
    private readonly NodeChain? _chain;
    private readonly ConcurrentDictionary<string, Circuit> _circuits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    // Pending on-chain jobs whose input deadline has passed on chain (ChainWatcher); only these may start. Under _gate;
    // a job leaves the set when it leaves Pending, so the set holds no more than the pending jobs.
    private readonly HashSet<string> _released = new(StringComparer.Ordinal);
    // Shares stored by this process for jobs not yet started, so that a starting job need not read them back. Under _gate.
    private readonly PendingShares _pendingShares = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _benchmark = new(1, 1);
    // Serialises "is this input already taken / are all inputs in / start" decisions.
    private readonly Lock _gate = new();
    private int _disposed;

    /// <summary>Creates the scheduler of one node.</summary>
    public JobScheduler(NodeOptions options, NodeStore store, PeerTransport transport, NodeMetrics metrics, ILogger<JobScheduler> log)
    {
        _options = options;
        _store = store;
        _transport = transport;
        _metrics = metrics;
        _log = log;
        // The names are the field types' own (NodeOptions.Validate admits exactly these): an unknown field is refused, never run as another.
        _runtime = For<Fp61>() ?? For<Fp127>() ?? For<Gf2k64>()
            ?? throw new ArgumentException($"field '{options.Field}' is not one of {string.Join(", ", NodeOptions.SupportedFields)}", nameof(options));
        _chain = options.Chain is { } chain ? new NodeChain(chain, options.NodeIndex, log) : null;
        metrics.ObservePoolLevel(() => _runtime.PoolLevel);
    }

    private IFieldRuntime? For<T>() where T : struct, IField<T> => _options.Field == T.Name ? new FieldRuntime<T>(this) : null;

    /// <summary>Triples in this node's preprocessing pool (0 when <see cref="NodeOptions.PoolTargetTriples"/> is 0).</summary>
    public long PoolLevel => _runtime.PoolLevel;

    /// <summary>Pooled triples jobs have consumed on this node since start; every node consumes the same batches.</summary>
    public long PoolConsumed => _runtime.PoolConsumed;

    /// <summary>Pooled random bits (for comparisons and truncations) jobs have used on this node since start.</summary>
    public long PoolBitsConsumed => _runtime.PoolBitsConsumed;

    /// <summary>Keeps the preprocessing pool from starting new batches until the handle is disposed, as a running job does.</summary>
    /// <remarks>For work that follows a job on its critical path: delivering its result to the clients waiting for it.</remarks>
    public IDisposable DeferPoolRefill() => _runtime.HoldPoolForJob();

    /// <summary>Starts the background preprocessing pool; called once the transport is started.</summary>
    public void StartPool() => _runtime.StartPool();

    /// <summary>The on-chain side (commitment checks, result signing), or null when <see cref="NodeOptions.Chain"/> is not set.</summary>
    public NodeChain? Chain => _chain;

    /// <summary>Bytes of one input share or output value in the node's field.</summary>
    public int ElementBytes => _runtime.ElementBytes;

    // The node's benchmark: MultiplicationBenchmark's sessions, then one for the round-trip measurement.
    private const ulong RoundTripSession = MultiplicationBenchmark.LastSession + 1;

    /// <summary>The protocol session of a job: SHA-256 of its id, top bit set (sessions below 2^63 are the benchmark's).</summary>
    public static ulong SessionOf(string jobId) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(jobId))) | (1UL << 63);

    /// <summary>After a restart: fails jobs that were running when the node stopped and schedules complete pending ones.</summary>
    public void Recover()
    {
        foreach (var job in _store.ListJobs())
        {
            if (job.Status == JobStatus.Running)
            {
                string reason = $"node {_options.NodeIndex} restarted while the job was running";
                _store.SetJobStatus(job.Id, JobStatus.Failed, reason);
                _metrics.JobFinished("failed");
                _log.JobFailed(job.Id, reason);
            }
            else if (job.Status == JobStatus.Pending)
            {
                TrySchedule(job.Id);
            }
        }
    }

    /// <summary>Largest copy count a job may declare: k-wide wires and k × multiplications triples must stay allocatable.</summary>
    public const int MaxCopies = 1 << 16;

    /// <summary>Registers a job for a circuit given by its canonical encoding (or already stored under <paramref name="circuitId"/>).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="circuitId">Hex Keccak-256 of the circuit's canonical encoding.</param>
    /// <param name="encoding">The encoding, or empty when the node already stores the circuit (which it then also ignores).</param>
    /// <param name="field">The client's field name, or empty.</param>
    /// <param name="copies">K ≥ 1 copies evaluated side by side with independent inputs (<see cref="BatchedPartyEngine{T}"/> when K &gt; 1).</param>
    /// <exception cref="RpcException">InvalidArgument for a wrong field, an undecodable circuit, an id mismatch, a copy count out of
    /// 1..<see cref="MaxCopies"/> or a circuit K &gt; 1 copies cannot run (private outputs, integer gates); FailedPrecondition if the
    /// job exists for another circuit or copy count, or for K &gt; 1 on a node bound to a chain.</exception>
    public JobRecord Register(string jobId, string circuitId, ReadOnlySpan<byte> encoding, string field, int copies = 1)
    {
        if (field.Length > 0 && !string.Equals(field, _options.Field, StringComparison.OrdinalIgnoreCase))
            throw Fail(StatusCode.InvalidArgument, $"this cluster computes in {_options.Field}, not '{field}'");
        if (copies is < 1 or > MaxCopies)
            throw Fail(StatusCode.InvalidArgument, $"copies = {copies}: must be 1..{MaxCopies}");
        // On-chain commitments are to single shares (keccak(share || salt) per input), so a packed K-share input has nothing to be checked against.
        if (copies > 1 && _chain is not null)
            throw Fail(StatusCode.FailedPrecondition, $"copies = {copies}: this node is bound to a chain, whose input commitments cover one share per input; on-chain jobs take copies = 1");
        string id = NormalizeCircuitId(circuitId);
        // A known id is its circuit (checked when it was stored): clients send the encoding with every job, and decoding and
        // storing an AES-sized circuit again for each job was work thrown away.
        var circuit = FindCircuit(id);
        if (circuit is null)
        {
            if (encoding.IsEmpty)
                throw Fail(StatusCode.NotFound, $"circuit {circuitId} is not known to this node; send its encoding");
            try
            {
                circuit = CircuitEncoding.Decode(encoding);
            }
            catch (CircuitEncodingException e)
            {
                throw Fail(StatusCode.InvalidArgument, $"circuit: {e.Message}");
            }
            if (NormalizeCircuitId(circuit.Id.ToString()) != id)
                throw Fail(StatusCode.InvalidArgument, $"the circuit's encoding hashes to {circuit.Id}, not to circuit_id {circuitId}");
            try
            {
                _runtime.CheckSupported(circuit); // integer gates must fit the field with κ: refuse now, not mid-job
            }
            catch (ArgumentException e)
            {
                throw Fail(StatusCode.InvalidArgument, $"circuit: {e.Message}");
            }
            CheckCopies(circuit, copies);
            _store.PutCircuit(id, encoding.ToArray());
            _circuits.TryAdd(id, circuit);
        }
        else
        {
            CheckCopies(circuit, copies);
        }
        JobRecord job;
        try
        {
            job = _store.CreateJob(jobId, id, copies);
        }
        catch (ArgumentException e)
        {
            throw Fail(StatusCode.InvalidArgument, e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw Fail(StatusCode.FailedPrecondition, e.Message);
        }
        TrySchedule(jobId);
        return job;
    }

    // K > 1 runs BatchedPartyEngine: public outputs only, no integer gates (their protocols are not batched), k × multiplications triples.
    private static void CheckCopies(Circuit circuit, int copies)
    {
        if (copies == 1)
            return;
        if (circuit.Outputs.Any(o => o.Visibility != OutputVisibility.Public))
            throw Fail(StatusCode.InvalidArgument, $"copies = {copies}: circuit '{circuit.Name}' has private outputs; jobs with copies > 1 open public outputs only");
        if (circuit.Gates.Any(g => g.Kind > GateKind.Output))
            throw Fail(StatusCode.InvalidArgument, $"copies = {copies}: circuit '{circuit.Name}' has integer gates (comparison, equality, truncation); jobs with copies > 1 take add/sub/mul circuits only");
        if ((long)circuit.Stats.Multiplications * copies > int.MaxValue)
            throw Fail(StatusCode.InvalidArgument, $"copies = {copies}: {copies} × {circuit.Stats.Multiplications} multiplications exceed one job's triple budget");
    }

    /// <summary>
    /// Validates shares of several inputs of one job, stores them all in one durable commit (or none, when any is refused),
    /// then starts the job if they were the last ones missing.
    /// </summary>
    /// <param name="jobId">A registered job.</param>
    /// <param name="client">The authenticated client's fingerprint.</param>
    /// <param name="inputs">Each input at most once, with one share per copy of the job (packed).</param>
    /// <param name="cancellationToken">The caller going away cancels the on-chain commitment checks.</param>
    /// <returns>Per input, whether it was newly stored or already stored identically.</returns>
    /// <exception cref="RpcException">NotFound (job), InvalidArgument (an unknown input, an empty or repeated input list, a non-canonical
    /// element, a share count other than the job's copies, naming the input and both counts), PermissionDenied (owner, or no on-chain
    /// commitment), AlreadyExists (another client's or different bytes), FailedPrecondition (job no longer pending). Nothing is stored then.</exception>
    public async Task<StoreResult[]> SubmitInputSharesAsync(string jobId, string client, IReadOnlyList<InputSubmission> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var job = _store.GetJob(jobId) ?? throw Fail(StatusCode.NotFound, $"no job '{jobId}'");
        var circuit = FindCircuit(job.CircuitId) ?? throw Fail(StatusCode.Internal, $"circuit {job.CircuitId} of job '{jobId}' is missing from the store");
        if (inputs.Count == 0)
            throw Fail(StatusCode.InvalidArgument, $"no input shares for job '{jobId}'");
        var records = new InputShareRecord[inputs.Count];
        var names = new HashSet<string>(inputs.Count, StringComparer.Ordinal);
        for (int i = 0; i < inputs.Count; i++)
        {
            var (name, shares, salt) = inputs[i];
            if (!circuit.TryGetInput(name, out var input))
                throw Fail(StatusCode.InvalidArgument, $"circuit '{circuit.Name}' of job '{jobId}' has no input '{name}'; its inputs are {string.Join(", ", circuit.Inputs.Select(x => x.QualifiedName))}");
            if (!_options.MayActFor(client, input.Owner))
                throw Fail(StatusCode.PermissionDenied, $"this client may not submit inputs of party '{input.Owner}'");
            if (!names.Add(input.QualifiedName))
                throw Fail(StatusCode.InvalidArgument, $"input '{input.QualifiedName}' appears more than once in one submission for job '{jobId}'");
            CheckShareCount(job, input.QualifiedName, shares.Length);
            if (!_runtime.IsCanonical(shares))
                throw Fail(StatusCode.InvalidArgument, $"a share of input '{input.QualifiedName}' is not a canonical {_options.Field} element");
            records[i] = new InputShareRecord(jobId, input.QualifiedName, client, shares, salt);
        }
        // On-chain jobs: a share counts only if the client committed to it on chain (copies = 1 there, see Register).
        if (_chain is not null)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            foreach (var record in records)
            {
                if (_store.GetInputClients(jobId, record.InputName).Contains(client))
                    continue; // already stored (and checked) for this client: a retry
                string? rejected;
                try
                {
                    rejected = await _chain.CheckInputShareAsync(jobId, record.InputName, client, record.Share, record.Salt, cancel.Token).ConfigureAwait(false);
                }
                catch (ChainException e)
                {
                    throw Fail(StatusCode.Unavailable, e.Message);
                }
                if (rejected is not null)
                    throw Fail(StatusCode.PermissionDenied, rejected);
            }
        }
        StoreResult[] results;
        lock (_gate)
        {
            // Only the submitted inputs' holders, never the job's share bytes: a job whose k inputs arrive one call each reads O(k), not O(k²).
            job = _store.GetJob(jobId)!;
            var status = job.Status;
            foreach (var record in records)
            {
                var holders = _store.GetInputClients(jobId, record.InputName);
                if (holders.Any(c => c != client))
                    throw Fail(StatusCode.AlreadyExists, $"input '{record.InputName}' of job '{jobId}' was already submitted by another client");
                if (holders.Count == 0 && status != JobStatus.Pending)
                    throw Fail(StatusCode.FailedPrecondition, $"job '{jobId}' is {status.ToString().ToLowerInvariant()} and takes no more inputs");
            }
            // The submission that completes a job that may start commits Running with the shares: one durable commit on the job's
            // critical path, and a crash leaves either neither (nothing acknowledged, not started) or both (recovery fails it).
            bool mayStart = status == JobStatus.Pending && !_running.ContainsKey(jobId) && MayStart(job);
            results = _store.PutInputShares(records, mayStart ? circuit.Inputs.Length : 0, out var started);
            if (!results.Contains(StoreResult.Conflict)) // a conflict rolls the whole submission back
                _pendingShares.Add(records.Where((_, i) => results[i] == StoreResult.Stored));
            if (started is not null)
                Start(started, circuit);
        }
        int conflict = Array.IndexOf(results, StoreResult.Conflict);
        if (conflict >= 0)
            throw Fail(StatusCode.AlreadyExists, $"input '{records[conflict].InputName}' of job '{jobId}' was already submitted by this client with different bytes");
        return results;
    }

    private void CheckShareCount(JobRecord job, string input, int bytes)
    {
        int size = ElementBytes;
        if (bytes == job.Copies * size)
            return;
        string got = bytes % size == 0 ? $"{bytes / size} share{(bytes == size ? "" : "s")}" : $"{bytes} bytes, not a whole number of {size}-byte elements";
        throw Fail(StatusCode.InvalidArgument,
            $"input '{input}' of job '{job.Id}' takes {job.Copies} share{(job.Copies == 1 ? "" : "s")} of {_options.Field} ({job.Copies} cop{(job.Copies == 1 ? "y" : "ies")}, {job.Copies * size} bytes); got {got}");
    }

    /// <summary>On-chain jobs: lets <paramref name="jobId"/> start, because its input deadline has passed on chain; it runs as soon as all its inputs are in.</summary>
    /// <remarks>With <see cref="NodeOptions.Chain"/> set, a job never starts before this call (made by <see cref="ChainWatcher"/>), so late commitments cannot be missed.</remarks>
    /// <returns>True the first time the job is released, false on repeats.</returns>
    public bool ReleaseChainJob(string jobId)
    {
        lock (_gate)
        {
            bool first = _released.Add(jobId);
            TrySchedule(jobId); // drops the entry again when the job is unknown or no longer pending
            return first;
        }
    }

    /// <summary>Fails a job that is still pending (not started), e.g. because committed inputs never arrived; false when it already started or ended.</summary>
    public bool FailPendingJob(string jobId, string reason)
    {
        lock (_gate)
        {
            var job = _store.GetJob(jobId);
            if (job is null || job.Status != JobStatus.Pending || _running.ContainsKey(jobId))
                return false;
            _store.SetJobStatus(jobId, JobStatus.Failed, reason);
            _released.Remove(jobId);
            _pendingShares.Forget(jobId);
        }
        _metrics.JobFinished("failed");
        _log.JobFailed(jobId, reason);
        return true;
    }

    /// <summary>Whether <paramref name="client"/> may read <paramref name="output"/> (public, or private to a party it acts for).</summary>
    public bool MayFetch(OutputRecord output, string client) => output.IsPublic || (output.Owner is { } owner && _options.MayActFor(client, owner));

    /// <summary>Runs this node's side of the multiplication benchmark (sessions 1–3; one benchmark at a time).</summary>
    public async Task<NodeBenchmark> BenchmarkAsync(int multiplications, int roundTrips, CancellationToken cancellationToken)
    {
        if (multiplications < MultiplicationBenchmark.CheckedProducts)
            throw Fail(StatusCode.InvalidArgument, $"multiplications = {multiplications}: at least {MultiplicationBenchmark.CheckedProducts} are needed");
        if (roundTrips is < 1 or > 100_000)
            throw Fail(StatusCode.InvalidArgument, $"round_trips = {roundTrips}: must be 1..100000");
        await _benchmark.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _log.BenchmarkStarted(multiplications);
            // A freshly started cluster answers clients before every peer link is up: the clocks must not time the connecting.
            await _transport.WaitForPeersAsync(cancellationToken).ConfigureAwait(false);
            // Background preprocessing would share the CPU and the links with the measurement.
            using var paused = await _runtime.PausePoolAsync(cancellationToken).ConfigureAwait(false);
            return await _runtime.BenchmarkAsync(multiplications, roundTrips, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException e)
        {
            throw Fail(StatusCode.Aborted, $"benchmark aborted: {e.Message}");
        }
        finally
        {
            for (ulong session = MultiplicationBenchmark.SetupSession; session <= RoundTripSession; session++)
                _transport.DiscardSession(session, retire: false); // the benchmark reuses its sessions
            _benchmark.Release();
        }
    }

    /// <summary>Runs this node's side of the comparison benchmark (<see cref="ComparisonBenchmark"/>, sessions 1–2; one benchmark at a time).</summary>
    /// <param name="comparisons">At least <see cref="ComparisonBenchmark.CheckedComparisons"/>.</param>
    /// <param name="bits">k, 1..64.</param>
    /// <param name="security">κ; 0 for <see cref="NodeOptions.Security"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="RpcException">InvalidArgument for bad parameters or k + κ + 1 ≥ log2 p in the node's field; Aborted when a peer fails.</exception>
    public async Task<NodeComparisonBenchmark> ComparisonBenchmarkAsync(int comparisons, int bits, int security, CancellationToken cancellationToken)
    {
        if (comparisons < ComparisonBenchmark.CheckedComparisons)
            throw Fail(StatusCode.InvalidArgument, $"comparisons = {comparisons}: at least {ComparisonBenchmark.CheckedComparisons} are needed");
        if (bits is < 1 or > 64)
            throw Fail(StatusCode.InvalidArgument, $"comparison_bits = {bits}: must be 1..64");
        if (security is < 0 or > 120)
            throw Fail(StatusCode.InvalidArgument, $"security = {security}: must be 1..120 (0: the node's setting)");
        int kappa = security == 0 ? _options.Security : security;
        await _benchmark.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _log.BenchmarkStarted(comparisons);
            await _transport.WaitForPeersAsync(cancellationToken).ConfigureAwait(false);
            using var paused = await _runtime.PausePoolAsync(cancellationToken).ConfigureAwait(false);
            return await _runtime.ComparisonBenchmarkAsync(comparisons, bits, kappa, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw Fail(StatusCode.InvalidArgument, e.Message); // refused before any message (the field bound)
        }
        catch (TransportException e)
        {
            throw Fail(StatusCode.Aborted, $"benchmark aborted: {e.Message}");
        }
        finally
        {
            for (ulong session = ComparisonBenchmark.SetupSession; session <= ComparisonBenchmark.OnlineSession; session++)
                _transport.DiscardSession(session, retire: false);
            _benchmark.Release();
        }
    }

    private Circuit? FindCircuit(string circuitId)
    {
        if (_circuits.TryGetValue(circuitId, out var circuit))
            return circuit;
        byte[]? encoding = _store.GetCircuit(circuitId);
        return encoding is null ? null : _circuits.GetOrAdd(circuitId, _ => CircuitEncoding.Decode(encoding));
    }

    private void TrySchedule(string jobId)
    {
        lock (_gate)
        {
            var job = _store.GetJob(jobId);
            if (job is null || job.Status != JobStatus.Pending || _running.ContainsKey(jobId))
            {
                _released.Remove(jobId);
                return;
            }
            if (!MayStart(job))
                return;
            var circuit = FindCircuit(job.CircuitId);
            // The store starts it only once all its inputs are in (counted, not read: the job reads the shares once it runs, outside this lock).
            if (circuit is not null && _store.TryStartJob(jobId, circuit.Inputs.Length) is { } started)
                Start(started, circuit);
        }
    }

    // Under _gate, for a pending job that is not running: whether it may start once its inputs are in.
    private bool MayStart(JobRecord job) => !_stopping.IsCancellationRequested && (_chain is null || _released.Contains(job.Id));

    // Under _gate, once the job's Running status is committed.
    private void Start(JobRecord job, Circuit circuit)
    {
        _released.Remove(job.Id);
        var kept = _pendingShares.Take(job.Id, circuit.Inputs.Length);
        _running[job.Id] = Task.Run(() => ExecuteAsync(job, circuit, kept));
    }

    /// <param name="job">The job, just committed Running.</param>
    /// <param name="circuit">Its circuit.</param>
    /// <param name="kept">Its input shares from <see cref="PendingShares"/>, or null to read them from the store.</param>
    private async Task ExecuteAsync(JobRecord job, Circuit circuit, IReadOnlyList<InputShareRecord>? kept)
    {
        ulong session = SessionOf(job.Id);
        var clock = Stopwatch.StartNew();
        // Until the job has recorded its outcome: a refill started earlier would share the CPU with its rounds and commits.
        using var hold = _runtime.HoldPoolForJob();
        try
        {
            _log.JobStarted(job.Id, circuit.Stats.Multiplications * job.Copies, circuit.Stats.Rounds, session); // all copies' multiplications (Register bounds the product)
            var shares = kept ?? _store.GetInputShares(job.Id);
            // The job started because its distinct stored inputs number the circuit's, and only circuit inputs are ever stored.
            var present = shares.Select(s => s.InputName).ToHashSet(StringComparer.Ordinal);
            foreach (var input in circuit.Inputs)
                if (!present.Contains(input.QualifiedName))
                    throw new InvalidDataException($"the stored shares of job '{job.Id}' lack input '{input.QualifiedName}'");
            var outputs = await _runtime.RunAsync(job.Id, circuit, job.Copies, shares, session, _stopping.Token).ConfigureAwait(false);
            await LeaveSocketThreadAsync().ConfigureAwait(false);
            if (_chain is not null)
            {
                // Durable before the result goes on chain: a node that crashes after publishing still serves its private output shares.
                _store.PutOutputs(outputs);
                await _chain.PublishAsync(job.Id, outputs, _transport, session, _options.Peers.Count, _stopping.Token).ConfigureAwait(false);
                await LeaveSocketThreadAsync().ConfigureAwait(false);
            }
            _store.CompleteJob(job.Id, outputs); // outputs and Succeeded in one commit
            _metrics.JobFinished("succeeded");
            // Preprocessing rounds are not counted: the figure is the circuit's online rounds plus the output opening.
            _metrics.RoundsCompleted(circuit.Stats.Rounds + (circuit.Outputs.Any(o => o.Visibility == OutputVisibility.Public) ? 1 : 0));
            _log.JobSucceeded(job.Id, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e)
        {
            // The reason is shown to clients: transport and validation messages name peers, tags and sizes,
            // never values; anything else is reported by type only.
            string? known = e switch
            {
                TransportException t => $"lost peer {t.Peer}: {t.Message}",
                OperationCanceledException when _stopping.IsCancellationRequested => $"node {_options.NodeIndex} is shutting down",
                ChainException c => $"chain: {c.Message}",
                InconsistentSharesException => "the parties' shares were inconsistent (a peer misbehaved or data was corrupted)",
                _ => null,
            };
            bool unexpected = known is null;
            string reason = known ?? $"internal error ({e.GetType().Name})";
            await LeaveSocketThreadAsync().ConfigureAwait(false);
            try
            {
                _store.SetJobStatus(job.Id, JobStatus.Failed, reason);
            }
            catch (ObjectDisposedException)
            {
                // The node is stopping; on restart Recover() marks the job failed.
            }
            _metrics.JobFinished("failed");
            _log.JobFailed(job.Id, reason);
            if (unexpected) _log.JobFailedUnexpectedly(job.Id, e.GetType().FullName ?? e.GetType().Name, e.StackTrace);
        }
        finally
        {
            _transport.DiscardSession(session);
            _running.TryRemove(job.Id, out _);
        }
    }

    /// <summary>Continues on a pool thread if the caller resumed on one of the runtime's socket threads.</summary>
    /// <remarks>
    /// Peer links complete their reads on the socket thread (<see cref="PeerTransport.Tune"/>), so a job resumes there after
    /// its last round or a failed receive. SQLite commits block for an fsync, and on that thread they would hold up every
    /// link it serves. The hop is skipped on pool threads, where blocking is allowed.
    /// </remarks>
    private static async Task LeaveSocketThreadAsync()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
            await Task.Yield();
    }

    private static string NormalizeCircuitId(string circuitId)
    {
        try
        {
            return CircuitId.Parse(circuitId).ToString();
        }
        catch (FormatException e)
        {
            throw Fail(StatusCode.InvalidArgument, $"circuit_id: {e.Message}");
        }
    }

    private static RpcException Fail(StatusCode code, string message) => new(new Status(code, message));

    /// <summary>Stops scheduling and cancels running jobs, waiting briefly for them to record their failure.</summary>
    public void Dispose()
    {
        // Called by NodeHost.StopAsync and again by the service container.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping.Cancel();
        Task.WhenAll(_running.Values).Wait(TimeSpan.FromSeconds(5));
        _runtime.Dispose();
        _stopping.Dispose();
        _benchmark.Dispose();
        _chain?.Dispose();
    }

    private interface IFieldRuntime : IDisposable
    {
        long PoolLevel { get; }
        long PoolConsumed { get; }
        long PoolBitsConsumed { get; }
        void StartPool();
        Task<IDisposable> PausePoolAsync(CancellationToken cancellationToken);
        IDisposable HoldPoolForJob();
        int ElementBytes { get; }
        bool IsCanonical(ReadOnlySpan<byte> element);
        void CheckSupported(Circuit circuit);
        Task<IReadOnlyList<OutputRecord>> RunAsync(string jobId, Circuit circuit, int copies, IReadOnlyList<InputShareRecord> shares, ulong session, CancellationToken cancellationToken);
        Task<NodeBenchmark> BenchmarkAsync(int multiplications, int roundTrips, CancellationToken cancellationToken);
        Task<NodeComparisonBenchmark> ComparisonBenchmarkAsync(int comparisons, int bits, int security, CancellationToken cancellationToken);
    }

    private sealed class NoPool : IDisposable
    {
        public static readonly NoPool Instance = new();

        public void Dispose()
        {
        }
    }

    /// <summary>The field-specific half: decoding shares, running the engine, encoding outputs.</summary>
    private sealed class FieldRuntime<T>(JobScheduler owner) : IFieldRuntime where T : struct, IField<T>
    {
        private readonly PreprocessingPool<T>? _pool = owner._options.PoolTargetTriples > 0
            ? new PreprocessingPool<T>(owner._transport, owner._options, owner._log)
            : null;

        public long PoolLevel => _pool?.Level ?? 0;

        public long PoolConsumed => _pool?.Consumed ?? 0;

        public long PoolBitsConsumed => _pool?.ConsumedBits ?? 0;

        public void StartPool() => _pool?.Start();

        public Task<IDisposable> PausePoolAsync(CancellationToken cancellationToken) =>
            _pool?.PauseAsync(cancellationToken) ?? Task.FromResult<IDisposable>(NoPool.Instance);

        public IDisposable HoldPoolForJob() => _pool?.HoldForJob() ?? NoPool.Instance;

        public void Dispose() => _pool?.Dispose();

        public int ElementBytes => T.ByteLength;

        public bool IsCanonical(ReadOnlySpan<byte> elements)
        {
            for (int at = 0; at + T.ByteLength <= elements.Length; at += T.ByteLength)
                if (!T.TryRead(elements.Slice(at, T.ByteLength), out _))
                    return false;
            return true;
        }

        public void CheckSupported(Circuit circuit) => PartyEngine<T>.CheckSupported(circuit, owner._options.Security);

        public async Task<IReadOnlyList<OutputRecord>> RunAsync(string jobId, Circuit circuit, int copies, IReadOnlyList<InputShareRecord> shares, ulong session, CancellationToken cancellationToken)
        {
            if (copies > 1)
                return await RunCopiesAsync(jobId, circuit, copies, shares, session, cancellationToken).ConfigureAwait(false);
            var inputs = new Dictionary<string, T>(shares.Count, StringComparer.Ordinal);
            foreach (var share in shares)
            {
                if (!T.TryRead(share.Share, out var value))
                    throw new InvalidDataException($"stored share of input '{share.InputName}' is not a canonical {T.Name} element");
                inputs[share.InputName] = value;
            }
            var context = new ProtocolContext<T>(owner._transport, owner._options.Threshold, session);
            var engine = new PartyEngine<T>(context, owner._options.Security);
            PartyEngine<T>.CheckSupported(circuit, owner._options.Security); // before the first exchange
            // Every triple the circuit consumes (Mul gates and the integer gates' bit circuits), and the integer gates'
            // random bits when the pool makes them, come from the pool where it can; the rest is generated here by
            // the nodes together (dealer-free).
            int needed = checked((int)circuit.Stats.Triples);
            int bitsNeeded = checked((int)circuit.Schedule.RandomBits(owner._options.Security));
            using var material = needed + bitsNeeded > 0
                ? await PreprocessingPool<T>.AcquireAsync(_pool, context, needed, bitsNeeded, cancellationToken).ConfigureAwait(false)
                : null;
            if (material is not null)
            {
                owner._log.PoolTaken(jobId, material.Pooled, needed - material.Pooled);
                owner._log.PoolBitsTaken(jobId, material.PooledBits, bitsNeeded - material.PooledBits);
            }
            var preprocessing = await engine.PrepareAsync(circuit, material?.Triples ?? default, material?.Bits ?? ReadOnlyMemory<T>.Empty, cancellationToken).ConfigureAwait(false);
            var result = await engine.RunAsync(circuit, inputs, preprocessing, cancellationToken).ConfigureAwait(false);
            var outputs = new List<OutputRecord>(circuit.Outputs.Length);
            foreach (var output in circuit.Outputs)
            {
                bool isPublic = output.Visibility == OutputVisibility.Public;
                T value = isPublic ? result.Public[output.Name] : result.PrivateShares[output.Name];
                outputs.Add(new OutputRecord(jobId, output.Name, isPublic, Encode(value), isPublic ? null : output.Owner));
            }
            return outputs;
        }

        /// <summary>K copies side by side (<see cref="BatchedPartyEngine{T}"/>): k-wide wires, one Beaver batch of k × the layer's ANDs per round.</summary>
        private async Task<IReadOnlyList<OutputRecord>> RunCopiesAsync(string jobId, Circuit circuit, int copies, IReadOnlyList<InputShareRecord> shares, ulong session,
            CancellationToken cancellationToken)
        {
            var inputs = new Dictionary<string, T[]>(shares.Count, StringComparer.Ordinal);
            foreach (var share in shares)
            {
                if (share.Share.Length != copies * T.ByteLength)
                    throw new InvalidDataException($"stored share of input '{share.InputName}' has {share.Share.Length} bytes, not {copies} {T.Name} elements");
                var values = new T[copies];
                for (int c = 0; c < copies; c++)
                    if (!T.TryRead(share.Share.AsSpan(c * T.ByteLength, T.ByteLength), out values[c]))
                        throw new InvalidDataException($"stored share {c} of input '{share.InputName}' is not a canonical {T.Name} element");
                inputs[share.InputName] = values;
            }
            var context = new ProtocolContext<T>(owner._transport, owner._options.Threshold, session);
            int needed = checked(circuit.Stats.Multiplications * copies);
            using var material = needed > 0 ? await PreprocessingPool<T>.AcquireAsync(_pool, context, needed, 0, cancellationToken).ConfigureAwait(false) : null;
            if (material is not null)
                owner._log.PoolTaken(jobId, material.Pooled, needed - material.Pooled);
            var opened = await new BatchedPartyEngine<T>(context).RunAsync(circuit, copies, inputs, material?.Triples ?? default, cancellationToken).ConfigureAwait(false);
            var outputs = new List<OutputRecord>(circuit.Outputs.Length);
            foreach (var output in circuit.Outputs)
            {
                var values = opened[output.Name];
                var bytes = new byte[values.Length * T.ByteLength];
                for (int c = 0; c < values.Length; c++)
                    values[c].Write(bytes.AsSpan(c * T.ByteLength, T.ByteLength));
                outputs.Add(new OutputRecord(jobId, output.Name, true, bytes, null));
            }
            return outputs;
        }

        public async Task<NodeBenchmark> BenchmarkAsync(int multiplications, int roundTrips, CancellationToken cancellationToken)
        {
            var transport = owner._transport;
            var party = await MultiplicationBenchmark.RunPartyAsync<T>(transport, owner._options.Threshold, multiplications, cancellationToken).ConfigureAwait(false);
            var opener = new Opener<T>(new ProtocolContext<T>(transport, owner._options.Threshold, RoundTripSession));
            var one = new T[1];
            await opener.OpenAsync(one, cancellationToken).ConfigureAwait(false); // warm-up
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < roundTrips; i++)
                await opener.OpenAsync(one, cancellationToken).ConfigureAwait(false);
            return new NodeBenchmark(party.Preprocessing, party.Online, party.OnlineBytesSent, clock.Elapsed / roundTrips);
        }

        public async Task<NodeComparisonBenchmark> ComparisonBenchmarkAsync(int comparisons, int bits, int security, CancellationToken cancellationToken)
        {
            var r = await ComparisonBenchmark.RunPartyAsync<T>(owner._transport, owner._options.Threshold, comparisons, bits, security, cancellationToken).ConfigureAwait(false);
            return new NodeComparisonBenchmark(r.Preprocessing, r.Online, r.OnlineBytesSent, r.Rounds, r.RandomBits, r.Triples);
        }

        private static byte[] Encode(T value)
        {
            var bytes = new byte[T.ByteLength];
            value.Write(bytes);
            return bytes;
        }
    }
}
