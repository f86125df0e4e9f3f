using System.Diagnostics;
using System.Net.Http;
using System.Net.Security;
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
        await Task.WhenAll(values.Select(v => SubmitInputAsync(jobId, v.Key, v.Value, cancellationToken))).ConfigureAwait(false);
        var outputs = await AwaitOutputsAsync<T>(jobId, circuit, timeout ?? TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return new JobResult<T>(jobId, outputs, clock.Elapsed);
    }

    /// <summary>Registers <paramref name="jobId"/> for <paramref name="circuit"/> on every node (idempotent).</summary>
    public Task StartJobAsync<T>(string jobId, Circuit circuit, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var request = new StartJobRequest
        {
            JobId = jobId,
            CircuitId = circuit.Id.ToString(),
            Circuit = ByteString.CopyFrom(CircuitEncoding.Encode(circuit)),
            Field = T.Name,
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

    /// <summary>Waits for the job on every node, then checks the public outputs agree and reconstructs the private ones.</summary>
    /// <exception cref="MpcClientException">The job failed on some node (every node's reason is listed), or the nodes disagree.</exception>
    public async Task<IReadOnlyList<OutputValue<T>>> AwaitOutputsAsync<T>(string jobId, Circuit circuit, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var deadline = DateTime.UtcNow + timeout;
        var replies = await AllAsync((node, i) => node.AwaitJobAsync(new JobStatusRequest { JobId = jobId }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
        var failed = replies.Select((r, i) => (Reply: r, Node: i)).Where(x => x.Reply.State != JobState.Succeeded).ToList();
        if (failed.Count > 0)
            throw new MpcClientException($"job '{jobId}' failed: " + string.Join("; ", failed.Select(f => $"node {f.Node}: {f.Reply.State} {f.Reply.Reason}".TrimEnd())), StatusCode.Aborted);

        var scheme = new ShamirScheme<T>(Scheme.Parties, Scheme.Threshold);
        var outputs = new List<OutputValue<T>>(circuit.Outputs.Length);
        foreach (var output in circuit.Outputs)
        {
            T value;
            if (output.Visibility == OutputVisibility.Public)
            {
                value = Decode<T>(replies[0].PublicOutputs.GetValueOrDefault(output.Name), output.Name, 0);
                for (int i = 1; i < replies.Length; i++)
                    if (Decode<T>(replies[i].PublicOutputs.GetValueOrDefault(output.Name), output.Name, i) != value)
                        throw new MpcClientException($"nodes 0 and {i} report different values for public output '{output.Name}' of job '{jobId}'", StatusCode.DataLoss);
            }
            else
            {
                var request = new FetchOutputShareRequest { JobId = jobId, OutputName = output.Name };
                var shares = await AllAsync((node, i) => node.FetchOutputShareAsync(request, cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
                var points = new T[shares.Length];
                for (int i = 0; i < shares.Length; i++)
                    points[i] = Decode<T>(shares[i].Value, output.Name, i);
                try
                {
                    value = scheme.ReconstructChecked(points);
                }
                catch (InconsistentSharesException e)
                {
                    throw new MpcClientException($"the nodes' shares of private output '{output.Name}' of job '{jobId}' are inconsistent: {e.Message}", StatusCode.DataLoss, e);
                }
            }
            outputs.Add(new OutputValue<T>(output.Name, output.Visibility, output.Owner, value));
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

    private static T Decode<T>(ByteString? bytes, string output, int node) where T : struct, IField<T>
    {
        if (bytes is null || !T.TryRead(bytes.Span, out var value) || bytes.Length != T.ByteLength)
            throw new MpcClientException($"node {node} returned no valid {T.Name} value for output '{output}'", StatusCode.DataLoss);
        return value;
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
        byte[] pin = Fingerprints.Parse(node.Fingerprint);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Pinning replaces CA validation: exactly the configured certificate is accepted.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Fingerprints.Matches(certificate, pin),
                LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Certificate,
                ClientCertificates = [identity.Certificate],
            },
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
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
