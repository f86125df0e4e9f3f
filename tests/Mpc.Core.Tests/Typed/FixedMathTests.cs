using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Typed;
using Xunit.Abstractions;
using static Mpc.Core.Tests.Typed.TypedHarness;

namespace Mpc.Core.Tests.Typed;

public class FixedMathTests(ITestOutputHelper output)
{
    /// <summary>A function under test: its circuit, double reference, domain of representations and allowed error in ulps.</summary>
    private sealed record Spec(Func<SecretFixed, SecretFixed> Function, Func<double, double> Reference,
        Func<int, int, (BigInteger Lo, BigInteger Hi, bool BothSigns)> Domain, Func<double, double> AllowedUlps);

    // Relative bound 2^−(f−c) of the exact value y is 2^c·|y| ulps.
    private static readonly Dictionary<string, Spec> Specs = new()
    {
        ["reciprocal"] = new(FixedMath.Reciprocal, x => 1 / x,
            (k, f) => (BigInteger.One << Math.Max(0, 2 * f + 2 - k), Max(k), true), y => 2 * Math.Abs(y) + 1),
        ["sqrt"] = new(FixedMath.Sqrt, Math.Sqrt, (k, f) => (0, Max(k), false), y => 4 * y + 2),
        // From deep underflow to just below the overflow limit k − f − 2.
        ["exp2"] = new(FixedMath.Exp2, x => Math.Pow(2, x),
            (k, f) => (-((BigInteger)(f + 4) << f), ((BigInteger)(k - f - 2) << f) - 1, false), y => 2 * y + 1),
        // e^x's input error (x·log2 e rounded to 1 ulp) is amplified by e^x: 2^−(f−2) relative.
        ["exp"] = new(FixedMath.Exp, Math.Exp,
            (k, f) => (-(BigInteger)((k - f - 3) / Math.Log2(Math.E) * Math.ScaleB(1, f)), (BigInteger)((k - f - 3) / Math.Log2(Math.E) * Math.ScaleB(1, f)), false), y => 4 * y + 1),
        ["sigmoid"] = new(FixedMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)), (k, f) => (Min(k) + 1, Max(k), false), _ => 6),
    };

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in Specs.Keys)
            foreach (var (k, f) in new[] { (64, 16), (48, 20), (32, 8) })
                data.Add(name, k, f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Functions_are_within_their_bounds_on_edges_and_random_values(string name, int k, int f)
    {
        var spec = Specs[name];
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, spec.Function);
        var (lo, hi, bothSigns) = spec.Domain(k, f);

        // Edges: log-uniform magnitudes, powers of two and their neighbours, the ends of the domain (both signs where allowed).
        IEnumerable<BigInteger> edges = lo.Sign >= 0
            ? FixedAccuracy.Spread(BigInteger.Max(lo, 1), hi, 200, k, bothSigns).Append(lo)
            : FixedAccuracy.Spread(1, hi, 120, k).Concat(FixedAccuracy.Spread(1, -lo, 120, k + 1).Select(v => -v)).Append(0);
        var m = acc.Measure(edges, spec.Reference, spec.AllowedUlps);
        output.WriteLine($"{name} {format}: {m}");
        Assert.True(m.WorstRatio <= 1, $"{name} error exceeds its bound at x̃ = {m.WorstInput}: {m}");

        // And uniformly random representations of the domain (FsCheck).
        var span = hi - lo;
        var random = Gen.Choose(0, int.MaxValue).Select(seed =>
        {
            var v = lo + BigInteger.Abs(Uniform(new Random(seed), (int)span.GetBitLength() + 2)) % (span + 1);
            return bothSigns && seed % 2 == 0 ? -v : v;
        }).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(random, x =>
            Assert.True(acc.Measure([x], spec.Reference, spec.AllowedUlps).WorstRatio <= 1, $"{name}({format.Decode(x)}) exceeds its bound")));
    }

    [Fact]
    public void The_functions_stay_within_their_bounds_in_MPC()
    {
        // Probabilistic truncation may add up to 1 ulp per truncation; the bounds get 2 ulps of slack.
        var format = new FixedFormat(64, 16);
        var b = new CircuitBuilder("fixed_math_mpc");
        var x = SecretFixed.Input(b, "x", "alice", format);
        var y = SecretFixed.Input(b, "y", "bob", format);
        FixedMath.Reciprocal(y).Output("recip");
        (x / y).Output("div");
        FixedMath.Sqrt(FixedMath.Abs(x)).Output("sqrt");
        FixedMath.Exp(y).Output("exp");
        FixedMath.Sigmoid(x).Output("sigmoid");
        var circuit = b.Build();
        output.WriteLine($"{circuit.Stats}");
        foreach (var (xv, yv) in new[] { (-1234.5678, 3.25), (0.0001, -0.75), (140737488355327.0 / 2, 20.5) })
        {
            var a = RunMpc(circuit, Inputs(("alice.x", format.Encode(xv)), ("bob.y", format.Encode(yv))));
            double X = format.Decode(format.Encode(xv)), Y = format.Decode(format.Encode(yv));
            void Near(string name, double exact, double relative, double ulps)
            {
                double got = format.Decode(a[name]);
                double allowed = Math.Abs(exact) * relative + Math.ScaleB(ulps + 2, -16);
                Assert.True(Math.Abs(got - exact) <= allowed, $"{name}({X}, {Y}) = {got}, expected {exact} ± {allowed}");
            }
            Near("recip", 1 / Y, Math.ScaleB(1, -15), 1);
            // The reciprocal's last ulp is scaled by |x|: |x|·2^−16 on top of the relative error (FixedMath.Divide's contract).
            Near("div", X / Y, Math.ScaleB(1, -14), 2 + Math.Abs(X));
            Near("sqrt", Math.Sqrt(Math.Abs(X)), Math.ScaleB(1, -14), 2);
            Near("exp", Math.Exp(Y), Math.ScaleB(1, -14), 1);
            Near("sigmoid", 1 / (1 + Math.Exp(-X)), 0, 6);
        }
    }
}
