using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Tests.Circuits;
using static Mpc.Core.Tests.Typed.TypedHarness;

namespace Mpc.Core.Tests.Typed;

public class ExampleContractTests
{
    public static TheoryData<string> Names => new(ExampleContracts.All().Select(e => e.Name));

    private static ExampleContracts.Example Get(string name) => ExampleContracts.All().Single(e => e.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Committed_files_equal_the_generator_output(string name)
    {
        var example = Get(name);
        var ir = Path.Combine(ExampleCircuits.Directory, name + ".ir");
        var json = Path.Combine(ExampleCircuits.Directory, name + ".expect.json");
        if (Environment.GetEnvironmentVariable("MPC_WRITE_EXAMPLES") == "1")
        {
            File.WriteAllText(ir, example.IrText());
            File.WriteAllText(json, example.ExpectationText());
        }
        Assert.Equal(example.IrText(), File.ReadAllText(ir));
        Assert.Equal(example.ExpectationText(), File.ReadAllText(json));
        Assert.Equal(example.Circuit.Id, CircuitText.Parse(File.ReadAllText(ir), ir).Id);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Examples_give_their_expected_outputs_in_plaintext_and_in_MPC(string name)
    {
        var example = Get(name);
        var inputs = example.Inputs.ToDictionary(i => i.Key, i => i.Value);
        var expected = example.Outputs.ToDictionary(o => o.Name, o => o.Value);
        Assert.Equal(expected, Plain(example.Circuit, inputs));
        Assert.Equal(expected, RunMpc(example.Circuit, inputs));
    }

    [Fact]
    public void The_logistic_example_is_within_the_sigmoid_bound_of_the_real_probability()
    {
        var example = ExampleContracts.LogisticRegression();
        var fmt = ExampleContracts.LogisticFormat;
        double D(string key) => fmt.Decode(example.Inputs.Single(i => i.Key == key).Value);
        double score = D("model.bias") + Enumerable.Range(0, 4).Sum(i => D($"model.w{i}") * D($"client.x{i}"));
        double p = fmt.Decode(example.Outputs.Single().Value);
        Assert.InRange(p, 0.6, 0.95); // a meaningful example, not a saturated one
        Assert.True(Math.Abs(p - 1 / (1 + Math.Exp(-score))) <= Math.ScaleB(1, -14) + Math.ScaleB(2, -16));
    }

    [Fact]
    public void Auction_and_median_follow_their_tie_rules()
    {
        var auction = ExampleContracts.Auction().Circuit;
        var tie = Plain(auction, Enumerable.Range(1, 5).ToDictionary(i => $"bidder{i}.bid", i => (BigInteger)(i is 2 or 4 ? 500 : 100)));
        Assert.Equal(2, (int)tie["winner"]);
        Assert.Equal(500, (int)tie["price"]);
        var extremes = Plain(auction, Enumerable.Range(1, 5).ToDictionary(i => $"bidder{i}.bid", i => i == 5 ? Max(32) : Min(32)));
        Assert.Equal(5, (int)extremes["winner"]);
        Assert.Equal(Min(32), extremes["price"]);

        var median = ExampleContracts.Median().Circuit;
        string[] parties = ["alice", "bob", "carol", "dave", "erin"];
        var same = Plain(median, parties.ToDictionary(p => p + ".value", _ => Min(32)));
        Assert.Equal(Min(32), same["median"]);
    }
}
