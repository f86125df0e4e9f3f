using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>A secret signed k-bit integer of a <see cref="CircuitBuilder"/>, with arithmetic and comparison operators.</summary>
/// <remarks>
/// <para>The value is the field element v mod p for v ∈ [−2^(k−1), 2^(k−1)) (docs/integers.md). +, −, × and
/// unary − are exact integer arithmetic (free, free, one multiplication, free); like Catrina–de Hoogh 2010
/// the caller keeps results inside k bits — there is no wrap-around, and an out-of-range value makes later
/// comparisons wrong in MPC (the plaintext evaluator refuses it, naming the gate).</para>
/// <para>Comparisons <c>&lt; &lt;= &gt; &gt;=</c> return <see cref="SecretBool"/> (LTZ of the (k + 1)-bit
/// difference). C# requires <c>==</c> to agree with <c>Equals</c>, so secret equality is the methods
/// <see cref="EqualTo(SecretInt)"/> and <see cref="NotEqualTo(SecretInt)"/> instead. Both operands must have the same width and
/// builder; mixing is refused with an <see cref="ArgumentException"/>. Constants (<c>long</c>) mix freely.</para>
/// <para>Division: <c>/</c> and <c>%</c> truncate toward zero like C# (see <see cref="IntegerDivision"/>).</para>
/// </remarks>
public readonly struct SecretInt
{
    internal SecretInt(Wire wire, int bits)
    {
        Wire = wire;
        Bits = bits;
    }

    /// <summary>The wire holding the value.</summary>
    public Wire Wire { get; }

    /// <summary>k: the value is a signed k-bit integer.</summary>
    public int Bits { get; }

    /// <summary>The builder this value belongs to.</summary>
    public CircuitBuilder Builder => Wire.Builder ?? throw new InvalidOperationException("default(SecretInt) is not a value of any circuit builder.");

    /// <summary>Smallest value, −2^(k−1).</summary>
    public BigInteger MinValue => -(BigInteger.One << (Bits - 1));

    /// <summary>Largest value, 2^(k−1) − 1.</summary>
    public BigInteger MaxValue => (BigInteger.One << (Bits - 1)) - 1;

    /// <summary>A secret <paramref name="bits"/>-bit input provided by <paramref name="owner"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is outside [2, <see cref="TypedLimits.MaxValueBits"/>].</exception>
    public static SecretInt Input(CircuitBuilder builder, string name, string owner, int bits)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TypedLimits.CheckWidth(bits, nameof(bits));
        return new SecretInt(builder.Input(name, owner), bits);
    }

    /// <summary>A public <paramref name="bits"/>-bit constant.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is out of range or the value does not fit it.</exception>
    public static SecretInt Constant(CircuitBuilder builder, BigInteger value, int bits)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TypedLimits.CheckWidth(bits, nameof(bits));
        CheckFits(value, bits, nameof(value));
        return new SecretInt(builder.Constant(value), bits);
    }

    /// <summary>The same value seen as a <paramref name="bits"/>-bit integer (free; widening is always safe, narrowing trusts the caller).</summary>
    public SecretInt WithBits(int bits)
    {
        TypedLimits.CheckWidth(bits, nameof(bits));
        return new SecretInt(Wire, bits);
    }

    /// <summary>Sum (free).</summary>
    public static SecretInt operator +(SecretInt a, SecretInt b) => new(a.Builder.Add(a.Wire, Same(a, b).Wire), a.Bits);

    /// <summary>Difference (free).</summary>
    public static SecretInt operator -(SecretInt a, SecretInt b) => new(a.Builder.Sub(a.Wire, Same(a, b).Wire), a.Bits);

    /// <summary>Product (one multiplication).</summary>
    public static SecretInt operator *(SecretInt a, SecretInt b) => new(a.Builder.Mul(a.Wire, Same(a, b).Wire), a.Bits);

    /// <summary>Negation (free).</summary>
    public static SecretInt operator -(SecretInt a) => new(a.Builder.MulConst(a.Wire, BigInteger.MinusOne), a.Bits);

    /// <summary>Sum with a public constant (free).</summary>
    public static SecretInt operator +(SecretInt a, long c) => new(a.Builder.Add(a.Wire, a.Builder.Constant(c)), a.Bits);

    /// <summary>Sum with a public constant (free).</summary>
    public static SecretInt operator +(long c, SecretInt a) => a + c;

    /// <summary>Difference with a public constant (free).</summary>
    public static SecretInt operator -(SecretInt a, long c) => new(a.Builder.Sub(a.Wire, a.Builder.Constant(c)), a.Bits);

    /// <summary>Difference from a public constant (free).</summary>
    public static SecretInt operator -(long c, SecretInt a) => new(a.Builder.Sub(a.Builder.Constant(c), a.Wire), a.Bits);

    /// <summary>Product with a public constant (free).</summary>
    public static SecretInt operator *(SecretInt a, long c) => new(a.Builder.MulConst(a.Wire, c), a.Bits);

    /// <summary>Product with a public constant (free).</summary>
    public static SecretInt operator *(long c, SecretInt a) => a * c;

    /// <summary>Quotient truncated toward zero by a public divisor (<see cref="IntegerDivision.Divide(SecretInt, long)"/>).</summary>
    public static SecretInt operator /(SecretInt a, long d) => IntegerDivision.Divide(a, d);

    /// <summary>Remainder a − (a / d)·d, with the sign of a (<see cref="IntegerDivision.Divide(SecretInt, long)"/>).</summary>
    public static SecretInt operator %(SecretInt a, long d) => a - IntegerDivision.Divide(a, d) * d;

    /// <summary>Quotient truncated toward zero by a secret divisor (<see cref="IntegerDivision.Divide(SecretInt, SecretInt)"/>).</summary>
    public static SecretInt operator /(SecretInt a, SecretInt b) => IntegerDivision.Divide(a, b);

    /// <summary>Remainder a − (a / b)·b, with the sign of a.</summary>
    public static SecretInt operator %(SecretInt a, SecretInt b) => a - IntegerDivision.Divide(a, b) * b;

    /// <summary>[a &lt; b].</summary>
    public static SecretBool operator <(SecretInt a, SecretInt b) => new(a.Builder.LessThan(a.Wire, Same(a, b).Wire, a.Bits));

    /// <summary>[a &gt; b].</summary>
    public static SecretBool operator >(SecretInt a, SecretInt b) => new(a.Builder.GreaterThan(a.Wire, Same(a, b).Wire, a.Bits));

    /// <summary>[a ≤ b].</summary>
    public static SecretBool operator <=(SecretInt a, SecretInt b) => new(a.Builder.LessOrEqual(a.Wire, Same(a, b).Wire, a.Bits));

    /// <summary>[a ≥ b].</summary>
    public static SecretBool operator >=(SecretInt a, SecretInt b) => new(a.Builder.GreaterOrEqual(a.Wire, Same(a, b).Wire, a.Bits));

    /// <summary>[a &lt; c] for a public constant.</summary>
    public static SecretBool operator <(SecretInt a, long c) => a < a.Const(c);

    /// <summary>[a &gt; c] for a public constant.</summary>
    public static SecretBool operator >(SecretInt a, long c) => a > a.Const(c);

    /// <summary>[a ≤ c] for a public constant.</summary>
    public static SecretBool operator <=(SecretInt a, long c) => a <= a.Const(c);

    /// <summary>[a ≥ c] for a public constant.</summary>
    public static SecretBool operator >=(SecretInt a, long c) => a >= a.Const(c);

    /// <summary>[this = other] (EQZ of the difference).</summary>
    public SecretBool EqualTo(SecretInt other) => new(Builder.Equal(Wire, Same(this, other).Wire, Bits));

    /// <summary>[this = c] for a public constant.</summary>
    public SecretBool EqualTo(long c) => EqualTo(Const(c));

    /// <summary>[this ≠ other].</summary>
    public SecretBool NotEqualTo(SecretInt other) => new(Builder.NotEqual(Wire, Same(this, other).Wire, Bits));

    /// <summary>[this ≠ c] for a public constant.</summary>
    public SecretBool NotEqualTo(long c) => NotEqualTo(Const(c));

    /// <summary>[this &lt; 0]: one LTZ on k bits.</summary>
    public SecretBool IsNegative() => new(Builder.LessThanZero(Wire, Bits));

    /// <summary>[this = 0]: one EQZ on k bits.</summary>
    public SecretBool IsZero() => new(Builder.EqualZero(Wire, Bits));

    /// <summary>|this| as a (k + 1)-bit integer (so that |−2^(k−1)| fits): one LTZ and one multiplication.</summary>
    public SecretInt Abs()
    {
        var b = Builder;
        var negative = b.LessThanZero(Wire, Bits);
        // (1 − 2s)·a
        var sign = b.Sub(b.Constant(BigInteger.One), b.MulConst(negative, 2));
        return new SecretInt(b.Mul(sign, Wire), Math.Min(Bits + 1, TypedLimits.MaxValueBits));
    }

    /// <summary>Exact ⌊this / 2^m⌋ (Trunc gate).</summary>
    public SecretInt ShiftRight(int m) => new(Builder.Trunc(Wire, Bits, m), Bits - m < 2 ? 2 : Bits - m);

    /// <summary>this mod 2^m ∈ [0, 2^m) (Mod2m gate).</summary>
    public SecretInt Mod2m(int m) => new(Builder.Mod2m(Wire, Bits, m), Math.Max(2, Math.Min(Bits, m + 1)));

    /// <summary>The value as fixed point in <paramref name="format"/> (x·2^f, free).</summary>
    /// <exception cref="ArgumentException">k + f exceeds the format's k.</exception>
    public SecretFixed ToFixed(FixedFormat format)
    {
        if (Bits + format.FractionBits > format.Bits)
            throw new ArgumentException($"A {Bits}-bit integer does not fit {format}: it needs k + f = {Bits + format.FractionBits} ≤ {format.Bits} bits.");
        return new SecretFixed(Builder.MulConst(Wire, BigInteger.One << format.FractionBits), format);
    }

    /// <summary>Reveals the value publicly as <paramref name="name"/>.</summary>
    public void Output(string name) => Builder.Output(name, Wire);

    /// <summary>Reveals the value to <paramref name="party"/> only.</summary>
    public void OutputTo(string party, string name) => Builder.OutputTo(party, name, Wire);

    /// <inheritdoc />
    public override string ToString() => $"int{Bits} {Wire}";

    internal SecretInt Const(BigInteger c)
    {
        CheckFits(c, Bits, "c");
        return new SecretInt(Builder.Constant(c), Bits);
    }

    internal static SecretInt Same(SecretInt a, SecretInt b)
    {
        if (!ReferenceEquals(a.Builder, b.Builder))
            throw new ArgumentException($"Secret integers {a} and {b} belong to different circuit builders.");
        if (a.Bits != b.Bits)
            throw new ArgumentException($"Secret integers of different widths: {a} has {a.Bits} bits, {b} has {b.Bits}; convert one with WithBits first.");
        return b;
    }

    private static void CheckFits(BigInteger value, int bits, string paramName)
    {
        if (value < -(BigInteger.One << (bits - 1)) || value >= BigInteger.One << (bits - 1))
            throw new ArgumentOutOfRangeException(paramName, value, $"{value} does not fit a signed {bits}-bit integer.");
    }
}
