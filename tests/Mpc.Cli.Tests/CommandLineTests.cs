using System.Text.Json;
using Mpc.Core.Circuits;

namespace Mpc.Cli.Tests;

/// <summary>End to end through the real <c>mpc</c> executable.</summary>
public class CommandLineTests
{
    public static TheoryData<string> Examples() =>
        new(Directory.GetFiles(Path.Combine(MpcProcess.RepoRoot, "circuits"), "*.expect.json").Order());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Run_prints_the_expected_outputs_of_every_example(string expectationFile)
    {
        var expectation = CircuitExpectation.Load(expectationFile);

        var (code, stdout, stderr) = MpcProcess.Run(["run", expectation.CircuitPath, "--parties", "3", "--json", "--input", .. expectation.InputArguments]);

        Assert.True(code == 0, stderr);
        var outputs = JsonDocument.Parse(stdout).RootElement.GetProperty("outputs");
        foreach (var (name, value) in expectation.Outputs)
            Assert.Equal(value.ToString(), outputs.GetProperty(name).GetString());
    }

    [Fact]
    public void Compile_prints_stats_and_the_circuit_id()
    {
        var file = Path.Combine(MpcProcess.RepoRoot, "circuits", "polynomial.ir");
        var circuit = CircuitOptimizer.Optimize(CircuitFiles.Load(file));

        var (code, stdout, stderr) = MpcProcess.Run("compile", file, "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(circuit.Id.ToString(), json.GetProperty("circuit_id").GetString());
        Assert.Equal(7, json.GetProperty("multiplications").GetInt32());
        Assert.Equal(2, json.GetProperty("rounds").GetInt32());
    }

    [Theory]
    [InlineData("--parties 4 --threshold 2", "n >= 2t+1")]
    [InlineData("--parties 2", "at least 3 parties")]
    [InlineData("--input alice.x0", "expected owner.name=value")]
    [InlineData("--input alice.q=1", "has no input 'alice.q'")]
    [InlineData("--security 0", "κ must be between 1 and 120 bits")]
    public void Bad_arguments_exit_2_with_one_clear_line(string arguments, string message)
    {
        var file = Path.Combine(MpcProcess.RepoRoot, "circuits", "inner_product.ir");

        var (code, stdout, stderr) = MpcProcess.Run(["run", file, .. arguments.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace for user errors
    }

    [Fact]
    public void Malformed_circuits_are_reported_with_file_line_and_column()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.ir");
        File.WriteAllText(file, "circuit bad\nparty alice\n%0 = input x @alice\n%1 = mul %0 %7\n");
        try
        {
            var (code, _, stderr) = MpcProcess.Run("compile", file);

            Assert.Equal(2, code);
            Assert.Contains($"{file}:4:", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Bench_mul_prints_one_json_object_with_the_named_figures()
    {
        var (code, stdout, stderr) = MpcProcess.Run("bench", "mul", "--transport", "memory", "--parties", "3", "--n", "1000", "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        foreach (var figure in new[] { "mults_per_s", "triples_per_s", "online_s", "preprocessing_s", "bytes_sent" })
            Assert.True(json.GetProperty(figure).GetDouble() > 0, figure);
        Assert.Equal(1, json.GetProperty("rounds").GetInt32());
    }

    [Fact]
    public void Bench_mul_reports_the_median_of_its_repeated_runs()
    {
        var (code, stdout, stderr) = MpcProcess.Run("bench", "mul", "--transport", "memory", "--parties", "3", "--n", "1000", "--repeat", "4", "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(4, json.GetProperty("repeat").GetInt32());
        foreach (var (runs, figure) in new[] { ("online_s_runs", "online_s"), ("preprocessing_s_runs", "preprocessing_s") })
        {
            var sorted = json.GetProperty(runs).EnumerateArray().Select(x => x.GetDouble()).Order().ToArray();
            Assert.Equal(4, sorted.Length);
            Assert.Equal(sorted[2], json.GetProperty(figure).GetDouble());
        }
        Assert.Equal(1000 / json.GetProperty("online_s").GetDouble(), json.GetProperty("mults_per_s").GetDouble(), 6);

        var refused = MpcProcess.Run("bench", "mul", "--transport", "memory", "--n", "1000", "--repeat", "0");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--repeat 0", refused.Stderr);
    }

    private const string Millionaires = """
        circuit millionaires
        party alice
        party bob

        %0 = input wealth @alice
        %1 = input wealth @bob
        %2 = sub %1 %0
        %3 = ltz %2 33
        %4 = output alice_richer %3
        %5 = trunc %0 32 4
        %6 = output alice_div16 %5 @alice

        """;

    [Fact]
    public void Compile_and_run_a_circuit_with_comparisons()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cmp-{Guid.NewGuid():N}.ir");
        File.WriteAllText(file, Millionaires);
        try
        {
            var (code, stdout, stderr) = MpcProcess.Run("compile", file, "--json");
            Assert.True(code == 0, stderr);
            var stats = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(1, stats.GetProperty("comparisons").GetInt32());
            Assert.Equal(1, stats.GetProperty("truncations").GetInt32());
            Assert.Equal(5, stats.GetProperty("rounds").GetInt32()); // LTZ on 33 bits: 1 + ⌈log2 ⌈32/2⌉⌉, overlapping the trunc (1 + 1)
            Assert.Equal(33 + 40 + 32 + 40, stats.GetProperty("random_bits").GetInt64());

            // No --field: a circuit with integer gates runs in fp127.
            (code, stdout, stderr) = MpcProcess.Run("run", file, "--parties", "3", "--json", "--input", "alice.wealth=-100", "--input", "bob.wealth=7");
            Assert.True(code == 0, stderr);
            var run = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("Fp127", run.GetProperty("field").GetString());
            Assert.Equal("0", run.GetProperty("outputs").GetProperty("alice_richer").GetString());
            Assert.Equal("-7", run.GetProperty("outputs").GetProperty("alice_div16").GetString()); // ⌊−100 / 16⌋
            Assert.Equal(5, run.GetProperty("rounds").GetInt32());

            // fp61 cannot hold 33 + κ + 1 bits: one clear line, exit 2.
            (code, _, stderr) = MpcProcess.Run("run", file, "--parties", "3", "--field", "fp61", "--input", "alice.wealth=1", "--input", "bob.wealth=2");
            Assert.Equal(2, code);
            Assert.Contains("gate %3 (ltz %2 33)", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Bench_cmp_prints_one_json_object_with_the_named_figures()
    {
        var (code, stdout, stderr) = MpcProcess.Run("bench", "cmp", "--transport", "memory", "--parties", "3", "--n", "200", "--bits", "32", "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        foreach (var figure in new[] { "cmps_per_s", "online_s", "preprocessing_s", "bytes_per_cmp" })
            Assert.True(json.GetProperty(figure).GetDouble() > 0, figure);
        Assert.Equal(5, json.GetProperty("rounds").GetInt32());
        Assert.Equal(32 + 1 + 40, json.GetProperty("bits_per_cmp").GetInt32());
    }

    [Fact]
    public void Job_run_without_a_cluster_is_one_clear_error_not_a_crash()
    {
        var file = Path.Combine(MpcProcess.RepoRoot, "circuits", "inner_product.ir");
        var missing = Path.Combine(Path.GetTempPath(), $"no-cluster-{Guid.NewGuid():N}");

        var (code, _, stderr) = MpcProcess.Run("job", "run", file, "--cluster", missing, "--input", "alice.x0=1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
