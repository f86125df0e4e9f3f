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
    public static TheoryData<int, int> Formats => new() { { 64, 16 }, { 48, 20 }, { 32, 8 } };

    private void Report(string what, FixedFormat format, FixedAccuracy.Measurement m) => output.WriteLine($"{what} {format}: {m}");

    [Theory]
    [MemberData(nameof(Formats))]
    public void Reciprocal_is_within_its_relative_bound(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, FixedMath.Reciprocal);
        // Domain: |x̃| ≥ 2^(2f+2−k) (the result fits) and x̃ ≠ −2^(k−1).
        var lo = BigInteger.One << Math.Max(0, 2 * f + 2 - k);
        var m = acc.Measure(FixedAccuracy.Spread(lo, Max(k), 200, k, bothSigns: true), x => 1 / x,
            exact => Math.Abs(exact) * Math.ScaleB(1, 1) + 1); // 2^−(f−1) relative = 2·|1/x| ulps
        Report("reciprocal", format, m);
        Assert.True(m.WorstRatio <= 1, $"reciprocal error exceeds its bound at x̃ = {m.WorstInput}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Sqrt_is_within_its_bound(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, FixedMath.Sqrt);
        var m = acc.Measure(FixedAccuracy.Spread(0, Max(k), 200, k), Math.Sqrt, exact => exact * 4 + 2);
        Report("sqrt", format, m);
        Assert.True(m.WorstRatio <= 1, $"sqrt error exceeds its bound at x̃ = {m.WorstInput}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Exp2_is_within_its_relative_bound(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, FixedMath.Exp2);
        // x from deep underflow to just below the overflow limit k − f − 2.
        var hi = ((BigInteger)(k - f - 2) << f) - 1;
        var lo = -((BigInteger)(f + 4) << f);
        var inputs = FixedAccuracy.Spread(1, hi, 150, k).Concat(FixedAccuracy.Spread(1, -lo, 100, k + 1).Select(v => -v)).Append(0);
        var m = acc.Measure(inputs, x => Math.Pow(2, x), exact => exact * 2 + 1);
        Report("exp2", format, m);
        Assert.True(m.WorstRatio <= 1, $"exp2 error exceeds its bound at x̃ = {m.WorstInput}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Exp_is_within_its_relative_bound(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, FixedMath.Exp);
        // e^x's input error (x·log2 e rounded to 1 ulp) is amplified by e^x: allow 2^−(f−2) relative.
        var hi = (BigInteger)((k - f - 3) / Math.Log2(Math.E) * Math.ScaleB(1, f));
        var m = acc.Measure(FixedAccuracy.Spread(1, hi, 150, k, bothSigns: true), Math.Exp, exact => exact * 4 + 1);
        Report("exp", format, m);
        Assert.True(m.WorstRatio <= 1, $"exp error exceeds its bound at x̃ = {m.WorstInput}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Sigmoid_is_within_its_absolute_bound_over_the_whole_range(int k, int f)
    {
        var format = new FixedFormat(k, f);
        var acc = new FixedAccuracy(format, FixedMath.Sigmoid);
        var inputs = FixedAccuracy.Spread(1, Max(k), 200, k, bothSigns: true).Append(0).Append(Min(k) + 1);
        var m = acc.Measure(inputs, x => 1 / (1 + Math.Exp(-x)), _ => 6);
        Report("sigmoid", format, m);
        Assert.True(m.WorstRatio <= 1, $"sigmoid error exceeds its bound at x̃ = {m.WorstInput}");
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
            Near("div", X / Y, Math.ScaleB(1, -14), 2);
            Near("sqrt", Math.Sqrt(Math.Abs(X)), Math.ScaleB(1, -14), 2);
            Near("exp", Math.Exp(Y), Math.ScaleB(1, -14), 1);
            Near("sigmoid", 1 / (1 + Math.Exp(-X)), 0, 6);
        }
    }
}
