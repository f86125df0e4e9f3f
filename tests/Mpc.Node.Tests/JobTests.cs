using System.Numerics;
using Grpc.Core;
using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;
using Mpc.Node.Protos;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests;

/// <summary>Jobs end to end: in-process nodes on loopback with real mutual TLS, driven through the client SDK.</summary>
public sealed class JobTests
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MpcCompute.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("MpcCompute.sln not found above the test directory");
    }

    internal static MpcClient Client(TestCluster cluster, TlsIdentity? identity = null) => new(
        cluster.Options[0].Peers.Select(p => new NodeEndpoint { Index = p.Index, Endpoint = p.Endpoint, Fingerprint = p.Fingerprint }).ToList(),
        cluster.Options[0].Threshold, identity ?? cluster.Client);

    // circuits/inner_product.ir (alice's x · bob's y, 38 with its expect.json inputs): the small circuit of most job tests.
    private static Circuit InnerProduct() => CircuitOptimizer.Optimize(CircuitFiles.Load(Path.Combine(RepositoryRoot(), "circuits", "inner_product.ir")));

    private static IReadOnlyDictionary<string, BigInteger> InnerProductInputs() =>
        CircuitExpectation.Load(Path.Combine(RepositoryRoot(), "circuits", "inner_product.expect.json")).Inputs;

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task ExamplesAndRandomCircuitsMatchPlaintext(int parties)
    {
        await using var cluster = await TestCluster.StartConnectedAsync(parties);
        using var client = Client(cluster);

        var expectations = Directory.GetFiles(Path.Combine(RepositoryRoot(), "circuits"), "*.expect.json");
        Assert.NotEmpty(expectations);
        foreach (string path in expectations)
        {
            var expectation = CircuitExpectation.Load(path);
            var circuit = CircuitOptimizer.Optimize(expectation.LoadCircuit());
            // Integer gates (comparisons of the .circ examples) need k + κ + 1 < log2 p, which Fp61 cannot give.
            if (!circuit.Schedule.Groups.IsEmpty) continue;
            var result = await client.RunJobAsync<Fp61>(circuit, expectation.Inputs);
            var actual = result.Outputs.ToDictionary(o => o.Name, o => o.Value);
            Assert.Empty(expectation.Mismatches<Fp61>(actual));
        }

        for (int seed = 1; seed <= 4; seed++)
        {
            var circuit = RandomCircuits.Create(seed * 7919 + parties, 30);
            var inputs = RandomCircuits.RandomInputs<Fp61>(circuit, seed);
            var expected = CircuitEvaluator.Evaluate(circuit, inputs);
            var result = await client.RunJobAsync<Fp61>(circuit, inputs.ToDictionary(i => i.Key, i => FieldIntegers.ToSigned(i.Value)));
            foreach (var output in result.Outputs)
                Assert.Equal(expected[output.Name], output.Value);
        }
        Assert.Contains("mpc_node_jobs", cluster[0].Metrics.WriteText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownClientCertificateIsRefused()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        using var stranger = TlsIdentity.Create("stranger");
        using var client = Client(cluster, stranger);
        var circuit = InnerProduct();
        var error = await Assert.ThrowsAsync<MpcClientException>(() => client.StartJobAsync<Fp61>("job-stranger", circuit));
        Assert.True(error.Status is StatusCode.PermissionDenied or StatusCode.Unavailable or StatusCode.Internal, error.Message);
        Assert.Null(cluster[0].Store.GetJob("job-stranger"));
    }

    [Fact]
    public async Task BadRequestsGetPreciseStatusCodes()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        using var channel = cluster.Channel(0, cluster.Client);
        var node = new Protos.Client.ClientClient(channel);
        var circuit = InnerProduct();
        var encoding = Google.Protobuf.ByteString.CopyFrom(CircuitEncoding.Encode(circuit));
        var share = Google.Protobuf.ByteString.CopyFrom(new byte[Fp61.ByteLength]);

        async Task<StatusCode> Code(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).StatusCode;

        Assert.Equal(StatusCode.NotFound, await Code(() => node.GetJobStatusAsync(new JobStatusRequest { JobId = "nope" }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, await Code(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "nope", InputName = "alice.x0", Share = share }).ResponseAsync));
        var wrongId = new string('0', 64);
        Assert.Equal(StatusCode.InvalidArgument, await Code(() => node.StartJobAsync(new StartJobRequest { JobId = "j1", CircuitId = wrongId, Circuit = encoding }).ResponseAsync));
        Assert.Equal(StatusCode.InvalidArgument, await Code(() => node.StartJobAsync(new StartJobRequest { JobId = "j1", CircuitId = circuit.Id.ToString(), Circuit = encoding, Field = "Fp127" }).ResponseAsync));

        var started = await node.StartJobAsync(new StartJobRequest { JobId = "j1", CircuitId = circuit.Id.ToString(), Circuit = encoding, Field = "Fp61" });
        Assert.Equal(JobState.Pending, started.State);
        // A known id is its stored circuit: an encoding sent along again is not decoded again, so not even a broken one is refused.
        Assert.Equal(StatusCode.NotFound, await Code(() => node.StartJobAsync(new StartJobRequest { JobId = "j0", CircuitId = wrongId }).ResponseAsync));
        var again = await node.StartJobAsync(new StartJobRequest { JobId = "j2", CircuitId = circuit.Id.ToString(), Circuit = Google.Protobuf.ByteString.CopyFrom(encoding.Span[..3]), Field = "Fp61" });
        Assert.Equal(JobState.Pending, again.State);
        Assert.Equal(StatusCode.InvalidArgument, await Code(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "j1", InputName = "mallory.z", Share = share }).ResponseAsync));
        Assert.Equal(StatusCode.InvalidArgument, await Code(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "j1", InputName = "alice.x0", Share = Google.Protobuf.ByteString.CopyFrom(new byte[3]) }).ResponseAsync));
        await node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "j1", InputName = "alice.x0", Share = share });
        var other = Google.Protobuf.ByteString.CopyFrom([1, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(StatusCode.AlreadyExists, await Code(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "j1", InputName = "alice.x0", Share = other }).ResponseAsync));
        Assert.Equal(StatusCode.NotFound, await Code(() => node.FetchOutputShareAsync(new FetchOutputShareRequest { JobId = "j1", OutputName = "result" }).ResponseAsync));
        // One of eight inputs is in: the job must still be waiting.
        Assert.Equal(JobStatus.Pending, cluster[0].Store.GetJob("j1")!.Status);
    }

    [Fact]
    public async Task LostPeerFailsTheJobOnSurvivorsThenRestartedNodeServesOldAndNewJobs()
    {
        await using var cluster = await TestCluster.StartConnectedAsync(3);
        using var client = Client(cluster);
        var circuit = InnerProduct();
        var inputs = InnerProductInputs();
        var first = await client.RunJobAsync<Fp61>(circuit, inputs, "before-crash");

        // Nodes 0 and 1 get every input and start; node 2 never does and is then killed, mid-job.
        await client.StartJobAsync<Fp61>("doomed", circuit);
        var share = Google.Protobuf.ByteString.CopyFrom([7, 0, 0, 0, 0, 0, 0, 0]);
        foreach (int node in new[] { 0, 1 })
        {
            using var channel = cluster.Channel(node, cluster.Client);
            var api = new Protos.Client.ClientClient(channel);
            foreach (var input in circuit.Inputs)
                await api.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "doomed", InputName = input.QualifiedName, Share = share });
        }
        await WaitForAsync(() => cluster[0].Store.GetJob("doomed")!.Status == JobStatus.Running, TimeSpan.FromSeconds(5));
        await cluster.StopAsync(2);

        var bound = cluster.Options[0].KeepAliveInterval * 2 + TimeSpan.FromSeconds(5);
        foreach (int survivor in new[] { 0, 1 })
        {
            await WaitForAsync(() => cluster[survivor].Store.GetJob("doomed")!.Status == JobStatus.Failed, bound);
            var job = cluster[survivor].Store.GetJob("doomed")!;
            Assert.Contains("peer 2", job.Reason, StringComparison.Ordinal);
        }

        await cluster.StartAsync(2);
        await cluster.ConnectedAsync();
        // The restarted node kept the finished job, its outputs and its inputs.
        var kept = cluster[2].Store.GetJob("before-crash")!;
        Assert.Equal(JobStatus.Succeeded, kept.Status);
        Assert.NotNull(cluster[2].Store.GetOutput("before-crash", "result"));
        Assert.Equal(circuit.Inputs.Length, cluster[2].Store.GetInputShares("before-crash").Count);

        var again = await client.RunJobAsync<Fp61>(circuit, inputs, "after-restart");
        Assert.Equal(first.Outputs.Single().Value, again.Outputs.Single().Value);
        Assert.Equal(new BigInteger(38), again.Outputs.Single().Signed);
    }

    [Fact]
    public async Task CrashAfterTheCommitThatCompletedAJob_RestartFailsItInsteadOfRunningItAgain()
    {
        // The last input of a job and its Running status are one commit, and the job starts only after it. A node that
        // crashed any time after that commit finds the job Running on restart: it must fail it, never run it a second time.
        await using var cluster = new TestCluster(3);
        var circuit = InnerProduct();
        string circuitId = CircuitId.Parse(circuit.Id.ToString()).ToString();
        using (var store = NodeStore.Open(cluster.Options[0].DataDirectory))
        {
            store.PutCircuit(circuitId, CircuitEncoding.Encode(circuit));
            store.CreateJob("crashed", circuitId);
            var shares = circuit.Inputs.Select(i => new InputShareRecord("crashed", i.QualifiedName, cluster.Client.Fingerprint, new byte[Fp61.ByteLength], [])).ToList();
            store.PutInputShares(shares[..^1], circuit.Inputs.Length, out var early);
            Assert.Null(early);
            store.PutInputShares(shares[^1..], circuit.Inputs.Length, out var started);
            Assert.Equal(JobStatus.Running, started!.Status);
        } // the node "crashes" here: nothing recorded the job's outcome

        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        var job = cluster[0].Store.GetJob("crashed")!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("restarted while the job was running", job.Reason, StringComparison.Ordinal);
        Assert.Empty(cluster[0].Store.GetOutputs("crashed"));

        // The restarted node still runs new jobs.
        using var client = Client(cluster);
        var inputs = InnerProductInputs();
        var again = await client.RunJobAsync<Fp61>(circuit, inputs, "after-crash");
        Assert.Equal(new BigInteger(38), again.Outputs.Single().Signed);
        Assert.Equal(JobStatus.Failed, cluster[0].Store.GetJob("crashed")!.Status);
    }

    [Fact]
    public async Task Inputs_stored_before_a_restart_count_when_the_last_input_arrives_after_it()
    {
        // A starting job takes the shares this process stored from memory; shares stored before a restart are only in the
        // store, and the job must read them there rather than start short or wrong.
        await using var cluster = await TestCluster.StartConnectedAsync(3);
        using var client = Client(cluster);
        var circuit = InnerProduct();
        var inputs = InnerProductInputs();
        await client.StartJobAsync<Fp61>("split", circuit);
        var names = circuit.Inputs.Select(i => i.QualifiedName).ToList();
        foreach (string name in names[..^1])
            await client.SubmitInputAsync("split", name, Fp61.FromBigInteger(inputs[name]));

        for (int node = 0; node < 3; node++)
            await cluster.StopAsync(node);
        await cluster.StartAsync(0, 1, 2);
        await cluster.ConnectedAsync();
        await client.SubmitInputAsync("split", names[^1], Fp61.FromBigInteger(inputs[names[^1]]));

        var outputs = await client.AwaitOutputsAsync<Fp61>("split", circuit, TimeSpan.FromSeconds(60));
        Assert.Equal(Fp61.FromBigInteger(38), outputs.Single().Value);
    }

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"condition not met within {timeout}");
            await Task.Delay(20);
        }
    }
}
