using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;

namespace Mpc.Core.Tests.Engine;

/// <summary>Circuits with integer gates run in MPC (Fp127) must give the plaintext answers.</summary>
public class IntegerEngineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Random_integer_circuits_match_plaintext(int parties)
    {
        var property = Prop.ForAll(IntegerCircuits.Gen.ToArbitrary(), ArbMap.Default.ArbFor<int>(), (circuit, seed) =>
        {
            var inputs = IntegerCircuits.RandomInputs(circuit, seed);
            var expected = CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs));
            var result = LocalRunner.RunAsync<Fp127>(circuit, inputs, parties, (parties - 1) / 2).WaitAsync(Bound).GetAwaiter().GetResult();
            Assert.Equal(circuit.Stats.Rounds, result.Rounds);
            foreach (var o in result.Outputs)
                Assert.True(IntegerCircuits.Matches(o.Name, FieldIntegers.ToSigned(expected[o.Name]), o.Signed),
                    $"{circuit.Name} output {o.Name}: MPC {o.Signed}, plaintext {FieldIntegers.ToSigned(expected[o.Name])}\n{circuit}");
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(parties == 3 ? 25 : 10), property);
    }

    public static TheoryData<int> Widths => new(2, 8, 32, 64);

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Boundary_values_give_the_plaintext_answers(int bits)
    {
        BigInteger half = BigInteger.One << (bits - 1);
        BigInteger[] values = [0, 1, -1, -half, half - 1, half / 2, -half / 2, 2 % half, -(2 % half)];
        int shift = Math.Max(1, bits / 3);
        var b = new CircuitBuilder("edges");
        var inputs = new Dictionary<string, BigInteger>();
        for (int i = 0; i < values.Length; i++)
        {
            var x = b.Input("x" + i, "alice");
            inputs["alice.x" + i] = values[i];
            b.Output("ltz" + i, b.LessThanZero(x, bits));
            b.Output("eqz" + i, b.EqualZero(x, bits));
            b.Output("trunc" + i, b.Trunc(x, bits, shift));
            b.Output("mod" + i, b.Mod2m(x, bits, shift));
            b.Output("pr_" + i, b.TruncPr(x, bits, shift));
            var y = values[(i + 1) % values.Length];
            b.Output("lt" + i, b.LessThan(x, b.Constant(y), bits));
            b.Output("le" + i, b.LessOrEqual(x, b.Constant(y), bits));
            b.Output("eq" + i, b.Equal(x, b.Constant(y), bits));
        }
        var circuit = b.Build();
        var expected = CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs));

        var result = await LocalRunner.RunAsync<Fp127>(circuit, inputs, 3, 1).WaitAsync(Bound);

        foreach (var o in result.Outputs)
            Assert.True(IntegerCircuits.Matches(o.Name, FieldIntegers.ToSigned(expected[o.Name]), o.Signed),
                $"{o.Name}: MPC {o.Signed}, plaintext {FieldIntegers.ToSigned(expected[o.Name])}");
        Assert.All(values, v => Assert.Equal(v < 0 ? 1 : 0, (int)result.Outputs.Single(o => o.Name == "ltz" + Array.IndexOf(values, v)).Signed));
    }

    [Fact]
    public async Task A_gate_that_does_not_fit_the_field_is_refused_before_any_message()
    {
        var b = new CircuitBuilder("wide");
        var x = b.Input("x", "alice");
        b.Output("o", b.Select(b.LessThanZero(x, 32), x, x * 2));
        var circuit = b.Build();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => LocalRunner.RunAsync<Fp61>(circuit, new Dictionary<string, BigInteger> { ["x"] = 5 }, 3, 1));
        Assert.Contains("gate %1 (ltz %0 32)", e.Message, StringComparison.Ordinal);
        Assert.Contains("k + κ + 1 < log2 p", e.Message, StringComparison.Ordinal);

        // κ is a setting: with κ = 20, 32 + 20 + 1 < 61 and Fp61 runs it.
        var run = await LocalRunner.RunAsync<Fp61>(circuit, new Dictionary<string, BigInteger> { ["x"] = -5 }, 3, 1, security: 20).WaitAsync(Bound);
        Assert.Equal(-5, run.Outputs[0].Signed);
        // And κ = 100 is too much even for Fp127 (32 + 100 + 1 ≥ 127).
        await Assert.ThrowsAsync<ArgumentException>(() => LocalRunner.RunAsync<Fp127>(circuit, new Dictionary<string, BigInteger> { ["x"] = 5 }, 3, 1, security: 100));
    }
}
