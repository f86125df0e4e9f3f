using System.Globalization;
using System.Numerics;
using System.Text;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Typed;

namespace Mpc.Core.Tests.Typed;

/// <summary>
/// The typed example contracts written to <c>circuits/</c>: each one's builder code, its header, its sample inputs and
/// outputs computed by an independent plaintext reference. <see cref="ExampleContractTests"/> checks that the committed
/// files equal what this produces (set <c>MPC_WRITE_EXAMPLES=1</c> to rewrite them).
/// </summary>
public static class ExampleContracts
{
    /// <summary>One generated example: its file name, header lines, circuit and expectation.</summary>
    public sealed record Example(string Name, string[] Header, Circuit Circuit, (string Key, BigInteger Value)[] Inputs, (string Name, BigInteger Value)[] Outputs)
    {
        /// <summary>The .ir text: header comment, run command, then the canonical IR.</summary>
        public string IrText()
        {
            var sb = new StringBuilder();
            sb.Append("# ").Append(Name).Append(": ").Append(Header[0]).Append('\n');
            foreach (var line in Header.Skip(1)) sb.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
            var stats = Circuit.Stats;
            sb.Append("#\n");
            sb.Append(CultureInfo.InvariantCulture, $"# Cost:    {stats.Comparisons} comparisons (ltz/eqz), {stats.Truncations} truncations, {stats.Multiplications} multiplications,\n");
            sb.Append(CultureInfo.InvariantCulture, $"#          {stats.Rounds} online rounds; integer gates need Fp127 (mpc run picks it for such circuits).\n");
            sb.Append("#\n# Run with three in-process nodes:\n");
            sb.Append("#   mpc run circuits/").Append(Name).Append(".ir --parties 3 --input ")
              .Append(string.Join(' ', Inputs.Select(i => i.Key + "=" + i.Value.ToString(CultureInfo.InvariantCulture)))).Append('\n');
            sb.Append("# Expected: ").Append(string.Join(", ", Outputs.Select(o => o.Name + " = " + o.Value.ToString(CultureInfo.InvariantCulture))))
              .Append(" (see ").Append(Name).Append(".expect.json).\n");
            sb.Append("#\n# Generated from C# (Mpc.Core.Circuits.Typed) by tests/Mpc.Core.Tests/Typed/ExampleContracts.cs; do not edit by hand.\n\n");
            sb.Append(CircuitText.Print(Circuit));
            return sb.ToString();
        }

        /// <summary>The .expect.json text in the format of <c>CircuitExpectation</c> (values past 2^53 as strings).</summary>
        public string ExpectationText()
        {
            static string Value(BigInteger v) => BigInteger.Abs(v) < (BigInteger.One << 53) ? v.ToString(CultureInfo.InvariantCulture) : "\"" + v.ToString(CultureInfo.InvariantCulture) + "\"";
            var sb = new StringBuilder();
            sb.Append("{\n  \"circuit\": \"").Append(Name).Append(".ir\",\n  \"inputs\": {\n");
            sb.Append(string.Join(",\n", Inputs.Select(i => $"    \"{i.Key}\": {Value(i.Value)}"))).Append("\n  },\n  \"outputs\": {\n");
            sb.Append(string.Join(",\n", Outputs.Select(o => $"    \"{o.Name}\": {Value(o.Value)}"))).Append("\n  }\n}\n");
            return sb.ToString();
        }
    }

    /// <summary>Every example, in file-name order.</summary>
    public static IReadOnlyList<Example> All() => [Auction(), LogisticRegression(), Median(), Millionaires()];

    /// <summary>Yao's millionaires: who is richer, and nothing else.</summary>
    public static Example Millionaires()
    {
        var b = new CircuitBuilder("millionaires");
        var alice = SecretInt.Input(b, "wealth", "alice", 64);
        var bob = SecretInt.Input(b, "wealth", "bob", 64);
        (alice > bob).Output("alice_richer");
        (bob > alice).Output("bob_richer");
        BigInteger a = 4_200_000_000, o = 3_900_000_000;
        return new Example("millionaires",
            [
                "Yao's millionaires' problem. alice and bob each hold their wealth (a signed 64-bit",
                "integer); the nodes compute who is richer and reveal only that: alice_richer = [alice > bob],",
                "bob_richer = [bob > alice] (both 0 when they are equally rich).",
                "",
                "Inputs:  alice.wealth, bob.wealth (64-bit).",
                "Outputs: alice_richer, bob_richer (public bits).",
            ],
            Optimized(b), [("alice.wealth", a), ("bob.wealth", o)], [("alice_richer", a > o ? 1 : 0), ("bob_richer", o > a ? 1 : 0)]);
    }

