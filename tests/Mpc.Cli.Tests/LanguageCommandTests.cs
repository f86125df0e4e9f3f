using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits.Language;

namespace Mpc.Cli.Tests;

/// <summary>The <c>.circ</c> language through the real <c>mpc</c> executable (the examples' expectations run in <see cref="CommandLineTests"/>).</summary>
public class LanguageCommandTests
{
    private static string Example(string name) => Path.Combine(MpcProcess.RepoRoot, "circuits", name);

    [Fact]
    public void Run_takes_array_inputs_and_prints_the_outputs()
    {
        var (code, stdout, stderr) = MpcProcess.Run("run", Example("inner_product.circ"), "--parties", "3", "--json", "--input", "alice.x=[3,1,4,1]", "bob.y=[5, 9, 2, 6]");

        Assert.True(code == 0, stderr);
        Assert.Equal("38", JsonDocument.Parse(stdout).RootElement.GetProperty("outputs").GetProperty("result").GetString());
    }

    [Fact]
    public void Plaintext_runs_the_interpreter_and_prints_typed_values()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fx-{Guid.NewGuid():N}.circ");
        File.WriteAllText(file, "input alice.a: fixed;\ninput bob.ok: bool;\noutput half = a / 2;\noutput both = ok && a > 1.0;\n");
        try
        {
            var (code, stdout, stderr) = MpcProcess.Run("run", file, "--plaintext", "--json", "--input", "alice.a=2.5", "bob.ok=true");

            Assert.True(code == 0, stderr);
            var values = JsonDocument.Parse(stdout).RootElement.GetProperty("values");
            Assert.Equal("1.25", values.GetProperty("half").GetString());
            Assert.Equal("true", values.GetProperty("both").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Compile_reports_comparisons_and_their_depth_and_emits_ir()
    {
        var (code, stdout, stderr) = MpcProcess.Run("compile", Example("sealed_bid_auction.circ"), "--json", "--emit", "ir");

        Assert.True(code == 0, stderr);
        var firstLine = stdout[..stdout.IndexOf('\n')];
        var json = JsonDocument.Parse(firstLine).RootElement;
        Assert.Equal(6, json.GetProperty("comparison_depth").GetInt32());
        Assert.Equal(189, json.GetProperty("comparisons").GetInt32());
        Assert.Contains("circuit sealed_bid_auction", stdout);
        Assert.Contains("ltz", stdout);
    }

    [Fact]
    public void Program_errors_show_file_line_column_and_a_caret()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.circ");
        File.WriteAllText(file, "input alice.x: field;\ninput bob.y: field;\noutput c = x < y;\noutput d = q;\n");
        try
        {
            var (code, stdout, stderr) = MpcProcess.Run("compile", file);

            Assert.Equal(2, code);
            Assert.Empty(stdout);
            Assert.Contains($"{file}:3:14: cannot compare field values", stderr);
            Assert.Contains("    output c = x < y;\n                 ^", stderr.ReplaceLineEndings("\n"));
            Assert.Contains($"{file}:4:12: 'q' is not declared", stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Typed_inputs_expand_arrays_and_scale_fixed_values()
    {
        var contract = new ContractInterface(
            [
                new ContractValue("v", "alice", ScalarKind.Int32, ["alice.v_0", "alice.v_1"]),
                new ContractValue("f", "bob", ScalarKind.Fixed, ["bob.f"]),
                new ContractValue("b", "bob", ScalarKind.Bool, ["bob.b"]),
            ],
            []);

        var values = InputAssignment.ParseAll(["alice.v=[4,-5]", "bob.f=-1.5", "bob.b=true"], contract);

        Assert.Equal(new Dictionary<string, BigInteger> { ["alice.v_0"] = 4, ["alice.v_1"] = -5, ["bob.f"] = -98304, ["bob.b"] = 1 }, values);
        Assert.Contains("takes 2 value(s), not 3", Assert.Throws<CliException>(() => InputAssignment.ParseAll(["alice.v=[1,2,3]"], contract)).Message);
        Assert.Contains("'maybe' is not a bool", Assert.Throws<FormatException>(() => InputAssignment.ParseAll(["bob.b=maybe"], contract)).Message);
    }
}
