using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using static Mpc.Contracts.Tests.Chain.SecretContractsFixture;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>Node registry, clusters, contract binding, jobs, commitments and refunds against a real anvil.</summary>
public sealed class RegistryTests(SecretContractsFixture fixture) : IClassFixture<SecretContractsFixture>
{
    private SecretContractsClient Deployment => fixture.Client;

    [Fact]
    public async Task RegisterNode_WithMinimumStake_IsActiveWithItsEndpointFingerprintAndStake()
    {
        (EthKey key, SecretContractsClient node) = await fixture.NewAccountAsync();
        BigInteger contractBefore = await fixture.Node.Rpc.GetBalanceAsync(Deployment.Address);

        await node.RegisterNodeAsync("https://a.test:7000", Fingerprint(1), MinStake);

        NodeInfo info = await Deployment.GetNodeAsync(key.Address);
        Assert.Equal(NodeStatus.Active, info.Status);
        Assert.Equal("https://a.test:7000", info.Endpoint);
        Assert.Equal(Fingerprint(1), info.TlsFingerprint);
        Assert.Equal(MinStake, info.Stake);
        Assert.Null(info.WithdrawableAt);
        Assert.Equal(contractBefore + MinStake, await fixture.Node.Rpc.GetBalanceAsync(Deployment.Address));
    }

    [Fact]
    public async Task RegisterNode_BelowMinimumStake_RevertsWithStakeTooLow()
    {
        (EthKey key, SecretContractsClient node) = await fixture.NewAccountAsync();

        SecretContractsRevertException e = await Reverts.AssertAsync("StakeTooLow", () => node.RegisterNodeAsync("https://a.test", Fingerprint(2), MinStake - 1));

        Assert.Equal([MinStake - 1, MinStake], e.ErrorArguments);
        Assert.Equal(NodeStatus.None, (await Deployment.GetNodeAsync(key.Address)).Status);
    }

    [Fact]
    public async Task RegisterNode_WithoutMinimumStake_AcceptsZeroStake()
    {
        using EthKey deployerKey = Mpc.Contracts.DevChain.DevAccounts.Key(1);
        using var sender = new TransactionSender(fixture.Node.Rpc, deployerKey);
        (SecretContractsClient free, _) = await SecretContractsClient.DeployAsync(fixture.Node.Rpc, sender, BigInteger.Zero, TimeSpan.Zero);
        (EthKey key, SecretContractsClient node) = await fixture.NewAccountAsync(free);

        await node.RegisterNodeAsync("https://free.test", Fingerprint(3), BigInteger.Zero);

        Assert.Equal(BigInteger.Zero, await free.MinStakeAsync());
        Assert.Equal(TimeSpan.Zero, await free.ExitDelayAsync());
        NodeInfo info = await free.GetNodeAsync(key.Address);
        Assert.Equal(NodeStatus.Active, info.Status);
        Assert.Equal(BigInteger.Zero, info.Stake);
        Assert.NotEqual(Deployment.Address, free.Address);
    }

    [Fact]
    public async Task RegisterNode_Twice_RevertsWithAlreadyRegistered()
    {
        (EthKey key, SecretContractsClient node) = await fixture.NewAccountAsync();
        await node.RegisterNodeAsync("https://a.test", Fingerprint(4), MinStake);

        SecretContractsRevertException e = await Reverts.AssertAsync("AlreadyRegistered", () => node.RegisterNodeAsync("https://b.test", Fingerprint(5), MinStake));

        Assert.Equal([key.Address], e.ErrorArguments);
        Assert.Equal("https://a.test", (await Deployment.GetNodeAsync(key.Address)).Endpoint);
    }

    [Fact]
    public async Task Deregister_StakeIsLockedForTheExitDelay_ThenWithdrawnOnce_AndTheAddressCannotReturn()
    {
        (EthKey key, SecretContractsClient node) = await fixture.NewAccountAsync();
        await node.RegisterNodeAsync("https://exit.test", Fingerprint(6), MinStake);

        DateTimeOffset withdrawableAt = await node.RequestDeregisterAsync();
        DateTimeOffset now = await Deployment.GetChainTimeAsync();
        await Reverts.AssertAsync("StakeLocked", () => node.WithdrawStakeAsync());
        await fixture.AdvanceAsync(ExitDelay);
        BigInteger before = await fixture.Node.Rpc.GetBalanceAsync(key.Address);
        TransactionReceipt receipt = await node.WithdrawStakeAsync();

        Assert.Equal(now + ExitDelay, withdrawableAt);
        Assert.Equal(before + MinStake - receipt.FeePaid, await fixture.Node.Rpc.GetBalanceAsync(key.Address));
        NodeInfo info = await Deployment.GetNodeAsync(key.Address);
        Assert.Equal(NodeStatus.Withdrawn, info.Status);
        Assert.Equal(BigInteger.Zero, info.Stake);
        Assert.Equal(withdrawableAt, info.WithdrawableAt);
        await Reverts.AssertAsync("NodeNotExiting", () => node.WithdrawStakeAsync());
        await Reverts.AssertAsync("AlreadyRegistered", () => node.RegisterNodeAsync("https://again.test", Fingerprint(7), MinStake));
    }

