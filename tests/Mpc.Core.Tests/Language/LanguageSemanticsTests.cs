using System.Numerics;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Fields;
using static Mpc.Core.Tests.Language.LanguageHarness;

namespace Mpc.Core.Tests.Language;

/// <summary>What programs compute: interpreter answers by hand, and the compiled IR agreeing with them.</summary>
public class LanguageSemanticsTests
{
    [Fact]
    public void Sort_is_ascending_with_duplicates_and_negatives()
    {
        var outputs = Run("input alice.v: int32[7];\noutput s = sort(v);",
            Inputs(("alice.v_0", 5), ("alice.v_1", -3), ("alice.v_2", 9), ("alice.v_3", 5), ("alice.v_4", 0), ("alice.v_5", -8), ("alice.v_6", 2)));

        Assert.Equal(new BigInteger[] { -8, -3, 0, 2, 5, 5, 9 }, Enumerable.Range(0, 7).Select(i => outputs["s_" + i]));
    }

    [Theory]
    [InlineData(new[] { 3, 9, 1, 9, 2 }, 1, 2)]
    [InlineData(new[] { 4, 4, 4 }, 0, 0)]
    [InlineData(new[] { -1, -5, 7, -5, 0, 7, 2, -5, 1 }, 2, 1)]
    public void Argmax_and_argmin_return_the_first_extremum(int[] values, int argmax, int argmin)
    {
        string source = $"input alice.v: int32[{values.Length}];\noutput hi = argmax(v);\noutput lo = argmin(v);\noutput top = max(v);\noutput bottom = min(v);";
        var inputs = Inputs(values.Select((v, i) => ($"alice.v_{i}", (BigInteger)v)).ToArray());

        var outputs = Run(source, inputs);

        Assert.Equal((argmax, argmin, values.Max(), values.Min()), ((int)outputs["hi"], (int)outputs["lo"], (int)outputs["top"], (int)outputs["bottom"]));
    }

    [Theory]
    [InlineData(-17, 3)]
    [InlineData(17, 3)]
    [InlineData(-2147483648, 7)]
    [InlineData(2147483647, 1000)]
    [InlineData(-1, 8)]
    [InlineData(100, -4)]
    [InlineData(-100, 6)]
    [InlineData(-2147483648, -4)]
    [InlineData(-2147483647, -3)]
    [InlineData(2147483647, -1)]
    public void Int32_division_and_remainder_round_towards_minus_infinity(int x, int d)
    {
        var outputs = Run($"input alice.x: int32;\noutput q = x / {(d < 0 ? $"({d})" : d)};\noutput r = x % {(d < 0 ? $"({d})" : d)};", Inputs(("alice.x", x)));

        var q = (BigInteger)Math.Floor((double)x / d);
        Assert.Equal(q, outputs["q"]);
        Assert.Equal(x - d * q, outputs["r"]);
    }

    [Fact]
    public void Fixed_point_multiplies_divides_and_converts()
    {
        const string source = """
            input alice.a: fixed;
            input bob.b: fixed;
            output p = a * b;
            output q = a / 4;
            output t = a / 3;
            output f = int32(b);
            output s = a + 1;
            """;
        // a = 2.5, b = -1.25
        var outputs = Run(source, Inputs(("alice.a", 5 << 15), ("bob.b", -(5 << 14))));

        Assert.Equal(-(25 << 13) * 1, outputs["p"] * 1); // -3.125 · 2^16
        Assert.Equal((BigInteger)(5 << 13), outputs["q"]); // 0.625
        Assert.True(BigInteger.Abs(outputs["t"] - (BigInteger)(2.5 / 3 * 65536)) <= 1);
        Assert.Equal(-2, outputs["f"]);
        Assert.Equal((BigInteger)(7 << 15), outputs["s"]);
    }

