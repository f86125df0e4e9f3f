// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title MpcCompute secret-contract registry
/// @notice Registers MPC nodes (stake, gRPC endpoint, TLS fingerprint), groups them into clusters with
///         a threshold t (n >= 2t+1), binds circuit ids to clusters, escrows job fees, records clients'
///         input commitments, accepts results signed by at least t+1 distinct cluster members
///         (EIP-712), splits the fee among the signers and slashes nodes that sign two different
///         results for one job.
/// @dev Gas notes (postResult is the hot path, see docs/contract.md):
///      - a job's timing, cluster, threshold and status share one slot, requester and fee another;
///      - a cluster member's 1-based index and accrued fees share one slot, so the membership check and
///        the fee credit touch one storage slot per signer, and that slot is never zero (no 20k SSTORE);
///      - duplicate signers are caught with a bitmap over member indices (n <= 255);
///      - the outputs themselves are only emitted; storage keeps keccak256(outputs) and the commitment.
///      Fees are pull payments (withdrawFees): a reverting or gas-hungry signer cannot block a result.
contract SecretContracts {
    // ----------------------------------------------------------------------------------------------
    // Types
    // ----------------------------------------------------------------------------------------------

    /// @notice Life cycle of a node registration. Values are part of the ABI (getNode returns uint8).
    enum NodeStatus {
        None, // never registered
        Active, // registered, stake locked, may join clusters
        Exiting, // requestDeregister called; stake withdrawable after the exit delay
        Withdrawn, // stake paid back; the address cannot register again
        Slashed // stake taken for equivocation; the address cannot register again
    }

    /// @notice Life cycle of a job. Values are part of the ABI (getJob returns uint8).
    enum JobStatus {
        None, // no such job
        Open, // fee escrowed; inputs before inputDeadline, result in [inputDeadline, resultDeadline)
        Completed, // result stored, fee credited to the signers
        Refunded // no result before resultDeadline; fee returned to the requester
    }

    struct Node {
        string endpoint;
        bytes32 tlsFingerprint;
        uint128 stake;
        uint64 withdrawableAt; // 0 until requestDeregister
        NodeStatus status;
    }

    struct Cluster {
        address[] members;
        uint8 t;
    }

    /// @dev One slot: the membership check and the fee credit of postResult read and write only this.
    struct Member {
        uint8 indexPlusOne; // 1-based member index; 0 = not a member
        uint128 fees; // accrued, not yet withdrawn
    }

    struct SecretContract {
        bytes32 circuitId;
        uint64 clusterId;
        address owner;
    }

    /// @dev Slot 0 holds everything postResult/commitInputs check; slot 1 requester and fee.
    struct Job {
        // slot 0
        uint64 inputDeadline;
        uint64 resultDeadline;
        uint64 clusterId;
        uint8 t;
        uint8 n;
        JobStatus status;
        // slot 1
        address requester;
        uint96 fee;
        // slot 2
        uint64 contractId;
        // slots 3, 4 (written once by postResult)
        bytes32 outputsHash;
        bytes32 outputCommitment;
    }

    // ----------------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------------

    error StakeTooLow(uint256 sent, uint256 minimum);
    error StakeTooLarge(uint256 sent);
    error EmptyEndpoint();
    error AlreadyRegistered(address operator);
    error NodeNotActive(address operator);
    error NodeNotExiting(address operator);
    error StakeLocked(address operator, uint64 withdrawableAt);
    error InvalidThreshold(uint256 members, uint8 t);
    error ClusterTooLarge(uint256 members, uint256 maximum);
    error DuplicateMember(address member);
    error UnknownCluster(uint256 clusterId);
    error ZeroCircuitId();
    error UnknownContract(uint256 contractId);
    error UnknownJob(uint256 jobId);
    error InputDeadlineInPast(uint64 inputDeadline, uint256 now_);
    error ZeroResultTimeout();
    error FeeTooLarge(uint256 fee);
    error InputDeadlinePassed(uint256 jobId, uint64 inputDeadline);
    error WrongCommitmentCount(uint256 jobId, uint256 expected, uint256 got);
    error InputsAlreadyCommitted(uint256 jobId, address client);
    error JobNotOpen(uint256 jobId, JobStatus status);
    error InputPhaseNotOver(uint256 jobId, uint64 inputDeadline);
    error ResultWindowClosed(uint256 jobId, uint64 resultDeadline);
    error NotEnoughSignatures(uint256 got, uint256 required);
    error InvalidSignature(uint256 index);
    error NotClusterMember(uint256 clusterId, address signer);
    error DuplicateSigner(address signer);
    error RefundNotYetAvailable(uint256 jobId, uint64 resultDeadline);
    error ResultsDoNotConflict();
    error WrongSigner(address expected, address recovered);
    error NothingToSlash(address node);
    error NothingToWithdraw();
    error TransferFailed(address to, uint256 amount);

    // ----------------------------------------------------------------------------------------------
    // Events (one for every state change)
    // ----------------------------------------------------------------------------------------------

    event NodeRegistered(address indexed operator, string endpoint, bytes32 tlsFingerprint, uint256 stake);
    event DeregistrationRequested(address indexed operator, uint64 withdrawableAt);
    event StakeWithdrawn(address indexed operator, uint256 amount);
    event ClusterCreated(uint256 indexed clusterId, address[] members, uint8 t);
    event ContractDeployed(
        uint256 indexed contractId, bytes32 indexed circuitId, uint256 indexed clusterId, address owner
    );
    event JobCreated(
        uint256 indexed jobId,
        uint256 indexed contractId,
        address indexed requester,
        uint256 fee,
        uint64 inputDeadline,
        uint64 resultDeadline
    );
    event InputsCommitted(uint256 indexed jobId, address indexed client, bytes32[] commitments);
    /// @notice signerBitmap has bit i set for the member with 1-based index i (members[i-1]); each signer
    ///         was credited feeShare, and the signer with the lowest index also the remainder
    ///         fee - feeShare * popcount(signerBitmap).
    event ResultPosted(
        uint256 indexed jobId,
        bytes32 outputsHash,
        bytes32 outputCommitment,
        uint256 signerBitmap,
        uint256 feeShare,
        bytes32[] outputs
    );
    event FeesWithdrawn(address indexed node, uint256 indexed clusterId, uint256 amount);
    event JobRefunded(uint256 indexed jobId, address indexed requester, uint256 amount);
    event NodeSlashed(
        uint256 indexed jobId, address indexed node, address indexed reporter, uint256 slashed, uint256 reward
    );

    // ----------------------------------------------------------------------------------------------
    // Constants and configuration
    // ----------------------------------------------------------------------------------------------

    /// @notice EIP-712 type of the statement every signer makes about a job's result.
    bytes32 public constant RESULT_TYPEHASH =
        keccak256("Result(uint256 jobId,bytes32 outputsHash,bytes32 outputCommitment)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("MpcCompute");
    bytes32 private constant VERSION_HASH = keccak256("1");
    /// @dev secp256k1 group order / 2: signatures with a larger s are the malleated twin (EIP-2).
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice Largest cluster: member indices 1..255 fit the uint8 index and the uint256 signer bitmap.
    uint256 public constant MAX_CLUSTER_SIZE = 255;
    /// @notice Share of a slashed stake paid to the reporter, in basis points; the rest stays locked
    ///         in this contract for good (burned).
    uint256 public constant SLASH_REWARD_BPS = 5000;

    /// @notice Stake (wei) a node must send to registerNode.
    uint256 public immutable minStake;
    /// @notice Seconds between requestDeregister and withdrawStake: the window in which equivocation
    ///         can still be slashed.
    uint64 public immutable exitDelay;

    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;

    // ----------------------------------------------------------------------------------------------
    // State
    // ----------------------------------------------------------------------------------------------

    mapping(address => Node) private nodes;
    mapping(uint256 => Cluster) private clusters;
    mapping(uint256 => mapping(address => Member)) private members;
    mapping(uint256 => SecretContract) private contracts;
    mapping(uint256 => Job) private jobs;
    mapping(uint256 => mapping(address => bytes32[])) private commitments;

    /// @notice Number of clusters created; ids are 1..clusterCount.
    uint256 public clusterCount;
    /// @notice Number of secret contracts deployed; ids are 1..contractCount.
    uint256 public contractCount;
    /// @notice Number of jobs created; ids are 1..jobCount.
    uint256 public jobCount;
    /// @notice Total slashed stake (wei) not paid to reporters and locked in this contract for good.
    uint256 public burnedStake;

    constructor(uint256 minStake_, uint64 exitDelay_) {
        minStake = minStake_;
        exitDelay = exitDelay_;
        cachedChainId = block.chainid;
        cachedDomainSeparator = _buildDomainSeparator();
    }

    // ----------------------------------------------------------------------------------------------
    // Nodes
    // ----------------------------------------------------------------------------------------------

    /// @notice Registers msg.sender as a node operator with msg.value as stake (at least minStake).
    ///         An address registers once; after withdrawing or being slashed it cannot register again.
    function registerNode(string calldata endpoint, bytes32 tlsFingerprint) external payable {
        if (msg.value < minStake) revert StakeTooLow(msg.value, minStake);
        if (msg.value > type(uint128).max) revert StakeTooLarge(msg.value);
        if (bytes(endpoint).length == 0) revert EmptyEndpoint();
        Node storage node = nodes[msg.sender];
        if (node.status != NodeStatus.None) revert AlreadyRegistered(msg.sender);
        node.endpoint = endpoint;
        node.tlsFingerprint = tlsFingerprint;
        node.stake = uint128(msg.value);
        node.status = NodeStatus.Active;
        emit NodeRegistered(msg.sender, endpoint, tlsFingerprint, msg.value);
    }

    /// @notice Starts the exit of msg.sender's node; the stake can be withdrawn exitDelay seconds later.
    function requestDeregister() external {
        Node storage node = nodes[msg.sender];
        if (node.status != NodeStatus.Active) revert NodeNotActive(msg.sender);
        uint64 unlockAt = uint64(block.timestamp) + exitDelay;
        node.status = NodeStatus.Exiting;
        node.withdrawableAt = unlockAt;
        emit DeregistrationRequested(msg.sender, unlockAt);
    }

    /// @notice Pays msg.sender's stake back once the exit delay has passed.
    function withdrawStake() external {
        Node storage node = nodes[msg.sender];
        if (node.status != NodeStatus.Exiting) revert NodeNotExiting(msg.sender);
        if (block.timestamp < node.withdrawableAt) revert StakeLocked(msg.sender, node.withdrawableAt);
        uint256 amount = node.stake;
        node.stake = 0;
        node.status = NodeStatus.Withdrawn;
        emit StakeWithdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Clusters and secret contracts
    // ----------------------------------------------------------------------------------------------

    /// @notice Creates a cluster of distinct active nodes with threshold t (1 <= t, n >= 2t+1).
    ///         Member i (0-based) evaluates shares at point i+1 and has bit i+1 in signer bitmaps.
    /// @return clusterId the new cluster's id (also emitted in ClusterCreated).
    function createCluster(address[] calldata memberList, uint8 t) external returns (uint256 clusterId) {
        uint256 n = memberList.length;
        if (t == 0 || n < 2 * uint256(t) + 1) revert InvalidThreshold(n, t);
        if (n > MAX_CLUSTER_SIZE) revert ClusterTooLarge(n, MAX_CLUSTER_SIZE);
        clusterId = ++clusterCount;
        mapping(address => Member) storage index = members[clusterId];
        for (uint256 i; i < n; ++i) {
            address m = memberList[i];
            if (nodes[m].status != NodeStatus.Active) revert NodeNotActive(m);
            if (index[m].indexPlusOne != 0) revert DuplicateMember(m);
            index[m].indexPlusOne = uint8(i + 1);
        }
        Cluster storage c = clusters[clusterId];
        c.members = memberList;
        c.t = t;
        emit ClusterCreated(clusterId, memberList, t);
    }

    /// @notice Binds a circuit id (Keccak-256 of the compiled circuit) to a cluster that evaluates it.
    /// @return contractId the new secret contract's id (also emitted in ContractDeployed).
    function deployContract(bytes32 circuitId, uint256 clusterId) external returns (uint256 contractId) {
        if (circuitId == bytes32(0)) revert ZeroCircuitId();
        if (clusterId == 0 || clusterId > clusterCount) revert UnknownCluster(clusterId);
        contractId = ++contractCount;
        contracts[contractId] = SecretContract(circuitId, uint64(clusterId), msg.sender);
        emit ContractDeployed(contractId, circuitId, clusterId, msg.sender);
    }

    // ----------------------------------------------------------------------------------------------
    // Jobs
    // ----------------------------------------------------------------------------------------------

    /// @notice Opens a job of a secret contract, escrowing msg.value as the fee. Inputs are committed
    ///         before inputDeadline (unix seconds); the result is accepted in
    ///         [inputDeadline, inputDeadline + resultTimeout); after that the requester can be refunded.
    /// @return jobId the new job's id (also emitted in JobCreated).
    function createJob(uint256 contractId, uint64 inputDeadline, uint64 resultTimeout)
        external
        payable
        returns (uint256 jobId)
    {
        if (contractId == 0 || contractId > contractCount) revert UnknownContract(contractId);
        if (inputDeadline <= block.timestamp) revert InputDeadlineInPast(inputDeadline, block.timestamp);
        if (resultTimeout == 0) revert ZeroResultTimeout();
        if (msg.value > type(uint96).max) revert FeeTooLarge(msg.value);
        uint64 clusterId = contracts[contractId].clusterId;
        Cluster storage c = clusters[clusterId];
        uint64 resultDeadline = inputDeadline + resultTimeout;
        jobId = ++jobCount;
        Job storage job = jobs[jobId];
        job.inputDeadline = inputDeadline;
        job.resultDeadline = resultDeadline;
        job.clusterId = clusterId;
        job.t = c.t;
        job.n = uint8(c.members.length);
        job.status = JobStatus.Open;
        job.requester = msg.sender;
        job.fee = uint96(msg.value);
        job.contractId = uint64(contractId);
        emit JobCreated(jobId, contractId, msg.sender, msg.value, inputDeadline, resultDeadline);
    }

    /// @notice Records msg.sender's input commitments for a job: one per cluster member, in member
    ///         order, each keccak256(share || salt) of the share sent to that member. Once per client,
    ///         strictly before the input deadline.
    function commitInputs(uint256 jobId, bytes32[] calldata inputCommitments) external {
        Job storage job = jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.None) revert UnknownJob(jobId);
        if (status != JobStatus.Open) revert JobNotOpen(jobId, status);
        if (block.timestamp >= job.inputDeadline) revert InputDeadlinePassed(jobId, job.inputDeadline);
        if (inputCommitments.length != job.n) revert WrongCommitmentCount(jobId, job.n, inputCommitments.length);
        bytes32[] storage stored = commitments[jobId][msg.sender];
        if (stored.length != 0) revert InputsAlreadyCommitted(jobId, msg.sender);
        for (uint256 i; i < inputCommitments.length; ++i) {
            stored.push(inputCommitments[i]);
        }
        emit InputsCommitted(jobId, msg.sender, inputCommitments);
    }

    /// @notice Stores a job's result, signed (EIP-712 Result) by at least t+1 distinct cluster members,
    ///         and credits the fee to the signers: fee / k each (k = number of signatures) and the
    ///         remainder to the signer with the lowest member index. Anyone may submit it; only between
    ///         the input deadline and the result deadline; once per job. Any invalid, duplicate or
    ///         non-member signature reverts the whole call.
    /// @param signatures 65-byte r || s || v signatures, low s, v in {27, 28}.
    function postResult(
        uint256 jobId,
        bytes32[] calldata outputs,
        bytes32 outputCommitment,
        bytes[] calldata signatures
    ) external {
        Job storage job = jobs[jobId];
        JobStatus status = job.status;
        if (status != JobStatus.Open) {
            if (status == JobStatus.None) revert UnknownJob(jobId);
            revert JobNotOpen(jobId, status);
        }
        if (block.timestamp < job.inputDeadline) revert InputPhaseNotOver(jobId, job.inputDeadline);
        if (block.timestamp >= job.resultDeadline) revert ResultWindowClosed(jobId, job.resultDeadline);
        uint256 k = signatures.length;
        if (k < uint256(job.t) + 1) revert NotEnoughSignatures(k, uint256(job.t) + 1);

        bytes32 outputsHash;
        assembly ("memory-safe") {
            // keccak256(abi.encodePacked(outputs)) without copying through abi.encodePacked.
            let ptr := mload(0x40)
            let len := shl(5, outputs.length)
            calldatacopy(ptr, outputs.offset, len)
            outputsHash := keccak256(ptr, len)
        }
        bytes32 digest = _resultDigest(jobId, outputsHash, outputCommitment);

        uint256 clusterId = job.clusterId;
        mapping(address => Member) storage index = members[clusterId];
        uint256 fee = job.fee;
        uint128 share = uint128(fee / k);
        uint256 seen;
        uint256 lowest = type(uint256).max;
        address lowestSigner;
        for (uint256 i; i < k; ++i) {
            address signer = _recover(digest, signatures[i]);
            if (signer == address(0)) revert InvalidSignature(i);
            Member storage m = index[signer];
            uint256 idx = m.indexPlusOne;
            if (idx == 0) revert NotClusterMember(clusterId, signer);
            uint256 bit = 1 << idx;
            if (seen & bit != 0) revert DuplicateSigner(signer);
            seen |= bit;
            if (idx < lowest) {
                lowest = idx;
                lowestSigner = signer;
            }
            m.fees += share;
        }
        uint256 remainder = fee - uint256(share) * k;
        if (remainder != 0) index[lowestSigner].fees += uint128(remainder);

        job.status = JobStatus.Completed;
        job.outputsHash = outputsHash;
        job.outputCommitment = outputCommitment;
        emit ResultPosted(jobId, outputsHash, outputCommitment, seen, share, outputs);
    }

    /// @notice Returns a job's fee to its requester when no result arrived before the result deadline.
    ///         Anyone may trigger it; the money always goes to the requester.
    function refund(uint256 jobId) external {
        Job storage job = jobs[jobId];
        JobStatus status = job.status;
        if (status == JobStatus.None) revert UnknownJob(jobId);
        if (status != JobStatus.Open) revert JobNotOpen(jobId, status);
        if (block.timestamp < job.resultDeadline) revert RefundNotYetAvailable(jobId, job.resultDeadline);
        job.status = JobStatus.Refunded;
        address requester = job.requester;
        uint256 amount = job.fee;
        emit JobRefunded(jobId, requester, amount);
        _send(requester, amount);
    }

    /// @notice Pays msg.sender the fees it accrued as a member of a cluster.
    function withdrawFees(uint256 clusterId) external {
        Member storage m = members[clusterId][msg.sender];
        uint256 amount = m.fees;
        if (amount == 0) revert NothingToWithdraw();
        m.fees = 0; // indexPlusOne stays, so the slot stays non-zero and the next credit stays cheap
        emit FeesWithdrawn(msg.sender, clusterId, amount);
        _send(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Slashing
    // ----------------------------------------------------------------------------------------------

    /// @notice Slashes a cluster member that signed two different results for one job. Anyone may
    ///         report; the reporter receives SLASH_REWARD_BPS of the stake, the rest is burned, and the
    ///         node is marked Slashed. Works whether or not a result was posted and while the node is
    ///         exiting (that is what the exit delay is for).
    function slash(
        uint256 jobId,
        address node,
        bytes32 outputsHashA,
        bytes32 outputCommitmentA,
        bytes calldata signatureA,
        bytes32 outputsHashB,
        bytes32 outputCommitmentB,
        bytes calldata signatureB
    ) external {
        Job storage job = jobs[jobId];
        if (job.status == JobStatus.None) revert UnknownJob(jobId);
        uint256 clusterId = job.clusterId;
        if (members[clusterId][node].indexPlusOne == 0) revert NotClusterMember(clusterId, node);
        if (outputsHashA == outputsHashB && outputCommitmentA == outputCommitmentB) {
            revert ResultsDoNotConflict();
        }
        address a = _recover(_resultDigest(jobId, outputsHashA, outputCommitmentA), signatureA);
        if (a != node) revert WrongSigner(node, a);
        address b = _recover(_resultDigest(jobId, outputsHashB, outputCommitmentB), signatureB);
        if (b != node) revert WrongSigner(node, b);

        Node storage n = nodes[node];
        NodeStatus status = n.status;
        if ((status != NodeStatus.Active && status != NodeStatus.Exiting) || n.stake == 0) {
            revert NothingToSlash(node);
        }
        uint256 stake = n.stake;
        uint256 reward = (stake * SLASH_REWARD_BPS) / 10_000;
        n.stake = 0;
        n.status = NodeStatus.Slashed;
        burnedStake += stake - reward;
        emit NodeSlashed(jobId, node, msg.sender, stake, reward);
        _send(msg.sender, reward);
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @notice A node's registration; status is a NodeStatus (0 = never registered).
    function getNode(address operator)
        external
        view
        returns (string memory endpoint, bytes32 tlsFingerprint, uint256 stake, uint64 withdrawableAt, uint8 status)
    {
        Node storage n = nodes[operator];
        return (n.endpoint, n.tlsFingerprint, n.stake, n.withdrawableAt, uint8(n.status));
    }

    /// @notice A cluster's members (index i evaluates at point i+1) and threshold.
    function getCluster(uint256 clusterId) external view returns (address[] memory memberList, uint8 t) {
        if (clusterId == 0 || clusterId > clusterCount) revert UnknownCluster(clusterId);
        Cluster storage c = clusters[clusterId];
        return (c.members, c.t);
    }

    /// @notice A secret contract's circuit id, cluster and deployer.
    function getContract(uint256 contractId)
        external
        view
        returns (bytes32 circuitId, uint256 clusterId, address owner)
    {
        if (contractId == 0 || contractId > contractCount) revert UnknownContract(contractId);
        SecretContract storage s = contracts[contractId];
        return (s.circuitId, s.clusterId, s.owner);
    }

    /// @notice A job's parameters and status (a JobStatus: 1 Open, 2 Completed, 3 Refunded).
    function getJob(uint256 jobId)
        external
        view
        returns (
            uint256 contractId,
            uint256 clusterId,
            address requester,
            uint256 fee,
            uint64 inputDeadline,
            uint64 resultDeadline,
            uint8 status
        )
    {
        Job storage j = jobs[jobId];
        if (j.status == JobStatus.None) revert UnknownJob(jobId);
        return (j.contractId, j.clusterId, j.requester, j.fee, j.inputDeadline, j.resultDeadline, uint8(j.status));
    }

    /// @notice A client's input commitments for a job, in cluster member order (empty if none).
    function getCommitments(uint256 jobId, address client) external view returns (bytes32[] memory) {
        return commitments[jobId][client];
    }

    /// @notice A job's result: posted is false until postResult succeeded. The outputs themselves are in
    ///         the ResultPosted event; outputsHash = keccak256(abi.encodePacked(outputs)) authenticates them.
    function getResult(uint256 jobId)
        external
        view
        returns (bool posted, bytes32 outputsHash, bytes32 outputCommitment)
    {
        Job storage j = jobs[jobId];
        if (j.status == JobStatus.None) revert UnknownJob(jobId);
        return (j.status == JobStatus.Completed, j.outputsHash, j.outputCommitment);
    }

    /// @notice Fees (wei) a node accrued in a cluster and has not withdrawn.
    function pendingFees(uint256 clusterId, address node) external view returns (uint256) {
        return members[clusterId][node].fees;
    }

    /// @notice The EIP-712 domain separator: name "MpcCompute", version "1", this chain, this contract.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == cachedChainId ? cachedDomainSeparator : _buildDomainSeparator();
    }

    /// @notice The EIP-712 digest a node signs for a result (what ecrecover is applied to).
    function resultDigest(uint256 jobId, bytes32 outputsHash, bytes32 outputCommitment)
        external
        view
        returns (bytes32)
    {
        return _resultDigest(jobId, outputsHash, outputCommitment);
    }

    // ----------------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------------

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _resultDigest(uint256 jobId, bytes32 outputsHash, bytes32 outputCommitment)
        private
        view
        returns (bytes32 digest)
    {
        bytes32 structHash = keccak256(abi.encode(RESULT_TYPEHASH, jobId, outputsHash, outputCommitment));
        bytes32 separator = domainSeparator();
        assembly ("memory-safe") {
            // keccak256("\x19\x01" || domainSeparator || structHash), EIP-712 §"Specification".
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), separator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @dev ecrecover of a 65-byte r || s || v signature; address(0) for any malformed or malleable
    ///      signature (wrong length, s > n/2, v not 27/28), so callers need only one check.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 0x20))
            v := byte(0, calldataload(add(signature.offset, 0x40)))
        }
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) return address(0);
        signer = ecrecover(digest, v, r, s);
    }

    /// @dev Checks-effects-interactions: every caller updates state and emits before sending.
    function _send(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
