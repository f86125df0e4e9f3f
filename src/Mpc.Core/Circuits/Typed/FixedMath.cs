using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>
/// Fixed-point functions on <see cref="SecretFixed"/>: abs, reciprocal, division, square root, 2^x, e^x and the
/// logistic sigmoid, built from the IR's integer gates (Catrina–Saxena 2010; accuracy table in docs/fixed-point.md).
/// </summary>
/// <remarks>
/// Every function is a fixed circuit (no data-dependent structure). "ulp" is 2^−f. Working precisions are chosen
/// from the format so that every gate fits <see cref="TypedLimits.MaxGateBits"/>; the XML docs of each function give
/// its algorithm, its round count for <c>fixed(k: 64, f: 16)</c> and its accuracy contract, which the tests assert.
/// </remarks>
public static class FixedMath
{
    /// <summary>|x| (one LTZ and one multiplication). x = −2^(k−1−f) has no positive counterpart and is excluded.</summary>
    public static SecretFixed Abs(SecretFixed x)
    {
        var b = x.Builder;
        var negative = b.LessThanZero(x.Wire, x.Format.Bits);
        return new SecretFixed(b.Mul(Normalization.SignFactor(b, negative), x.Wire), x.Format);
    }

    /// <summary>1/x for x ≠ 0 (1/0 gives 0). Relative error ≤ 2^−(f−1) plus 1 ulp; requires |x̃| ≥ 2^(2f+2−k) so that the result fits.</summary>
    /// <remarks>
    /// Catrina–Saxena 2010 §3.4 with comparisons instead of bit decomposition: sign s = LTZ(x); |x|; one layer of k − 1
    /// comparisons [|x| ≥ 2^i] gives the bit length as a one-hot vector h (<see cref="Normalization.OneHotBitLength"/>);
    /// v = Σ h_i·2^(k−2−i) (free) normalises c = |x|·v/2^(k−1) into [0.5, 1); c is truncated to F = min(f + 4, 84 − k, 41)
    /// fractional bits; Newton–Raphson from 2.9142 − 2c (⌈log2((F + 2)/3.54)⌉ iterations) gives 1/c; the result is
    /// (1/c)·(1 − 2s)·v·2^(2f−k+1), one multiplication and one truncation. Rounds for fixed(64, 16): 6 + 1 + 7 + 1 + 1 + 3·4 + 2 ≈ 30.
    /// </remarks>
    public static SecretFixed Reciprocal(SecretFixed x)
    {
        var fmt = x.Format;
        int k = fmt.Bits, f = fmt.FractionBits;
        int precision = WorkingBits(fmt, 84 - k);
        var b = x.Builder;
        var negative = b.LessThanZero(x.Wire, k);
        var sign = Normalization.SignFactor(b, negative);
        var abs = b.Mul(sign, x.Wire);
        var hot = Normalization.OneHotBitLength(b, abs, k);
        var scale = Normalization.Combine(b, hot, i => BigInteger.One << (k - 2 - i));
        var mantissa = fmt.Truncate(b.Mul(abs, scale), k + 1, k - 1 - precision);
        var w = Normalization.NewtonReciprocal(b, mantissa, precision, fmt.Rounding);
        var signedScale = b.Mul(sign, scale);
        var result = fmt.Truncate(b.Mul(w, signedScale), precision + k + 1, precision + k - 1 - 2 * f);
        return new SecretFixed(result, fmt);
    }

    /// <summary>
    /// a / b as a·(1/b). Error ≤ 2^−(f−1)·|a/b| + |a|·2^−f + 2 ulp: the reciprocal's relative error, its last ulp
    /// scaled by |a| (which dominates for large |a|), and the product's truncation.
    /// </summary>
    public static SecretFixed Divide(SecretFixed a, SecretFixed b)
    {
        SecretFixed.Same(a, b);
        return a * Reciprocal(b);
    }

