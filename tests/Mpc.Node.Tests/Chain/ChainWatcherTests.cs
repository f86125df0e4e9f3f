using System.Globalization;
using System.Numerics;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using Mpc.Node.Chain;
using Mpc.Node.Security;
using JobStatus = Mpc.Node.Storage.JobStatus;

namespace Mpc.Node.Tests.Chain;

/// <summary>Nodes that watch the chain: jobs come from <c>JobCreated</c>, run at the input deadline, and the result is posted (by member 0, or the next member when member 0 is gone).</summary>
public sealed class ChainWatcherTests
{
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    [Fact]
    public async Task JobCreatedOnChainRunsAtTheDeadlineAndMember0PostsTheResult()
    {
        await using var chain = await ChainSetup.StartAsync();
        ulong jobId = await chain.CreateJobAsync(TimeSpan.FromSeconds(4));
        string job = jobId.ToString(CultureInfo.InvariantCulture);

        // No StartJob: each node creates the job from the chain event and its circuits directory.
        await chain.CommitAndSubmitAsync(jobId);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(JobStatus.Pending, chain.Cluster[i].Store.GetJob(job)!.Status));

        var posted = await chain.AwaitResultAsync(jobId);
        Assert.Equal(chain.Operators[0].Address, posted.From);
        var read = await chain.Contract.FindResultPostedAsync(jobId);
        Assert.Equal([new BigInteger(780), new BigInteger(10)], read!.Outputs.Select(w => new BigInteger(w, isUnsigned: true, isBigEndian: true)));
        Assert.Equal([0, 1, 2], read.SignerIndices());
        // The job started only once chain time reached the deadline.
        Assert.True(read.Log.BlockNumber > 0);
        var info = await chain.Contract.GetJobAsync(jobId);
        var block = await chain.Anvil.Rpc.GetBlockAsync(BlockParameter.Number(read.Log.BlockNumber));
        Assert.True(block!.Time >= info.InputDeadline);
        // The scan position is durable: a node that was down while a job was created resumes from it and still runs that job.
        long? cursor = chain.Cluster[1].Store.GetChainCursor("jobs@" + chain.Contract.Address);
        Assert.True(cursor > read.Log.BlockNumber - 1);
        await chain.Cluster.StopAsync(1);
        ulong second = await chain.CreateJobAsync(TimeSpan.FromSeconds(5));
        await chain.Cluster.StartAsync(1);
        await chain.Cluster.ConnectedAsync();
        await chain.CommitAndSubmitAsync(second);
        Assert.True((await chain.AwaitResultAsync(second)).Succeeded);
        Assert.True(chain.Cluster[1].Watcher!.ScanStart >= cursor, $"restarted scan began at {chain.Cluster[1].Watcher!.ScanStart}, stored position {cursor}");
        Assert.Equal(JobStatus.Succeeded, chain.Cluster[1].Store.GetJob(second.ToString(CultureInfo.InvariantCulture))!.Status);
    }

    [Fact]
    public async Task WhenMember0CannotPostTheNextMemberPostsAfterTheFallbackDelay()
    {
        await using var chain = await ChainSetup.StartAsync();
        ulong jobId = await chain.CreateJobAsync(TimeSpan.FromSeconds(4));
        string job = jobId.ToString(CultureInfo.InvariantCulture);
        await chain.CommitAndSubmitAsync(jobId);
        // Member 0 computes and signs but its posts fail (no gas money); then it goes down altogether.
        await chain.Anvil.Rpc.SetBalanceAsync(chain.Operators[0].Address, 0);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (chain.Cluster[0].Store.GetJob(job)!.Status != JobStatus.Succeeded)
                await Task.Delay(100, timeout.Token);
        }
        await chain.Cluster.StopAsync(0);

        var posted = await chain.AwaitResultAsync(jobId);
        Assert.Equal(chain.Operators[1].Address, posted.From);
        var read = await chain.Contract.FindResultPostedAsync(jobId);
        // Member 1 posts every signature it collected, member 0's included.
        Assert.Equal([0, 1, 2], read!.SignerIndices());
        await chain.Cluster[2].Jobs.Chain!.PostingCompletion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await chain.Contract.GetResultPostedEventsAsync(BlockParameter.Earliest, BlockParameter.Latest, jobId));
    }

    /// <summary>anvil, SecretContracts, three in-process nodes watching it (dev accounts 1–3 operate them), weighted_average deployed.</summary>
    private sealed class ChainSetup : IAsyncDisposable
    {
        private ChainSetup(AnvilNode anvil, SecretContractsClient contract, TestCluster cluster, EthKey[] operators, ulong contractId, Circuit circuit)
        {
            Anvil = anvil;
            Contract = contract;
            Cluster = cluster;
            Operators = operators;
            ContractId = contractId;
            Circuit = circuit;
        }

        public AnvilNode Anvil { get; }
        public SecretContractsClient Contract { get; }
        public TestCluster Cluster { get; }
        public EthKey[] Operators { get; }
        public ulong ContractId { get; }
        public Circuit Circuit { get; }

        public static async Task<ChainSetup> StartAsync()
        {
            var anvil = await AnvilNode.StartAsync();
            var deployerKey = AnvilNode.DevAccount(0);
            var deployer = new TransactionSender(anvil.Rpc, deployerKey);
            var (contract, _) = await SecretContractsClient.DeployAsync(anvil.Rpc, deployer, Ether / 10, TimeSpan.FromDays(1));
            var operators = Enumerable.Range(1, 3).Select(AnvilNode.DevAccount).ToArray();
            string keys = Directory.CreateTempSubdirectory("mpc-watch-keys-").FullName;
            string circuits = Path.Combine(JobTests.RepositoryRoot(), "circuits");
            var cluster = new TestCluster(3, options =>
            {
                string keyFile = Path.Combine(keys, $"operator{options.NodeIndex}.key");
                File.WriteAllText(keyFile, operators[options.NodeIndex].ExportPrivateKeyHex());
                options.Chain = new ChainOptions
                {
                    RpcUrl = anvil.RpcUrl.ToString(),
                    ContractAddress = contract.Address.ToString(),
                    OperatorKeyFile = keyFile,
                    CircuitsDirectory = circuits,
                    PollInterval = TimeSpan.FromMilliseconds(200),
                    FallbackPostDelay = TimeSpan.FromSeconds(2),
                };
            });
            for (int i = 0; i < 3; i++)
            {
                using var sender = new TransactionSender(anvil.Rpc, operators[i]);
                var peer = cluster.Options[0].Peers[i];
                await contract.WithSender(sender).RegisterNodeAsync(peer.Endpoint, CertificatePins.ParseFingerprint(peer.Fingerprint), Ether / 10);
            }
            ulong clusterId = await contract.CreateClusterAsync(operators.Select(o => o.Address).ToList(), 1);
            var circuit = CircuitOptimizer.Optimize(CircuitText.Parse(File.ReadAllText(Path.Combine(circuits, "weighted_average.ir"))));
            ulong contractId = await contract.DeployContractAsync(circuit.Id.Bytes.ToArray(), clusterId);
            await cluster.StartAsync();
            await cluster.ConnectedAsync();
            return new ChainSetup(anvil, contract, cluster, operators, contractId, circuit);
        }

        public async Task<ulong> CreateJobAsync(TimeSpan inputWindow) =>
            await Contract.CreateJobAsync(ContractId, (await Contract.GetDeadlineClockAsync()) + inputWindow, TimeSpan.FromMinutes(10), Ether / 100);

        /// <summary>Commits each weighted_average input from its own dev account (4..9) and sends the shares.</summary>
        public async Task CommitAndSubmitAsync(ulong jobId)
        {
            string job = jobId.ToString(CultureInfo.InvariantCulture);
            using var client = JobTests.Client(Cluster);
            var inputs = new Dictionary<string, BigInteger> { ["alice.v"] = 80, ["alice.w"] = 2, ["bob.v"] = 90, ["bob.w"] = 3, ["carol.v"] = 70, ["carol.w"] = 5 };
            var scheme = new ShamirScheme<Fp61>(3, 1);
            int account = 4;
            foreach (var (name, value) in inputs)
            {
                var shares = scheme.Share(Fp61.FromUInt64((ulong)value), CryptoRandom.Shared).Select(s =>
                {
                    var bytes = new byte[Fp61.ByteLength];
                    s.Write(bytes);
                    return bytes;
                }).ToArray();
                var salts = Enumerable.Range(0, 3).Select(_ => InputCommitment.NewSalt()).ToArray();
                using var key = AnvilNode.DevAccount(account++);
                using var sender = new TransactionSender(Anvil.Rpc, key);
                await Contract.WithSender(sender).CommitInputsAsync(jobId, shares.Select((s, i) => InputCommitment.Compute(s, salts[i])).ToList());
                await client.SubmitSharesWhenRegisteredAsync(job, name, shares, salts, TimeSpan.FromSeconds(10));
            }
        }

        /// <summary>The receipt of the transaction that posted the job's result, waiting up to 40 s.</summary>
        public async Task<TransactionReceipt> AwaitResultAsync(ulong jobId)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            while (!(await Contract.GetResultAsync(jobId, timeout.Token)).Posted)
                await Task.Delay(200, timeout.Token);
            var posted = await Contract.FindResultPostedAsync(jobId, cancellationToken: timeout.Token);
            return (await Anvil.Rpc.GetTransactionReceiptAsync(posted!.Log.TransactionHash, timeout.Token))!;
        }

        public async ValueTask DisposeAsync()
        {
            await Cluster.DisposeAsync();
            foreach (var key in Operators)
                key.Dispose();
            await Anvil.DisposeAsync();
        }
    }
}
