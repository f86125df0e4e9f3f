namespace Mpc.Core.Circuits.Typed;

/// <summary>How a fixed-point product (and every other fixed-point rescaling) is truncated.</summary>
public enum FixedRounding
{
    /// <summary>
    /// Probabilistic truncation (TruncPr, Catrina–de Hoogh 2010 §3.1): ⌊v / 2^f⌋ + u with u ∈ {0, 1},
    /// one round and no triples. The plaintext evaluator gives the floor, MPC may give 1 ulp more.
    /// </summary>
    Probabilistic,

    /// <summary>Exact floor truncation (Trunc): 1 + ⌈log2 f⌉ rounds, and MPC equals the plaintext evaluator bit for bit.</summary>
    Exact,
}

/// <summary>
/// A fixed-point format (Catrina–Saxena 2010): a real x is the signed k-bit integer x̃ = x·2^f, so
/// x ∈ [−2^(k−f−1), 2^(k−f−1)) with a resolution (ulp) of 2^−f.
/// </summary>
/// <remarks>
/// A product of two values is computed exactly as a (k + f)-bit integer (assuming the product is in range)
/// and truncated by f bits, so k + f ≤ <see cref="TypedLimits.MaxGateBits"/> (85 in Fp127 at κ = 40):
/// <c>new FixedFormat(64, 16)</c> fits, <c>new FixedFormat(64, 24)</c> does not.
/// </remarks>
public readonly record struct FixedFormat
{
    /// <summary>Validates and creates a format with <paramref name="bits"/> = k and <paramref name="fractionBits"/> = f.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k or f is out of range, or k + f does not fit one integer gate.</exception>
    public FixedFormat(int bits, int fractionBits, FixedRounding rounding = FixedRounding.Probabilistic)
    {
        TypedLimits.CheckWidth(bits, nameof(bits));
        if (fractionBits < 1 || fractionBits >= bits - 1)
            throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits, $"A fixed-point format needs 1 ≤ f < k − 1 = {bits - 1} fractional bits.");
        if (bits + fractionBits > TypedLimits.MaxGateBits)
            throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits,
                $"FixedFormat(k: {bits}, f: {fractionBits}): a product is truncated from k + f = {bits + fractionBits} bits, more than the {TypedLimits.MaxGateBits} that fit Fp127 at κ = 40.");
        if (!Enum.IsDefined(rounding))
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown fixed-point rounding.");
        Bits = bits;
        FractionBits = fractionBits;
        Rounding = rounding;
    }

    /// <summary>64-bit values with 16 fractional bits and probabilistic truncation.</summary>
    public static FixedFormat Default { get; } = new(64, 16);

    /// <summary>k: total bits of the signed integer representation.</summary>
    public int Bits { get; }

    /// <summary>f: fractional bits (the scale is 2^f).</summary>
    public int FractionBits { get; }

    /// <summary>How rescalings truncate.</summary>
    public FixedRounding Rounding { get; }

    /// <summary>The representation round(x·2^f) of a public real.</summary>
    /// <exception cref="ArgumentOutOfRangeException">x is not finite or outside the format's range.</exception>
    public System.Numerics.BigInteger Encode(double x)
    {
        if (!double.IsFinite(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, "A fixed-point constant must be finite.");
        var v = new System.Numerics.BigInteger(Math.Round(Math.ScaleB(x, FractionBits), MidpointRounding.ToEven));
        if (v >= System.Numerics.BigInteger.One << (Bits - 1) || v < -(System.Numerics.BigInteger.One << (Bits - 1)))
            throw new ArgumentOutOfRangeException(nameof(x), x, $"{x} is outside the range of {this}.");
        return v;
    }

    /// <summary>The real a representation stands for, x̃·2^−f.</summary>
    public double Decode(System.Numerics.BigInteger representation) => Math.ScaleB((double)representation, -FractionBits);

    /// <summary><c>fixed(k, f)</c>, plus <c>exact</c> for exact rounding.</summary>
    public override string ToString() => $"fixed(k: {Bits}, f: {FractionBits}{(Rounding == FixedRounding.Exact ? ", exact" : "")})";
}

/// <summary>Truncation helpers shared by the typed values.</summary>
internal static class FixedFormatExtensions
{
    /// <summary>⌊a / 2^shift⌋ (plus possibly 1 for <see cref="FixedRounding.Probabilistic"/>) of a signed <paramref name="bits"/>-bit a; shift ≤ 0 multiplies.</summary>
    public static Wire Truncate(this FixedFormat format, Wire a, int bits, int shift) => Truncate(format.Rounding, a, bits, shift);

    public static Wire Truncate(FixedRounding rounding, Wire a, int bits, int shift)
    {
        var b = a.Builder!;
        if (shift <= 0) return shift == 0 ? a : b.MulConst(a, System.Numerics.BigInteger.One << -shift);
        TypedLimits.CheckGate(bits, $"Truncating a {bits}-bit value by {shift}");
        bits = Math.Max(bits, shift + 1);
        return rounding == FixedRounding.Exact ? b.Trunc(a, bits, shift) : b.TruncPr(a, bits, shift);
    }
}
