using System.Globalization;
using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using Mpc.Node.Chain;
using Mpc.Node.Security;

namespace Mpc.Node.Tests.Chain;

/// <summary>anvil, SecretContracts, three in-process nodes bound to it (dev accounts 1–3 operate them, in one cluster with t = 1), weighted_average deployed.</summary>
internal sealed class ChainSetup : IAsyncDisposable
{
    /// <summary>Ether in wei.</summary>
    public static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    private readonly EthKey _deployerKey;
    private readonly TransactionSender _deployer;
    private readonly string _keys;

    private ChainSetup(AnvilNode anvil, EthKey deployerKey, TransactionSender deployer, string keys, SecretContractsClient contract, TestCluster cluster, EthKey[] operators, ulong contractId, Circuit circuit)
    {
        _deployerKey = deployerKey;
        _deployer = deployer;
        _keys = keys;
        Anvil = anvil;
        Contract = contract;
        Cluster = cluster;
        Operators = operators;
        ContractId = contractId;
        Circuit = circuit;
    }

    /// <summary>The repository's circuits directory.</summary>
    public static string CircuitsDirectory => Path.Combine(JobTests.RepositoryRoot(), "circuits");

    public AnvilNode Anvil { get; }
    public SecretContractsClient Contract { get; }
    public TestCluster Cluster { get; }
    public EthKey[] Operators { get; }
    public ulong ContractId { get; }
    public Circuit Circuit { get; }

    /// <summary>Starts it all; <paramref name="configure"/> adjusts each node's chain settings (RPC, contract and operator key are set).</summary>
    public static async Task<ChainSetup> StartAsync(Action<ChainOptions>? configure = null)
    {
        var anvil = await AnvilNode.StartAsync();
        var deployerKey = AnvilNode.DevAccount(0);
        var deployer = new TransactionSender(anvil.Rpc, deployerKey);
        var (contract, _) = await SecretContractsClient.DeployAsync(anvil.Rpc, deployer, Ether / 10, TimeSpan.FromDays(1));
        var operators = Enumerable.Range(1, 3).Select(AnvilNode.DevAccount).ToArray();
        string keys = Directory.CreateTempSubdirectory("mpc-chain-keys-").FullName;
        var cluster = new TestCluster(3, options =>
        {
            string keyFile = Path.Combine(keys, $"operator{options.NodeIndex}.key");
            File.WriteAllText(keyFile, operators[options.NodeIndex].ExportPrivateKeyHex());
            options.Chain = new ChainOptions { RpcUrl = anvil.RpcUrl.ToString(), ContractAddress = contract.Address.ToString(), OperatorKeyFile = keyFile };
            configure?.Invoke(options.Chain);
        });
        for (int i = 0; i < 3; i++)
        {
            using var sender = new TransactionSender(anvil.Rpc, operators[i]);
            var peer = cluster.Options[0].Peers[i];
            await contract.WithSender(sender).RegisterNodeAsync(peer.Endpoint, CertificatePins.ParseFingerprint(peer.Fingerprint), Ether / 10);
        }
        ulong clusterId = await contract.CreateClusterAsync(operators.Select(o => o.Address).ToList(), 1);
        var circuit = CircuitOptimizer.Optimize(CircuitText.Parse(File.ReadAllText(Path.Combine(CircuitsDirectory, "weighted_average.ir"))));
        ulong contractId = await contract.DeployContractAsync(circuit.Id.Bytes.ToArray(), clusterId);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        return new ChainSetup(anvil, deployerKey, deployer, keys, contract, cluster, operators, contractId, circuit);
    }

    /// <summary>Opens a job of the weighted_average contract whose input deadline is <paramref name="inputWindow"/> from now (chain time).</summary>
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
        _deployer.Dispose();
        _deployerKey.Dispose();
        await Anvil.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }
}