    [Fact]
    public async Task CreateCluster_OfActiveNodes_ReturnsItsIdAndMembersInOrder()
    {
        Member[] nodes = await fixture.RegisterNodesAsync(5);
        EthAddress[] addresses = nodes.Select(n => n.Address).ToArray();
        ulong countBefore = await Deployment.ClusterCountAsync();

        ulong clusterId = await Deployment.CreateClusterAsync(addresses, 2);

        Assert.Equal(countBefore + 1, clusterId);
        ClusterInfo cluster = await Deployment.GetClusterAsync(clusterId);
        Assert.Equal(addresses, cluster.Members);
        Assert.Equal(2, cluster.Threshold);
        Assert.Equal(3, cluster.Quorum);
    }

    public static TheoryData<string, int, int> BadClusters => new()
    {
        // kind, n, t
        { "NodeNotActive", 3, 1 },
        { "DuplicateMember", 3, 1 },
        { "InvalidThreshold", 2, 1 },
        { "InvalidThreshold", 4, 2 },
    };

    [Theory]
    [MemberData(nameof(BadClusters))]
    public async Task CreateCluster_BreakingARule_RevertsNamingIt(string error, int n, int t)
    {
        Member[] nodes = await fixture.RegisterNodesAsync(n);
        EthAddress[] addresses = nodes.Select(m => m.Address).ToArray();
        if (error == "NodeNotActive")
        {
            addresses[^1] = EthKey.Generate().Address;
        }
        else if (error == "DuplicateMember")
        {
            addresses[^1] = addresses[0];
        }

        ulong countBefore = await Deployment.ClusterCountAsync();

        SecretContractsRevertException e = await Reverts.AssertAsync(error, () => Deployment.CreateClusterAsync(addresses, t));

        Assert.Equal(countBefore, await Deployment.ClusterCountAsync());
        if (error != "InvalidThreshold")
        {
            Assert.Equal([addresses[^1]], e.ErrorArguments);
        }
    }

    [Fact]
    public async Task DeployContract_BindsTheCircuitToTheCluster_AndRejectsZeroIdsAndUnknownClusters()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        byte[] circuitId = Word("sum of salaries");
        (EthKey owner, SecretContractsClient developer) = await fixture.NewAccountAsync();

        ulong contractId = await developer.DeployContractAsync(circuitId, cluster.ClusterId);

