using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;

namespace Mpc.Core.Tests.Engine;

/// <summary>The whole protocol run in-process must give exactly what plaintext evaluation gives.</summary>
public class LocalRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<int> PartyCounts() => new(3, 5, 7);

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public void Random_circuits_match_plaintext_evaluation(int parties)
    {
        // Property over random circuits (all gate kinds, depth up to ~10) and random full-field inputs.
        var property = Prop.ForAll(RandomCircuits.Gen.ToArbitrary(), ArbMap.Default.ArbFor<int>(), (circuit, seed) =>
        {
            var inputs = RandomCircuits.RandomInputs<Fp61>(circuit, seed);
            var expected = CircuitEvaluator.Evaluate(circuit, inputs);
            var actual = Run<Fp61>(circuit, inputs, parties, (parties - 1) / 2);
            return expected.Count == actual.Count && expected.All(kv => actual[kv.Key] == kv.Value);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(parties == 3 ? 40 : 15), property);
    }

    [Fact]
    public void Random_circuits_match_plaintext_in_Fp127_with_a_smaller_threshold()
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var circuit = RandomCircuits.Create(seed, 40);
            var inputs = RandomCircuits.RandomInputs<Fp127>(circuit, seed);
            var expected = CircuitEvaluator.Evaluate(circuit, inputs);
            var actual = Run<Fp127>(circuit, inputs, parties: 5, threshold: 1);
            Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
        }
    }

    [Theory]
    [MemberData(nameof(ExampleCircuits.Files), MemberType = typeof(ExampleCircuits))]
    public async Task Every_example_circuit_gives_its_expected_outputs(string file)
    {
        var expectation = CircuitExpectation.Load(ExampleCircuits.ExpectationFor(file));
        var circuit = CircuitOptimizer.Optimize(expectation.LoadCircuit());
        foreach (int parties in new[] { 3, 5 })
        {
            // Examples with integer gates (comparisons, truncations) need Fp127, like `mpc run` picks for them.
            if (circuit.Schedule.Groups.IsEmpty) await RunExample<Fp61>(circuit, expectation, parties);
            else await RunExample<Fp127>(circuit, expectation, parties);
        }
    }

    private static async Task RunExample<T>(Circuit circuit, CircuitExpectation expectation, int parties) where T : struct, IField<T>
    {
        var result = await LocalRunner.RunAsync<T>(circuit, expectation.Inputs, parties, (parties - 1) / 2).WaitAsync(Bound);
        Assert.Empty(expectation.Mismatches(result.Outputs.ToDictionary(o => o.Name, o => o.Value)));
        Assert.Equal(circuit.Stats.Rounds, result.Rounds);
    }

    [Fact]
    public async Task Private_outputs_are_reconstructed_for_their_owner_and_public_ones_opened()
    {
        var b = new CircuitBuilder("mixed");
        var x = b.Input("x", "alice");
        var y = b.Input("y", "bob");
        b.Output("product", x * y);
        b.OutputTo("bob", "difference", x - y);
        var result = await LocalRunner.RunAsync<Fp61>(b.Build(), Inputs(("alice.x", 6), ("bob.y", -7)), 3, 1).WaitAsync(Bound);

        var product = Assert.Single(result.Outputs, o => o.Name == "product");
        var difference = Assert.Single(result.Outputs, o => o.Name == "difference");
        Assert.Equal((OutputVisibility.Public, new BigInteger(-42)), (product.Visibility, product.Signed));
        Assert.Equal((OutputVisibility.Private, "bob", new BigInteger(13)), (difference.Visibility, difference.Owner, difference.Signed));
    }

    [Theory]
    [InlineData("alice.x0", "is missing input(s): alice.x1")]
    [InlineData("alice.x0,alice.nope", "has no input 'alice.nope'")]
    [InlineData("alice.x0,x0", "'alice.x0' is given more than once")]
    public async Task Bad_inputs_are_refused_with_the_input_named(string keys, string message)
    {
        var circuit = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, "inner_product.ir"));
        var inputs = keys.Split(',').ToDictionary(k => k, _ => BigInteger.One);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalRunner.RunAsync<Fp61>(circuit, inputs, 3, 1));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Values_outside_the_signed_range_are_refused_not_wrapped()
    {
        var b = new CircuitBuilder("id");
        b.Output("y", b.Input("x", "alice"));
        var tooLarge = (Fp61.Modulus - 1) / 2 + 1;
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalRunner.RunAsync<Fp61>(b.Build(), Inputs(("alice.x", tooLarge)), 3, 1));
        Assert.Contains("'alice.x'", error.Message);

        var edge = await LocalRunner.RunAsync<Fp61>(b.Build(), Inputs(("alice.x", -(tooLarge - 1))), 3, 1);
        Assert.Equal(-(tooLarge - 1), edge.Outputs[0].Signed);
    }

    [Fact]
    public async Task One_circuit_object_runs_in_several_fields_and_repeatedly()
    {
        // The engine converts the circuit's constants once per circuit and field: each field gets its own
        // conversion (−3 is p − 3, a different element in each field), and a second run reuses the first's.
        var b = new CircuitBuilder("consts");
        var x = b.Input("x", "alice");
        b.Output("y", (x + b.Constant(-3)) * -5 + x * x);
        var circuit = b.Build();
        var inputs = Inputs(("alice.x", 7));
        for (int run = 0; run < 2; run++)
        {
            var in61 = await LocalRunner.RunAsync<Fp61>(circuit, inputs, 3, 1).WaitAsync(Bound);
            var in127 = await LocalRunner.RunAsync<Fp127>(circuit, inputs, 3, 1).WaitAsync(Bound);
            Assert.Equal(new BigInteger(29), in61.Outputs[0].Signed);
            Assert.Equal(new BigInteger(29), in127.Outputs[0].Signed);
        }
    }

    [Fact]
    public async Task A_missing_input_share_is_refused_before_any_message()
    {
        var b = new CircuitBuilder("missing");
        b.Output("y", b.Input("x", "alice") + 1);
        var circuit = b.Build();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Support.Cluster.RunAsync<Fp61, PartyOutputs<Fp61>>(3, 1, context =>
            new PartyEngine<Fp61>(context).RunAsync(circuit, new Dictionary<string, Fp61>(), new CircuitPreprocessing<Fp61>(default, []))));
        Assert.Contains("No share of input 'alice.x'", error.Message);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    public async Task A_threshold_without_honest_majority_is_refused(int parties, int threshold)
    {
        var circuit = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, "inner_product.ir"));
        await Assert.ThrowsAsync<ArgumentException>(() => LocalRunner.RunAsync<Fp61>(circuit, new Dictionary<string, BigInteger>(), parties, threshold));
    }

    private static Dictionary<string, BigInteger> Inputs(params (string Key, BigInteger Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    private static Dictionary<string, T> Run<T>(Circuit circuit, IReadOnlyDictionary<string, T> inputs, int parties, int threshold)
        where T : struct, IField<T>
    {
        var signed = inputs.ToDictionary(kv => kv.Key, kv => FieldIntegers.ToSigned(kv.Value));
        var result = LocalRunner.RunAsync<T>(circuit, signed, parties, threshold).WaitAsync(Bound).GetAwaiter().GetResult();
        return result.Outputs.ToDictionary(o => o.Name, o => o.Value);
    }
}
