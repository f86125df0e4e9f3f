using System.Numerics;
using Mpc.Contracts.Artifacts;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>
/// A typed client of one <c>SecretContracts</c> deployment: node registry, clusters, secret contracts, jobs, input
/// commitments, results, fees, slashing, views and event queries. Used by nodes, the CLI and apps.
/// </summary>
/// <remarks>
/// Functions, events and errors come from the compiled artifact's ABI (<see cref="ContractArtifacts.SecretContracts"/>).
/// Transactions go through the <see cref="TransactionSender"/> given at construction (nonce, EIP-1559 fees, gas
/// estimate); without one the client is read-only. Every revert — found by <c>eth_call</c>, by gas estimation, or
/// mined — surfaces as <see cref="SecretContractsRevertException"/> naming the contract's custom error, e.g.
/// <c>NotEnoughSignatures(1, 2)</c>. Ids are the contract's 1-based counters; times are whole Unix seconds of the
/// chain's block clock. Rules of every function: docs/contract.md.
/// </remarks>
public sealed class SecretContractsClient
{
    private const int Word = 32;

    private readonly TransactionSender? _sender;
    private readonly ContractClient _events;

    /// <summary>Creates a client for the deployment at <paramref name="address"/>; without <paramref name="sender"/> it is read-only.</summary>
    public SecretContractsClient(IEthereumRpc rpc, EthAddress address, TransactionSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        Rpc = rpc;
        Address = address;
        _sender = sender;
        _events = new ContractClient(rpc, address);
    }

    /// <summary>The contract address.</summary>
    public EthAddress Address { get; }

    /// <summary>The RPC endpoint used for calls and log queries.</summary>
    public IEthereumRpc Rpc { get; }

    /// <summary>The account transactions are sent from; null for a read-only client.</summary>
    public EthAddress? SenderAddress => _sender?.Address;

    /// <summary>
    /// A decoder that knows every custom error of the contract's ABI; pass it to <see cref="EthereumRpcClient"/> so that
    /// raw RPC errors read well too.
    /// </summary>
    public static RevertDecoder RevertDecoder => SecretContractsAbi.RevertDecoder;

