using System.Globalization;
using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Node.Chain;
using JobStatus = Mpc.Node.Storage.JobStatus;

namespace Mpc.Node.Tests.Chain;

/// <summary>Nodes that watch the chain: jobs come from <c>JobCreated</c>, run at the input deadline, and the result is posted (by member 0, or the next member when member 0 is gone).</summary>
public sealed class ChainWatcherTests
{
    /// <summary>Nodes find weighted_average in the circuits directory, poll often and fall back quickly.</summary>
    private static void Watching(ChainOptions options)
    {
        options.CircuitsDirectory = ChainSetup.CircuitsDirectory;
        options.PollInterval = TimeSpan.FromMilliseconds(200);
        options.FallbackPostDelay = TimeSpan.FromSeconds(2);
    }

    [Fact]
    public async Task JobCreatedOnChainRunsAtTheDeadlineAndMember0PostsTheResult()
    {
        await using var chain = await ChainSetup.StartAsync(Watching);
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
        await using var chain = await ChainSetup.StartAsync(Watching);
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
}
