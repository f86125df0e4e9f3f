using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;
using Mpc.Testing;

namespace Mpc.Core.Tests.Language;

/// <summary>Every <c>circuits/*.circ</c> against its <c>.circ.expect.json</c>: interpreter, compiled IR and MPC.</summary>
public class ExampleProgramTests
{
    public static TheoryData<string> Programs() =>
        new(Directory.GetFiles(ExampleCircuits.Directory, "*.circ").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static (CircProgram Program, CircuitExpectation Expectation) Load(string file)
    {
        var path = Path.Combine(ExampleCircuits.Directory, file);
        var expectation = CircuitExpectation.Load(path + ".expect.json");
        Assert.Equal(path, expectation.CircuitPath);
        return (CircProgram.Parse(File.ReadAllText(path), path), expectation);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Each_example_has_an_expectation_and_a_header_saying_how_to_run_it(string file)
    {
        var text = File.ReadAllText(Path.Combine(ExampleCircuits.Directory, file));

        Assert.StartsWith("# " + Path.GetFileNameWithoutExtension(file) + ":", text, StringComparison.Ordinal);
        Assert.Contains("mpc run circuits/" + file, text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ExampleCircuits.Directory, file + ".expect.json")));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_interpreter_and_the_compiled_circuit_give_the_expected_outputs(string file)
    {
        var (program, expectation) = Load(file);
        var inputs = new Dictionary<string, BigInteger>(expectation.Inputs);

        var interpreted = program.Interpret(inputs, Fp127.Modulus);

        Assert.Equal(expectation.Outputs.OrderBy(kv => kv.Key), interpreted.OrderBy(kv => kv.Key));
        LanguageHarness.AssertEvaluates(program.Compile().Circuit, inputs, interpreted);
        LanguageHarness.AssertEvaluates(program.Compile().Unoptimized, inputs, interpreted);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void The_compiled_circuit_is_what_a_node_rebuilds_from_its_ir_text(string file)
    {
        // Nodes read circuits as IR text and optimise them; the id a client binds on chain must be the one they compute,
        // so compiling must already give a fixed point of print → parse → optimise.
        var compiled = Load(file).Program.Compile().Circuit;

        var rebuilt = CircuitOptimizer.Optimize(CircuitText.Parse(CircuitText.Print(compiled), file + ".ir"));

        Assert.Equal(compiled.Id, rebuilt.Id);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Three_parties_compute_the_expected_outputs(string file)
    {
        var (program, expectation) = Load(file);
        var circuit = program.Compile().Circuit;

        var result = await LocalRunner.RunAsync<Fp127>(circuit, expectation.Inputs, 3, 1);

        Assert.Empty(expectation.Mismatches(result.Outputs.ToDictionary(o => o.Name, o => o.Value)));
    }

    [Fact]
    public void The_64_bidder_auction_has_ceil_log2_64_comparison_depths()
    {
        var (program, _) = Load("sealed_bid_auction.circ");

        Assert.Equal(6, CircuitDepth.Comparisons(program.Compile().Circuit));
    }

    [Theory]
    [InlineData("inner_product", 0)]
    [InlineData("weighted_average", 0)]
    [InlineData("polynomial", 0)]
    [InlineData("sum_of_squares", 0)]
    [InlineData("millionaires", 0)]
    // Their equality tests compare ranks: 5 bits in the .ir, int32 (33 bits) in the language, one more EQZ round each.
    [InlineData("median", 3)]
    [InlineData("auction", 3)]
    public void Ported_examples_cost_what_their_ir_versions_cost(string name, int extraRounds)
    {
        var ir = CircuitOptimizer.Optimize(CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, name + ".ir"))).Stats;
        var circ = Load(name + ".circ").Program.Compile().Circuit.Stats;

        Assert.Equal((ir.Multiplications, ir.Comparisons, ir.Rounds + extraRounds, ir.Inputs, ir.Outputs),
            (circ.Multiplications, circ.Comparisons, circ.Rounds, circ.Inputs, circ.Outputs));
    }

    [Fact]
    public void Every_ir_example_has_a_language_version()
    {
        var ir = Directory.GetFiles(ExampleCircuits.Directory, "*.ir").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.DoesNotContain(ir, name => !File.Exists(Path.Combine(ExampleCircuits.Directory, name + ".circ")));
    }
}
