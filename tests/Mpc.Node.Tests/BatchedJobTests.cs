using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Fields;
using Mpc.Node.Protos;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests;

/// <summary>Jobs with copies = K on Gf2k64 nodes: K packed shares per input, BatchedPartyEngine, K values per output.</summary>
public sealed class BatchedJobTests
{
    /// <summary>The 64-bit adder as a Bristol circuit (the plaintext reference) and as the one-copy IR the nodes run.</summary>
    private static (BristolCircuit Bristol, Circuit Ir) Adder()
    {
        var bristol = BristolReader.Parse(File.ReadAllText(Path.Combine(JobTests.RepositoryRoot(), "circuits", "bristol", "adder64.txt")), "adder64.txt");
        return (bristol, bristol.ToCircuit("adder64"));
    }

    private static void Gf2k64Field(NodeOptions options) => options.Field = Gf2k64.Name;

    private static TestCluster Gf2k64Cluster() => new(3, Gf2k64Field);

    private static Task<TestCluster> ConnectedGf2k64ClusterAsync() => TestCluster.StartConnectedAsync(3, Gf2k64Field);

    /// <summary>K random input sets, as IR input name → K bits (copy c at index c), and the same inputs per copy for the plaintext reference.</summary>
    private static (Dictionary<string, Gf2k64[]> Values, bool[][][] PerCopy) RandomInputs(BristolCircuit c, int copies)
    {
        var perCopy = new bool[copies][][];
        for (int copy = 0; copy < copies; copy++)
            perCopy[copy] = c.InputSizes.Select(size => RandomNumberGenerator.GetBytes(size).Select(b => (b & 1) != 0).ToArray()).ToArray();
        var values = new Dictionary<string, Gf2k64[]>(StringComparer.Ordinal);
        for (int v = 0; v < c.InputSizes.Length; v++)
            for (int bit = 0; bit < c.InputSizes[v]; bit++)
                values.Add(BristolCircuit.InputKey(0, v, bit), perCopy.Select(p => p[v][bit] ? Gf2k64.One : Gf2k64.Zero).ToArray());
        return (values, perCopy);
    }

    private static void AssertMatchesPlaintext(BristolCircuit c, bool[][][] perCopy, IReadOnlyList<OutputCopies<Gf2k64>> outputs)
    {
        var byName = outputs.ToDictionary(o => o.Name, o => o.Values);
        for (int copy = 0; copy < perCopy.Length; copy++)
        {
            var expected = c.Evaluate(perCopy[copy]);
            for (int o = 0; o < expected.Length; o++)
                for (int bit = 0; bit < expected[o].Length; bit++)
                    Assert.True((expected[o][bit] ? Gf2k64.One : Gf2k64.Zero) == byName[BristolCircuit.OutputName(0, o, bit)][copy],
                        $"copy {copy}, output {o}, bit {bit}");
        }
    }

    [Fact]
    public async Task BatchedJobOverThreeNodesEqualsPlaintextPerCopy()
    {
        await using var cluster = await ConnectedGf2k64ClusterAsync();
        using var client = JobTests.Client(cluster);
        var (bristol, circuit) = Adder();
        const int copies = 7;
        var (values, perCopy) = RandomInputs(bristol, copies);

        await client.StartJobAsync<Gf2k64>("batched", circuit, copies);
        await client.SubmitInputsAsync("batched", values);
        var outputs = await client.AwaitOutputsAsync<Gf2k64>("batched", circuit, copies, TimeSpan.FromMinutes(1));

        AssertMatchesPlaintext(bristol, perCopy, outputs);
        Assert.All(outputs, o => Assert.Equal(copies, o.Values.Length));
        for (int node = 0; node < 3; node++)
        {
            Assert.Equal(copies, cluster[node].Store.GetJob("batched")!.Copies);
            Assert.Equal(copies * Gf2k64.ByteLength, cluster[node].Store.GetOutputs("batched")[0].Value.Length);
        }
        // An ordinary job on the same nodes still goes through the single-share path.
        var (one, onePerCopy) = RandomInputs(bristol, 1);
        var single = await client.RunJobAsync<Gf2k64>(circuit, one.ToDictionary(v => v.Key, v => (System.Numerics.BigInteger)v.Value[0].Value));
        AssertMatchesPlaintext(bristol, onePerCopy, single.Outputs.Select(o => new OutputCopies<Gf2k64>(o.Name, o.Visibility, o.Owner, [o.Value])).ToList());
    }

