using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Typed;

namespace Mpc.Core.Tests.Typed;

/// <summary>Measures a unary fixed-point function against a double reference over a set of representations.</summary>
internal sealed class FixedAccuracy
{
    public readonly record struct Measurement(double MaxUlps, double MaxRelative, double WorstRatio, BigInteger WorstInput)
    {
        public override string ToString() =>
            $"max error {MaxUlps:F2} ulp where |y| < 2, max relative error {MaxRelative:E2} (2^{(MaxRelative > 0 ? Math.Log2(MaxRelative) : double.NegativeInfinity):F1}) where |y| ≥ 2, worst/allowed {WorstRatio:F3} at x̃ = {WorstInput}";
    }

    private readonly Circuit _circuit;

    public FixedAccuracy(FixedFormat format, Func<SecretFixed, SecretFixed> function)
    {
        Format = format;
        var b = new CircuitBuilder("accuracy");
        function(SecretFixed.Input(b, "x", "alice", format)).Output("y");
        _circuit = b.Build();
    }

    public FixedFormat Format { get; }

    public Circuit Circuit => _circuit;

    /// <summary>
    /// Largest |error| in ulps where the exact result is below 2 (absolute regime), largest relative error where it is
    /// at least 2 (relative regime), and the largest error divided by the bound allowed at each point (≤ 1 passes).
    /// </summary>
    public Measurement Measure(IEnumerable<BigInteger> inputs, Func<double, double> reference,
        Func<double, double> allowedUlps, bool mpc = false)
    {
        double maxUlps = 0, maxRelative = 0, worst = 0;
        BigInteger worstInput = 0;
        foreach (var x in inputs)
        {
            var inputs1 = TypedHarness.Inputs(("alice.x", x));
            var y = (mpc ? TypedHarness.RunMpc(_circuit, inputs1) : TypedHarness.Plain(_circuit, inputs1))["y"];
            double exact = reference(Format.Decode(x));
            double ulps = Math.Abs(Format.Decode(y) - exact) * Math.ScaleB(1, Format.FractionBits);
            if (Math.Abs(exact) < 2) maxUlps = Math.Max(maxUlps, ulps);
            else maxRelative = Math.Max(maxRelative, Math.Abs(Format.Decode(y) / exact - 1));
            double ratio = ulps / allowedUlps(exact);
            if (ratio > worst) { worst = ratio; worstInput = x; }
        }
        return new Measurement(maxUlps, maxRelative, worst, worstInput);
    }

    /// <summary>Random representations in [lo, hi] (log-uniform in magnitude, so small values are as common as large), plus both ends.</summary>
    public static IEnumerable<BigInteger> Spread(BigInteger lo, BigInteger hi, int count, int seed, bool bothSigns = false)
    {
        var rng = new Random(seed);
        yield return lo;
        yield return hi;
        int loBits = (int)BigInteger.Max(lo, 1).GetBitLength(), hiBits = (int)hi.GetBitLength();
        for (int i = 0; i < count; i++)
        {
            int bits = rng.Next(Math.Max(1, loBits), hiBits + 1);
            var v = BigInteger.Max(lo, BigInteger.Min(hi, TypedHarness.Uniform(rng, bits + 1) | (BigInteger.One << (bits - 1))));
            v = BigInteger.Abs(v);
            v = BigInteger.Max(lo, BigInteger.Min(hi, v));
            yield return bothSigns && rng.Next(2) == 0 ? -v : v;
        }
        // Powers of two and their neighbours, where the normalisation switches.
        for (int e = loBits; e < hiBits; e++)
        {
            var p = BigInteger.One << e;
            foreach (var v in new[] { p - 1, p, p + 1 })
                if (v >= lo && v <= hi) yield return bothSigns && e % 2 == 0 ? -v : v;
        }
    }
}
