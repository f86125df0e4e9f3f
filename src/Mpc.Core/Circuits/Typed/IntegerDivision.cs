using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>Exact integer division of secret integers, by a public or a secret divisor (quotient truncated toward zero, as C#).</summary>
/// <remarks>
/// Both follow the "approximate, then correct with comparisons" pattern of Catrina–de Hoogh 2010 / Catrina–Saxena 2010:
/// the quotient of |a| is approximated from below with multiplications by a (public or computed) scaled reciprocal and
/// exact truncations, the remainder r = |a| − q·|d| is computed exactly, and a final batch of comparisons of r against
/// small multiples of |d| fixes the last units; the sign is applied at the end (one multiplication).
/// </remarks>
public static class IntegerDivision
{
    /// <summary>Largest width accepted by <see cref="Divide(SecretInt, SecretInt)"/> in Fp127 at κ = 40.</summary>
    public const int MaxSecretDivisorBits = 39;

    /// <summary>Largest width accepted by <see cref="Divide(SecretInt, long)"/>: each refinement step then gains at least 7 bits.</summary>
    public const int MaxPublicDivisorBits = 72;

    /// <summary>a / d truncated toward zero for a public non-zero d; exact for every k-bit a.</summary>
    /// <remarks>
    /// |a| (one LTZ, one multiplication), then for k ≤ 41 ⌊|a| / |d|⌋ by one exact truncation of |a|·m with a
    /// Granlund–Montgomery magic number (<see cref="FloorByConstant"/>), and the sign (one multiplication). Rounds for
    /// k = 32: LTZ (6) + 1 + Trunc (7) + 1. Wider values use refinement steps q += ⌊r·M / 2^s⌋, r −= that·|d| with M = ⌊2^s/|d|⌋ and
    /// s as large as an 85-bit gate allows; M ≤ 2^s/|d| keeps r ≥ 0 and each step shrinks the bound on r until r &lt; 2|d|
    /// (one step for k ≤ 42, two for k = 64). A last comparison adds [r ≥ |d|]. Rounds for k = 32: LTZ (6) + 1 + Trunc (7) + LTZ (7) + 1.
    /// </remarks>
    /// <exception cref="ArgumentException">d is zero.</exception>
    public static SecretInt Divide(SecretInt a, long d)
    {
        if (d == 0) throw new ArgumentException("Integer division by the public constant 0.", nameof(d));
        if (a.Bits > MaxPublicDivisorBits)
            throw new ArgumentException($"Division by a public divisor supports widths up to {MaxPublicDivisorBits} bits; {a} has {a.Bits}.");
        var b = a.Builder;
        var negative = b.LessThanZero(a.Wire, a.Bits);
        var sign = Normalization.SignFactor(b, negative);
        var r = b.Mul(sign, a.Wire); // |a| ≤ 2^(k−1)
        var divisor = BigInteger.Abs(d);
        if (2 * a.Bits + 2 <= TypedLimits.MaxGateBits)
        {
            var quotient = b.Mul(sign, FloorByConstant(b, r, a.Bits, divisor));
            return new SecretInt(d < 0 ? b.MulConst(quotient, BigInteger.MinusOne) : quotient, a.Bits);
        }
        BigInteger bound = BigInteger.One << (a.Bits - 1); // r ≤ bound
        Wire q = b.Constant(BigInteger.Zero);
        while (bound >= 2 * divisor)
        {
            int rBits = (int)bound.GetBitLength() + 1;
            // M ≤ 2^(s − bitlen(d) + 1), so the product r·M has at most rBits + bitlen(M) ≤ 85 bits.
            int s = TypedLimits.MaxGateBits - 2 - rBits + (int)divisor.GetBitLength() - 1;
            var m = (BigInteger.One << s) / divisor;
            int bits = rBits + (int)m.GetBitLength() + 1;
            var step = b.Trunc(b.MulConst(r, m), bits, s);
            q = b.Add(q, step);
            r = b.Sub(r, b.MulConst(step, divisor));
            // r/|d| − r·M/2^s < r/2^s, so after the floor r < |d|·(bound/2^s + 1): the bound drops below 2|d| once bound < 2^s.
            var limit = divisor * (bound + (BigInteger.One << s));
            bound = ((limit + (BigInteger.One << s) - 1) >> s) - 1;
        }
        if (bound >= divisor)
        {
            int rBits = (int)bound.GetBitLength() + 2;
            var ge = b.Sub(b.Constant(BigInteger.One), b.LessThanZero(b.Sub(r, b.Constant(divisor)), rBits));
            q = b.Add(q, ge);
        }
        var signed = b.Mul(sign, q);
        return new SecretInt(d < 0 ? b.MulConst(signed, BigInteger.MinusOne) : signed, a.Bits);
    }

    /// <summary>
    /// ⌊y / d⌋ for a public d ≥ 1 and a secret y with 0 ≤ y &lt; 2^<paramref name="bits"/>: one exact truncation,
    /// on 2·bits + 2 bits (so bits ≤ 41 in Fp127 at κ = 40).
    /// </summary>
    /// <remarks>
    /// Granlund–Montgomery 1994 (Thm 4.2): with 2^(ℓ−1) &lt; d ≤ 2^ℓ and m = ⌈2^(bits+ℓ)/d⌉, m·d − 2^(bits+ℓ) &lt; 2^ℓ,
    /// so ⌊y·m / 2^(bits+ℓ)⌋ = ⌊y/d⌋ for every y &lt; 2^bits; m ≤ 2^(bits+1), so y·m &lt; 2^(2·bits+1). A divisor of
    /// 2^bits or more gives 0.
    /// </remarks>
    internal static Wire FloorByConstant(CircuitBuilder b, Wire y, int bits, BigInteger d)
    {
        if (d.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(d), d, "The divisor must be positive.");
        TypedLimits.CheckGate(2 * bits + 2, $"Dividing a {bits}-bit value by a public constant");
        if (d >= BigInteger.One << bits) return b.Constant(BigInteger.Zero);
        if (d.IsOne) return y;
        int l = (int)(d - 1).GetBitLength();
        int n = bits + l;
        var m = ((BigInteger.One << n) + d - 1) / d;
        return b.Trunc(b.MulConst(y, m), 2 * bits + 2, n);
    }

    /// <summary>a / b truncated toward zero for secret a and b of k ≤ <see cref="MaxSecretDivisorBits"/> bits; b = 0 gives an unspecified value.</summary>
    /// <remarks>
    /// Signs and absolute values (one LTZ layer, one multiplication layer); |b| normalised by one batched layer of k
    /// comparisons against powers of two (m = |b|·2^(k−1−i) ∈ [2^(k−1), 2^k)); 1/m by Newton–Raphson at F = k + 2 bits
    /// (<see cref="FixedMath"/>); q₀ = ⌊|a|·R / 2^(k+2)⌋ with R ≈ 2^(k+2)/|b| lands within ±2 of the quotient; r = |a| − q₀|b|
    /// and one layer of four comparisons (r ≥ |b|, r ≥ 2|b|, r &lt; 0, r &lt; −|b|) correct it. About 70 rounds for k = 32.
    /// </remarks>
    /// <exception cref="ArgumentException">Widths differ, builders differ, or k &gt; <see cref="MaxSecretDivisorBits"/>.</exception>
    public static SecretInt Divide(SecretInt a, SecretInt divisor) => Divide(a, divisor, floor: false);

    /// <summary>⌊a / b⌋ (rounded toward −∞) for secret a and b of k ≤ <see cref="MaxSecretDivisorBits"/> bits: the .circ language's division.</summary>
    /// <remarks>
    /// As <see cref="Divide(SecretInt, SecretInt)"/> with |a| replaced by |a| + [signs differ]·(|b| − 1), since
    /// ⌊a/b⌋ = −⌈|a|/|b|⌉ = −⌊(|a| + |b| − 1)/|b|⌋ when the signs differ. That multiplication runs beside the
    /// normalisation of |b|, so the floor costs no rounds; the dividend may now reach 2^k, so the correcting layer
    /// also tests r ≥ 3|b| and r &lt; −2|b| (same round).
    /// </remarks>
    internal static SecretInt DivideFloor(SecretInt a, SecretInt divisor) => Divide(a, divisor, floor: true);

    private static SecretInt Divide(SecretInt a, SecretInt divisor, bool floor)
    {
        SecretInt.Same(a, divisor);
        int k = a.Bits;
        if (k > MaxSecretDivisorBits)
            throw new ArgumentException($"Division by a secret divisor supports widths up to {MaxSecretDivisorBits} bits (its reciprocal needs 2k + 7 ≤ {TypedLimits.MaxGateBits} bits in Fp127 at κ = 40); {a} has {k}.");
        var b = a.Builder;
        var signA = b.LessThanZero(a.Wire, k);
        var signB = b.LessThanZero(divisor.Wire, k);
        var absA = b.Mul(Normalization.SignFactor(b, signA), a.Wire);
        var absB = b.Mul(Normalization.SignFactor(b, signB), divisor.Wire);
        // sign of the quotient: sa ⊕ sb = sa + sb − 2·sa·sb
        var differ = b.Sub(b.Add(signA, signB), b.MulConst(b.Mul(signA, signB), 2));
        if (floor) absA = b.Add(absA, b.Mul(differ, b.Sub(absB, b.Constant(BigInteger.One))));

        // |b| ≤ 2^(k−1) < 2^k: normalise on k + 1 bits.
        var hot = Normalization.OneHotBitLength(b, absB, k + 1);
        var scale = Normalization.Combine(b, hot, i => BigInteger.One << (k - 1 - i));
        var m = b.Mul(absB, scale); // ∈ [2^(k−1), 2^k): c = m / 2^k ∈ [0.5, 1)
        int f = k + 2, g = k + 2;
        var c = b.MulConst(m, BigInteger.One << (f - k)); // c̃ = c·2^f
        var w = Normalization.NewtonReciprocal(b, c, f, FixedRounding.Exact); // ≈ 2^f / c
        // 1/|b| = (w/2^f)·scale/2^k, so R = 2^g/|b| = w·scale / 2^(f + k − g).
        var reciprocal = FixedFormatExtensions.Truncate(FixedRounding.Exact, b.Mul(w, scale), f + k + 3, f + k - g);
        var q0 = b.Trunc(b.Mul(absA, reciprocal), k + g + 3, g);
        var r = b.Sub(absA, b.Mul(q0, absB));
        int rBits = k + 4;
        var one = b.Constant(BigInteger.One);
        var geB = b.Sub(one, b.LessThanZero(b.Sub(r, absB), rBits));
        var ge2B = b.Sub(one, b.LessThanZero(b.Sub(r, b.MulConst(absB, 2)), rBits));
        var lt0 = b.LessThanZero(r, rBits);
        var ltMinusB = b.LessThanZero(b.Add(r, absB), rBits);
        var q = b.Sub(b.Add(b.Add(q0, geB), ge2B), b.Add(lt0, ltMinusB));
        if (floor)
        {
            var ge3B = b.Sub(one, b.LessThanZero(b.Sub(r, b.MulConst(absB, 3)), rBits));
            var ltMinus2B = b.LessThanZero(b.Add(r, b.MulConst(absB, 2)), rBits);
            q = b.Sub(b.Add(q, ge3B), ltMinus2B);
        }
        return new SecretInt(b.Mul(Normalization.SignFactor(b, differ), q), k);
    }
}
