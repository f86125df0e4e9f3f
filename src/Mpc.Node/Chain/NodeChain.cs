using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Network;
using Mpc.Node.Diagnostics;
using Mpc.Node.Storage;

namespace Mpc.Node.Chain;

/// <summary>An input share a node refused because it matches no on-chain commitment.</summary>
/// <param name="JobId">The job (a decimal chain job id).</param>
/// <param name="InputName">The input's qualified name.</param>
/// <param name="Client">The submitting client's certificate fingerprint.</param>
/// <param name="Reason">Why it was refused (names the job and member, never the share).</param>
/// <param name="At">When.</param>
public sealed record InputRejection(string JobId, string InputName, string Client, string Reason, DateTimeOffset At);

/// <summary>A chain step of a job failed (commitment lookup, signature exchange, <c>postResult</c>).</summary>
public sealed class ChainException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The node's side of on-chain jobs: checks input shares against commitments, signs results, and (lowest member) posts them.</summary>
/// <remarks>
/// <para>Inputs: a client commits <c>keccak256(share ‖ salt)</c> per member with <c>commitInputs</c> before the
/// job's input deadline. Member i accepts a share only if <c>keccak256(share ‖ salt)</c> equals entry i of some
/// <c>InputsCommitted</c> event of that job; the 32-byte random salt makes a match proof that exactly this share
/// was committed on chain (binding: Keccak-256 collision resistance). Which input a commitment backs is not on
/// chain (one commitment vector per client account), so a client with several inputs uses one account per input.</para>
/// <para>Results: every member signs the EIP-712 <c>Result(jobId, outputsHash, outputCommitment)</c> over the
/// public outputs in circuit order (each a field element as a 32-byte big-endian word) with its operator key and
/// sends the 65-byte signature to every other member over the job's own protocol session (tag sequence
/// <see cref="SignatureSequence"/>, never used by the engine). Each member keeps the signatures that verify against
/// the cluster's on-chain member list (at least t + 1). Member 0 posts them with <c>postResult</c> at once; member k
/// after k × <see cref="ChainOptions.FallbackPostDelay"/> if no result is on chain by then, so a member 0 that went
/// down or cannot pay gas after the computation delays the result instead of losing it. <c>outputCommitment</c> is
/// zero: the circuits posted on chain have public outputs only.</para>
/// </remarks>
public sealed class NodeChain : IDisposable
{
    /// <summary>The message sequence within a job's session that carries result signatures between members.</summary>
    public const ulong SignatureSequence = ulong.MaxValue - 1;

    /// <summary>How many recent rejections <see cref="Rejections"/> keeps (a misbehaving client cannot grow it without bound).</summary>
    public const int MaxRejectionsKept = 1000;

    private readonly ChainOptions _options;
    private readonly int _nodeIndex;
    private readonly ILogger _log;
    private readonly EthereumRpcClient _rpc;
    private readonly EthKey _key;
    private readonly TransactionSender _sender;
    private readonly SecretContractsClient _contract;
    private readonly ConcurrentQueue<InputRejection> _rejections = new();
    private readonly List<Task> _posting = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ulong, long> _jobBlocks = new();
    private ResultSigning? _signing;

    /// <summary>Loads the operator key and connects (lazily) to the chain.</summary>
    /// <exception cref="InvalidDataException">The operator key file does not hold a hex private key.</exception>
    public NodeChain(ChainOptions options, int nodeIndex, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _nodeIndex = nodeIndex;
        _log = log;
        _key = EthKey.FromFile(options.OperatorKeyFile, $"{nameof(NodeOptions.Chain)}.{nameof(ChainOptions.OperatorKeyFile)}");
        _rpc = new EthereumRpcClient(new Uri(options.RpcUrl), SecretContractsClient.RevertDecoder);
        _sender = new TransactionSender(_rpc, _key);
        _contract = new SecretContractsClient(_rpc, EthAddress.Parse(options.ContractAddress), _sender);
    }

    /// <summary>The typed contract client (sending from the operator account).</summary>
    internal SecretContractsClient Contract => _contract;

    /// <summary>The settings in force.</summary>
    internal ChainOptions Options => _options;

    /// <summary>The first block worth scanning for a job's commitments when its creation block is unknown (set by the watcher to its start block).</summary>
    internal long ScanFloor { get; set; }

    /// <summary>Records the block a job was created in: its commitments can only be in later blocks.</summary>
    internal void RememberJobBlock(ulong jobId, long block) => _jobBlocks[jobId] = block;

    /// <summary>The operator address this node signs and posts with.</summary>
    public EthAddress Operator => _key.Address;

    /// <summary>The most recent input shares refused since start-up (at most <see cref="MaxRejectionsKept"/>), oldest first.</summary>
    public IReadOnlyCollection<InputRejection> Rejections => _rejections;

