using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using Mpc.Node.Protos;

namespace Mpc.Client;

/// <summary>The outputs of a finished job, as reconstructed by the client.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Outputs">Public outputs and the private outputs this client may read, in circuit order.</param>
/// <param name="Elapsed">Wall time from registering the job to having all outputs.</param>
public sealed record JobResult<T>(string JobId, IReadOnlyList<OutputValue<T>> Outputs, TimeSpan Elapsed) where T : struct, IField<T>;

/// <summary>One output of a job with K copies: its K values, copy c at index c.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Visibility">Public, or private to <paramref name="Owner"/>.</param>
/// <param name="Owner">The owning party of a private output, else null.</param>
/// <param name="Values">One value per copy.</param>
public sealed record OutputCopies<T>(string Name, OutputVisibility Visibility, string? Owner, T[] Values) where T : struct, IField<T>;

/// <summary>The cluster's multiplication benchmark: the slowest node's figures.</summary>
/// <param name="Multiplications">Batch size.</param>
/// <param name="Preprocessing">Triple generation wall time.</param>
/// <param name="Online">Online Beaver batch wall time.</param>
/// <param name="OnlineBytesSent">Payload bytes all nodes sent in the online batch.</param>
/// <param name="RoundTrip">Mean one-element opening time (one round).</param>
public sealed record ClusterBenchmark(int Multiplications, TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent, TimeSpan RoundTrip);

/// <summary>The cluster's comparison benchmark: the slowest node's times, all nodes' online bytes, and the per-comparison costs.</summary>
/// <param name="Comparisons">Comparisons in the batch.</param>
/// <param name="Bits">k.</param>
/// <param name="Preprocessing">Mask and triple generation.</param>
/// <param name="Online">The batched comparison.</param>
/// <param name="OnlineBytesSent">Payload bytes all nodes sent online.</param>
/// <param name="Rounds">Online rounds of one comparison.</param>
/// <param name="RandomBits">Random bits per comparison.</param>
/// <param name="Triples">Triples per comparison.</param>
public sealed record ClusterComparisonBenchmark(int Comparisons, int Bits, TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent,
    int Rounds, int RandomBits, int Triples);

/// <summary>A node refused a call or a job failed; the message names the node and, for a job, every node's reason.</summary>
public sealed class MpcClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MpcClientException(string message, StatusCode status = StatusCode.Unknown, Exception? inner = null) : base(message, inner) => Status = status;

    /// <summary>The gRPC status of the failing call (<see cref="StatusCode.Aborted"/> for a failed job).</summary>
    public StatusCode Status { get; }
}

