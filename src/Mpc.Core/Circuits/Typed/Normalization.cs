using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>Shared building blocks of the division, reciprocal and square-root circuits.</summary>
internal static class Normalization
{
    /// <summary>
    /// For a non-negative x &lt; 2^(bits−1): one-hot wires h_i = [2^i ≤ x &lt; 2^(i+1)], i = 0..bits−2, all zero for x = 0.
    /// </summary>
    /// <remarks>
    /// The bits − 1 comparisons c_i = [x ≥ 2^i] = 1 − LTZ(x − 2^i) are independent, so the scheduler runs them as one
    /// batched layer (1 + ⌈log2 (bits − 1)⌉ rounds, the cost of a single comparison); the monotone c_i make the
    /// one-hot vector linear: h_i = c_i − c_(i+1). This replaces the bit decomposition plus prefix-OR of
    /// Catrina–Saxena 2010 (§3.4) with the same round count and no multiplication.
    /// </remarks>
    public static Wire[] OneHotBitLength(CircuitBuilder b, Wire x, int bits)
    {
        var atLeast = new Wire[bits - 1];
        var one = b.Constant(BigInteger.One);
        for (int i = 0; i < bits - 1; i++)
            atLeast[i] = b.Sub(one, b.LessThanZero(b.Sub(x, b.Constant(BigInteger.One << i)), bits));
        var hot = new Wire[bits - 1];
        for (int i = 0; i < bits - 1; i++)
            hot[i] = i + 1 < bits - 1 ? b.Sub(atLeast[i], atLeast[i + 1]) : atLeast[i];
        return hot;
    }

    /// <summary>Σ h_i·c_i for public integers c_i: free.</summary>
    public static Wire Combine(CircuitBuilder b, Wire[] hot, Func<int, BigInteger> coefficient)
    {
        Wire? acc = null;
        for (int i = 0; i < hot.Length; i++)
        {
            var c = coefficient(i);
            if (c.IsZero) continue;
            var term = b.MulConst(hot[i], c);
            acc = acc is null ? term : b.Add(acc.Value, term);
        }
        return acc ?? b.Constant(BigInteger.Zero);
    }

    /// <summary>(1 − 2s) for a bit s: +1 or −1, free.</summary>
    public static Wire SignFactor(CircuitBuilder b, Wire negative) => b.Sub(b.Constant(BigInteger.One), b.MulConst(negative, 2));

    /// <summary>Iterations of <see cref="NewtonReciprocal"/> for F bits: the initial relative error 0.0858 squares each time.</summary>
    public static int NewtonIterations(int fractionBits)
    {
        double error = 0.0858;
        int n = 0;
        while (error > Math.ScaleB(1, -(fractionBits + 2))) { error *= error; n++; }
        return n;
    }

    /// <summary>
    /// w ≈ 2^F / c for c̃ = c·2^F with c ∈ [0.5, 1]: Newton–Raphson w ← w·(2 − c·w) from w₀ = 2.9142 − 2c
    /// (Catrina–Saxena 2010, §3.4: |1 − c·w₀| ≤ 0.0858, and the relative error squares per iteration).
    /// The last product is truncated by F + <paramref name="extraShift"/>, i.e. the result is divided by 2^extraShift.
    /// </summary>
    /// <remarks>Each iteration is two dependent multiplications, each followed by a truncation of a (2F + 3)-bit product.</remarks>
    public static Wire NewtonReciprocal(CircuitBuilder b, Wire c, int fractionBits, FixedRounding rounding, int extraShift = 0)
    {
        int f = fractionBits, bits = 2 * f + 3;
        TypedLimits.CheckGate(bits, $"A reciprocal at {f} fractional bits");
        var two = b.Constant(BigInteger.One << (f + 1));
        var w = b.Sub(b.Constant(new BigInteger(Math.Round(Math.ScaleB(2.9142, f)))), b.MulConst(c, 2));
        int iterations = NewtonIterations(f);
        for (int i = 0; i < iterations; i++)
        {
            var cw = FixedFormatExtensions.Truncate(rounding, b.Mul(c, w), bits, f);
            int shift = i == iterations - 1 ? f + extraShift : f;
            w = FixedFormatExtensions.Truncate(rounding, b.Mul(w, b.Sub(two, cw)), bits, shift);
        }
        return w;
    }
}
