using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Typed;
using static Mpc.Core.Tests.Typed.TypedHarness;

namespace Mpc.Core.Tests.Typed;

public class SecretIntTests
{
    public static TheoryData<int> Widths => new(8, 32, 64);

    private static Circuit Operators(int bits)
    {
        var b = new CircuitBuilder("ops");
        var x = SecretInt.Input(b, "x", "alice", bits);
        var y = SecretInt.Input(b, "y", "bob", bits);
        (x + y).Output("add");
        (x - y).Output("sub");
        (x * y).Output("mul");
        (-x).Output("neg");
        (x * 3 - 5).Output("affine");
        (x < y).Output("lt");
        (x <= y).Output("le");
        (x > y).Output("gt");
        (x >= y).Output("ge");
        x.EqualTo(y).Output("eq");
        x.NotEqualTo(y).Output("ne");
        (x < 7).Output("lt7");
        x.IsNegative().Output("neg_x");
        x.IsZero().Output("zero_x");
        SecretMath.Min(x, y).Output("min");
        SecretMath.Max(x, y).Output("max");
        (x < y).Select(x, y).Output("select");
        return b.Build();
    }

    private static Dictionary<string, BigInteger> Reference(BigInteger x, BigInteger y) => new()
    {
        ["add"] = x + y, ["sub"] = x - y, ["mul"] = InField(x * y), ["neg"] = -x, ["affine"] = x * 3 - 5,
        ["lt"] = B(x < y), ["le"] = B(x <= y), ["gt"] = B(x > y), ["ge"] = B(x >= y), ["eq"] = B(x == y), ["ne"] = B(x != y),
        ["lt7"] = B(x < 7), ["neg_x"] = B(x.Sign < 0), ["zero_x"] = B(x.IsZero),
        ["min"] = BigInteger.Min(x, y), ["max"] = BigInteger.Max(x, y), ["select"] = x < y ? x : y,
    };