/// <summary>Drives jobs on an MPC cluster: shares inputs locally, sends share i to node i only, collects outputs.</summary>
/// <remarks>
/// <para>Every connection is mutual TLS: the client presents its own certificate (which the nodes pin in
/// <c>AllowedClients</c>) and accepts a node only if its certificate's SHA-256 equals the pinned fingerprint.</para>
/// <para>Inputs are Shamir-shared with fresh randomness (degree t) so no t nodes learn anything. Public
/// outputs must be reported identically by all nodes; private outputs are reconstructed from all n shares
/// with <see cref="ShamirScheme{T}.ReconstructChecked(ReadOnlySpan{T})"/>, which detects a wrong share.</para>
/// </remarks>
public sealed class MpcClient : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly Node.Protos.Client.ClientClient[] _nodes;

    /// <summary>Connects (lazily) to every node.</summary>
    /// <param name="nodes">All n nodes, indices 0..n−1.</param>
    /// <param name="threshold">The cluster's t.</param>
    /// <param name="identity">The client certificate; must stay alive while the client is used.</param>
    /// <exception cref="ArgumentException">Indices are not 0..n−1 or a fingerprint is malformed.</exception>
    public MpcClient(IReadOnlyList<NodeEndpoint> nodes, int threshold, TlsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(identity);
        var ordered = nodes.OrderBy(n => n.Index).ToArray();
        for (int i = 0; i < ordered.Length; i++)
            if (ordered[i].Index != i)
                throw new ArgumentException($"node indices must be 0..{ordered.Length - 1}; index {i} is missing or repeated", nameof(nodes));
        Scheme = new ShamirSchemeInfo(ordered.Length, threshold);
        _channels = ordered.Select(n => Connect(n, identity)).ToArray();
        _nodes = _channels.Select(c => new Node.Protos.Client.ClientClient(c)).ToArray();
    }

    /// <summary>Connects to the cluster a <c>cluster.json</c> describes, with its client identity.</summary>
    public static MpcClient Open(ClusterDescription cluster, out TlsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        identity = TlsIdentity.Load(cluster.ClientCertificate, cluster.ClientKey);
        return new MpcClient(cluster.Nodes, cluster.Threshold, identity);
    }

    /// <summary>n and t.</summary>
    public ShamirSchemeInfo Scheme { get; }

    /// <summary>Registers the job, submits every input, waits for the outputs and reconstructs them.</summary>
    /// <param name="circuit">The (optimised) circuit the nodes evaluate.</param>
    /// <param name="inputs">One value per circuit input, <c>owner.name</c> or unambiguous bare name.</param>
    /// <param name="jobId">The job id (default: a fresh random id).</param>
    /// <param name="timeout">How long to wait for the job (default 2 minutes).</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <exception cref="ArgumentException">A missing, unknown, repeated or out-of-range input.</exception>
    /// <exception cref="MpcClientException">A node refused a call or the job failed.</exception>
    public async Task<JobResult<T>> RunJobAsync<T>(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs, string? jobId = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var values = CircuitInputs.ToField<T>(circuit, inputs);

        var clock = Stopwatch.StartNew();
        jobId ??= "job-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await StartJobAsync<T>(jobId, circuit, cancellationToken).ConfigureAwait(false);
        // Every input in one call per node: one durable commit there, not one per input.
        if (values.Count > 0)
            await SubmitInputsAsync(jobId, values.ToDictionary(v => v.Key, v => new[] { v.Value }, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        var outputs = await AwaitOutputsAsync<T>(jobId, circuit, timeout ?? TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return new JobResult<T>(jobId, outputs, clock.Elapsed);
    }

    /// <summary>Registers <paramref name="jobId"/> for <paramref name="circuit"/> on every node (idempotent).</summary>
    public Task StartJobAsync<T>(string jobId, Circuit circuit, CancellationToken cancellationToken = default) where T : struct, IField<T> =>
        StartJobAsync<T>(jobId, circuit, 1, cancellationToken);

    /// <summary>Registers <paramref name="jobId"/> for <paramref name="copies"/> side-by-side copies of <paramref name="circuit"/> on every node (idempotent).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="circuit">The circuit; for K &gt; 1 its outputs must all be public and it must have no integer gates.</param>
    /// <param name="copies">K ≥ 1: every input then takes K values (<see cref="SubmitInputsAsync{T}"/>) and every output holds K values
    /// (<see cref="AwaitOutputsAsync{T}(string, Circuit, int, TimeSpan, CancellationToken)"/>); the copies take the rounds of one.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="MpcClientException">A node refused the job (e.g. K &gt; 1 on a chain-bound node: FailedPrecondition).</exception>
    public Task StartJobAsync<T>(string jobId, Circuit circuit, int copies, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        var request = new StartJobRequest
        {
            JobId = jobId,
            CircuitId = circuit.Id.ToString(),
            Circuit = ByteString.CopyFrom(CircuitEncoding.Encode(circuit)),
            Field = T.Name,
            Copies = copies,
        };
        return AllAsync((node, i) => node.StartJobAsync(request, cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>Shares <paramref name="value"/> freshly and sends share i (with its own random commitment salt) to node i only.</summary>
    /// <param name="jobId">A registered job.</param>
    /// <param name="inputName">The input's qualified name.</param>
    /// <param name="value">The secret.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public Task SubmitInputAsync<T>(string jobId, string inputName, T value, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        T[] shares = new ShamirScheme<T>(Scheme.Parties, Scheme.Threshold).Share(value, CryptoRandom.Shared);
        return AllAsync((node, i) =>
        {
            var bytes = new byte[T.ByteLength];
            shares[i].Write(bytes);
            var request = new SubmitInputShareRequest
            {
                JobId = jobId,
                InputName = inputName,
                Share = UnsafeByteOperations.UnsafeWrap(bytes),
                Salt = UnsafeByteOperations.UnsafeWrap(RandomNumberGenerator.GetBytes(32)),
            };
            return node.SubmitInputShareAsync(request, cancellationToken: cancellationToken).ResponseAsync;
        });
    }

    /// <summary>
    /// Shares every value of every input freshly and sends node i, in one call, its share of all of them: per input
    /// its K shares packed (copy c at element c). The node stores the whole call in one commit, all or nothing.
    /// </summary>
    /// <param name="jobId">A job registered with K copies.</param>
    /// <param name="inputs">Per qualified input name, its K values (the same K for every input).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="ArgumentException">No inputs, or inputs with different value counts.</exception>
    /// <exception cref="MpcClientException">A node refused the call (e.g. InvalidArgument when K is not the job's copies).</exception>
    /// <remarks>No commitment salt is sent: jobs with K &gt; 1 do not run on chain-bound nodes, whose shares go through <see cref="SubmitSharesAsync"/>.</remarks>
    public Task SubmitInputsAsync<T>(string jobId, IReadOnlyDictionary<string, T[]> inputs, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException("no inputs to submit", nameof(inputs));
        int n = _nodes.Length, k = inputs.First().Value.Length;
        var scheme = new ShamirScheme<T>(n, Scheme.Threshold);
        var requests = new SubmitInputSharesRequest[n];
        for (int i = 0; i < n; i++)
            requests[i] = new SubmitInputSharesRequest { JobId = jobId };
        var shares = new T[n * k];
        foreach (var (name, values) in inputs)
        {
            if (values.Length != k)
                throw new ArgumentException($"input '{name}' has {values.Length} values, input '{inputs.First().Key}' has {k}: every input needs one value per copy", nameof(inputs));
            scheme.ShareBatch(values, CryptoRandom.Shared, shares); // party-major: node i's K shares are contiguous
            for (int i = 0; i < n; i++)
            {
                var bytes = new byte[k * T.ByteLength];
                for (int c = 0; c < k; c++)
                    shares[i * k + c].Write(bytes.AsSpan(c * T.ByteLength, T.ByteLength));
                requests[i].Inputs.Add(new InputShares { InputName = name, Shares = UnsafeByteOperations.UnsafeWrap(bytes) });
            }
        }
        return AllAsync((node, i) => node.SubmitInputSharesAsync(requests[i], cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>Sends precomputed share i with salt i to node i only (for on-chain jobs, whose shares the client committed to first).</summary>
    /// <param name="jobId">A registered job.</param>
    /// <param name="inputName">The input's qualified name.</param>
    /// <param name="shares">n shares, fixed-width little-endian field elements, in node order.</param>
    /// <param name="salts">n commitment salts, in node order.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="ArgumentException">Not exactly n shares and n salts.</exception>
    public Task SubmitSharesAsync(string jobId, string inputName, IReadOnlyList<byte[]> shares, IReadOnlyList<byte[]> salts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(salts);
        if (shares.Count != _nodes.Length || salts.Count != _nodes.Length)
            throw new ArgumentException($"input '{inputName}': need {_nodes.Length} shares and salts, got {shares.Count} and {salts.Count}");
        return AllAsync((node, i) => node.SubmitInputShareAsync(new SubmitInputShareRequest
        {
            JobId = jobId,
            InputName = inputName,
            Share = ByteString.CopyFrom(shares[i]),
            Salt = ByteString.CopyFrom(salts[i]),
        }, cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>
    /// <see cref="SubmitSharesAsync"/>, retried while some node does not know the job yet (<c>NOT_FOUND</c>): on-chain jobs are
    /// created by each node's chain watcher when it sees the job's event, a poll interval after the transaction.
    /// </summary>
    /// <exception cref="MpcClientException">A node refused the share, or still did not know the job after <paramref name="timeout"/>.</exception>
    public async Task SubmitSharesWhenRegisteredAsync(string jobId, string inputName, IReadOnlyList<byte[]> shares, IReadOnlyList<byte[]> salts, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // Resending to nodes that already stored the share is harmless: identical bytes are acknowledged again.
                await SubmitSharesAsync(jobId, inputName, shares, salts, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MpcClientException e) when (e.Status == StatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for the job on every node, then checks the public outputs agree and reconstructs the private ones.</summary>
    /// <exception cref="MpcClientException">The job failed on some node (every node's reason is listed), or the nodes disagree.</exception>
    public async Task<IReadOnlyList<OutputValue<T>>> AwaitOutputsAsync<T>(string jobId, Circuit circuit, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : struct, IField<T>
    {
        var outputs = await AwaitOutputsAsync<T>(jobId, circuit, 1, timeout, cancellationToken).ConfigureAwait(false);
        return outputs.Select(o => new OutputValue<T>(o.Name, o.Visibility, o.Owner, o.Values[0])).ToList();
    }

    /// <summary>
    /// Waits for a job with <paramref name="copies"/> copies on every node, then checks that every node reports the same K
    /// values for each public output and reconstructs the K values of each private one.
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="circuit">Its circuit (one copy).</param>
    /// <param name="copies">K, as registered.</param>
    /// <param name="timeout">How long to wait for the job.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The outputs in circuit order, each with K values (copy c at index c).</returns>
    /// <exception cref="MpcClientException">The job failed on some node (every node's reason is listed), a node returned other than K values, or the nodes disagree.</exception>
    public async Task<IReadOnlyList<OutputCopies<T>>> AwaitOutputsAsync<T>(string jobId, Circuit circuit, int copies, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        var deadline = DateTime.UtcNow + timeout;
        var replies = await AllAsync((node, i) => node.AwaitJobAsync(new JobStatusRequest { JobId = jobId }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
        var failed = replies.Select((r, i) => (Reply: r, Node: i)).Where(x => x.Reply.State != JobState.Succeeded).ToList();
        if (failed.Count > 0)
            throw new MpcClientException($"job '{jobId}' failed: " + string.Join("; ", failed.Select(f => $"node {f.Node}: {f.Reply.State} {f.Reply.Reason}".TrimEnd())), StatusCode.Aborted);

        var scheme = new ShamirScheme<T>(Scheme.Parties, Scheme.Threshold);
        var outputs = new List<OutputCopies<T>>(circuit.Outputs.Length);
        foreach (var output in circuit.Outputs)
        {
            var values = new T[copies];
            if (output.Visibility == OutputVisibility.Public)
            {
                var first = replies[0].PublicOutputs.GetValueOrDefault(output.Name);
                Decode(first, output.Name, 0, values);
                for (int i = 1; i < replies.Length; i++)
                    if (replies[i].PublicOutputs.GetValueOrDefault(output.Name) is not { } other || !other.Span.SequenceEqual(first!.Span))
                        throw new MpcClientException($"nodes 0 and {i} report different values for public output '{output.Name}' of job '{jobId}'", StatusCode.DataLoss);
            }
            else
            {
                var request = new FetchOutputShareRequest { JobId = jobId, OutputName = output.Name };
                var shares = await AllAsync((node, i) => node.FetchOutputShareAsync(request, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
                var points = new ReadOnlyMemory<T>[shares.Length];
                for (int i = 0; i < shares.Length; i++)
                {
                    var vector = new T[copies];
                    Decode(shares[i].Value, output.Name, i, vector);
                    points[i] = vector;
                }
                try
                {
                    scheme.ReconstructChecked(points, values);
                }
                catch (InconsistentSharesException e)
                {
                    throw new MpcClientException($"the nodes' shares of private output '{output.Name}' of job '{jobId}' are inconsistent: {e.Message}", StatusCode.DataLoss, e);
                }
            }
            outputs.Add(new OutputCopies<T>(output.Name, output.Visibility, output.Owner, values));
        }
        return outputs;
    }

    /// <summary>Runs the node-side multiplication benchmark on every node at once and reports the slowest node's times.</summary>
    public async Task<ClusterBenchmark> BenchmarkAsync(int multiplications, int roundTrips = 200, CancellationToken cancellationToken = default)
    {
        var request = new BenchmarkRequest { Multiplications = multiplications, RoundTrips = roundTrips };
        var replies = await AllAsync((node, i) => node.RunBenchmarkAsync(request, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
        return new ClusterBenchmark(multiplications,
            TimeSpan.FromSeconds(replies.Max(r => r.PreprocessingS)),
            TimeSpan.FromSeconds(replies.Max(r => r.OnlineS)),
            replies.Sum(r => r.OnlineBytesSent),
            TimeSpan.FromMicroseconds(replies.Max(r => r.RoundTripUs)));
    }

    /// <summary>
    /// Runs the node-side comparison benchmark on every node at once (<paramref name="comparisons"/> signed
    /// <paramref name="bits"/>-bit comparisons in one batch) and reports the slowest node's times and the total bytes.
    /// </summary>
    /// <param name="comparisons">At least 16.</param>
    /// <param name="bits">k.</param>
    /// <param name="security">κ in bits; 0 for the nodes' own setting.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<ClusterComparisonBenchmark> BenchmarkComparisonsAsync(int comparisons, int bits, int security = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var request = new BenchmarkRequest { Multiplications = comparisons, RoundTrips = 1, ComparisonBits = bits, Security = security };
        var replies = await AllAsync((node, i) => node.RunBenchmarkAsync(request, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
        return new ClusterComparisonBenchmark(comparisons, bits,
            TimeSpan.FromSeconds(replies.Max(r => r.PreprocessingS)),
            TimeSpan.FromSeconds(replies.Max(r => r.OnlineS)),
            replies.Sum(r => r.OnlineBytesSent), replies[0].Rounds, replies[0].RandomBitsPerOp, replies[0].TriplesPerOp);
    }

    /// <summary>Polls every node until each answers an authenticated call (a status query for a reserved, never-registered job id).</summary>
    /// <exception cref="MpcClientException">Some node did not answer within <paramref name="timeout"/>; the last error is included.</exception>
    public async Task WaitUntilReachableAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var probe = new JobStatusRequest { JobId = "reachability-probe" };
        for (int i = 0; i < _nodes.Length; i++)
        {
            while (true)
            {
                try
                {
                    await _nodes[i].GetJobStatusAsync(probe, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                    break;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    break;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
                {
                    if (DateTime.UtcNow > deadline)
                        throw new MpcClientException($"node {i} did not answer within {timeout}: {e.Status.Detail}", e.StatusCode, e);
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    // One element per copy, packed; anything else (missing, short, non-canonical) is the node's fault.
    private static void Decode<T>(ByteString? bytes, string output, int node, Span<T> values) where T : struct, IField<T>
    {
        if (bytes is null || bytes.Length != values.Length * T.ByteLength)
            throw new MpcClientException($"node {node} returned {(bytes is null ? "nothing" : $"{bytes.Length} bytes")} for output '{output}', not {values.Length} {T.Name} value(s)", StatusCode.DataLoss);
        for (int c = 0; c < values.Length; c++)
            if (!T.TryRead(bytes.Span.Slice(c * T.ByteLength, T.ByteLength), out values[c]))
                throw new MpcClientException($"node {node} returned no valid {T.Name} value for copy {c} of output '{output}'", StatusCode.DataLoss);
    }

    // One call per node, concurrently; the first refusal is reported with the node's index.
    private async Task<TReply[]> AllAsync<TReply>(Func<Node.Protos.Client.ClientClient, int, Task<TReply>> call)
    {
        var calls = _nodes.Select((node, i) => Wrap(call(node, i), i)).ToArray();
        return await Task.WhenAll(calls).ConfigureAwait(false);

        static async Task<TReply> Wrap(Task<TReply> task, int node)
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw new MpcClientException($"node {node}: {e.StatusCode}: {e.Status.Detail}", e.StatusCode, e);
            }
        }
    }

    private static GrpcChannel Connect(NodeEndpoint node, TlsIdentity identity)
    {
        var handler = identity.CreatePinnedHandler(node.Fingerprint);
        handler.EnableMultipleHttp2Connections = true;
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
        return GrpcChannel.ForAddress(node.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
    }
}

/// <summary>The cluster's n and t.</summary>
/// <param name="Parties">n.</param>
/// <param name="Threshold">t, with n ≥ 2t + 1.</param>
public readonly record struct ShamirSchemeInfo(int Parties, int Threshold);
