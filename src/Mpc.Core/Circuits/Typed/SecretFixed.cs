using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>A secret fixed-point number (Catrina–Saxena 2010) of a <see cref="CircuitBuilder"/>: x̃ = x·2^f as a signed k-bit integer.</summary>
/// <remarks>
/// <para>+ and − are free. × computes the (k + f)-bit product and truncates it by f bits with the format's
/// <see cref="FixedRounding"/> (TruncPr: one round, error in [0, 1) ulp + the floor's [0, 1) ulp; Exact: the floor).
/// Products of values whose result leaves the range are not detected in MPC (the plaintext evaluator refuses them).
/// Comparisons return <see cref="SecretBool"/>; equality is <see cref="EqualTo"/>/<see cref="NotEqualTo"/>.
/// Division, reciprocal, square root, exp and sigmoid are in <see cref="FixedMath"/> (<c>/</c> calls it).</para>
/// <para>Both operands of a binary operator must share builder and <see cref="FixedFormat"/>; mixing is refused.
/// Public constants (<c>double</c>) are encoded as round(c·2^f); a multiplication by a public <c>long</c> needs no truncation.</para>
/// <para>Inputs are the integer representation: a party holding 1.5 in <c>fixed(k: 64, f: 16)</c> supplies 98304.</para>
/// </remarks>
public readonly struct SecretFixed
{
    internal SecretFixed(Wire wire, FixedFormat format)
    {
        Wire = wire;
        Format = format;
    }

    /// <summary>The wire holding x̃ = x·2^f.</summary>
    public Wire Wire { get; }

    /// <summary>The format.</summary>
    public FixedFormat Format { get; }

    /// <summary>The builder this value belongs to.</summary>
    public CircuitBuilder Builder => Wire.Builder ?? throw new InvalidOperationException("default(SecretFixed) is not a value of any circuit builder.");

    /// <summary>A secret input provided by <paramref name="owner"/> as its representation x̃ = round(x·2^f).</summary>
    public static SecretFixed Input(CircuitBuilder builder, string name, string owner, FixedFormat format)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new SecretFixed(builder.Input(name, owner), Valid(format));
    }

    /// <summary>A public constant round(x·2^f).</summary>
    /// <exception cref="ArgumentOutOfRangeException">x is not finite or out of range.</exception>
    public static SecretFixed Constant(CircuitBuilder builder, double x, FixedFormat format)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new SecretFixed(builder.Constant(Valid(format).Encode(x)), format);
    }

    /// <summary>Sum (free).</summary>
    public static SecretFixed operator +(SecretFixed a, SecretFixed b) => new(a.Builder.Add(a.Wire, Same(a, b).Wire), a.Format);

    /// <summary>Difference (free).</summary>
    public static SecretFixed operator -(SecretFixed a, SecretFixed b) => new(a.Builder.Sub(a.Wire, Same(a, b).Wire), a.Format);

    /// <summary>Negation (free).</summary>
    public static SecretFixed operator -(SecretFixed a) => new(a.Builder.MulConst(a.Wire, BigInteger.MinusOne), a.Format);

    /// <summary>Product: one multiplication and one truncation of the (k + f)-bit product by f.</summary>
    public static SecretFixed operator *(SecretFixed a, SecretFixed b)
    {
        Same(a, b);
        var product = a.Builder.Mul(a.Wire, b.Wire);
        return new(a.Format.Truncate(product, a.Format.Bits + a.Format.FractionBits, a.Format.FractionBits), a.Format);
    }

    /// <summary>Sum with a public constant (free).</summary>
    public static SecretFixed operator +(SecretFixed a, double c) => a + Constant(a.Builder, c, a.Format);

    /// <summary>Sum with a public constant (free).</summary>
    public static SecretFixed operator +(double c, SecretFixed a) => a + c;

    /// <summary>Difference with a public constant (free).</summary>
    public static SecretFixed operator -(SecretFixed a, double c) => a - Constant(a.Builder, c, a.Format);

    /// <summary>Difference from a public constant (free).</summary>
    public static SecretFixed operator -(double c, SecretFixed a) => Constant(a.Builder, c, a.Format) - a;

    /// <summary>Product with a public integer (free, exact).</summary>
    public static SecretFixed operator *(SecretFixed a, long c) => new(a.Builder.MulConst(a.Wire, c), a.Format);

    /// <summary>Product with a public integer (free, exact).</summary>
    public static SecretFixed operator *(long c, SecretFixed a) => a * c;

    /// <summary>Product with a public real: a·round(c·2^f), truncated by f (no secure multiplication).</summary>
    public static SecretFixed operator *(SecretFixed a, double c) => a.MulPublic(c);

    /// <summary>Product with a public real.</summary>
    public static SecretFixed operator *(double c, SecretFixed a) => a.MulPublic(c);

    /// <summary>Quotient of secret values (<see cref="FixedMath.Divide"/>).</summary>
    public static SecretFixed operator /(SecretFixed a, SecretFixed b) => FixedMath.Divide(a, b);

    /// <summary>Quotient by a public non-zero integer: the exact integer quotient of the representation (truncated toward zero, error &lt; 1 ulp; k ≤ 72).</summary>
    public static SecretFixed operator /(SecretFixed a, long d) => new(IntegerDivision.Divide(a.Representation, d).Wire, a.Format);

    /// <summary>[a &lt; b].</summary>
    public static SecretBool operator <(SecretFixed a, SecretFixed b) => new(a.Builder.LessThan(a.Wire, Same(a, b).Wire, a.Format.Bits));

    /// <summary>[a &gt; b].</summary>
    public static SecretBool operator >(SecretFixed a, SecretFixed b) => new(a.Builder.GreaterThan(a.Wire, Same(a, b).Wire, a.Format.Bits));

    /// <summary>[a ≤ b].</summary>
    public static SecretBool operator <=(SecretFixed a, SecretFixed b) => new(a.Builder.LessOrEqual(a.Wire, Same(a, b).Wire, a.Format.Bits));

    /// <summary>[a ≥ b].</summary>
    public static SecretBool operator >=(SecretFixed a, SecretFixed b) => new(a.Builder.GreaterOrEqual(a.Wire, Same(a, b).Wire, a.Format.Bits));

    /// <summary>[a &lt; c] for a public constant.</summary>
    public static SecretBool operator <(SecretFixed a, double c) => a < Constant(a.Builder, c, a.Format);

    /// <summary>[a &gt; c] for a public constant.</summary>
    public static SecretBool operator >(SecretFixed a, double c) => a > Constant(a.Builder, c, a.Format);

    /// <summary>[a ≤ c] for a public constant.</summary>
    public static SecretBool operator <=(SecretFixed a, double c) => a <= Constant(a.Builder, c, a.Format);

    /// <summary>[a ≥ c] for a public constant.</summary>
    public static SecretBool operator >=(SecretFixed a, double c) => a >= Constant(a.Builder, c, a.Format);

    /// <summary>[this = other] on the representations.</summary>
    public SecretBool EqualTo(SecretFixed other) => new(Builder.Equal(Wire, Same(this, other).Wire, Format.Bits));

    /// <summary>[this ≠ other] on the representations.</summary>
    public SecretBool NotEqualTo(SecretFixed other) => new(Builder.NotEqual(Wire, Same(this, other).Wire, Format.Bits));

    /// <summary>[this &lt; 0].</summary>
    public SecretBool IsNegative() => new(Builder.LessThanZero(Wire, Format.Bits));

    /// <summary>The integer representation x̃ as a k-bit <see cref="SecretInt"/> (free).</summary>
    public SecretInt Representation => new(Wire, Format.Bits);

    /// <summary>⌊x⌋ as a (k − f)-bit integer: one exact truncation (Trunc, 1 + ⌈log2 f⌉ rounds).</summary>
    public SecretInt Floor() => new(Builder.Trunc(Wire, Format.Bits, Format.FractionBits), Math.Max(2, Format.Bits - Format.FractionBits));

    /// <summary>The same value in another format (more or fewer fractional bits; the value must fit the target's range).</summary>
    public SecretFixed Convert(FixedFormat target)
    {
        int delta = target.FractionBits - Format.FractionBits;
        if (delta == 0) return new SecretFixed(Wire, target);
        if (delta > 0) return new SecretFixed(Builder.MulConst(Wire, BigInteger.One << delta), target);
        return new SecretFixed(target.Truncate(Wire, Format.Bits, -delta), target);
    }

    /// <summary>Reveals the representation x̃ publicly as <paramref name="name"/>.</summary>
    public void Output(string name) => Builder.Output(name, Wire);

    /// <summary>Reveals the representation x̃ to <paramref name="party"/> only.</summary>
    public void OutputTo(string party, string name) => Builder.OutputTo(party, name, Wire);

    /// <inheritdoc />
    public override string ToString() => $"{Format} {Wire}";

    internal static SecretFixed Same(SecretFixed a, SecretFixed b)
    {
        if (!ReferenceEquals(a.Builder, b.Builder))
            throw new ArgumentException($"Fixed-point values {a.Wire} and {b.Wire} belong to different circuit builders.");
        if (a.Format != b.Format)
            throw new ArgumentException($"Fixed-point values of different formats: {a.Wire} is {a.Format}, {b.Wire} is {b.Format}; convert one with Convert first.");
        return b;
    }

    private SecretFixed MulPublic(double c)
    {
        var product = Builder.MulConst(Wire, Format.Encode(c));
        return new(Format.Truncate(product, Format.Bits + Format.FractionBits, Format.FractionBits), Format);
    }

    private static FixedFormat Valid(FixedFormat format) =>
        format.Bits == 0 ? throw new ArgumentException("default(FixedFormat) is not a format; use new FixedFormat(k, f) or FixedFormat.Default.", nameof(format)) : format;
}
