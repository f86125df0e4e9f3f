using System.Numerics;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// The typing rules shared by the checker (static) and the unroller (dynamic), so both agree on what an
/// operator accepts. <see cref="Kind.Number"/> is an integer literal (or a const computed from literals)
/// that adopts the numeric type of the other operand.
/// </summary>
internal static class Typing
{
    /// <summary>Scalar kinds during checking and unrolling: the language's kinds plus untyped literals.</summary>
    public enum Kind { Field, Int32, Int64, Fixed, Bool, Number, Unknown }

    /// <summary>Fractional bits of <c>fixed</c>.</summary>
    public const int FixedFractionBits = 16;

    /// <summary>Total bits of <c>fixed</c> (signed): 80-bit products keep k + κ + 1 &lt; 127.</summary>
    public const int FixedBits = 40;

    /// <summary>
    /// <c>fixed</c> as a typed-library format: k = 40 leaves every FixedMath function inside an 85-bit gate
    /// (k + κ + 1 &lt; 127 at κ = 40), with probabilistic truncation like the language's products.
    /// </summary>
    public static readonly Typed.FixedFormat LanguageFixed = new(FixedBits, FixedFractionBits);

    public static Kind Of(ScalarKind s) => s switch
    {
        ScalarKind.Field => Kind.Field,
        ScalarKind.Int32 => Kind.Int32,
        ScalarKind.Int64 => Kind.Int64,
        ScalarKind.Fixed => Kind.Fixed,
        _ => Kind.Bool,
    };

    public static string Name(Kind k) => k switch
    {
        Kind.Field => "field",
        Kind.Int32 => "int32",
        Kind.Int64 => "int64",
        Kind.Fixed => "fixed",
        Kind.Bool => "bool",
        Kind.Number => "integer literal",
        _ => "?",
    };

    /// <summary>Signed bit length k of an integer-like kind (values in [−2^(k−1), 2^(k−1))).</summary>
    public static int Bits(Kind k) => k switch
    {
        Kind.Int32 => 32,
        Kind.Int64 => 64,
        Kind.Fixed => FixedBits,
        Kind.Bool => 2,
        _ => 0,
    };

    public static bool IsNumeric(Kind k) => k is Kind.Field or Kind.Int32 or Kind.Int64 or Kind.Fixed or Kind.Number;

    public static bool IsOrdered(Kind k) => k is Kind.Int32 or Kind.Int64 or Kind.Fixed or Kind.Number;

    /// <summary>The common kind of two operands, or null when they do not mix (e.g. int32 + int64: convert explicitly).</summary>
    public static Kind? Unify(Kind a, Kind b)
    {
        if (a == Kind.Unknown || b == Kind.Unknown) return Kind.Unknown;
        if (a == b) return a;
        if (a == Kind.Number && IsNumeric(b)) return b;
        if (b == Kind.Number && IsNumeric(a)) return a;
        return null;
    }

    /// <summary>
    /// The result kind of <paramref name="op"/> on operands of kinds <paramref name="l"/> and
    /// <paramref name="r"/>, the kind both operands are converted to, or an error message.
    /// </summary>
    public static (Kind Result, Kind Operand, string? Error) Binary(TokenKind op, Kind l, Kind r)
    {
        var u = Unify(l, r);
        string sym = Symbol(op);
        if (u is null) return (Kind.Unknown, Kind.Unknown, $"operator '{sym}' cannot mix {Name(l)} and {Name(r)}; convert one side explicitly (e.g. {Name(l == Kind.Number ? r : l)}(x))");
        var k = u.Value;
        if (k == Kind.Unknown) return (k, k, null);
        switch (op)
        {
            case TokenKind.Plus or TokenKind.Minus or TokenKind.Star:
                return IsNumeric(k) ? (k, k, null) : (Kind.Unknown, k, $"operator '{sym}' needs numbers, not {Name(k)} (use && || ^ on bool)");
            case TokenKind.Slash or TokenKind.Percent:
                if (k == Kind.Field) return (Kind.Unknown, k, $"operator '{sym}' is not defined on field values (division in a prime field is not integer division)");
                if (k == Kind.Fixed && op == TokenKind.Percent) return (Kind.Unknown, k, "operator '%' is not defined on fixed");
                return IsOrdered(k) ? (k, k, null) : (Kind.Unknown, k, $"operator '{sym}' needs integers or fixed, not {Name(k)}");
            case TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual:
                if (k == Kind.Field) return (Kind.Unknown, k, "cannot compare field values: field elements have no order (use int32 or int64)");
                return IsOrdered(k) ? (Kind.Bool, k, null) : (Kind.Unknown, k, $"cannot order {Name(k)} values");
            case TokenKind.EqualEqual or TokenKind.NotEqual:
                if (k == Kind.Field) return (Kind.Unknown, k, "cannot test field values for equality securely (no bit length); use int32 or int64");
                return (Kind.Bool, k, null);
            case TokenKind.AndAnd or TokenKind.OrOr or TokenKind.Caret:
                return k == Kind.Bool ? (Kind.Bool, k, null) : (Kind.Unknown, k, $"operator '{sym}' needs bool operands, not {Name(k)}");
            default:
                return (Kind.Unknown, k, $"unknown operator '{sym}'");
        }
    }

    public static string Symbol(TokenKind op) => op switch
    {
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Percent => "%",
        TokenKind.Caret => "^",
        TokenKind.Less => "<",
        TokenKind.LessEqual => "<=",
        TokenKind.Greater => ">",
        TokenKind.GreaterEqual => ">=",
        TokenKind.EqualEqual => "==",
        TokenKind.NotEqual => "!=",
        TokenKind.AndAnd => "&&",
        TokenKind.OrOr => "||",
        TokenKind.Bang => "!",
        _ => op.ToString(),
    };

    /// <summary>⌊a / b⌋ for b ≠ 0 (BigInteger division truncates towards zero).</summary>
    public static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return !r.IsZero && (r.Sign < 0) != (b.Sign < 0) ? q - 1 : q;
    }

    /// <summary>a / b rounded to the nearest integer, ties towards +∞ (b ≠ 0).</summary>
    public static BigInteger RoundDiv(BigInteger a, BigInteger b) => FloorDiv(2 * a + b, 2 * b);

    /// <summary>Inclusive range of raw values of <paramref name="k"/> (fixed: scaled by 2^16), or null when unbounded.</summary>
    public static (BigInteger Min, BigInteger Max)? Range(Kind k)
    {
        int bits = k switch { Kind.Int32 => 32, Kind.Int64 => 64, Kind.Fixed => FixedBits, _ => 0 };
        if (bits == 0) return null;
        var half = BigInteger.One << (bits - 1);
        return (-half, half - 1);
    }

    /// <summary>The built-in functions and conversions the checker and unroller understand.</summary>
    public static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        "sum", "dot", "min", "max", "argmax", "argmin", "sort", "abs", "select", "len",
        "sqrt", "exp", "sigmoid", "recip",
        "field", "int32", "int64", "fixed", "bool",
    };
}