    private static BigInteger B(bool v) => v ? BigInteger.One : BigInteger.Zero;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Operators_match_BigInteger_on_random_and_boundary_values(int bits)
    {
        var circuit = Operators(bits);
        // Arithmetic is exact in the field: only (−2^63)² at k = 64 leaves ±(p − 1)/2 and wraps (InField).
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb(bits), Arb(bits), (x, y) =>
        {
            var actual = Plain(circuit, Inputs(("alice.x", x), ("bob.y", y)));
            Assert.Equal(Reference(x, y), actual);
        }));
    }

    [Fact]
    public void Operators_match_BigInteger_in_MPC_on_the_extremes()
    {
        const int bits = 32;
        var circuit = Operators(bits);
        (BigInteger, BigInteger)[] cases = [(Min(bits), Max(bits)), (-1, 0), (Max(bits), Max(bits))];
        foreach (var (x, y) in cases)
            Assert.Equal(Reference(x, y), RunMpc(circuit, Inputs(("alice.x", x), ("bob.y", y))));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    public void Division_by_a_public_divisor_truncates_toward_zero_like_CSharp(int bits)
    {
        var divisors = new Gen<long>[] { Gen.Elements(1L, -1L, 2L, 3L, -7L, 10L, 1000L), Gen.Choose(1, int.MaxValue).Select(v => (long)v % (1L << Math.Min(bits - 1, 40)) + 1) };
        var divisor = Gen.OneOf(divisors).Where(d => d != 0 && BigInteger.Abs(d) <= Max(bits)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Arb(bits), divisor, (a, d) =>
        {
            var b = new CircuitBuilder("div");
            var x = SecretInt.Input(b, "x", "alice", bits);
            (x / d).Output("q");
            (x % d).Output("r");
            var actual = Plain(b.Build(), Inputs(("alice.x", a)));
            var q = BigInteger.DivRem(a, d, out var r);
            Assert.Equal(q, actual["q"]);
            Assert.Equal(r, actual["r"]);
        }));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(39)]
    public void Division_by_a_secret_divisor_is_exact(int bits)
    {
        var b = new CircuitBuilder("sdiv");
        var x = SecretInt.Input(b, "x", "alice", bits);
        var y = SecretInt.Input(b, "y", "bob", bits);
        (x / y).Output("q");
        (x % y).Output("r");
        var circuit = b.Build();
        var divisor = Values(bits).Where(v => !v.IsZero).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Arb(bits), divisor, (a, d) =>
        {
            if (a == Min(bits) && d == -1) return; // the quotient 2^(k−1) does not fit k bits (C# throws too)
            var actual = Plain(circuit, Inputs(("alice.x", a), ("bob.y", d)));
            var q = BigInteger.DivRem(a, d, out var r);
            Assert.True(q == actual["q"], $"{a} / {d}: expected {q}, got {actual["q"]}");
            Assert.Equal(r, actual["r"]);
        }));
    }

    [Fact]
    public void Division_runs_in_MPC()
    {
        var b = new CircuitBuilder("div_mpc");
        var x = SecretInt.Input(b, "x", "alice", 16);
        var y = SecretInt.Input(b, "y", "bob", 16);
        (x / y).Output("q");
        (x / 7).Output("q7");
        var circuit = b.Build();
        foreach (var (a, d) in new (BigInteger, BigInteger)[] { (-32768, 3), (32767, -32768), (1000, 1) })
        {
            var actual = RunMpc(circuit, Inputs(("alice.x", a), ("bob.y", d)));
            Assert.Equal(BigInteger.Divide(a, d), actual["q"]);
            Assert.Equal(BigInteger.Divide(a, 7), actual["q7"]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(64)]
    public void Bit_decomposition_gives_the_twos_complement_bits_and_round_trips(int bits)
    {
        var b = new CircuitBuilder("bits");
        var x = SecretInt.Input(b, "x", "alice", bits);
        var decomposed = SecretMath.BitDecompose(x);
        for (int i = 0; i < bits; i++) decomposed[i].Output("b" + i);
        SecretMath.FromBits(decomposed).Output("back");
        var circuit = b.Build();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Arb(bits), a =>
        {
            var actual = Plain(circuit, Inputs(("alice.x", a)));
            var unsigned = a.Sign < 0 ? a + (BigInteger.One << bits) : a;
            for (int i = 0; i < bits; i++) Assert.Equal((unsigned >> i) & 1, actual["b" + i]);
            Assert.Equal(a, actual["back"]);
        }));
    }

    [Fact]
    public void Bit_decomposition_runs_in_MPC()
    {
        var b = new CircuitBuilder("bits_mpc");
        var bits = SecretMath.BitDecompose(SecretInt.Input(b, "x", "alice", 8));
        for (int i = 0; i < bits.Length; i++) bits[i].Output("b" + i);
        var actual = RunMpc(b.Build(), Inputs(("alice.x", -93)));
        for (int i = 0; i < 8; i++) Assert.Equal(((256 - 93) >> i) & 1, (int)actual["b" + i]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void Order_statistics_match_sorting(int count)
    {
        const int bits = 32;
        var b = new CircuitBuilder("order");
        var xs = Enumerable.Range(0, count).Select(i => SecretInt.Input(b, "v" + i, "p" + i, bits)).ToArray();
        SecretMath.Min(xs).Output("min");
        SecretMath.Max(xs).Output("max");
        var (max, index) = SecretMath.ArgMax(xs);
        max.Output("argmax_value");
        index.Output("argmax");
        SecretMath.ArgMin(xs).Index.Output("argmin");
        var ranks = SecretMath.Ranks(xs, descending: true);
        for (int i = 0; i < count; i++) ranks[i].Output("rank" + i);
        if (count % 2 == 1) SecretMath.Median(xs).Output("median");
        var circuit = b.Build();
        // Few distinct values so ties are common.
        var value = Gen.OneOf(Gen.Elements(Min(bits), Max(bits), 0, -1, 1), Gen.Choose(-3, 3).Select(v => (BigInteger)v));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Gen.ArrayOf(value, count).ToArbitrary(), values =>
        {
            var actual = Plain(circuit, Enumerable.Range(0, count).ToDictionary(i => $"p{i}.v{i}", i => values[i]));
            Assert.Equal(values.Min(), actual["min"]);
            Assert.Equal(values.Max(), actual["max"]);
            Assert.Equal(values.Max(), actual["argmax_value"]);
            Assert.Equal(Array.IndexOf(values, values.Max()), (int)actual["argmax"]);
            Assert.Equal(Array.IndexOf(values, values.Min()), (int)actual["argmin"]);
            // Descending, stable: the rank of i counts larger values and equal ones before it.
            for (int i = 0; i < count; i++)
                Assert.Equal(values.Count(v => v > values[i]) + values.Take(i).Count(v => v == values[i]), (int)actual["rank" + i]);
            if (count % 2 == 1) Assert.Equal(values.Order().ElementAt(count / 2), actual["median"]);
        }));
    }

    [Fact]
    public void Argmax_tree_has_logarithmic_depth()
    {
        int Rounds(int n)
        {
            var b = new CircuitBuilder("depth");
            var xs = Enumerable.Range(0, n).Select(i => SecretInt.Input(b, "v" + i, "p", 32)).ToArray();
            SecretMath.ArgMax(xs).Index.Output("i");
            return b.Build().Stats.Rounds;
        }
        int two = Rounds(2), sixteen = Rounds(16);
        Assert.Equal(4 * two, sixteen); // 4 levels of (comparison + selection) for 16 values, not 15
    }

    [Fact]
    public void Abs_covers_the_minimum()
    {
        var b = new CircuitBuilder("abs");
        var x = SecretInt.Input(b, "x", "alice", 16);
        var abs = x.Abs();
        abs.Output("abs");
        Assert.Equal(17, abs.Bits);
        foreach (var v in Boundary(16))
            Assert.Equal(BigInteger.Abs(v), Plain(b.Build(), Inputs(("alice.x", v)))["abs"]);
    }

    [Fact]
    public void Mixing_widths_builders_or_bad_constants_is_refused()
    {
        var b = new CircuitBuilder("mix");
        var other = new CircuitBuilder("other");
        var x = SecretInt.Input(b, "x", "alice", 32);
        var y = SecretInt.Input(b, "y", "alice", 64);
        var z = SecretInt.Input(other, "z", "alice", 32);

        Assert.Contains("different widths", Assert.Throws<ArgumentException>(() => x + y).Message);
        Assert.Contains("different circuit builders", Assert.Throws<ArgumentException>(() => x < z).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretInt.Input(b, "w", "alice", 85));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretInt.Constant(b, 128, 8));
        Assert.Throws<ArgumentException>(() => x / 0);
        Assert.Contains("up to 39 bits", Assert.Throws<ArgumentException>(() => y / y).Message);
        Assert.Throws<InvalidOperationException>(() => default(SecretInt) + x);
        // Widening first makes the mix legal.
        Assert.Equal(64, (x.WithBits(64) + y).Bits);
    }

    [Fact]
    public void Bool_operators_follow_the_truth_tables()
    {
        var b = new CircuitBuilder("logic");
        var p = SecretBool.Input(b, "p", "alice");
        var q = SecretBool.Input(b, "q", "bob");
        (p & q).Output("and");
        (p | q).Output("or");
        (p ^ q).Output("xor");
        (!p).Output("not");
        p.Select(q, !q).Output("mux");
        var circuit = b.Build();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                var actual = Plain(circuit, Inputs(("alice.p", i), ("bob.q", j)));
                Assert.Equal(i & j, (int)actual["and"]);
                Assert.Equal(i | j, (int)actual["or"]);
                Assert.Equal(i ^ j, (int)actual["xor"]);
                Assert.Equal(1 - i, (int)actual["not"]);
                Assert.Equal(i == 1 ? j : 1 - j, (int)actual["mux"]);
            }
        var mpc = RunMpc(circuit, Inputs(("alice.p", 1), ("bob.q", 0)));
        Assert.Equal(new Dictionary<string, BigInteger> { ["and"] = 0, ["or"] = 1, ["xor"] = 1, ["not"] = 0, ["mux"] = 0 }, mpc);
    }

    [Fact]
    public void Shifts_and_residues_match_floor_division()
    {
        const int bits = 32;
        var b = new CircuitBuilder("shifts");
        var x = SecretInt.Input(b, "x", "alice", bits);
        var shifted = x.ShiftRight(5);
        var residue = x.Mod2m(5);
        shifted.Output("shift");
        residue.Output("mod");
        (x.IsNegative().ToInt(bits) + shifted.WithBits(bits)).Output("mixed");
        Assert.Equal(27, shifted.Bits);
        Assert.Equal(6, residue.Bits);
        var circuit = b.Build();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Arb(bits), v =>
        {
            var a = Plain(circuit, Inputs(("alice.x", v)));
            Assert.Equal(v >> 5, a["shift"]);
            Assert.Equal(v - ((v >> 5) << 5), a["mod"]);
            Assert.Equal((v.Sign < 0 ? 1 : 0) + (v >> 5), a["mixed"]);
        }));
    }
}