    [Fact]
    public async Task WrongShareCountsAndUnsupportedCircuitsAreRefused()
    {
        await using var cluster = Gf2k64Cluster();
        await cluster.StartAsync();
        using var channel = cluster.Channel(0, cluster.Client);
        var node = new Protos.Client.ClientClient(channel);
        var circuit = Adder().Ir;
        var encoding = ByteString.CopyFrom(CircuitEncoding.Encode(circuit));
        string input = circuit.Inputs[0].QualifiedName, second = circuit.Inputs[1].QualifiedName;
        static ByteString Shares(int count) => ByteString.CopyFrom(new byte[count * Gf2k64.ByteLength]);
        async Task<RpcException> Refused(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

        var started = await node.StartJobAsync(new StartJobRequest { JobId = "k4", CircuitId = circuit.Id.ToString(), Circuit = encoding, Field = Gf2k64.Name, Copies = 4 });
        Assert.Equal(4, started.Copies);

        var bulk = new SubmitInputSharesRequest { JobId = "k4" };
        bulk.Inputs.Add(new InputShares { InputName = second, Shares = Shares(4) });
        bulk.Inputs.Add(new InputShares { InputName = input, Shares = Shares(3) });
        var tooFew = await Refused(() => node.SubmitInputSharesAsync(bulk).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooFew.StatusCode);
        Assert.Contains($"'{input}'", tooFew.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("takes 4 shares", tooFew.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("got 3 shares", tooFew.Status.Detail, StringComparison.Ordinal);
        // All or nothing: the well-formed input of the refused call was not stored either.
        Assert.Empty(cluster[0].Store.GetInputShares("k4"));

        var single = await Refused(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "k4", InputName = input, Share = Shares(1) }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, single.StatusCode);
        Assert.Contains("got 1 share", single.Status.Detail, StringComparison.Ordinal);
        var ragged = await Refused(() => node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "k4", InputName = input, Share = ByteString.CopyFrom(new byte[29]) }).ResponseAsync);
        Assert.Contains("29 bytes", ragged.Status.Detail, StringComparison.Ordinal);

        // The packed single-share path takes exactly K shares.
        await node.SubmitInputShareAsync(new SubmitInputShareRequest { JobId = "k4", InputName = input, Share = Shares(4) });
        Assert.Equal(4 * Gf2k64.ByteLength, cluster[0].Store.GetInputShares("k4").Single().Share.Length);

        var otherCopies = await Refused(() => node.StartJobAsync(new StartJobRequest { JobId = "k4", CircuitId = circuit.Id.ToString(), Copies = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, otherCopies.StatusCode);

        var b = new CircuitBuilder("private");
        var x = b.Input("x", "alice");
        b.OutputTo("alice", "square", b.Mul(x, x));
        var withPrivate = b.Build();
        var privateRefused = await Refused(() => node.StartJobAsync(new StartJobRequest
        {
            JobId = "private", CircuitId = withPrivate.Id.ToString(), Circuit = ByteString.CopyFrom(CircuitEncoding.Encode(withPrivate)), Copies = 2,
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, privateRefused.StatusCode);
        Assert.Contains("private outputs", privateRefused.Status.Detail, StringComparison.Ordinal);
        Assert.Null(cluster[0].Store.GetJob("private"));
    }

    [Fact]
    public async Task RestartedNodeKeepsStoredBatchedSharesAndFinishesTheJob()
    {
        await using var cluster = await ConnectedGf2k64ClusterAsync();
        using var client = JobTests.Client(cluster);
        var (bristol, circuit) = Adder();
        const int copies = 5;
        var (values, perCopy) = RandomInputs(bristol, copies);
        var last = values.Last();
        values.Remove(last.Key);

        await client.StartJobAsync<Gf2k64>("kept", circuit, copies);
        await client.SubmitInputsAsync("kept", values);
        var before = cluster[0].Store.GetInputShares("kept");
        Assert.Equal(values.Count, before.Count);

        await cluster.StopAsync(0);
        await cluster.StartAsync(0);
        await cluster.ConnectedAsync();

        var job = cluster[0].Store.GetJob("kept")!;
        Assert.Equal((JobStatus.Pending, copies), (job.Status, job.Copies));
        var after = cluster[0].Store.GetInputShares("kept");
        Assert.Equal(before.Select(s => (s.InputName, Convert.ToHexString(s.Share))), after.Select(s => (s.InputName, Convert.ToHexString(s.Share))));

        await client.SubmitInputsAsync("kept", new Dictionary<string, Gf2k64[]> { [last.Key] = last.Value });
        var outputs = await client.AwaitOutputsAsync<Gf2k64>("kept", circuit, copies, TimeSpan.FromMinutes(1));
        AssertMatchesPlaintext(bristol, perCopy, outputs);
    }
}
