using Grpc.Core;
using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;

namespace Mpc.Node.Tests;

/// <summary>Circuits with comparisons, equality and truncation as jobs on an Fp127 cluster.</summary>
public sealed class IntegerJobTests
{
    [Fact]
    public async Task ComparisonCircuitsMatchPlaintextOnAnFp127Cluster()
    {
        await using var cluster = await TestCluster.StartConnectedAsync(3, o => o.Field = Fp127.Name);
        using var client = JobTests.Client(cluster);

        // Millionaires with the richer's fortune selected obliviously, plus random integer circuits.
        var b = new CircuitBuilder("millionaires");
        var x = b.Input("wealth", "alice");
        var y = b.Input("wealth", "bob");
        var aliceRicher = b.LessThan(y, x, 32);
        b.Output("alice_richer", aliceRicher);
        b.Output("max", b.Select(aliceRicher, x, y));
        b.Output("equal", b.Equal(x, y, 32));
        var millionaires = b.Build();
        foreach (var (a, c) in new[] { (5L, 7L), (int.MaxValue, int.MinValue), (-3L, -3L) })
        {
            var result = await client.RunJobAsync<Fp127>(millionaires, new Dictionary<string, System.Numerics.BigInteger> { ["alice.wealth"] = a, ["bob.wealth"] = c });
            var o = result.Outputs.ToDictionary(v => v.Name, v => v.Signed);
            Assert.Equal(c < a ? 1 : 0, (int)o["alice_richer"]);
            Assert.Equal(Math.Max(a, c), (long)o["max"]);
            Assert.Equal(a == c ? 1 : 0, (int)o["equal"]);
        }

        for (int seed = 1; seed <= 3; seed++)
        {
            var circuit = IntegerCircuits.Create(seed * 104729, 25);
            var inputs = IntegerCircuits.RandomInputs(circuit, seed);
            var expected = CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs));
            var result = await client.RunJobAsync<Fp127>(circuit, inputs);
            foreach (var output in result.Outputs)
                Assert.True(IntegerCircuits.Matches(output.Name, FieldIntegers.ToSigned(expected[output.Name]), output.Signed),
                    $"{circuit.Name} output {output.Name}: MPC {output.Signed}, plaintext {FieldIntegers.ToSigned(expected[output.Name])}");
        }
    }

    [Fact]
    public async Task NodeProcessesRunAComparisonJob()
    {
        string directory = Directory.CreateTempSubdirectory("mpc-cmp-cluster-").FullName;
        string circuit = Path.Combine(directory, "richer.ir");
        File.WriteAllText(circuit, """
            circuit richer
            party alice
            party bob

            %0 = input wealth @alice
            %1 = input wealth @bob
            %2 = sub %1 %0
            %3 = ltz %2 33
            %4 = output alice_richer %3
            %5 = sub %0 %1
            %6 = eqz %5 33
            %7 = output equal %6

            """);
        try
        {
            var up = await CliClusterTests.MpcAsync("cluster", "up", "--parties", "3", "--field", "fp127", "--dir", directory);
            Assert.True(up.Code == 0, up.Output);
            foreach (var (alice, bob) in new[] { (2_000_000_000L, -5L), (-7L, -7L), (int.MinValue, int.MaxValue) })
            {
                var run = await CliClusterTests.MpcAsync("job", "run", circuit, "--cluster", directory, "--json",
                    "--input", $"alice.wealth={alice}", "--input", $"bob.wealth={bob}");
                Assert.True(run.Code == 0, run.Output);
                var outputs = System.Text.Json.JsonDocument.Parse(run.Output).RootElement.GetProperty("outputs");
                Assert.Equal(bob < alice ? "1" : "0", outputs.GetProperty("alice_richer").GetString());
                Assert.Equal(alice == bob ? "1" : "0", outputs.GetProperty("equal").GetString());
            }
        }
        finally
        {
            var down = await CliClusterTests.MpcAsync("cluster", "down", "--dir", directory);
            Assert.True(down.Code == 0, down.Output);
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* best effort */ }
        }
    }

    [Fact]
    public async Task ComparisonsTakeTheirTriplesAndRandomBitsFromThePool()
    {
        await using var cluster = new TestCluster(3, o =>
        {
            o.Field = Fp127.Name;
            o.PoolBatchSize = 64;
            o.PoolTargetTriples = 256;
            o.PoolBatchBits = 128;
        });
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        await JobTests.WaitForAsync(() => Enumerable.Range(0, 3).All(i => cluster[i].Jobs.PoolLevel >= 256), TimeSpan.FromSeconds(30));
        using var client = JobTests.Client(cluster);
        // No Mul gate: before integer gates took pooled material, this job used none.
        var b = new CircuitBuilder("sign");
        b.Output("negative", b.LessThanZero(b.Input("x", "alice"), 16));
        var circuit = b.Build();
        Assert.Equal(0, circuit.Stats.Multiplications);
        Assert.True(circuit.Stats.Triples is > 0 and <= 64);

        var result = await client.RunJobAsync<Fp127>(circuit, new Dictionary<string, System.Numerics.BigInteger> { ["alice.x"] = -12 });

        Assert.Equal(1, (int)result.Outputs[0].Signed);
        await JobTests.WaitForAsync(() => Enumerable.Range(0, 3).All(i => cluster[i].Jobs.PoolConsumed == 64), TimeSpan.FromSeconds(10));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(16 + 40, cluster[i].Jobs.PoolBitsConsumed)); // k + κ bits of one LTZ mask

        // Fresh inputs again: a second job takes the next batch, and the answers stay right.
        var again = await client.RunJobAsync<Fp127>(circuit, new Dictionary<string, System.Numerics.BigInteger> { ["alice.x"] = 0 });
        Assert.Equal(0, (int)again.Outputs[0].Signed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData((1 << 24) + 1)]
    public void PoolBatchBitsOutsideItsRangeIsRefused(int bits)
    {
        var options = NodeOptionsTests.Valid();
        options.PoolBatchBits = bits;
        var error = Assert.Throws<NodeOptionsException>(options.Validate);
        Assert.Contains(error.Errors, e => e.StartsWith("PoolBatchBits:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AComparisonThatDoesNotFitTheFieldIsRefusedAtRegistration()
    {
        await using var cluster = new TestCluster(3); // Fp61: 32 + 1 + 40 + 1 ≥ 61
        await cluster.StartAsync();
        using var client = JobTests.Client(cluster);
        var b = new CircuitBuilder("too_wide");
        b.Output("lt", b.LessThan(b.Input("x", "alice"), b.Input("y", "bob"), 32));

        var error = await Assert.ThrowsAsync<MpcClientException>(() => client.StartJobAsync<Fp61>("wide", b.Build()));

        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("k + κ + 1 < log2 p", error.Message, StringComparison.Ordinal);
        Assert.Null(cluster[0].Store.GetJob("wide"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(121)]
    public void SecurityOutsideItsRangeIsRefused(int security)
    {
        var options = NodeOptionsTests.Valid();
        options.Security = security;
        var error = Assert.Throws<NodeOptionsException>(options.Validate);
        Assert.Contains(error.Errors, e => e.StartsWith("Security:", StringComparison.Ordinal));
    }
}
