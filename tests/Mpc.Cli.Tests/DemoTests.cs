using System.Numerics;
using System.Text.Json;
using Mpc.Cli.Commands;
using Mpc.Core.Circuits;

namespace Mpc.Cli.Tests;

/// <summary><c>mpc demo</c> through the real executable: anvil, three node processes, the whole on-chain life cycle.</summary>
public sealed class DemoTests
{
    [Fact]
    public void DemoRunsTheSealedBidAuctionAndPostsTheCorrectWinnerAndPriceWithinTheGasBudget()
    {
        var (exit, stdout, stderr) = MpcProcess.Run("demo", "--json");
        Assert.True(exit == 0, $"mpc demo exited {exit}\n{stdout}\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.True(root.GetProperty("result_matches").GetBoolean());
        // The default circuit: the 5-bidder auction on an Fp127 cluster (comparisons); auction.expect.json bids 120, 450, 300, 445, 90.
        Assert.Equal("auction", root.GetProperty("circuit").GetString());
        Assert.Equal("fp127", root.GetProperty("field").GetString());
        Assert.Equal("2", root.GetProperty("outputs").GetProperty("winner").GetString());
        Assert.Equal("445", root.GetProperty("outputs").GetProperty("price").GetString());
        // Issue 6's budget is for 3 signers and one 32-byte output; the auction posts two, which costs a few hundred gas more.
        long gas = root.GetProperty("gas_post_result").GetInt64();
        Assert.InRange(gas, 21_000, 120_000);
        Assert.Matches("^0x[0-9a-f]{64}$", root.GetProperty("post_result_tx").GetString()!);
        for (int bidder = 1; bidder <= 5; bidder++)
            Assert.True(root.GetProperty("transactions").TryGetProperty($"commitInputs bidder{bidder}.bid", out _), $"bidder{bidder}");
        // Each client's secret bid is shown next to its account.
        Assert.Matches(@"client 0x[0-9a-fA-F]{40} holds secret bidder2\.bid = 450", stdout);
        Assert.True(root.GetProperty("total_s").GetDouble() > 0);
        Assert.Contains("stopped the nodes and anvil", stdout, StringComparison.Ordinal);
        // Redirected output gets plain step lines with status and timing, no terminal control codes.
        Assert.Matches(@"\[ ok \] deploy SecretContracts \(\d+\.\d\d s\)", stdout);
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoRunsALanguageContractFromItsCompiledIrWithItsCircExpectation()
    {
        // weighted_average.circ is pure arithmetic: an Fp61 cluster, inputs from weighted_average.circ.expect.json.
        var (exit, stdout, stderr) = MpcProcess.Run("demo", "--json", "--circuit", "circuits/weighted_average.circ");
        Assert.True(exit == 0, $"mpc demo exited {exit}\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.True(root.GetProperty("result_matches").GetBoolean());
        Assert.Equal("fp61", root.GetProperty("field").GetString());
        Assert.Equal("780", root.GetProperty("outputs").GetProperty("numerator").GetString());
        Assert.Equal("10", root.GetProperty("outputs").GetProperty("denominator").GetString());
        Assert.Contains("circuits from ", stdout, StringComparison.Ordinal);
    }
}

/// <summary>The demo's choices made before anything starts: field, inputs, the circuit as the nodes will load it. In-process, fast.</summary>
public sealed class DemoSetupTests
{
    private static FileInfo Circuit(string name) => new(Path.Combine(MpcProcess.RepoRoot, "circuits", name));

    [Theory]
    [InlineData("auction.ir", "fp127")]
    [InlineData("vote_tally.circ", "fp127")]
    [InlineData("sum_of_squares.ir", "fp61")]
    [InlineData("weighted_average.circ", "fp61")]
    public void TheClusterFieldIsFp127ExactlyWhenTheCircuitHasIntegerGates(string name, string field) =>
        Assert.Equal(field, FieldOption.For(CircuitLoader.Load(Circuit(name))));

    [Fact]
    public void TheDefaultAuctionHasFiveBiddersWithDistinctBidsFromItsExpectation()
    {
        var file = new FileInfo(Path.Combine(MpcProcess.RepoRoot, DemoCommand.DefaultCircuit));
        var inputs = DemoCommand.DemoInputs(file, CircuitLoader.LoadContract(file));
        var bids = Enumerable.Range(1, 5).Select(i => inputs[$"bidder{i}.bid"]).ToList();
        Assert.Equal([120, 450, 300, 445, 90], bids.Select(b => (int)b));
        Assert.Equal(5, inputs.Count);
    }

    [Theory]
    [InlineData("auction.ir", "auction.expect.json")]
    [InlineData("weighted_average.circ", "weighted_average.circ.expect.json")]
    public void TheExpectationOfACircProgramIsNamedAfterTheWholeFileName(string name, string expectation) =>
        Assert.Equal(Circuit(expectation).FullName, DemoCommand.ExpectationPath(Circuit(name)));

    [Fact]
    public void CircInputsGoThroughTheRunParserSoArraysSpreadOverTheirElements()
    {
        // set_intersection.circ.expect.json: two bool[16] arrays; set_intersection.expect.json does not exist.
        var file = Circuit("set_intersection.circ");
        var loaded = CircuitLoader.LoadContract(file);
        var inputs = DemoCommand.DemoInputs(file, loaded);
        Assert.Equal(loaded.Circuit.Inputs.Select(i => i.QualifiedName).Order(), inputs.Keys.Order());
        Assert.Equal(BigInteger.One, inputs["alice.a_0"]);
        Assert.Equal(BigInteger.Zero, inputs["bob.b_0"]);
        Assert.Equal(BigInteger.One, inputs["bob.b_1"]);
    }

    // The demo's inputs for a copy of auction.ir in a fresh directory, with the given expectation text or none.
    private static Dictionary<string, BigInteger> AuctionCopyInputs(string? expectation)
    {
        string directory = Directory.CreateTempSubdirectory("mpc-demo-test-").FullName;
        try
        {
            var file = new FileInfo(Path.Combine(directory, "auction.ir"));
            File.Copy(Circuit("auction.ir").FullName, file.FullName);
            if (expectation is not null)
                File.WriteAllText(Path.Combine(directory, "auction.expect.json"), expectation);
            return DemoCommand.DemoInputs(file, CircuitLoader.LoadContract(file));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void WithoutAnExpectationEveryInputGetsADistinctValue()
    {
        var inputs = AuctionCopyInputs(expectation: null);
        Assert.Equal(5, inputs.Count);
        Assert.Equal(5, inputs.Values.Distinct().Count());
        Assert.All(inputs.Values, v => Assert.InRange(v, BigInteger.One, new BigInteger(100)));
    }

    [Fact]
    public void ABadExpectationValueIsAUserErrorNamingTheFileAndInput()
    {
        var error = Assert.Throws<CliException>(() => AuctionCopyInputs("""{ "inputs": { "bidder1.bid": { "x": 1 } } }"""));
        Assert.Contains("auction.expect.json: input 'bidder1.bid'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInputOutsideTheClusterFieldIsRefusedBeforeAnythingStarts()
    {
        // 2^70 fits Fp127 but not Fp61, the field of the pure-arithmetic sum_of_squares.
        var circuit = CircuitLoader.Load(Circuit("sum_of_squares.ir"));
        var inputs = circuit.Inputs.ToDictionary(i => i.QualifiedName, _ => BigInteger.Pow(2, 70));
        var settings = new DemoCommand.DemoSettings(circuit, inputs, null, Path.Combine(Path.GetTempPath(), "mpc-demo-unused"),
            TimeSpan.FromSeconds(5), RpcUrl: null, KeyFile: null);
        var error = await Assert.ThrowsAsync<CliException>(() => DemoCommand.RunAsync(settings, new StepDisplay(live: false), CancellationToken.None));
        Assert.Contains("out of range for Fp61", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weighted_average.circ")]
    [InlineData("vote_tally.circ")]
    [InlineData("salary_statistics.circ")]
    public void TheLoadedCircuitIsWhatANodeRebuildsFromItsIrText(string name)
    {
        // The nodes parse and optimise the written IR; the id bound on chain must be the one they compute.
        var served = CircuitLoader.Load(Circuit(name));
        Assert.Equal(served.Id, CircuitOptimizer.Optimize(CircuitText.Parse(CircuitText.Print(served))).Id);
    }
}

/// <summary><c>mpc chain result</c> reports unreachable chains and bad addresses as user errors.</summary>
public sealed class DemoChainResultTests
{
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000001", "cannot read job 1 from http://127.0.0.1:1/")]
    [InlineData("0x12", "--contract: Address '0x12' is not 0x followed by 40 hex digits")]
    public void ChainResultNamesWhatWentWrong(string contract, string message)
    {
        var (exit, _, stderr) = MpcProcess.Run("chain", "result", "--rpc", "http://127.0.0.1:1", "--contract", contract, "--job", "1");
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