    [Theory]
    [InlineData(5, 3, 8, 15)]
    [InlineData(2, 3, -1, -6)]
    public void Oblivious_if_muxes_every_assigned_variable_and_element(int x, int y, int expectedA, int expectedV1)
    {
        const string source = """
            input alice.x: int32;
            input bob.y: int32;
            let a = 0;
            let v: int32[2] = 0;
            if x > y {
                a = x + y;
                v[1] = x * y;
            } else {
                a = -1;
                if y > 2 { v[1] = -x * y; } else { v[0] = 9; }
            }
            output a = a;
            output v = v;
            """;

        var outputs = Run(source, Inputs(("alice.x", x), ("bob.y", y)));

        Assert.Equal((expectedA, expectedV1, 0), ((int)outputs["a"], (int)outputs["v_1"], (int)outputs["v_0"]));
    }

    [Fact]
    public void Public_if_compiles_one_branch_and_functions_inline_with_arrays()
    {
        const string source = """
            const MODE = 2;
            fn scaled(v: int32[3], k: int32) -> int32[3] {
                let w = v;
                for i in 0..3 { w[i] = w[i] * k; }
                return w;
            }
            input alice.v: int32[3];
            let r: int32[3] = 0;
            if MODE == 1 { r = scaled(v, 10); } else if MODE == 2 { r = scaled(v, 100); } else { r = v; }
            output r = r;
            output n = len(r);
            """;

        var program = CircProgram.Parse(source, "t.circ");
        var outputs = Run(source, Inputs(("alice.v_0", 1), ("alice.v_1", -2), ("alice.v_2", 3)));

        Assert.Equal(new BigInteger[] { 100, -200, 300, 3 }, new[] { outputs["r_0"], outputs["r_1"], outputs["r_2"], outputs["n"] });
        Assert.Equal(0, program.Compile().Circuit.Stats.Multiplications); // public factors are multiplications by constants
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    public void Boolean_operators_follow_their_truth_tables(int a, int b)
    {
        const string source = "input alice.a: bool;\ninput bob.b: bool;\noutput and = a && b;\noutput or = a || b;\noutput xor = a ^ b;\noutput not = !a;\noutput eq = a == b;\noutput ne = a != b;";

        var o = Run(source, Inputs(("alice.a", a), ("bob.b", b)));

        Assert.Equal(new BigInteger[] { a & b, a | b, a ^ b, 1 - a, a == b ? 1 : 0, a != b ? 1 : 0 },
            new[] { o["and"], o["or"], o["xor"], o["not"], o["eq"], o["ne"] });
    }

    [Theory]
    [InlineData(-7, 7)]
    [InlineData(7, 7)]
    [InlineData(0, 0)]
    public void Abs_min_max_select_and_comparisons(int x, int abs)
    {
        const string source = "input alice.x: int64;\ninput bob.y: int64;\noutput a = abs(x);\noutput lo = min(x, y);\noutput hi = max(x, 3);\noutput s = select(x < y, [x, y], [y, x]);\noutput le = x <= y;\noutput ge = x >= y;\noutput eq = x == y;";

        var o = Run(source, Inputs(("alice.x", x), ("bob.y", 0)));

        Assert.Equal(abs, (int)o["a"]);
        Assert.Equal(Math.Min(x, 0), (int)o["lo"]);
        Assert.Equal(Math.Max(x, 3), (int)o["hi"]);
        Assert.Equal((Math.Min(x, 0), Math.Max(x, 0)), ((int)o["s_0"], (int)o["s_1"]));
        Assert.Equal((x <= 0 ? 1 : 0, x >= 0 ? 1 : 0, x == 0 ? 1 : 0), ((int)o["le"], (int)o["ge"], (int)o["eq"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_secret_literal_typed_value_is_compared_and_divided_as_an_int32(int c)
    {
        const string source = "input alice.c: bool;\noutput lt = select(c, 1, 5) < 3;\noutput eq = select(c, 1, 5) == 5;\n" +
            "output q = select(c, 0 - 7, 9) / 2;\noutput r = select(c, 0 - 7, 9) % 4;\noutput s = sort([select(c, 8, 2), 4])[0];";

        var o = Run(source, Inputs(("alice.c", c)));

        int v = c == 1 ? -7 : 9;
        Assert.Equal(new BigInteger[] { c, 1 - c, (int)Math.Floor(v / 2.0), v - 4 * (int)Math.Floor(v / 4.0), c == 1 ? 4 : 2 },
            new[] { o["lt"], o["eq"], o["q"], o["r"], o["s"] });
    }

    [Fact]
    public void A_secret_literal_typed_quotient_is_an_int32_to_the_checker()
    {
        var e = Assert.Throws<CircCompileException>(() => CircProgram.Parse("input alice.c: bool;\nlet f: fixed = select(c, 1, 5) / 2;\noutput f = f;", "t.circ"));

        Assert.Equal("t.circ:2:32: cannot initialise 'f' of type fixed with secret int32", e.Diagnostics.Single().ToString());
    }

    [Fact]
    public void Field_arithmetic_wraps_modulo_the_run_prime()
    {
        var program = CircProgram.Parse("input alice.x: field;\noutput y = x * x * x;", "t.circ");
        var x = BigInteger.Pow(2, 60);

        var outputs = program.Interpret(Inputs(("alice.x", x)), Fp61.Modulus);

        // 2^180 mod (2^61 - 1) = 2^(180 mod 61) = 2^58.
        Assert.Equal(BigInteger.Pow(2, 58), outputs["y"]);
    }

    [Fact]
    public void Secret_overflow_is_a_runtime_error_of_the_interpreter()
    {
        var program = CircProgram.Parse("input alice.x: int32;\nlet y = x * x;\noutput y = y;", "t.circ");

        var e = Assert.Throws<CircCompileException>(() => program.Interpret(Inputs(("alice.x", 50000)), Fp127.Modulus));

        Assert.Equal("t.circ:2:11: int32 overflow: 2500000000 is outside [-2^31, 2^31)", e.Diagnostics.Single().ToString());
    }

    [Fact]
    public void A_declared_party_may_only_receive_outputs()
    {
        var compiled = CircProgram.Parse("party auditor;\ninput alice.x: int32;\ninput bob.y: int32;\noutput auditor.total = x + y;", "t.circ").Compile();

        Assert.Equal(new[] { "alice", "auditor", "bob" }, compiled.Circuit.Parties.ToArray());
        Assert.Equal(5, (int)Run("party auditor;\ninput alice.x: int32;\ninput bob.y: int32;\noutput auditor.total = x + y;", Inputs(("alice.x", 2), ("bob.y", 3)))["total"]);
    }

    [Fact]
    public void Public_computations_cost_nothing()
    {
        const string source = """
            const N = 10;
            input alice.x: int32;
            let table: int32[N] = 0;
            for i in 0..N { table[i] = i * i - 3 * i; }
            let acc = x;
            for i in 0..N { acc = acc + table[i] * 2; }
            output y = acc * (N / 3);
            """;

        var compiled = CircProgram.Parse(source, "t.circ").Compile();

        Assert.Equal(0, compiled.Circuit.Stats.Multiplications);
        Assert.Equal((9 * 10 * 19 / 6 - 3 * 45) * 2 * 3 + 3 * 7, (int)Run(source, Inputs(("alice.x", 7)))["y"]);
    }

    [Fact]
    public void Reductions_are_balanced_trees_of_logarithmic_depth()
    {
        var compiled = CircProgram.Parse("input p[64].v: int32;\noutput m = max(v);\noutput i = argmax(v);", "t.circ").Compile();

        // 63 comparisons each for max and argmax share nothing but their inputs; depth counts comparison layers.
        Assert.Equal(6, CircuitDepth.Comparisons(compiled.Circuit));
    }

    [Fact]
    public void The_compiled_circuit_is_deterministic()
    {
        var source = File.ReadAllText(Path.Combine(Circuits.ExampleCircuits.Directory, "sealed_bid_auction.circ"));

        Assert.Equal(CircProgram.Parse(source, "a.circ").Compile().Circuit.Id, CircProgram.Parse(source, "a.circ").Compile().Circuit.Id);
    }
}
