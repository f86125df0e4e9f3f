using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>What nodes and clients read to find work and peers: deployment block, registered clusters, operators, the deadline clock.</summary>
public sealed class RegistryReadTests(SecretContractsFixture fixture) : IClassFixture<SecretContractsFixture>
{
    [Fact]
    public async Task DeploymentBlock_IsTheFirstBlockWithTheContractsCode()
    {
        // Blocks before and after the deployment, so the binary search has both sides to look at.
        using var key = AnvilNode.DevAccount(9);
        using var sender = new TransactionSender(fixture.Node.Rpc, key);
        await sender.TransferAsync(key.Address, 1);
        var (deployed, receipt) = await SecretContractsClient.DeployAsync(fixture.Node.Rpc, sender, 0, TimeSpan.Zero);
        await sender.TransferAsync(key.Address, 1);
        await sender.TransferAsync(key.Address, 1);

        Assert.Equal(receipt.BlockNumber, await deployed.FindDeploymentBlockAsync());
        var nowhere = new SecretContractsClient(fixture.Node.Rpc, EthAddress.Parse("0x00000000000000000000000000000000000000aa"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => nowhere.FindDeploymentBlockAsync());
    }

    [Fact]
    public async Task RegisteredCluster_ListsMembersInOrderWithTheirEndpointsAndFingerprints()
    {
        var cluster = await fixture.NewClusterAsync(3, 1);

        var registered = await fixture.Client.GetRegisteredClusterAsync(cluster.ClusterId);

        Assert.Equal(1, registered.Threshold);
        Assert.Equal(cluster.Members.Select(m => m.Address), registered.Members.Select(m => m.Operator));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal($"https://node{i}.test:7000", registered.Members[i].Endpoint);
            Assert.Equal(Convert.ToHexStringLower(SecretContractsFixture.Fingerprint(i)), registered.FingerprintHex(i));
            Assert.Equal(i, registered.IndexOf(cluster.Members[i].Address));
        }
        Assert.Equal(-1, registered.IndexOf(EthAddress.Parse("0x00000000000000000000000000000000000000aa")));
        var operators = await fixture.Client.GetRegisteredOperatorsAsync(BlockParameter.Earliest, BlockParameter.Latest);
        Assert.Superset(cluster.Members.Select(m => m.Address).ToHashSet(), operators.ToHashSet());
        await Assert.ThrowsAsync<SecretContractsRevertException>(() => fixture.Client.GetRegisteredClusterAsync(999));
    }

    [Fact]
    public async Task DeadlineClock_MovesWithWallTimeWhileNoBlockIsMined()
    {
        // anvil mines only on demand: the latest block's time stands still, the pending block's does not.
        var latest = await fixture.Client.GetChainTimeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var clock = await fixture.Client.GetDeadlineClockAsync();
        Assert.True(clock > latest, $"deadline clock {clock:O} should be past the latest block's {latest:O}");
        Assert.Equal(latest, await fixture.Client.GetChainTimeAsync());
    }
}