        SecretContractInfo info = await Deployment.GetContractAsync(contractId);
        Assert.Equal(circuitId, info.CircuitId);
        Assert.Equal(cluster.ClusterId, info.ClusterId);
        Assert.Equal(owner.Address, info.Owner);
        await Reverts.AssertAsync("ZeroCircuitId", () => developer.DeployContractAsync(new byte[32], cluster.ClusterId));
        ulong unknown = await Deployment.ClusterCountAsync() + 1;
        await Reverts.AssertAsync("UnknownCluster", () => developer.DeployContractAsync(circuitId, unknown));
        await Reverts.AssertAsync("UnknownContract", () => Deployment.GetContractAsync(contractId + 1000));
    }

    [Fact]
    public async Task CreateJob_EscrowsTheFee_AndIsFoundByItsEvent()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        (EthKey requesterKey, SecretContractsClient requester) = await fixture.NewAccountAsync();
        BigInteger fee = OneEther / 10;
        BigInteger contractBefore = await fixture.Node.Rpc.GetBalanceAsync(Deployment.Address);
        long block = await fixture.Node.Rpc.GetBlockNumberAsync();
        DateTimeOffset deadline = (await Deployment.GetChainTimeAsync()) + TimeSpan.FromMinutes(5);

        ulong jobId = await requester.CreateJobAsync(cluster.ContractId, deadline, TimeSpan.FromMinutes(10), fee);

        Assert.Equal(contractBefore + fee, await fixture.Node.Rpc.GetBalanceAsync(Deployment.Address));
        JobInfo job = await Deployment.GetJobAsync(jobId);
        Assert.Equal(new JobInfo(jobId, cluster.ContractId, cluster.ClusterId, requesterKey.Address, fee, deadline, deadline + TimeSpan.FromMinutes(10), JobStatus.Open), job);
        JobCreatedEvent created = Assert.Single(await Deployment.GetJobCreatedEventsAsync(block + 1, BlockParameter.Latest, cluster.ContractId));
        Assert.Equal((jobId, requesterKey.Address, fee, deadline), (created.JobId, created.Requester, created.Fee, created.InputDeadline));
        await Reverts.AssertAsync("InputDeadlineInPast", () => requester.CreateJobAsync(cluster.ContractId, deadline - TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), fee));
        await Reverts.AssertAsync("UnknownJob", () => Deployment.GetJobAsync(jobId + 1000));
    }

    [Fact]
    public async Task CommitInputs_BeforeTheDeadline_AreStoredAndEmitted_AfterItAreRejected()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.NewJobAsync(cluster, 1000, TimeSpan.FromSeconds(100), TimeSpan.FromHours(1));
        (EthKey early, SecretContractsClient earlyClient) = await fixture.NewAccountAsync();
        (_, SecretContractsClient lateClient) = await fixture.NewAccountAsync();
        byte[][] commitments = Enumerable.Range(0, 3).Select(i => InputCommitment.Compute([(byte)i, 7], InputCommitment.NewSalt())).ToArray();

        TransactionReceipt receipt = await earlyClient.CommitInputsAsync(jobId, commitments);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(100));

        Assert.Equal(commitments, await Deployment.GetCommitmentsAsync(jobId, early.Address));
        InputsCommittedEvent committed = Assert.Single(await Deployment.GetInputsCommittedEventsAsync(receipt.BlockNumber, receipt.BlockNumber, jobId));
        Assert.Equal(early.Address, committed.Client);
        Assert.Equal(commitments, committed.Commitments);
        await Reverts.AssertAsync("InputDeadlinePassed", () => lateClient.CommitInputsAsync(jobId, commitments));
        Assert.Empty(await Deployment.GetCommitmentsAsync(jobId, lateClient.SenderAddress!.Value));
    }

    [Fact]
    public async Task CommitInputs_WrongCountOrTwice_Reverts()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.NewJobAsync(cluster, 1000, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
        (_, SecretContractsClient client) = await fixture.NewAccountAsync();
        byte[][] four = Enumerable.Range(0, 4).Select(i => Word($"c{i}")).ToArray();

        SecretContractsRevertException e = await Reverts.AssertAsync("WrongCommitmentCount", () => client.CommitInputsAsync(jobId, four));
        await client.CommitInputsAsync(jobId, four[..3]);
        await Reverts.AssertAsync("InputsAlreadyCommitted", () => client.CommitInputsAsync(jobId, four[1..]));

        Assert.Equal([new BigInteger(jobId), new BigInteger(3), new BigInteger(4)], e.ErrorArguments);
    }

    [Fact]
    public async Task Refund_OnlyAfterTheResultDeadline_ReturnsTheFeeToTheRequester()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        (EthKey requesterKey, SecretContractsClient requester) = await fixture.NewAccountAsync();
        BigInteger fee = OneEther / 4;
        DateTimeOffset deadline = (await Deployment.GetChainTimeAsync()) + TimeSpan.FromSeconds(30);
        ulong jobId = await requester.CreateJobAsync(cluster.ContractId, deadline, TimeSpan.FromSeconds(60), fee);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(31));

        await Reverts.AssertAsync("RefundNotYetAvailable", () => Deployment.RefundAsync(jobId));
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(60));
        BigInteger before = await fixture.Node.Rpc.GetBalanceAsync(requesterKey.Address);
        await Deployment.RefundAsync(jobId); // a third party (the deployer) triggers it; the money goes to the requester

        Assert.Equal(before + fee, await fixture.Node.Rpc.GetBalanceAsync(requesterKey.Address));
        Assert.Equal(JobStatus.Refunded, (await Deployment.GetJobAsync(jobId)).Status);
        await Reverts.AssertAsync("JobNotOpen", () => Deployment.RefundAsync(jobId));
    }
}