    /// <summary>Parses a node job id as a chain job id (decimal, ≥ 1).</summary>
    public static bool TryParseJobId(string jobId, out ulong chainJobId) =>
        ulong.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out chainJobId) && chainJobId > 0;

    /// <summary>A field element (fixed-width little-endian) as the 32-byte big-endian word the contract publishes.</summary>
    public static byte[] OutputWord(ReadOnlySpan<byte> littleEndianElement)
    {
        var value = new BigInteger(littleEndianElement, isUnsigned: true, isBigEndian: false);
        var word = new byte[32];
        int length = value.GetByteCount(isUnsigned: true);
        if (length > 32)
            throw new ArgumentException($"a field element of {length} bytes does not fit a 32-byte word", nameof(littleEndianElement));
        value.TryWriteBytes(word.AsSpan(32 - length), out _, isUnsigned: true, isBigEndian: true);
        return word;
    }

    /// <summary>Checks one input share against the job's on-chain commitments; records and returns the reason when it matches none.</summary>
    /// <returns>Null when accepted, otherwise the reason (also kept in <see cref="Rejections"/>).</returns>
    /// <exception cref="ChainException">The chain could not be queried.</exception>
    public async Task<string?> CheckInputShareAsync(string jobId, string inputName, string client, byte[] share, byte[] salt, CancellationToken cancellationToken = default)
    {
        string? reason;
        if (!TryParseJobId(jobId, out ulong id))
        {
            reason = $"job id '{jobId}' is not a SecretContracts job id (this node only runs on-chain jobs)";
        }
        else
        {
            IReadOnlyList<InputsCommittedEvent> committed;
            try
            {
                var from = BlockParameter.Number(_jobBlocks.TryGetValue(id, out long created) ? created : ScanFloor);
                committed = await _contract.GetInputsCommittedEventsAsync(from, BlockParameter.Latest, id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ChainException($"cannot read the commitments of job {id}: {e.Message}", e);
            }
            byte[] commitment = InputCommitment.Compute(share, salt);
            bool found = false;
            // Constant time per entry (as InputCommitment.Verify): the compare reveals nothing about keccak256(share ‖ salt).
            foreach (var entry in committed)
                found |= entry.Commitments.Count > _nodeIndex && CryptographicOperations.FixedTimeEquals(entry.Commitments[_nodeIndex], commitment);
            reason = found ? null
                : $"the share of input '{inputName}' does not match any on-chain commitment of job {id} for member {_nodeIndex} " +
                  $"(keccak256(share ‖ salt) is none of the {committed.Count} committed vectors' entry {_nodeIndex})";
        }
        if (reason is not null)
        {
            _rejections.Enqueue(new InputRejection(jobId, inputName, client, reason, DateTimeOffset.UtcNow));
            while (_rejections.Count > MaxRejectionsKept && _rejections.TryDequeue(out _))
            {
            }
            _log.InputShareRejected(jobId, inputName, client, reason);
        }
        return reason;
    }

    /// <summary>Signs the job's public outputs, exchanges signatures with every other member, and schedules this member's post.</summary>
    /// <param name="jobId">The node job id (a chain job id).</param>
    /// <param name="outputs">The job's outputs in circuit order; the public ones are posted.</param>
    /// <param name="transport">The cluster transport.</param>
    /// <param name="session">The job's protocol session.</param>
    /// <param name="parties">n.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The signatures this member holds (its own first), at least t + 1; posting runs in the background (<see cref="PostWithFallbackAsync"/>).</returns>
    /// <exception cref="ChainException">Signing failed, the job's cluster is not this node's, or fewer than t + 1 valid signatures arrived.</exception>
    /// <remarks>
    /// All-to-all rather than to member 0 only: any member holding t + 1 signatures can post, which is what lets the next
    /// member post when member 0 went down after the computation (fallback poster).
    /// </remarks>
    public async Task<IReadOnlyList<byte[]>> PublishAsync(string jobId, IReadOnlyList<OutputRecord> outputs, ITransport transport, ulong session, int parties,
        CancellationToken cancellationToken)
    {
        if (!TryParseJobId(jobId, out ulong id))
            throw new ChainException($"job id '{jobId}' is not a SecretContracts job id");
        var words = outputs.Where(o => o.IsPublic).Select(o => OutputWord(o.Value)).ToArray();
        byte[] outputsHash = ResultSigning.OutputsHash(words);
        byte[] commitment = new byte[32];
        ResultSigning signing;
        ClusterInfo cluster;
        try
        {
            signing = _signing ??= await _contract.CreateResultSigningAsync(cancellationToken).ConfigureAwait(false);
            var job = await _contract.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
            cluster = await _contract.GetClusterAsync(job.ClusterId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ChainException($"cannot read the EIP-712 domain, job {id} or its cluster: {e.Message}", e);
        }
        if (cluster.Size != parties || cluster.Members[_nodeIndex] != _key.Address)
            throw new ChainException($"job {id} belongs to cluster {cluster.Id} whose member {_nodeIndex} is {(cluster.Size > _nodeIndex ? cluster.Members[_nodeIndex] : "missing")}, not this node's operator {_key.Address}");

        byte[] own = signing.Sign(_key, id, outputsHash, commitment).ToBytes();
        var tag = new MessageTag(session, SignatureSequence);
        var peers = Enumerable.Range(0, parties).Where(p => p != _nodeIndex).ToArray();
        await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                await transport.SendAsync(peer, tag, own, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                _log.ResultSignatureMissing(jobId, peer, $"cannot send ours: {e.Message}");
            }
        })).ConfigureAwait(false);
        var received = await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                var payload = await transport.ReceiveAsync(peer, tag, cancellationToken).ConfigureAwait(false);
                if (signing.Verify(payload.Span, cluster.Members[peer], id, outputsHash, commitment))
                    return (Peer: peer, Signature: payload.ToArray());
                _log.ResultSignatureMismatch(jobId, peer);
            }
            catch (TransportException e)
            {
                _log.ResultSignatureMissing(jobId, peer, e.Message);
            }
            return (Peer: peer, Signature: (byte[]?)null);
        })).ConfigureAwait(false);
        var signatures = new List<byte[]> { own };
        signatures.AddRange(received.Where(r => r.Signature is not null).OrderBy(r => r.Peer).Select(r => r.Signature!));
        if (signatures.Count < cluster.Quorum)
            throw new ChainException($"only {signatures.Count} of the {cluster.Quorum} result signatures job {id} needs were collected");
        StartPosting(id, words, commitment, signatures);
        return signatures;
    }

    /// <summary>Posting tasks still running (tests and shutdown wait for them).</summary>
    internal Task PostingCompletion
    {
        get
        {
            lock (_posting)
                return Task.WhenAll(_posting);
        }
    }

    private void StartPosting(ulong id, byte[][] words, byte[] commitment, List<byte[]> signatures)
    {
        lock (_posting)
        {
            _posting.RemoveAll(t => t.IsCompleted);
            _posting.Add(Task.Run(() => PostWithFallbackAsync(id, words, commitment, signatures, _stopping.Token)));
        }
    }

    /// <summary>
    /// Member k waits k × <see cref="ChainOptions.FallbackPostDelay"/>, then posts the result unless one is on chain already,
    /// retrying (every second, up to <see cref="ChainOptions.PostTimeout"/>) while the input phase is not over or a send fails.
    /// </summary>
    /// <returns>The receipt of this member's post, or null when another member's result was on chain first or posting gave up (logged).</returns>
    internal async Task<TransactionReceipt?> PostWithFallbackAsync(ulong id, byte[][] words, byte[] commitment, IReadOnlyList<byte[]> signatures, CancellationToken cancellationToken)
    {
        string job = id.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (_nodeIndex > 0)
                await Task.Delay(_options.FallbackPostDelay * _nodeIndex, cancellationToken).ConfigureAwait(false);
            var giveUp = DateTime.UtcNow + _options.PostTimeout;
            while (true)
            {
                try
                {
                    if ((await _contract.GetResultAsync(id, cancellationToken).ConfigureAwait(false)).Posted)
                    {
                        _log.ResultAlreadyPosted(job, _nodeIndex);
                        return null;
                    }
                    var receipt = await _contract.PostResultAsync(id, words, commitment, signatures, cancellationToken).ConfigureAwait(false);
                    _log.ResultPosted(job, Hex.Encode(receipt.TransactionHash), signatures.Count, (long)receipt.GasUsed);
                    return receipt;
                }
                catch (SecretContractsRevertException e) when (e.ErrorName == "JobNotOpen")
                {
                    // Another member's post was mined between our check and our transaction.
                    _log.ResultAlreadyPosted(job, _nodeIndex);
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException && DateTime.UtcNow < giveUp)
                {
                    // InputPhaseNotOver until the deadline; anything else (no funds, RPC down) may heal, and a later member covers for us.
                    if (!(e is SecretContractsRevertException { ErrorName: "InputPhaseNotOver" }))
                        _log.ResultPostFailed(job, e.Message);
                    await Task.Delay(e is SecretContractsRevertException { ErrorName: "InputPhaseNotOver" } ? 250 : 1000, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e)
        {
            _log.ResultPostFailed(job, $"gave up: {e.Message}");
            return null;
        }
    }

    /// <summary>Releases the RPC client and the key.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        PostingCompletion.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
        _sender.Dispose();
        _rpc.Dispose();
        _key.Dispose();
    }
}
