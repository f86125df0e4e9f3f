using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Google.Protobuf;
using Grpc.Core;
using Mpc.Client;
using Mpc.Core.Network;
using Mpc.Node.Hosting;
using Mpc.Node.Protos;
using Mpc.Node.Security;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests.Hosting;

public sealed class NodeHostTests
{
    private static StartJobRequest InnerProduct(string jobId)
    {
        var circuit = CircuitFiles.Load(Path.Combine(JobTests.RepositoryRoot(), "circuits", "inner_product.ir"));
        return new StartJobRequest { JobId = jobId, CircuitId = circuit.Id.ToString(), Circuit = ByteString.CopyFrom(Mpc.Core.Circuits.CircuitEncoding.Encode(circuit)) };
    }

    [Fact]
    public async Task ClientService_StoresShares_DurablyAcrossARestart()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        using (var channel = cluster.Channel(0, cluster.Client))
        {
            var client = new Protos.Client.ClientClient(channel);
            await client.StartJobAsync(InnerProduct("job-1"));
            await client.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "job-1", InputName = "alice.x0", Share = ByteString.CopyFrom(1, 2, 3, 0, 0, 0, 0, 0), Salt = ByteString.CopyFrom(4, 5) });
            // A retry with the same bytes is fine; different bytes are refused.
            await client.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "job-1", InputName = "alice.x0", Share = ByteString.CopyFrom(1, 2, 3, 0, 0, 0, 0, 0), Salt = ByteString.CopyFrom(4, 5) });
            var conflict = await Assert.ThrowsAsync<RpcException>(async () =>
                await client.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "job-1", InputName = "alice.x0", Share = ByteString.CopyFrom(9, 0, 0, 0, 0, 0, 0, 0), Salt = ByteString.CopyFrom(4, 5) }));
            Assert.Equal(StatusCode.AlreadyExists, conflict.StatusCode);
            var bad = await Assert.ThrowsAsync<RpcException>(async () =>
                await client.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "job-1", InputName = "bad name", Share = ByteString.CopyFrom(9, 0, 0, 0, 0, 0, 0, 0) }));
            Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        }

        await cluster.StopAsync(0);
        await cluster.StartAsync(0);

        var share = cluster[0].Store.GetInputShares("job-1").Single();
        Assert.Equal([1, 2, 3, 0, 0, 0, 0, 0], share.Share);
        Assert.Equal([4, 5], share.Salt);
        Assert.Equal(cluster.Client.Fingerprint, share.Client);
        Assert.Equal(JobStatus.Pending, cluster[0].Store.GetJob("job-1")!.Status);
    }

    [Fact]
    public async Task ClientService_AwaitJobAndOutputsRespectOwnership()
    {
        // Party "bob" is mapped to another client: only that client may read bob's private outputs.
        using var bob = TlsIdentity.Create("bob");
        await using var cluster = new TestCluster(3, o =>
        {
            o.AllowedClients.Add(bob.Fingerprint);
            o.ClientParties["bob"] = bob.Fingerprint;
        });
        await cluster.StartAsync(1);
        var store = cluster[1].Store;
        using var channel = cluster.Channel(1, cluster.Client);
        var client = new Protos.Client.ClientClient(channel);
        await client.StartJobAsync(InnerProduct("j"));

        var awaiting = client.AwaitJobAsync(new JobStatusRequest { JobId = "j" }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync;
        store.PutOutputs([new OutputRecord("j", "mine", false, [5, 6], "alice"), new OutputRecord("j", "theirs", false, [7], "bob"), new OutputRecord("j", "sum", true, [8], null)]);
        store.SetJobStatus("j", JobStatus.Running);
        Assert.False(awaiting.IsCompleted);
        store.SetJobStatus("j", JobStatus.Succeeded);

        Assert.Equal(JobState.Succeeded, (await awaiting).State);
        var mine = await client.FetchOutputShareAsync(new FetchOutputShareRequest { JobId = "j", OutputName = "mine" });
        Assert.False(mine.Public);
        Assert.Equal([5, 6], mine.Value.ToByteArray());
        Assert.True((await client.FetchOutputShareAsync(new FetchOutputShareRequest { JobId = "j", OutputName = "sum" })).Public);
        var theirs = await Assert.ThrowsAsync<RpcException>(async () => await client.FetchOutputShareAsync(new FetchOutputShareRequest { JobId = "j", OutputName = "theirs" }));
        Assert.Equal(StatusCode.PermissionDenied, theirs.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await client.GetJobStatusAsync(new JobStatusRequest { JobId = "nope" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ClientService_RefusesAPeerCertificate()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        using var channel = cluster.Channel(0, cluster.Identities[1]);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await new Protos.Client.ClientClient(channel).GetJobStatusAsync(new JobStatusRequest { JobId = "j" }));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task Start_WithACertificateThatIsNotThePinnedOne_NamesTheSetting()
    {
        await using var cluster = new TestCluster(3);
        using var other = TlsIdentity.Create();
        other.Save(cluster.Options[1].ResolvedCertificatePath, cluster.Options[1].ResolvedKeyPath);
        var e = await Assert.ThrowsAsync<NodeOptionsException>(() => NodeHost.StartAsync(cluster.Options[1]));
        Assert.Contains("Peers[1].Fingerprint", e.Message);
    }

    [Fact]
    public async Task MetricsEndpoint_ReportsBytesAndPeers()
    {
        int metricsPort = TestCluster.FreePorts(1)[0];
        // No preprocessing pool: its background traffic would blur the exact byte counts asserted below.
        await using var cluster = new TestCluster(3, o =>
        {
            o.MetricsUrl = o.NodeIndex == 0 ? $"http://127.0.0.1:{metricsPort}" : null;
            o.PoolTargetTriples = 0;
        });
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        await cluster[0].Transport.SendAsync(1, new MessageTag(1, 0), new byte[1000]);
        await cluster[1].Transport.ReceiveAsync(0, new MessageTag(1, 0));
        cluster[0].Metrics.ObservePoolLevel(() => 12345);

        using var http = new HttpClient();
        string text = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");

        Assert.Contains("mpc_node_bytes_sent_total{peer=\"1\"} 1000", text);
        Assert.Contains("mpc_node_messages_sent_total{peer=\"1\"} 1", text);
        Assert.Contains("mpc_node_peers_connected 2", text);
        Assert.Contains("mpc_node_pool_level 12345", text);
        // The gRPC port does not serve metrics over plain HTTP.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{cluster.Options[0].ListenPort}/metrics"));
    }
    /// <summary>
    /// The host's default configuration watches its content root for appsettings files, and the content root is the data
    /// directory, which every commit and log line writes: each write woke the watcher thread (≈ 2,000 wake-ups a second
    /// during jobs, on cores the rounds need). Linux: inotify watches are listed in /proc/self/fdinfo by inode.
    /// </summary>
    [Fact]
    public async Task Node_DoesNotWatchItsDataDirectory()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        string directory = cluster.Options[0].DataDirectory;
        File.WriteAllText(Path.Combine(directory, "appsettings.json"), "{}"); // what the watcher waited for

        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", directory]) { RedirectStandardOutput = true })!;
        string inode = ulong.Parse(stat.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
        await stat.WaitForExitAsync();
        var watched = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fdinfo"))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(fd);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // closed meanwhile
            }
            watched.AddRange(lines.Where(l => l.StartsWith("inotify wd:", StringComparison.Ordinal))
                .Select(l => l.Split(' ').First(f => f.StartsWith("ino:", StringComparison.Ordinal))[4..]));
        }
        Assert.DoesNotContain(inode, watched);
    }
}
