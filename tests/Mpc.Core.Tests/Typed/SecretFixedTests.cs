using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Typed;
using static Mpc.Core.Tests.Typed.TypedHarness;

namespace Mpc.Core.Tests.Typed;

public class SecretFixedTests
{
    public static TheoryData<int, int> Formats => new() { { 64, 16 }, { 32, 8 }, { 42, 41 - 1 } };

    private static BigInteger Floor(BigInteger a, int shift) => a >> shift; // BigInteger >> floors

    [Theory]
    [MemberData(nameof(Formats))]
    public void Arithmetic_and_comparisons_match_the_exact_representation(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var b = new CircuitBuilder("fixed_ops");
        var x = SecretFixed.Input(b, "x", "alice", format);
        var y = SecretFixed.Input(b, "y", "bob", format);
        (x + y).Output("add");
        (x - y).Output("sub");
        (x * y).Output("mul");
        (x * 0.75).Output("mulc");
        (x * 3L).Output("mul3");
        (x / 3L).Output("div3");
        (-x).Output("neg");
        (x < y).Output("lt");
        (x >= y).Output("ge");
        x.EqualTo(y).Output("eq");
        (x > 0.5).Output("gt_half");
        x.Floor().Output("floor");
        FixedMath.Abs(x).Output("abs");
        var circuit = b.Build();
        var half = BigInteger.One << (k - 1);
        // Products are only in range when |x̃·ỹ| < 2^(k+f−1): draw y from k − f bits (|y| < 2^(k−f−1)/… ) then clip.
        var small = Values(Math.Max(2, (k + f) / 2 - 1)).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb(k), small, (xv, yv) =>
        {
            if (xv * yv >= half << f || xv * yv < -(half << f)) yv = 1; // keep the product in range
            var a = Plain(circuit, Inputs(("alice.x", xv), ("bob.y", yv)));
            Assert.Equal(xv + yv, a["add"]);
            Assert.Equal(xv - yv, a["sub"]);
            Assert.Equal(Floor(xv * yv, f), a["mul"]);
            Assert.Equal(Floor(xv * format.Encode(0.75), f), a["mulc"]);
            Assert.Equal(xv * 3, a["mul3"]);
            Assert.Equal(BigInteger.Divide(xv, 3), a["div3"]);
            Assert.Equal(-xv, a["neg"]);
            Assert.Equal(xv < yv ? 1 : 0, (int)a["lt"]);
            Assert.Equal(xv >= yv ? 1 : 0, (int)a["ge"]);
            Assert.Equal(xv == yv ? 1 : 0, (int)a["eq"]);
            Assert.Equal(xv > format.Encode(0.5) ? 1 : 0, (int)a["gt_half"]);
            Assert.Equal(Floor(xv, f), a["floor"]);
            Assert.Equal(BigInteger.Abs(xv), a["abs"]);
        }));
    }

    [Fact]
    public void Conversions_between_int_and_fixed_and_between_formats()
    {
        var wide = new FixedFormat(64, 16);
        var fine = new FixedFormat(64, 20);
        var b = new CircuitBuilder("convert");
        var i = SecretInt.Input(b, "i", "alice", 32);
        var x = i.ToFixed(wide);
        x.Output("fixed");
        x.Convert(fine).Output("finer");
        x.Convert(fine).Convert(wide).Floor().Output("back");
        (x * 0.5).Floor().Output("halved");
        var circuit = b.Build();
        foreach (var v in Boundary(32))
        {
            var a = Plain(circuit, Inputs(("alice.i", v)));
            Assert.Equal(v << 16, a["fixed"]);
            Assert.Equal(v << 20, a["finer"]);
            Assert.Equal(v, a["back"]);
            Assert.Equal(v >> 1, a["halved"]);
        }
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => SecretInt.Input(b, "j", "alice", 60).ToFixed(wide)).Message);
    }

    [Fact]
    public void Formats_are_validated_and_never_mixed()
    {
        Assert.Contains("k + f = 88", Assert.Throws<ArgumentOutOfRangeException>(() => new FixedFormat(64, 24)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedFormat(32, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedFormat(32, 31));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedFormat(100, 8));
        var b = new CircuitBuilder("mix");
        var x = SecretFixed.Input(b, "x", "a", new FixedFormat(64, 16));
        var y = SecretFixed.Input(b, "y", "a", new FixedFormat(64, 16, FixedRounding.Exact));
        Assert.Contains("different formats", Assert.Throws<ArgumentException>(() => x * y).Message);
        Assert.Contains("outside the range", Assert.Throws<ArgumentOutOfRangeException>(() => x + 1e30).Message);
        Assert.Throws<ArgumentException>(() => SecretFixed.Input(b, "z", "a", default));
        Assert.Equal("fixed(k: 64, f: 16, exact)", y.Format.ToString());
    }

    [Fact]
    public void Probabilistic_products_round_up_by_at_most_one_ulp_in_MPC_and_exact_ones_never()
    {
        var pr = new FixedFormat(64, 16);
        var exact = new FixedFormat(64, 16, FixedRounding.Exact);
        var b = new CircuitBuilder("fixed_mpc");
        var x = SecretFixed.Input(b, "x", "alice", pr);
        var y = SecretFixed.Input(b, "y", "bob", pr);
        (x * y).Output("pr");
        (x.Convert(exact) * y.Convert(exact)).Output("exact");
        (x < y).Output("lt");
        var circuit = b.Build();
        (double, double)[] cases = [(1.5, -2.25), (-3.1415, 1e-4), (30000.5, 30000.25)];
        foreach (var (xv, yv) in cases)
        {
            var (xr, yr) = (pr.Encode(xv), pr.Encode(yv));
            var a = RunMpc(circuit, Inputs(("alice.x", xr), ("bob.y", yr)));
            var floor = Floor(xr * yr, 16);
            Assert.InRange(a["pr"], floor, floor + 1);
            Assert.Equal(floor, a["exact"]);
            Assert.Equal(xv < yv ? 1 : 0, (int)a["lt"]);
        }
    }

    [Fact]
    public void Order_statistics_work_on_fixed_point()
    {
        var fmt = new FixedFormat(48, 16);
        var b = new CircuitBuilder("fixed_order");
        var xs = Enumerable.Range(0, 5).Select(i => SecretFixed.Input(b, "x" + i, "alice", fmt)).ToArray();
        SecretMath.Min(xs).Output("min");
        var (max, index) = SecretMath.ArgMax(xs);
        max.Output("max");
        index.Output("argmax");
        var circuit = b.Build();
        double[] values = [-0.5, 3.25, -1e6, 3.25, 0.0001];
        var a = Plain(circuit, Enumerable.Range(0, 5).ToDictionary(i => $"alice.x{i}", i => fmt.Encode(values[i])));
        Assert.Equal(fmt.Encode(-1e6), a["min"]);
        Assert.Equal(fmt.Encode(3.25), a["max"]);
        Assert.Equal(1, (int)a["argmax"]);
        Assert.Throws<ArgumentException>(() => SecretMath.Max([xs[0], SecretFixed.Input(b, "y", "alice", new FixedFormat(48, 20))]));
    }

    [Fact]
    public void Normalisation_comparisons_and_bit_decomposition_truncations_form_single_batched_layers()
    {
        const int k = 64;
        var b = new CircuitBuilder("layers");
        FixedMath.Reciprocal(SecretFixed.Input(b, "x", "alice", new FixedFormat(k, 16))).Output("r");
        var bits = SecretMath.BitDecompose(SecretInt.Input(b, "y", "alice", k));
        for (int i = 0; i < k; i++) bits[i].Output("b" + i);
        var schedule = b.Build().Schedule;

        // The k − 1 comparisons [|x| ≥ 2^i] share one group (same kind, bit length and start).
        Assert.Contains(schedule.Groups, g => g.Kind == GateKind.LessThanZero && g.Bits == k && g.Gates.Length == k - 1);
        // The k − 1 truncations ⌊y / 2^i⌋ all start together.
        var truncations = schedule.Groups.Where(g => g.Kind == GateKind.Trunc && g.Bits == k).ToList();
        Assert.Equal(k - 1, truncations.Sum(g => g.Gates.Length));
        Assert.Single(truncations.Select(g => g.Start).Distinct());
    }
}
