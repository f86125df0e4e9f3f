using System.Text.Json;

namespace Mpc.Cli.Tests;

/// <summary><c>mpc demo</c> through the real executable: anvil, three node processes, the whole on-chain life cycle.</summary>
public sealed class DemoTests
{
    [Fact]
    public void DemoPostsTheCorrectResultOnChainWithinTheGasBudget()
    {
        var (exit, stdout, stderr) = MpcProcess.Run("demo", "--json");
        Assert.True(exit == 0, $"mpc demo exited {exit}\n{stdout}\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.True(root.GetProperty("result_matches").GetBoolean());
        // The default circuit: five clients, one input each (sum_of_squares.expect.json: 3² + 1² + 4² + 1² + 5²).
        Assert.Equal("52", root.GetProperty("outputs").GetProperty("sum_sq").GetString());
        long gas = root.GetProperty("gas_post_result").GetInt64();
        Assert.InRange(gas, 21_000, 120_000);
        Assert.Matches("^0x[0-9a-f]{64}$", root.GetProperty("post_result_tx").GetString()!);
        foreach (string client in new[] { "alice", "bob", "carol", "dave", "erin" })
            Assert.True(root.GetProperty("transactions").TryGetProperty($"commitInputs {client}.x", out _), client);
        Assert.True(root.GetProperty("total_s").GetDouble() > 0);
        Assert.Contains("stopped the nodes and anvil", stdout, StringComparison.Ordinal);
        // Redirected output gets plain step lines with status and timing, no terminal control codes.
        Assert.Matches(@"\[ ok \] deploy SecretContracts \(\d+\.\d\d s\)", stdout);
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal);
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
