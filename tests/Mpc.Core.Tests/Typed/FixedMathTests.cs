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
}