    /// <summary>Sealed-bid second-price (Vickrey) auction among bidder1..bidder5.</summary>
    public static Example Auction()
    {
        const int Bidders = 5;
        var b = new CircuitBuilder("auction");
        var bids = Enumerable.Range(1, Bidders).Select(i => SecretInt.Input(b, "bid", "bidder" + i, 32)).ToArray();
        var ranks = SecretMath.Ranks(bids, descending: true);
        // winner = Σ [rank_i = 0]·i is linear in the equality bits; price = Σ [rank_i = 1]·bid_i costs one multiplication each.
        Wire winner = b.Constant(0), price = b.Constant(0);
        for (int i = 0; i < Bidders; i++)
        {
            winner = b.Add(winner, b.MulConst(ranks[i].EqualTo(0).Wire, i + 1));
            price = b.Add(price, b.Mul(ranks[i].EqualTo(1).Wire, bids[i].Wire));
        }
        b.Output("winner", winner);
        b.Output("price", price);
        long[] sample = [120, 450, 300, 445, 90];
        var order = Enumerable.Range(0, Bidders).OrderByDescending(i => sample[i]).ThenBy(i => i).ToArray();
        return new Example("auction",
            [
                "sealed-bid second-price (Vickrey) auction. Five bidders each submit a secret",
                "32-bit bid; the nodes reveal the winner (the highest bidder, numbered 1..5; on a tie the lower",
                "number wins) and the price, the second-highest bid. No bid is revealed, not even the winning one.",
                "Method: all 10 pairwise comparisons in one layer give each bid's rank (SecretMath.Ranks), then",
                "one layer of equality tests picks ranks 0 and 1: constant rounds, whatever the number of bidders.",
                "",
                "Inputs:  bidder1.bid … bidder5.bid (32-bit).",
                "Outputs: winner (1..5) and price (public).",
            ],
            Optimized(b),
            Enumerable.Range(0, Bidders).Select(i => ($"bidder{i + 1}.bid", (BigInteger)sample[i])).ToArray(),
            [("winner", order[0] + 1), ("price", sample[order[1]])]);
    }

    /// <summary>The median of five parties' values.</summary>
    public static Example Median()
    {
        string[] parties = ["alice", "bob", "carol", "dave", "erin"];
        var b = new CircuitBuilder("median");
        var values = parties.Select(p => SecretInt.Input(b, "value", p, 32)).ToArray();
        SecretMath.Median(values).Output("median");
        long[] sample = [52_000, 17_500, 99_000, -23_000, 61_250];
        return new Example("median",
            [
                "the median of five secret 32-bit values, one per party (e.g. salaries for a",
                "pay survey). Only the median is revealed. Method: the 10 pairwise comparisons in one layer rank",
                "every value (ties broken by party order), then the value of rank 2 is selected with equality",
                "tests and one multiplication layer (SecretMath.Median).",
                "",
                "Inputs:  alice.value, bob.value, carol.value, dave.value, erin.value (32-bit, may be negative).",
                "Outputs: median (public).",
            ],
            Optimized(b),
            parties.Select((p, i) => ($"{p}.value", (BigInteger)sample[i])).ToArray(),
            [("median", sample.Order().ElementAt(2))]);
    }

    /// <summary>The fixed-point format of the logistic-regression example.</summary>
    public static FixedFormat LogisticFormat { get; } = new(40, 16, FixedRounding.Exact);

    /// <summary>Logistic-regression inference: the model party's weights, the client's features, σ(w·x + b) to the client.</summary>
    public static Example LogisticRegression()
    {
        const int Features = 4;
        var fmt = LogisticFormat;
        var b = new CircuitBuilder("logistic_regression");
        var weights = Enumerable.Range(0, Features).Select(i => SecretFixed.Input(b, "w" + i, "model", fmt)).ToArray();
        var bias = SecretFixed.Input(b, "bias", "model", fmt);
        var features = Enumerable.Range(0, Features).Select(i => SecretFixed.Input(b, "x" + i, "client", fmt)).ToArray();
        var score = bias;
        for (int i = 0; i < Features; i++) score += weights[i] * features[i];
        FixedMath.Sigmoid(score).OutputTo("client", "probability");
        double[] w = [0.75, -1.5, 2.25, 0.125], x = [1.2, 0.4, -0.3, 3.0];
        const double Bias = 1.0;
        var circuit = Optimized(b);
        var inputs = Enumerable.Range(0, Features).Select(i => ($"model.w{i}", fmt.Encode(w[i])))
            .Append(("model.bias", fmt.Encode(Bias)))
            .Concat(Enumerable.Range(0, Features).Select(i => ($"client.x{i}", fmt.Encode(x[i])))).ToArray();
        // The circuit's exact output (deterministic: exact truncation), which the tests compare with the real sigmoid.
        var probability = TypedHarness.Plain(circuit, inputs.ToDictionary(i => i.Item1, i => i.Item2))["probability"];
        return new Example("logistic_regression",
            [
                "logistic-regression inference on fixed point. The model party holds four",
                "weights and a bias, the client four features; the client alone learns p = σ(w·x + bias), the",
                "model learns nothing and the client learns nothing about the weights beyond p.",
                $"Numbers are {fmt}: a real v is supplied as the integer round(v·2^16), and the output",
                "probability is p·2^16 (65536 = 1.0). σ is FixedMath.Sigmoid (error ≤ 2^−14 + 2 ulp); exact",
                "truncation makes the MPC result equal the plaintext evaluation bit for bit.",
                "",
                "Inputs:  model.w0..w3, model.bias; client.x0..x3 (fixed point, f = 16).",
                "Outputs: probability (fixed point, f = 16), private to client.",
            ],
            circuit, inputs, [("probability", probability)]);
    }

    private static Circuit Optimized(CircuitBuilder b) => CircuitOptimizer.Optimize(b.Build());
}