    /// <summary>√x for x ≥ 0 (negative x gives an unspecified value). Error ≤ 2^−(f−2)·√x + 2 ulp.</summary>
    /// <remarks>
    /// Normalise as in <see cref="Reciprocal"/>: x = c·2^(i+1−f) with c ∈ [0.5, 1). √c by the coupled Goldschmidt iteration
    /// (Liedel 2012, as used after Catrina–Saxena's normalisation): y₀ = 1.8017 − 0.8284·c ≈ 1/√c (relative error ≤ 2.7%),
    /// g = c·y₀, h = y₀/2, then r = 3/2 − g·h, g ← g·r, h ← h·r until the error 1 − c·y² is below 2^−(F+2) (3 iterations at
    /// F = 20); g → √c. The exponent's half power is a public constant per one-hot position, K_i = round(2^(P + (i + 1 + f)/2)),
    /// so √x = g·Σ h_i·K_i / 2^(F+P) costs one multiplication and one truncation. Rounds for fixed(64, 16) ≈ 25.
    /// </remarks>
    public static SecretFixed Sqrt(SecretFixed x)
    {
        var fmt = x.Format;
        int k = fmt.Bits, f = fmt.FractionBits;
        int halfExponent = (k + f) / 2 + 1; // ≥ the largest (i + 1 + f)/2, i ≤ k − 2
        int precision = WorkingBits(fmt, 84 - k);
        int guard = TypedLimits.MaxGateBits - 3 - precision - halfExponent;
        if (guard < 4)
            throw new ArgumentException($"Sqrt on {fmt}: no room for the scale constants (k + f too large for an 85-bit gate).");
        guard = Math.Min(guard, 30);
        var b = x.Builder;
        var hot = Normalization.OneHotBitLength(b, x.Wire, k);
        var scale = Normalization.Combine(b, hot, i => BigInteger.One << (k - 2 - i));
        var c = fmt.Truncate(b.Mul(x.Wire, scale), k + 1, k - 1 - precision);
        int F = precision, bits = 2 * F + 3;
        var y = b.Sub(b.Constant(Encode(1.8017, 2 * F)), b.MulConst(c, Encode(0.8284, F)));
        y = fmt.Truncate(y, bits, F);
        var g = fmt.Truncate(b.Mul(c, y), bits, F);
        var h = fmt.Truncate(y, bits, 1);
        double error = 0.054;
        while (error > Math.ScaleB(1, -(F + 2)))
        {
            var r = b.Sub(b.Constant(Encode(1.5, F)), fmt.Truncate(b.Mul(g, h), bits, F));
            g = fmt.Truncate(b.Mul(g, r), bits, F);
            h = fmt.Truncate(b.Mul(h, r), bits, F);
            error = 0.75 * error * error;
        }
        var constants = Normalization.Combine(b, hot, i => new BigInteger(Math.Round(Math.ScaleB(Math.Pow(2, (i + 1 + f) / 2.0), guard))));
        var result = fmt.Truncate(b.Mul(g, constants), F + 3 + guard + halfExponent, F + guard);
        return new SecretFixed(result, fmt);
    }

    /// <summary>2^x. Relative error ≤ 2^−(f−1) plus 1 ulp; results below 2^−f may round to 0; x ≥ k − f − 2 is out of range and gives 0.</summary>
    /// <remarks>
    /// Split x = n + r with n = ⌊x⌋ (exact Trunc) and r ∈ [0, 1); 2^r by a polynomial interpolating at Chebyshev nodes
    /// (degree chosen so its error is below 2^−(f+3): degree 5 for f = 16), its powers computed as a balanced product tree
    /// (⌈log2 d⌉ multiplication layers); 2^n by one batched layer of k − 1 equality tests [n = j] (−f − G ≤ j ≤ k − f − 3)
    /// whose one-hot vector weights public powers of two (free); one final multiplication and truncation. Rounds ≈ 7 + 7 + 3·2 + 2.
    /// </remarks>
    public static SecretFixed Exp2(SecretFixed x) => new(Exp2(x.Wire, x.Format.Bits, x.Format, x.Format.Bits - x.Format.FractionBits - 3), x.Format);