    /// <summary>Deploys a new <c>SecretContracts</c> from <paramref name="sender"/>'s account.</summary>
    /// <param name="rpc">The chain.</param>
    /// <param name="sender">The deployer; also the sender of the returned client.</param>
    /// <param name="minStake">Wei a node must lock in <c>registerNode</c> (0 allowed).</param>
    /// <param name="exitDelay">Time between <c>requestDeregister</c> and <c>withdrawStake</c>, whole seconds; the
    /// window in which an exiting node can still be slashed, so choose it longer than any job's result window.</param>
    /// <param name="cancellationToken">Cancels the deployment wait.</param>
    /// <returns>A client bound to the new address and the creation receipt.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative stake, or an exit delay that is negative, fractional or above 2^64−1 s.</exception>
    public static async Task<(SecretContractsClient Client, TransactionReceipt Receipt)> DeployAsync(
        IEthereumRpc rpc,
        TransactionSender sender,
        BigInteger minStake,
        TimeSpan exitDelay,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(sender);
        if (minStake.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minStake), minStake, "The minimum stake cannot be negative.");
        }

        ulong exitSeconds = WholeSeconds(exitDelay, nameof(exitDelay), allowZero: true);
        byte[] initCode = ContractArtifacts.SecretContracts.DeploymentData(Abi.Encode("uint256,uint64", minStake, exitSeconds));
        (EthAddress address, TransactionReceipt receipt) = await sender.DeployAsync(initCode, cancellationToken).ConfigureAwait(false);
        return (new SecretContractsClient(rpc, address, sender), receipt);
    }

    /// <summary>A client of the same deployment that sends from <paramref name="sender"/> (e.g. one per node operator).</summary>
    public SecretContractsClient WithSender(TransactionSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return new SecretContractsClient(Rpc, Address, sender);
    }

    /// <summary>The EIP-712 result signer of this deployment, with the chain id read from the RPC.</summary>
    public async Task<ResultSigning> CreateResultSigningAsync(CancellationToken cancellationToken = default) =>
        new(await Rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false), Address);

    /// <summary>The timestamp of the latest block: the clock every deadline is compared with.</summary>
    public async Task<DateTimeOffset> GetChainTimeAsync(CancellationToken cancellationToken = default)
    {
        BlockHeader block = await Rpc.GetBlockAsync(BlockParameter.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw new EthereumRpcException("eth_getBlockByNumber", null, "the node returned no latest block", null, null);
        return block.Time;
    }

    /// <summary>
    /// The clock deadlines are judged by: the timestamp the next block would get (the <c>pending</c> block), or the latest
    /// block's when the node offers no pending block.
    /// </summary>
    /// <remarks>
    /// A chain that mines only on demand (anvil's automine) has no new block until the next transaction, so the latest
    /// block's time can stand still long after a deadline; the pending block carries the time a transaction sent now
    /// would be mined at, which is exactly what <c>postResult</c>'s <c>inputDeadline ≤ block.timestamp</c> sees.
    /// </remarks>
    public async Task<DateTimeOffset> GetDeadlineClockAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset latest = await GetChainTimeAsync(cancellationToken).ConfigureAwait(false);
        BlockHeader? pending;
        try
        {
            pending = await Rpc.GetBlockAsync(BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
        }
        catch (EthereumRpcException)
        {
            // Some nodes refuse the pending tag; the latest block is then the best clock there is.
            pending = null;
        }

        return pending is not null && pending.Time > latest ? pending.Time : latest;
    }

    /// <summary>
    /// The first block that holds this contract's code: where event scans start (a long chain is never scanned from
    /// genesis). Binary search over <c>eth_getCode</c> at historic blocks, O(log height) calls.
    /// </summary>
    /// <exception cref="InvalidOperationException">No contract code at <see cref="Address"/> in the latest block.</exception>
    /// <exception cref="EthereumRpcException">The node cannot serve historic state (a pruned node): configure the start block instead.</exception>
    public async Task<long> FindDeploymentBlockAsync(CancellationToken cancellationToken = default)
    {
        long high = await Rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        if ((await Rpc.GetCodeAsync(Address, BlockParameter.Number(high), cancellationToken).ConfigureAwait(false)).Length == 0)
        {
            throw new InvalidOperationException($"No contract code at {Address} in block {high}: is SecretContracts deployed on this chain?");
        }

        long low = 0;
        // Invariant: code exists at `high`; it does not exist before `low`.
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            bool deployed = (await Rpc.GetCodeAsync(Address, BlockParameter.Number(middle), cancellationToken).ConfigureAwait(false)).Length > 0;
            if (deployed)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return high;
    }

    /// <summary>A cluster with every member's registration: what a node pins its peers from and a client its nodes from.</summary>
    /// <exception cref="SecretContractsRevertException"><c>UnknownCluster</c>.</exception>
    public async Task<RegisteredCluster> GetRegisteredClusterAsync(ulong clusterId, CancellationToken cancellationToken = default)
    {
        ClusterInfo cluster = await GetClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        NodeInfo[] members = await Task.WhenAll(cluster.Members.Select(m => GetNodeAsync(m, cancellationToken))).ConfigureAwait(false);
        return new RegisteredCluster(clusterId, cluster.Threshold, members);
    }

    // ---------------------------------------------------------------------------------------------
    // Nodes
    // ---------------------------------------------------------------------------------------------

    /// <summary>Registers the sender as a node operator with <paramref name="stake"/> wei locked (at least <c>minStake</c>).</summary>
    /// <param name="endpoint">The node's gRPC endpoint, e.g. <c>https://10.0.0.5:7000</c>; not empty.</param>
    /// <param name="tlsFingerprint">The 32-byte fingerprint of the node's TLS certificate.</param>
    /// <param name="stake">Wei to lock.</param>
    /// <param name="cancellationToken">Cancels the wait for the receipt.</param>
    /// <exception cref="ArgumentException">The endpoint is empty or the fingerprint is not 32 bytes.</exception>
    /// <exception cref="SecretContractsRevertException"><c>StakeTooLow</c>, <c>AlreadyRegistered</c>, …</exception>
    public Task<TransactionReceipt> RegisterNodeAsync(string endpoint, ReadOnlyMemory<byte> tlsFingerprint, BigInteger stake, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        RequireWord(tlsFingerprint.Span, nameof(tlsFingerprint));
        return SendAsync("registerNode", [endpoint, tlsFingerprint], stake, cancellationToken);
    }

    /// <summary>Starts the sender's exit; returns when its stake becomes withdrawable.</summary>
    /// <exception cref="SecretContractsRevertException"><c>NodeNotActive</c>.</exception>
    public async Task<DateTimeOffset> RequestDeregisterAsync(CancellationToken cancellationToken = default)
    {
        TransactionReceipt receipt = await SendAsync("requestDeregister", [], BigInteger.Zero, cancellationToken).ConfigureAwait(false);
        object?[] values = SingleEvent(receipt, "DeregistrationRequested");
        return UnixTime(values[1], "DeregistrationRequested.withdrawableAt");
    }

    /// <summary>Pays the sender's stake back after the exit delay.</summary>
    /// <exception cref="SecretContractsRevertException"><c>NodeNotExiting</c>, <c>StakeLocked</c>.</exception>
    public Task<TransactionReceipt> WithdrawStakeAsync(CancellationToken cancellationToken = default) =>
        SendAsync("withdrawStake", [], BigInteger.Zero, cancellationToken);

    // ---------------------------------------------------------------------------------------------
    // Clusters and secret contracts
    // ---------------------------------------------------------------------------------------------

    /// <summary>Creates a cluster of distinct active nodes with threshold <paramref name="threshold"/> (1 ≤ t, n ≥ 2t + 1, n ≤ 255).</summary>
    /// <returns>The new cluster id, read from the <c>ClusterCreated</c> event.</returns>
    /// <exception cref="ArgumentOutOfRangeException">t is outside 1..255.</exception>
    /// <exception cref="SecretContractsRevertException"><c>InvalidThreshold</c>, <c>NodeNotActive</c>, <c>DuplicateMember</c>, <c>ClusterTooLarge</c>.</exception>
    public async Task<ulong> CreateClusterAsync(IReadOnlyList<EthAddress> members, int threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, byte.MaxValue);
        TransactionReceipt receipt = await SendAsync("createCluster", [members.Cast<object?>().ToArray(), threshold], BigInteger.Zero, cancellationToken)
            .ConfigureAwait(false);
        return Id(SingleEvent(receipt, "ClusterCreated")[0], "ClusterCreated.clusterId");
    }

    /// <summary>Binds <paramref name="circuitId"/> to <paramref name="clusterId"/>; the sender becomes the owner.</summary>
    /// <returns>The new secret contract id, read from the <c>ContractDeployed</c> event.</returns>
    /// <exception cref="ArgumentException">The circuit id is not 32 bytes.</exception>
    /// <exception cref="SecretContractsRevertException"><c>ZeroCircuitId</c>, <c>UnknownCluster</c>.</exception>
    public async Task<ulong> DeployContractAsync(ReadOnlyMemory<byte> circuitId, ulong clusterId, CancellationToken cancellationToken = default)
    {
        RequireWord(circuitId.Span, nameof(circuitId));
        TransactionReceipt receipt = await SendAsync("deployContract", [circuitId, clusterId], BigInteger.Zero, cancellationToken).ConfigureAwait(false);
        return Id(SingleEvent(receipt, "ContractDeployed")[0], "ContractDeployed.contractId");
    }

    // ---------------------------------------------------------------------------------------------
    // Jobs
    // ---------------------------------------------------------------------------------------------

    /// <summary>Opens a job of <paramref name="contractId"/>, escrowing <paramref name="fee"/> wei.</summary>
    /// <param name="contractId">The secret contract to run.</param>
    /// <param name="inputDeadline">Commitments are accepted strictly before it (chain time, whole seconds; must be in the future).</param>
    /// <param name="resultTimeout">How long after the input deadline a result is accepted; whole seconds, at least 1.</param>
    /// <param name="fee">Wei paid to the signers of the result, or refunded.</param>
    /// <param name="cancellationToken">Cancels the wait for the receipt.</param>
    /// <returns>The new job id, read from the <c>JobCreated</c> event.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A deadline before 1970, a fractional or non-positive timeout, or a negative fee.</exception>
    /// <exception cref="SecretContractsRevertException"><c>UnknownContract</c>, <c>InputDeadlineInPast</c>, <c>FeeTooLarge</c>.</exception>
    public async Task<ulong> CreateJobAsync(ulong contractId, DateTimeOffset inputDeadline, TimeSpan resultTimeout, BigInteger fee, CancellationToken cancellationToken = default)
    {
        long deadline = inputDeadline.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(deadline, nameof(inputDeadline));
        ulong timeout = WholeSeconds(resultTimeout, nameof(resultTimeout), allowZero: false);
        if (fee.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fee), fee, "A job fee cannot be negative.");
        }

        TransactionReceipt receipt = await SendAsync("createJob", [contractId, (ulong)deadline, timeout], fee, cancellationToken).ConfigureAwait(false);
        return Id(SingleEvent(receipt, "JobCreated")[0], "JobCreated.jobId");
    }

    /// <summary>Records the sender's input commitments for a job: one per member, in member order (see <see cref="InputCommitment"/>).</summary>
    /// <exception cref="ArgumentException">A commitment is not 32 bytes.</exception>
    /// <exception cref="SecretContractsRevertException"><c>InputDeadlinePassed</c>, <c>WrongCommitmentCount</c>, <c>InputsAlreadyCommitted</c>, …</exception>
    public Task<TransactionReceipt> CommitInputsAsync(ulong jobId, IReadOnlyList<byte[]> commitments, CancellationToken cancellationToken = default) =>
        SendAsync("commitInputs", [jobId, Words(commitments, nameof(commitments))], BigInteger.Zero, cancellationToken);

    /// <summary>Posts a result signed by at least t + 1 distinct members (any account may relay it).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="outputs">The 32-byte output words; published in <c>ResultPosted</c>.</param>
    /// <param name="outputCommitment">The nodes' 32-byte commitment to the outputs.</param>
    /// <param name="signatures">65-byte <c>r ‖ s ‖ v</c> signatures from <see cref="ResultSigning.Sign"/>. Passed through
    /// unchecked, so the contract is the judge (and tests can send bad ones).</param>
    /// <param name="cancellationToken">Cancels the wait for the receipt.</param>
    /// <returns>The receipt (its <see cref="TransactionReceipt.GasUsed"/> is the cost of acceptance).</returns>
    /// <exception cref="ArgumentException">An output or the commitment is not 32 bytes.</exception>
    /// <exception cref="SecretContractsRevertException"><c>NotEnoughSignatures</c>, <c>InvalidSignature</c>, <c>NotClusterMember</c>,
    /// <c>DuplicateSigner</c>, <c>InputPhaseNotOver</c>, <c>ResultWindowClosed</c>, <c>JobNotOpen</c>, …</exception>
    public Task<TransactionReceipt> PostResultAsync(
        ulong jobId,
        IReadOnlyList<byte[]> outputs,
        ReadOnlyMemory<byte> outputCommitment,
        IReadOnlyList<byte[]> signatures,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        RequireWord(outputCommitment.Span, nameof(outputCommitment));
        object?[] packedSignatures = signatures.Cast<object?>().ToArray();
        return SendAsync("postResult", [jobId, Words(outputs, nameof(outputs)), outputCommitment, packedSignatures], BigInteger.Zero, cancellationToken);
    }

    /// <summary>Posts a result with <see cref="EthSignature"/>s (see the byte overload).</summary>
    public Task<TransactionReceipt> PostResultAsync(
        ulong jobId,
        IReadOnlyList<byte[]> outputs,
        ReadOnlyMemory<byte> outputCommitment,
        IReadOnlyList<EthSignature> signatures,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        return PostResultAsync(jobId, outputs, outputCommitment, signatures.Select(static s => s.ToBytes()).ToArray(), cancellationToken);
    }

    /// <summary>Returns an open job's fee to its requester once the result deadline has passed (any account may trigger it).</summary>
    /// <exception cref="SecretContractsRevertException"><c>RefundNotYetAvailable</c>, <c>JobNotOpen</c>, <c>UnknownJob</c>.</exception>
    public Task<TransactionReceipt> RefundAsync(ulong jobId, CancellationToken cancellationToken = default) =>
        SendAsync("refund", [jobId], BigInteger.Zero, cancellationToken);

    /// <summary>Pays the sender the fees it accrued as a member of <paramref name="clusterId"/>.</summary>
    /// <exception cref="SecretContractsRevertException"><c>NothingToWithdraw</c>.</exception>
    public Task<TransactionReceipt> WithdrawFeesAsync(ulong clusterId, CancellationToken cancellationToken = default) =>
        SendAsync("withdrawFees", [clusterId], BigInteger.Zero, cancellationToken);

    /// <summary>
    /// Reports <paramref name="node"/> for signing two different results (<paramref name="first"/>, <paramref name="second"/>)
    /// of one job; the sender receives <c>SLASH_REWARD_BPS</c> of the stake.
    /// </summary>
    /// <exception cref="ArgumentException">A hash is not 32 bytes.</exception>
    /// <exception cref="SecretContractsRevertException"><c>ResultsDoNotConflict</c>, <c>WrongSigner</c>, <c>NotClusterMember</c>, <c>NothingToSlash</c>.</exception>
    public Task<TransactionReceipt> SlashAsync(ulong jobId, EthAddress node, SignedResult first, SignedResult second, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        first.Validate(nameof(first));
        second.Validate(nameof(second));
        return SendAsync(
            "slash",
            [jobId, node, first.OutputsHash, first.OutputCommitment, first.Signature, second.OutputsHash, second.OutputCommitment, second.Signature],
            BigInteger.Zero,
            cancellationToken);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// <summary>A node's registration (status <see cref="NodeStatus.None"/> when never registered).</summary>
    public async Task<NodeInfo> GetNodeAsync(EthAddress operatorAddress, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getNode", [operatorAddress], cancellationToken).ConfigureAwait(false);
        var withdrawableAt = (BigInteger)v[3]!;
        return new NodeInfo(
            operatorAddress,
            (string)v[0]!,
            (byte[])v[1]!,
            (BigInteger)v[2]!,
            withdrawableAt.IsZero ? null : UnixTime(withdrawableAt, "getNode.withdrawableAt"),
            Status<NodeStatus>(v[4], NodeStatus.Slashed, "getNode.status"));
    }

    /// <summary>A cluster's members and threshold.</summary>
    /// <exception cref="SecretContractsRevertException"><c>UnknownCluster</c>.</exception>
    public async Task<ClusterInfo> GetClusterAsync(ulong clusterId, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getCluster", [clusterId], cancellationToken).ConfigureAwait(false);
        EthAddress[] members = ((object?[])v[0]!).Select(static m => (EthAddress)m!).ToArray();
        return new ClusterInfo(clusterId, members, (int)(BigInteger)v[1]!);
    }

    /// <summary>A secret contract's circuit id, cluster and owner.</summary>
    /// <exception cref="SecretContractsRevertException"><c>UnknownContract</c>.</exception>
    public async Task<SecretContractInfo> GetContractAsync(ulong contractId, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getContract", [contractId], cancellationToken).ConfigureAwait(false);
        return new SecretContractInfo(contractId, (byte[])v[0]!, Id(v[1], "getContract.clusterId"), (EthAddress)v[2]!);
    }

    /// <summary>A job's parameters and status.</summary>
    /// <exception cref="SecretContractsRevertException"><c>UnknownJob</c>.</exception>
    public async Task<JobInfo> GetJobAsync(ulong jobId, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getJob", [jobId], cancellationToken).ConfigureAwait(false);
        return new JobInfo(
            jobId,
            Id(v[0], "getJob.contractId"),
            Id(v[1], "getJob.clusterId"),
            (EthAddress)v[2]!,
            (BigInteger)v[3]!,
            UnixTime(v[4], "getJob.inputDeadline"),
            UnixTime(v[5], "getJob.resultDeadline"),
            Status<JobStatus>(v[6], JobStatus.Refunded, "getJob.status"));
    }

    /// <summary>A client's input commitments for a job, in member order; empty when it committed none.</summary>
    public async Task<IReadOnlyList<byte[]>> GetCommitmentsAsync(ulong jobId, EthAddress client, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getCommitments", [jobId, client], cancellationToken).ConfigureAwait(false);
        return WordList(v[0]);
    }

    /// <summary>A job's stored result hashes (the outputs are in <see cref="FindResultPostedAsync"/>).</summary>
    /// <exception cref="SecretContractsRevertException"><c>UnknownJob</c>.</exception>
    public async Task<ResultInfo> GetResultAsync(ulong jobId, CancellationToken cancellationToken = default)
    {
        object?[] v = await CallAsync("getResult", [jobId], cancellationToken).ConfigureAwait(false);
        return new ResultInfo(jobId, (bool)v[0]!, (byte[])v[1]!, (byte[])v[2]!);
    }

    /// <summary>Wei <paramref name="node"/> accrued in <paramref name="clusterId"/> and has not withdrawn.</summary>
    public async Task<BigInteger> PendingFeesAsync(ulong clusterId, EthAddress node, CancellationToken cancellationToken = default) =>
        (BigInteger)(await CallAsync("pendingFees", [clusterId, node], cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>The contract's EIP-712 domain separator (equal to <see cref="ResultSigning.DomainSeparator"/> of this deployment).</summary>
    public async Task<byte[]> DomainSeparatorAsync(CancellationToken cancellationToken = default) =>
        (byte[])(await CallAsync("domainSeparator", [], cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>The digest the contract recovers signers from (equal to <see cref="ResultSigning.Digest"/>).</summary>
    public async Task<byte[]> ResultDigestAsync(ulong jobId, ReadOnlyMemory<byte> outputsHash, ReadOnlyMemory<byte> outputCommitment, CancellationToken cancellationToken = default)
    {
        RequireWord(outputsHash.Span, nameof(outputsHash));
        RequireWord(outputCommitment.Span, nameof(outputCommitment));
        return (byte[])(await CallAsync("resultDigest", [jobId, outputsHash, outputCommitment], cancellationToken).ConfigureAwait(false))[0]!;
    }

    /// <summary>The stake (wei) a node must lock.</summary>
    public Task<BigInteger> MinStakeAsync(CancellationToken cancellationToken = default) => UIntViewAsync("minStake", cancellationToken);

    /// <summary>The delay between <c>requestDeregister</c> and <c>withdrawStake</c>.</summary>
    public async Task<TimeSpan> ExitDelayAsync(CancellationToken cancellationToken = default) =>
        TimeSpan.FromSeconds((double)await UIntViewAsync("exitDelay", cancellationToken).ConfigureAwait(false));

    /// <summary>Number of clusters created (ids are 1..count).</summary>
    public async Task<ulong> ClusterCountAsync(CancellationToken cancellationToken = default) =>
        Id(await UIntViewAsync("clusterCount", cancellationToken).ConfigureAwait(false), "clusterCount");

    /// <summary>Number of secret contracts deployed (ids are 1..count).</summary>
    public async Task<ulong> ContractCountAsync(CancellationToken cancellationToken = default) =>
        Id(await UIntViewAsync("contractCount", cancellationToken).ConfigureAwait(false), "contractCount");

    /// <summary>Number of jobs created (ids are 1..count).</summary>
    public async Task<ulong> JobCountAsync(CancellationToken cancellationToken = default) =>
        Id(await UIntViewAsync("jobCount", cancellationToken).ConfigureAwait(false), "jobCount");

    /// <summary>Slashed stake (wei) not paid to reporters, locked in the contract for good.</summary>
    public Task<BigInteger> BurnedStakeAsync(CancellationToken cancellationToken = default) => UIntViewAsync("burnedStake", cancellationToken);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// <summary>Operator addresses of the <c>NodeRegistered</c> logs in the block range, in log order (each address at most once: registration is once per address).</summary>
    public Task<IReadOnlyList<EthAddress>> GetRegisteredOperatorsAsync(BlockParameter fromBlock, BlockParameter toBlock, CancellationToken cancellationToken = default) =>
        QueryAsync("NodeRegistered", fromBlock, toBlock, [], static (v, _) => (EthAddress)v[0]!, cancellationToken);

    /// <summary><c>JobCreated</c> logs in [<paramref name="fromBlock"/>, <paramref name="toBlock"/>], optionally of one contract.</summary>
    public Task<IReadOnlyList<JobCreatedEvent>> GetJobCreatedEventsAsync(
        BlockParameter fromBlock,
        BlockParameter toBlock,
        ulong? contractId = null,
        CancellationToken cancellationToken = default) =>
        QueryAsync("JobCreated", fromBlock, toBlock, [null, IdTopic(contractId)], static (v, log) => new JobCreatedEvent(
            Id(v[0], "JobCreated.jobId"),
            Id(v[1], "JobCreated.contractId"),
            (EthAddress)v[2]!,
            (BigInteger)v[3]!,
            UnixTime(v[4], "JobCreated.inputDeadline"),
            UnixTime(v[5], "JobCreated.resultDeadline"),
            log), cancellationToken);

    /// <summary><c>InputsCommitted</c> logs in the block range, optionally of one job.</summary>
    public Task<IReadOnlyList<InputsCommittedEvent>> GetInputsCommittedEventsAsync(
        BlockParameter fromBlock,
        BlockParameter toBlock,
        ulong? jobId = null,
        CancellationToken cancellationToken = default) =>
        QueryAsync("InputsCommitted", fromBlock, toBlock, [IdTopic(jobId)], static (v, log) => new InputsCommittedEvent(
            Id(v[0], "InputsCommitted.jobId"), (EthAddress)v[1]!, WordList(v[2]), log), cancellationToken);

    /// <summary><c>ResultPosted</c> logs (with the outputs) in the block range, optionally of one job.</summary>
    public Task<IReadOnlyList<ResultPostedEvent>> GetResultPostedEventsAsync(
        BlockParameter fromBlock,
        BlockParameter toBlock,
        ulong? jobId = null,
        CancellationToken cancellationToken = default) =>
        QueryAsync("ResultPosted", fromBlock, toBlock, [IdTopic(jobId)], static (v, log) => new ResultPostedEvent(
            Id(v[0], "ResultPosted.jobId"), (byte[])v[1]!, (byte[])v[2]!, (BigInteger)v[3]!, (BigInteger)v[4]!, WordList(v[5]), log), cancellationToken);

    /// <summary>
    /// The outputs of <paramref name="jobId"/>: its <c>ResultPosted</c> event searched from <paramref name="fromBlock"/>
    /// (default: genesis) to the latest block, or null when no result was posted.
    /// </summary>
    /// <exception cref="InvalidDataException">The event's outputs do not hash to its <c>outputsHash</c> (a lying RPC endpoint).</exception>
    public async Task<ResultPostedEvent?> FindResultPostedAsync(ulong jobId, BlockParameter fromBlock = default, CancellationToken cancellationToken = default)
    {
        BlockParameter from = fromBlock == BlockParameter.Latest ? BlockParameter.Earliest : fromBlock;
        IReadOnlyList<ResultPostedEvent> events = await GetResultPostedEventsAsync(from, BlockParameter.Latest, jobId, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return null;
        }

        ResultPostedEvent posted = events[^1];
        if (!ResultSigning.OutputsHash(posted.Outputs).AsSpan().SequenceEqual(posted.OutputsHash))
        {
            throw new InvalidDataException(
                $"ResultPosted of job {jobId} (tx {Hex.Encode(posted.Log.TransactionHash)}) has outputs that do not hash to its outputsHash {Hex.Encode(posted.OutputsHash)}.");
        }

        return posted;
    }

    // ---------------------------------------------------------------------------------------------
    // Plumbing
    // ---------------------------------------------------------------------------------------------

    private async Task<TransactionReceipt> SendAsync(string function, object?[] args, BigInteger value, CancellationToken cancellationToken)
    {
        TransactionSender sender = _sender
            ?? throw new InvalidOperationException($"SecretContractsClient for {Address} is read-only (no TransactionSender), so it cannot send {function}.");
        var request = new TransactionRequest { To = Address, Data = SecretContractsAbi.Function(function).EncodeCall(args), Value = value };
        try
        {
            return await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (EthereumRpcException e) when (e.RevertData is { } data)
        {
            throw SecretContractsRevertException.From(function, data, e);
        }
        catch (TransactionFailedException e) when (e.RevertData is { } data)
        {
            // Mined with status 0 (state changed after the estimate): the sender already replayed it at its block.
            throw SecretContractsRevertException.From(function, data, e);
        }
    }

    private async Task<object?[]> CallAsync(string function, object?[] args, CancellationToken cancellationToken)
    {
        AbiFunction abiFunction = SecretContractsAbi.Function(function);
        byte[] result;
        try
        {
            result = await Rpc.CallAsync(
                new CallRequest { From = _sender?.Address, To = Address, Data = abiFunction.EncodeCall(args) },
                BlockParameter.Latest,
                cancellationToken).ConfigureAwait(false);
        }
        catch (EthereumRpcException e) when (e.RevertData is { } data)
        {
            throw SecretContractsRevertException.From(function, data, e);
        }

        if (result.Length == 0)
        {
            // A call to an address without code "succeeds" with empty data; say so instead of a decode error.
            throw new InvalidOperationException($"SecretContracts.{function} at {Address} returned no data: is the contract deployed on this chain?");
        }

        return abiFunction.DecodeOutput(result);
    }

    private async Task<BigInteger> UIntViewAsync(string function, CancellationToken cancellationToken) =>
        (BigInteger)(await CallAsync(function, [], cancellationToken).ConfigureAwait(false))[0]!;

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string eventName,
        BlockParameter fromBlock,
        BlockParameter toBlock,
        IReadOnlyList<byte[]?> indexedFilters,
        Func<object?[], LogEntry, T> map,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<DecodedLog> logs = await _events.GetEventsAsync(
            SecretContractsAbi.Event(eventName), fromBlock, toBlock, indexedFilters, cancellationToken).ConfigureAwait(false);
        var decoded = new List<T>(logs.Count);
        foreach (DecodedLog log in logs)
        {
            if (!log.Log.Removed)
            {
                decoded.Add(map([.. log.Values], log.Log));
            }
        }

        return decoded;
    }

    private object?[] SingleEvent(TransactionReceipt receipt, string eventName)
    {
        AbiEvent abiEvent = SecretContractsAbi.Event(eventName);
        foreach (LogEntry log in receipt.Logs)
        {
            if (log.Address == Address && abiEvent.Matches(log))
            {
                return abiEvent.Decode(log);
            }
        }

        throw new InvalidDataException(
            $"Transaction {Hex.Encode(receipt.TransactionHash)} to SecretContracts at {Address} succeeded but emitted no {eventName} event.");
    }

    private static byte[]? IdTopic(ulong? id) => id is { } value ? Abi.Encode([AbiType.UInt256], [value]) : null;

    private static byte[][] WordList(object? value) => ((object?[])value!).Select(static w => (byte[])w!).ToArray();

    private static object?[] Words(IReadOnlyList<byte[]> words, string name)
    {
        ArgumentNullException.ThrowIfNull(words, name);
        var items = new object?[words.Count];
        for (int i = 0; i < words.Count; i++)
        {
            RequireWord(words[i], $"{name}[{i}]");
            items[i] = words[i];
        }

        return items;
    }

    private static void RequireWord(ReadOnlySpan<byte> value, string name)
    {
        if (value.Length != Word)
        {
            throw new ArgumentException($"{name} must be 32 bytes, got {value.Length}.", name);
        }
    }

    private static ulong WholeSeconds(TimeSpan span, string name, bool allowZero)
    {
        if (span < TimeSpan.Zero || (!allowZero && span == TimeSpan.Zero) || span.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(name, span, $"{name} must be a {(allowZero ? "non-negative" : "positive")} whole number of seconds (the chain counts seconds).");
        }

        return (ulong)(span.Ticks / TimeSpan.TicksPerSecond);
    }

    private static ulong Id(object? value, string what)
    {
        var number = (BigInteger)value!;
        return number <= ulong.MaxValue && number.Sign >= 0
            ? (ulong)number
            : throw new InvalidDataException($"SecretContracts {what} = {number} does not fit 64 bits.");
    }

    private static DateTimeOffset UnixTime(object? value, string what)
    {
        var seconds = (BigInteger)value!;
        // DateTimeOffset ends in year 9999 (253402300799 s); a uint64 deadline can be set beyond it.
        return seconds <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : throw new InvalidDataException($"SecretContracts {what} = {seconds} s is beyond year 9999.");
    }

    private static TEnum Status<TEnum>(object? value, TEnum last, string what)
        where TEnum : struct, Enum
    {
        var raw = (BigInteger)value!;
        return raw.Sign >= 0 && raw <= Convert.ToInt32(last, System.Globalization.CultureInfo.InvariantCulture)
            ? (TEnum)Enum.ToObject(typeof(TEnum), (int)raw)
            : throw new InvalidDataException($"SecretContracts {what} = {raw} is not a known {typeof(TEnum).Name}.");
    }
}
