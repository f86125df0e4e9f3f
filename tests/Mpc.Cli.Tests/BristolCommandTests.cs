using System.Text.Json;

namespace Mpc.Cli.Tests;

/// <summary><c>mpc bristol</c> and <c>mpc bench bristol</c> through the real executable.</summary>
public class BristolCommandTests
{
    private static string Circuit(string name) => Path.Combine(MpcProcess.RepoRoot, "circuits", "bristol", name);

    [Fact]
    public void Adder_prints_the_sum_as_big_endian_hex()
    {
        var (code, stdout, stderr) = MpcProcess.Run("bristol", Circuit("adder64.txt"), "--parties", "3", "--input", "0x2a", "--input", "11");

        Assert.True(code == 0, stderr);
        Assert.Contains("output 0 (64 bits) = 0x000000000000003b", stdout);
    }

    [Theory]
    [InlineData("lsb", "0x0000000000000002")] // 1 + 1
    [InlineData("msb", "0x0000000000000000")] // the 1s feed the adder's top wires: 2^63 + 2^63 = 0 mod 2^64
    public void Bit_order_decides_which_end_of_a_value_feeds_the_first_wire(string order, string expected)
    {
        var (code, stdout, stderr) = MpcProcess.Run("bristol", Circuit("adder64.txt"), "--parties", "5", "--bit-order", order,
            "--input", "1", "--input", "1", "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(expected, json.GetProperty("outputs")[0].GetString());
        Assert.Equal(63, json.GetProperty("and_gates").GetInt32());
        Assert.Equal("Gf2k64", json.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("--input 0xzz --input 1", "--input 1 '0xzz': expected big-endian hex")]
    [InlineData("--input 1", "has 2 input value(s) (64 bits, 64 bits); give one --input each, not 1")]
    [InlineData("--input 1 --input 1 --input 1", "not 3")]
    [InlineData("--input 10000000000000000 --input 1", "--input 1 = 0x10000000000000000 needs 65 bits")]
    public void Bad_inputs_exit_2_with_one_clear_line(string arguments, string message)
    {
        var (code, stdout, stderr) = MpcProcess.Run(["bristol", Circuit("lt64.txt"), .. arguments.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void A_malformed_file_is_reported_with_its_line()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, "1 3\n2 1 1\n1 1\n\n2 1 0 1 2 NAND\n");
        try
        {
            var (code, _, stderr) = MpcProcess.Run("bristol", file, "--input", "1", "--input", "0");

            Assert.Equal(2, code);
            Assert.Contains($"{file}:5: unknown gate 'NAND'", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// In process, and on real Gf2k64 node processes over mutual TLS (one job with copies = K, K distinct input sets, or an
    /// ordinary job for K = 1); the command checks every copy's outputs against plaintext itself and fails otherwise.
    /// </summary>
    [Theory]
    [InlineData("memory", "lt64.txt", 64, 3)]
    [InlineData("grpc", "adder64.txt", 63, 3)]
    [InlineData("grpc", "lt64.txt", 64, 1)]
    public void Bench_bristol_prints_the_figures_as_json(string transport, string circuit, int ands, int copies)
    {
        var (code, stdout, stderr) = MpcProcess.Run("bench", "bristol", "--circuit", Circuit(circuit), "--parties", "3",
            "--copies", copies.ToString(System.Globalization.CultureInfo.InvariantCulture), "--repeat", "2", "--warmup", "1", "--transport", transport, "--json");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(transport, json.GetProperty("transport").GetString());
        Assert.Equal(ands, json.GetProperty("and_gates").GetInt32());
        Assert.Equal(ands, json.GetProperty("rounds").GetInt32());
        Assert.Equal(copies, json.GetProperty("copies").GetInt32());
        Assert.Equal(1, json.GetProperty("warmup").GetInt32());
        Assert.Equal(2, json.GetProperty("online_s_runs").GetArrayLength());
        foreach (var figure in new[] { "online_s", "preprocessing_s", "evals_per_s" })
            Assert.True(json.GetProperty(figure).GetDouble() > 0, figure);
    }
}
