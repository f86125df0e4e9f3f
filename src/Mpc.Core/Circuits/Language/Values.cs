using System.Numerics;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

/// <summary>A value during unrolling: a scalar (public, or secret in the back end's representation) or an array.</summary>
internal abstract class Value;

/// <summary>
/// An immutable scalar. Public scalars carry their raw value (fixed: scaled by 2^16; bool: 0/1) and are
/// computed by the unroller itself; secret scalars carry the back end's handle (an IR wire, or the clear
/// value in the interpreter).
/// </summary>
internal sealed class Scalar<TS>(Kind kind, bool secret, BigInteger raw, TS handle) : Value
{
    public Kind Kind { get; } = kind;

    public bool IsSecret { get; } = secret;

    /// <summary>The value when public.</summary>
    public BigInteger Raw { get; } = raw;

    /// <summary>The back end's handle when secret.</summary>
    public TS Handle { get; } = handle;

    public static Scalar<TS> Public(Kind kind, BigInteger raw) => new(kind, false, raw, default!);

    public static Scalar<TS> Secret(Kind kind, TS handle) => new(kind, true, BigInteger.Zero, handle);
}

/// <summary>A fixed-size array; assignments copy it (value semantics), elements are shared immutable scalars.</summary>
internal sealed class ArrayValue(Value[] items) : Value
{
    public Value[] Items { get; } = items;

    public ArrayValue Clone()
    {
        var copy = new Value[Items.Length];
        for (int i = 0; i < copy.Length; i++) copy[i] = Items[i] is ArrayValue a ? a.Clone() : Items[i];
        return new ArrayValue(copy);
    }

    public static Value Copy(Value v) => v is ArrayValue a ? a.Clone() : v;
}

/// <summary>
/// What the unroller needs of a back end for secret values: the linear operations, multiplication and
/// the integer protocols of <c>Protocols/Integers</c>, all on signed encodings.
/// </summary>
/// <typeparam name="TS">The representation of a secret scalar.</typeparam>
internal interface ISecretBackend<TS>
{
    TS Input(string name, string owner);

    TS Constant(BigInteger value);

    TS Add(TS a, TS b);

    TS Sub(TS a, TS b);

    TS MulConst(TS a, BigInteger c);

    TS Mul(TS a, TS b);

    /// <summary>[a &lt; 0] for a signed <paramref name="bits"/>-bit a.</summary>
    TS LessThanZero(TS a, int bits);

    /// <summary>[a = 0] for a signed <paramref name="bits"/>-bit a.</summary>
    TS EqualZero(TS a, int bits);

    /// <summary>⌊a / 2^shift⌋, exact.</summary>
    TS Trunc(TS a, int bits, int shift);

    /// <summary><c>c ? a : b</c> for a secret bit c.</summary>
    TS Select(TS c, TS a, TS b);

    /// <summary>|a| for a signed value of <paramref name="kind"/> (int32, int64 or fixed).</summary>
    TS Abs(TS a, Kind kind);

    /// <summary>The largest (or smallest) of signed <paramref name="kind"/> values and its index, ties to the lower index.</summary>
    (TS Value, TS Index) Extremum(TS[] values, Kind kind, bool max);

    /// <summary>A fixed-point product of raw values (2·16 fractional bits) truncated back to 16.</summary>
    TS FixedRescale(TS product);

    /// <summary>⌊y / d⌋ for a public d ≥ 1 and 0 ≤ y &lt; 2^bits (IntegerDivision's constant division).</summary>
    TS FloorByConstant(TS y, int bits, BigInteger d);

    /// <summary>⌊a / b⌋ for secret int32 a and b (b ≠ 0).</summary>
    TS DivideFloor(TS a, TS b, Kind kind, SourcePosition at);

    /// <summary>A fixed-point function of a secret <c>fixed</c> (or a quotient of two: <paramref name="y"/> is the divisor).</summary>
    TS Fixed(FixedFunction function, TS x, TS y, SourcePosition at);

    /// <summary>Called after every operation producing a value of <paramref name="kind"/>: the interpreter checks the range here.</summary>
    TS Check(TS value, Kind kind, SourcePosition at);

    void Output(string name, string? party, TS value);
}

/// <summary>The <c>fixed</c> functions that lower to <see cref="Typed.FixedMath"/>.</summary>
internal enum FixedFunction { Sqrt, Exp, Sigmoid, Recip, Divide }
