using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;

namespace Mpc.Node.Tests;

/// <summary>The background triple pool: filling, lockstep consumption by jobs, on-demand fallback, recovery after a lost peer.</summary>
public sealed class PreprocessingPoolTests
{
    private const int Batch = 64, Target = 256;

    private static void SmallPool(NodeOptions options)
    {
        options.PoolBatchSize = Batch;
        options.PoolTargetTriples = Target;
    }

    [Fact]
    public async Task PoolFillsToTargetOnEveryNodeAndPublishesItsLevel()
    {
        await using var cluster = await FullClusterAsync();
        // The leader stops at the target; followers only generate what it announces.
        Assert.Equal(Target, cluster[0].Jobs.PoolLevel);
        Assert.Contains("mpc_node_pool_level", cluster[1].Metrics.WriteText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsConsumeTheSamePooledBatchesOnEveryNodeAndMatchPlaintext()
    {
        await using var cluster = await FullClusterAsync();
        using var client = JobTests.Client(cluster);
        // One job alone: every node offers the same oldest batch, so it is agreed and used.
        Assert.True(await RunRandomJobAsync(client, 104729, 1) > 0, "the random circuit should multiply");
        await ConsumedAlikeAsync(cluster);
        Assert.True(cluster[0].Jobs.PoolConsumed > 0, "the job took no pooled triples");
        // Concurrent jobs race for the stock (nodes may start them in different orders, which costs batches,
        // never correctness): each must still match plaintext, and every node must count the same batches.
        await Task.WhenAll(Enumerable.Range(2, 3).Select(seed => RunRandomJobAsync(client, seed * 104729, seed)));
        await ConsumedAlikeAsync(cluster);
    }

    [Fact]
    public async Task JobRunsOnDemandWithoutAPool()
    {
        await using var cluster = await TestCluster.StartConnectedAsync(3, o => o.PoolTargetTriples = 0);
        using var client = JobTests.Client(cluster);
        Assert.True(await RunRandomJobAsync(client, 4242, 7) > 0, "the random circuit should multiply");
        Assert.Equal(0, cluster[0].Jobs.PoolLevel);
        Assert.Equal(0, cluster[0].Jobs.PoolConsumed);
    }

    [Fact]
    public async Task PoolRefillsAfterALostPeerComesBack()
    {
        await using var cluster = await TestCluster.StartConnectedAsync(3, SmallPool);
        await WaitForAsync(() => cluster[2].Jobs.PoolLevel >= Target, TimeSpan.FromSeconds(30));
        await cluster.StopAsync(2);
        await cluster.StartAsync(2);
        await cluster.ConnectedAsync();
        // The restarted node starts empty; the leader's stock is full, so a job must drain it to trigger refills.
        using var client = JobTests.Client(cluster);
        await RunRandomJobAsync(client, 99991, 3);
        await WaitForAsync(() => cluster[2].Jobs.PoolLevel > 0, TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task ADeferralStopsTheRefillUntilReleased_AndAwaitedJobsReleaseTheirs(int holder)
    {
        await using var cluster = await FullClusterAsync();
        using var client = JobTests.Client(cluster);

        // The leader's deferral keeps it from announcing; a follower's keeps it from joining, and no batch finishes without
        // every node. Either holds the whole cluster's refill.
        var deferral = cluster[holder].Jobs.DeferPoolRefill();
        Assert.True(await RunRandomJobAsync(client, 104729, 1) > 0, "the random circuit should multiply");
        await ConsumedAlikeAsync(cluster);
        Assert.True(cluster[0].Jobs.PoolConsumed > 0, "the job took no pooled triples");
        long drained = cluster[0].Jobs.PoolLevel;
        Assert.True(drained < Target, $"the job should have drained the pool; it holds {drained}");
        // A refill of a few 64-triple batches takes well under this; none may start while the deferral is held.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(drained, cluster[0].Jobs.PoolLevel);

        deferral.Dispose();
        await FullAsync(cluster);

        // RunJobAsync waits with AwaitJob, whose reply defers the refill until it is sent (or which finds the job already done):
        // whichever way each call ends, the pool must refill afterwards.
        for (int seed = 2; seed <= 4; seed++)
            await RunRandomJobAsync(client, seed * 7919, seed);
        await FullAsync(cluster);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1 << 25, 1 << 26)]
    [InlineData(64, 32)]
    [InlineData(64, -1)]
    public void BadPoolSettingsAreNamed(int batch, int target)
    {
        var options = NodeOptionsTests.Valid();
        options.PoolBatchSize = batch;
        options.PoolTargetTriples = target;
        var e = Assert.Throws<NodeOptionsException>(options.Validate);
        Assert.Contains(e.Errors, m => m.StartsWith("Pool", StringComparison.Ordinal));
    }

    /// <summary>Runs a random circuit as a job and checks every output against plaintext evaluation; returns its multiplications.</summary>
    private static async Task<int> RunRandomJobAsync(MpcClient client, int circuitSeed, int inputSeed)
    {
        var circuit = RandomCircuits.Create(circuitSeed, 40);
        var inputs = RandomCircuits.RandomInputs<Fp61>(circuit, inputSeed);
        var expected = CircuitEvaluator.Evaluate(circuit, inputs);
        var result = await client.RunJobAsync<Fp61>(circuit, inputs.ToDictionary(i => i.Key, i => FieldIntegers.ToSigned(i.Value)));
        foreach (var output in result.Outputs)
            Assert.Equal(expected[output.Name], output.Value);
        return circuit.Stats.Multiplications;
    }

    /// <summary>Three connected nodes with small pools, each filled to <see cref="Target"/>.</summary>
    private static async Task<TestCluster> FullClusterAsync()
    {
        var cluster = await TestCluster.StartConnectedAsync(3, SmallPool);
        try
        {
            await FullAsync(cluster);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static Task FullAsync(TestCluster cluster) =>
        WaitForAsync(() => Enumerable.Range(0, 3).All(i => cluster[i].Jobs.PoolLevel >= Target), TimeSpan.FromSeconds(30));

    // t + 1 nodes suffice to finish a job, so the third may still be just past the agreement: wait for it.
    private static Task ConsumedAlikeAsync(TestCluster cluster) => WaitForAsync(
        () => cluster[1].Jobs.PoolConsumed == cluster[0].Jobs.PoolConsumed && cluster[2].Jobs.PoolConsumed == cluster[0].Jobs.PoolConsumed,
        TimeSpan.FromSeconds(10));

    private static Task WaitForAsync(Func<bool> condition, TimeSpan timeout) => JobTests.WaitForAsync(condition, timeout);
}