    /// <summary>e^x = 2^(x·log2 e). Relative error ≤ 2^−(f−2) plus 1 ulp for x below (k − f − 2)·ln 2; larger x is out of range and gives 0.</summary>
    /// <remarks>
    /// x·log2 e is computed with log2 e to f + G bits (G = min(20, 83 − k − f) guard bits) and kept on k + 1 bits, so the
    /// constant's rounding costs less than an ulp of the exponent; the 1-ulp rounding of the exponent itself becomes a
    /// relative error of ln 2·2^−f in the result. Then <see cref="Exp2(SecretFixed)"/>.
    /// </remarks>
    public static SecretFixed Exp(SecretFixed x)
    {
        var fmt = x.Format;
        int k = fmt.Bits, f = fmt.FractionBits;
        var exponent = Log2eTimes(x.Wire, fmt, negate: false);
        return new SecretFixed(Exp2(exponent, k + 1, fmt, k - f - 3), fmt);
    }

    /// <summary>The logistic function 1/(1 + e^−x). Absolute error ≤ 2^−(f−2) + 2 ulp over the whole range.</summary>
    /// <remarks>
    /// By symmetry σ(x) = 1 − σ(−x): with s = [x &lt; 0] and a = |x|, e = 2^(−a·log2 e − 1) ∈ (0, 0.5] (an
    /// <see cref="Exp2(SecretFixed)"/> whose exponent is never positive, so only f + 2 equality tests), c = 1/2 + e ∈ (0.5, 1]
    /// needs no normalisation: σ(a) = 1/(2c) by Newton–Raphson (the last step's truncation divides by 2), and the result is
    /// s ? 1 − σ(a) : σ(a). No overflow for any input.
    /// </remarks>
    public static SecretFixed Sigmoid(SecretFixed x)
    {
        var fmt = x.Format;
        int k = fmt.Bits, f = fmt.FractionBits;
        var b = x.Builder;
        var negative = b.LessThanZero(x.Wire, k);
        var abs = b.Mul(Normalization.SignFactor(b, negative), x.Wire); // ≤ 2^(k−1): k + 1 bits
        // z = −|x|·log2 e − 1 may leave the k-bit range for large |x|; it is kept on k + 1 bits, where it fits.
        var z = b.Sub(Log2eTimes(abs, fmt, negate: true, valueBits: k + 1), b.Constant(BigInteger.One << f));
        var e = Exp2(z, k + 1, fmt, -1); // ∈ (0, 0.5]
        var c = b.Add(e, b.Constant(BigInteger.One << (f - 1)));
        var half = new SecretFixed(Normalization.NewtonReciprocal(b, c, f, fmt.Rounding, extraShift: 1), fmt);
        return new SecretBool(negative).Select(1.0 - half, half);
    }

    // ±x·log2 e on k + 1 bits, with guard bits on the constant (the product keeps within an 85-bit gate).
    private static Wire Log2eTimes(Wire x, FixedFormat fmt, bool negate, int? valueBits = null)
    {
        int k = valueBits ?? fmt.Bits, f = fmt.FractionBits;
        int guard = Math.Min(20, TypedLimits.MaxGateBits - 2 - k - f);
        if (guard < 0) throw new ArgumentException($"Exp on {fmt}: k + f too large for an 85-bit gate (needs k + f ≤ 83).");
        var constant = Encode(1.4426950408889634, f + guard);
        return fmt.Truncate(x.Builder!.MulConst(x, negate ? -constant : constant), k + f + guard + 2, f + guard);
    }

