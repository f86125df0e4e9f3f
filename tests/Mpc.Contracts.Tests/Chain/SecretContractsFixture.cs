using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>
/// One anvil and one SecretContracts deployment per test class. Tests never reuse an account for a node: the registry
/// allows one registration per address ever, so each test makes fresh keys funded with anvil_setBalance.
/// </summary>
public sealed class SecretContractsFixture : IAsyncLifetime
{
    public static readonly BigInteger OneEther = BigInteger.Pow(10, 18);
    public static readonly BigInteger MinStake = OneEther;
    public static readonly TimeSpan ExitDelay = TimeSpan.FromHours(1);

    private readonly List<IDisposable> _owned = [];
    private AnvilNode? _node;
    private SecretContractsClient? _client;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("anvil is not started.");

    /// <summary>The deployment, sending from dev account 0 (the deployer).</summary>
    public SecretContractsClient Client => _client ?? throw new InvalidOperationException("SecretContracts is not deployed.");

    public async Task InitializeAsync()
    {
        _node = await AnvilNode.StartAsync();
        EthKey deployer = Own(DevAccounts.Key(0));
        TransactionSender sender = Own(new TransactionSender(Node.Rpc, deployer));
        (_client, _) = await SecretContractsClient.DeployAsync(Node.Rpc, sender, MinStake, ExitDelay);
    }

    public async Task DisposeAsync()
    {
        foreach (IDisposable item in _owned)
        {
            item.Dispose();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>A fresh key holding 100 ether, and the deployment seen from it.</summary>
    public async Task<(EthKey Key, SecretContractsClient Client)> NewAccountAsync(SecretContractsClient? deployment = null)
    {
        EthKey key = Own(EthKey.Generate());
        await Node.Rpc.SetBalanceAsync(key.Address, 100 * OneEther);
        TransactionSender sender = Own(new TransactionSender(Node.Rpc, key));
        return (key, (deployment ?? Client).WithSender(sender));
    }

    /// <summary><paramref name="n"/> freshly registered nodes (stake = minimum).</summary>
    public async Task<Member[]> RegisterNodesAsync(int n)
    {
        var members = new Member[n];
        for (int i = 0; i < n; i++)
        {
            (EthKey key, SecretContractsClient client) = await NewAccountAsync();
            await client.RegisterNodeAsync($"https://node{i}.test:7000", Fingerprint(i), MinStake);
            members[i] = new Member(key, client);
        }

        return members;
    }

    /// <summary>A cluster of fresh nodes with a contract bound to it.</summary>
    public async Task<TestCluster> NewClusterAsync(int n, int t)
    {
        Member[] members = await RegisterNodesAsync(n);
        ulong clusterId = await Client.CreateClusterAsync(members.Select(m => m.Key.Address).ToArray(), t);
        ulong contractId = await Client.DeployContractAsync(Keccak256.Hash($"circuit of cluster {clusterId}"), clusterId);
        return new TestCluster(clusterId, contractId, t, members);
    }

    /// <summary>A job of <paramref name="cluster"/> whose input phase is over, so results are accepted for the next hour.</summary>
    public async Task<ulong> JobInResultPhaseAsync(TestCluster cluster, BigInteger fee)
    {
        ulong jobId = await NewJobAsync(cluster, fee, TimeSpan.FromSeconds(60), TimeSpan.FromHours(1));
        await AdvanceAsync(TimeSpan.FromSeconds(61));
        return jobId;
    }

    /// <summary>A job whose input deadline is <paramref name="inputPhase"/> from now (chain time).</summary>
    public async Task<ulong> NewJobAsync(TestCluster cluster, BigInteger fee, TimeSpan inputPhase, TimeSpan resultTimeout)
    {
        DateTimeOffset now = await Client.GetChainTimeAsync();
        return await Client.CreateJobAsync(cluster.ContractId, now + inputPhase, resultTimeout, fee);
    }

    /// <summary>Moves the chain clock forward and mines a block, so views and the next transaction see the new time.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await Node.Rpc.IncreaseTimeAsync((long)by.TotalSeconds);
        await Node.Rpc.MineAsync();
    }

    public static byte[] Fingerprint(int seed) => Keccak256.Hash($"tls certificate {seed}");

    public static byte[] Word(string text) => Keccak256.Hash(text);

    private T Own<T>(T item)
        where T : IDisposable
    {
        lock (_owned)
        {
            _owned.Add(item);
        }

        return item;
    }

    public sealed record Member(EthKey Key, SecretContractsClient Client)
    {
        public EthAddress Address => Key.Address;
    }

    public sealed record TestCluster(ulong ClusterId, ulong ContractId, int Threshold, Member[] Members);
}
