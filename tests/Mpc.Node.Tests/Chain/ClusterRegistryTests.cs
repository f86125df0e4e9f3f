using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Node.Chain;
using Mpc.Node.Hosting;

namespace Mpc.Node.Tests.Chain;

/// <summary>A node config naming an on-chain cluster: peers, index and t come from the registry, contradictions are refused by name.</summary>
public sealed class ClusterRegistryTests
{
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    [Fact]
    public async Task PeersComeFromTheRegistryAndContradictionsNameTheSetting()
    {
        await using var anvil = await AnvilNode.StartAsync();
        using var deployerKey = AnvilNode.DevAccount(0);
        using var deployer = new TransactionSender(anvil.Rpc, deployerKey);
        var (contract, _) = await SecretContractsClient.DeployAsync(anvil.Rpc, deployer, Ether / 10, TimeSpan.FromDays(1));
        var fingerprints = new[] { "aa", "bb", "cc" }.Select(b => Convert.FromHexString(string.Concat(Enumerable.Repeat(b, 32)))).ToArray();
        var operators = new EthAddress[3];
        for (int i = 0; i < 3; i++)
        {
            using var key = AnvilNode.DevAccount(i + 1);
            operators[i] = key.Address;
            using var sender = new TransactionSender(anvil.Rpc, key);
            await contract.WithSender(sender).RegisterNodeAsync($"https://127.0.0.1:{7600 + i}", fingerprints[i], Ether / 10);
        }
        ulong clusterId = await contract.CreateClusterAsync(operators, 1);
        string dir = Directory.CreateTempSubdirectory("mpc-registry-").FullName;
        try
        {
            NodeOptions Options(int devAccount)
            {
                string keyFile = Path.Combine(dir, $"operator{devAccount}.key");
                using var key = AnvilNode.DevAccount(devAccount);
                File.WriteAllText(keyFile, key.ExportPrivateKeyHex());
                return new NodeOptions
                {
                    DataDirectory = dir,
                    Chain = new ChainOptions { RpcUrl = anvil.RpcUrl.ToString(), ContractAddress = contract.Address.ToString(), OperatorKeyFile = keyFile, ClusterId = clusterId },
                };
            }

            var member2 = Options(3);
            Assert.True(ClusterRegistry.Applies(member2));
            await ClusterRegistry.ResolveAsync(member2, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            Assert.Equal(2, member2.NodeIndex);
            Assert.Equal(1, member2.Threshold);
            Assert.Equal(["https://127.0.0.1:7600", "https://127.0.0.1:7601", "https://127.0.0.1:7602"], member2.Peers.Select(p => p.Endpoint));
            Assert.Equal(new string('c', 64), member2.Peers[2].Fingerprint);
            Assert.False(ClusterRegistry.Applies(member2)); // resolved once

            var stranger = await Assert.ThrowsAsync<NodeOptionsException>(() => NodeHost.StartAsync(Options(5)));
            Assert.Contains(stranger.Errors, e => e.StartsWith("Chain.ClusterId:", StringComparison.Ordinal) && e.Contains("is not a member of cluster", StringComparison.Ordinal));

            var wrongIndex = Options(1);
            wrongIndex.NodeIndex = 2;
            wrongIndex.Threshold = 2;
            var contradiction = await Assert.ThrowsAsync<NodeOptionsException>(() => ClusterRegistry.ResolveAsync(wrongIndex, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
            Assert.Contains(contradiction.Errors, e => e.StartsWith("NodeIndex: 2, but operator", StringComparison.Ordinal));
            Assert.Contains(contradiction.Errors, e => e.StartsWith("Threshold: 2, but cluster", StringComparison.Ordinal));

            var unknown = Options(1);
            unknown.Chain!.ClusterId = 42;
            var missing = await Assert.ThrowsAsync<NodeOptionsException>(() => ClusterRegistry.ResolveAsync(unknown, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
            Assert.Contains("cannot read cluster 42 from the registry", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