    // 2^x for x̃ a signed valueBits-bit integer with f fractional bits; exponents above maxExponent give 0.
    private static Wire Exp2(Wire x, int valueBits, FixedFormat fmt, int maxExponent)
    {
        int f = fmt.FractionBits;
        var b = x.Builder!;
        // The final product poly·2^(n+f+guard) has (f + 2) + (maxExponent + f + guard + 1) + 1 bits.
        int guard = Math.Min(8, TypedLimits.MaxGateBits - (f + 2) - (maxExponent + f + 1) - 1);
        if (guard < 0) throw new ArgumentException($"Exp2 on {fmt}: k + f too large for an 85-bit gate (needs k + f ≤ 84).");
        var n = b.Trunc(x, valueBits, f);
        var r = b.Sub(x, b.MulConst(n, BigInteger.One << f)); // r̃ ∈ [0, 2^f)
        var poly = Polynomial2r(b, r, fmt);
        int nBits = valueBits - f + 1;
        Wire? power = null;
        for (int j = -f - guard; j <= maxExponent; j++)
        {
            var isJ = b.EqualZero(b.Sub(n, b.Constant(j)), nBits);
            var term = b.MulConst(isJ, BigInteger.One << (j + f + guard));
            power = power is null ? term : b.Add(power.Value, term);
        }
        return fmt.Truncate(b.Mul(poly, power!.Value), (f + 2) + (maxExponent + f + guard + 1) + 1, f + guard);
    }

    // Σ c_j·r^j ≈ 2^r·2^f for r̃ = r·2^f ∈ [0, 2^f); powers by a product tree, coefficients with f + 8 fractional bits.
    private static Wire Polynomial2r(CircuitBuilder b, Wire r, FixedFormat fmt)
    {
        int f = fmt.FractionBits;
        var coefficients = Exp2Coefficients(f);
        int degree = coefficients.Length - 1;
        var powers = new Wire[degree + 1];
        powers[1] = r;
        for (int j = 2; j <= degree; j++)
            powers[j] = fmt.Truncate(b.Mul(powers[j / 2], powers[j - j / 2]), 2 * f + 2, f);
        const int Extra = 8;
        Wire sum = b.Constant(Encode(coefficients[0], f + Extra) << f);
        for (int j = 1; j <= degree; j++)
            sum = b.Add(sum, b.MulConst(powers[j], Encode(coefficients[j], f + Extra)));
        return fmt.Truncate(sum, 2 * f + Extra + 3, f + Extra);
    }

    /// <summary>Monomial coefficients of the interpolant of 2^r at Chebyshev nodes on [0, 1], of the least degree whose error is below 2^−(f+3).</summary>
    internal static double[] Exp2Coefficients(int fractionBits)
    {
        double target = Math.ScaleB(1, -(fractionBits + 3));
        for (int degree = 2; ; degree++)
        {
            var c = Interpolate(degree);
            double worst = 0;
            for (int i = 0; i <= 4096; i++)
            {
                double t = i / 4096.0, p = 0;
                for (int j = degree; j >= 0; j--) p = p * t + c[j];
                worst = Math.Max(worst, Math.Abs(p - Math.Pow(2, t)));
            }
            if (worst < target || degree >= 12) return c;
        }
    }

    // Solves the Vandermonde system at the degree + 1 Chebyshev nodes of [0, 1] (Gaussian elimination; degree ≤ 12).
    private static double[] Interpolate(int degree)
    {
        int n = degree + 1;
        var a = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            double t = 0.5 - 0.5 * Math.Cos((2 * i + 1) * Math.PI / (2 * n));
            double p = 1;
            for (int j = 0; j < n; j++) { a[i, j] = p; p *= t; }
            a[i, n] = Math.Pow(2, t);
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++) if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col])) pivot = row;
            for (int j = 0; j <= n; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (int row = 0; row < n; row++)
            {
                if (row == col) continue;
                double factor = a[row, col] / a[col, col];
                for (int j = col; j <= n; j++) a[row, j] -= factor * a[col, j];
            }
        }
        var result = new double[n];
        for (int i = 0; i < n; i++) result[i] = a[i, n] / a[i, i];
        return result;
    }

    private static int WorkingBits(FixedFormat fmt, int budget)
    {
        int precision = Math.Min(Math.Min(fmt.FractionBits + 4, budget), 41);
        if (precision < 8)
            throw new ArgumentException($"{fmt}: k is too large for a normalised mantissa of at least 8 bits (needs k ≤ 76).");
        return precision;
    }

    private static BigInteger Encode(double x, int fractionBits) => new(Math.Round(Math.ScaleB(x, fractionBits)));
}
