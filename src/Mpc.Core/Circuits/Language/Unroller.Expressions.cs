using System.Numerics;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

internal sealed partial class Unroller<TS>
{
    private static readonly BigInteger FixedOne = BigInteger.One << FixedFractionBits;

    private Value Eval(Expr e)
    {
        switch (e)
        {
            case IntLiteral i: return Scalar<TS>.Public(Kind.Number, i.Value);
            case DecimalLiteral d:
                return Scalar<TS>.Public(Kind.Fixed, CheckPublic(RoundDiv(d.Numerator * FixedOne, BigInteger.Pow(10, d.Scale)), Kind.Fixed, d.At));
            case BoolLiteral b: return Scalar<TS>.Public(Kind.Bool, b.Value ? 1 : 0);
            case NameExpr n: return Lookup(n.Name, out _) ?? throw new CircEvaluationError(n.At, $"'{n.Name}' is not declared");
            case IndexExpr ix: return Element(Eval(ix.Target), (int)PublicIndex(ix), ix.At);
            case UnaryExpr u:
            {
                var v = (Scalar<TS>)Eval(u.Operand);
                return u.Op == TokenKind.Bang
                    ? Sub(Scalar<TS>.Public(Kind.Bool, 1), v, Kind.Bool, u.At)
                    : Sub(Scalar<TS>.Public(v.Kind, 0), v, v.Kind, u.At);
            }
            case BinaryExpr b: return Binary(b.Op, (Scalar<TS>)Eval(b.Left), (Scalar<TS>)Eval(b.Right), b.At);
            case ArrayExpr a: return new ArrayValue(a.Elements.Select(Eval).ToArray());
            case CallExpr call: return Call(call);
            default: throw new CircEvaluationError(e.At, "unknown expression");
        }
    }

    // ---- scalar arithmetic: public values are computed here, secret ones by the back end ----

    private static BigInteger CheckPublic(BigInteger v, Kind kind, SourcePosition at)
    {
        if (Range(kind) is { } r && (v < r.Min || v > r.Max))
            throw new CircEvaluationError(at, $"{Name(kind)} overflow: {Describe(v, kind)} is outside [{Describe(r.Min, kind)}, {Describe(r.Max, kind)}]");
        return v;
    }

    private static string Describe(BigInteger raw, Kind kind) =>
        kind == Kind.Fixed ? ((double)raw / (double)FixedOne).ToString("R", System.Globalization.CultureInfo.InvariantCulture) : raw.ToString();

    private TS Lift(Scalar<TS> s) => s.IsSecret ? s.Handle : _b.Constant(s.Raw);

    private Scalar<TS> Secret(Kind kind, TS handle, SourcePosition at) => Scalar<TS>.Secret(kind, _b.Check(handle, kind, at));

    private Scalar<TS> Coerce(Scalar<TS> s, Kind kind, SourcePosition at)
    {
        if (s.Kind == kind || kind == Kind.Unknown) return s;
        if (s.Kind == Kind.Number && !s.IsSecret)
            return Scalar<TS>.Public(kind, CheckPublic(kind == Kind.Fixed ? s.Raw * FixedOne : s.Raw, kind, at));
        // A secret literal-typed value, e.g. select(secret, 1, 2), adopts its context's type like a literal does.
        if (s.Kind == Kind.Number && IsNumeric(kind))
            return Secret(kind, kind == Kind.Fixed ? _b.MulConst(s.Handle, FixedOne) : s.Handle, at);
        throw new CircEvaluationError(at, $"expected {Name(kind)}, found {Name(s.Kind)}");
    }

    private Scalar<TS> Add(Scalar<TS> a, Scalar<TS> b, Kind kind, SourcePosition at)
    {
        if (!a.IsSecret && !b.IsSecret) return Scalar<TS>.Public(kind, CheckPublic(a.Raw + b.Raw, kind, at));
        if (!a.IsSecret && a.Raw.IsZero) return b;
        if (!b.IsSecret && b.Raw.IsZero) return a;
        return Secret(kind, _b.Add(Lift(a), Lift(b)), at);
    }

    private Scalar<TS> Sub(Scalar<TS> a, Scalar<TS> b, Kind kind, SourcePosition at)
    {
        if (!a.IsSecret && !b.IsSecret) return Scalar<TS>.Public(kind, CheckPublic(a.Raw - b.Raw, kind, at));
        if (!b.IsSecret && b.Raw.IsZero) return a;
        if (!a.IsSecret && a.Raw.IsZero) return Secret(kind, _b.MulConst(b.Handle, BigInteger.MinusOne), at);
        return Secret(kind, _b.Sub(Lift(a), Lift(b)), at);
    }

    /// <summary>Raw product: no fixed-point rescaling (that is the caller's business).</summary>
    private Scalar<TS> MulRaw(Scalar<TS> a, Scalar<TS> b, Kind kind, SourcePosition at)
    {
        if (!a.IsSecret && !b.IsSecret) return Scalar<TS>.Public(kind, a.Raw * b.Raw);
        if (!a.IsSecret) return MulConst(b, a.Raw, kind, at);
        if (!b.IsSecret) return MulConst(a, b.Raw, kind, at);
        return Scalar<TS>.Secret(kind, _b.Mul(a.Handle, b.Handle));
    }

    private Scalar<TS> MulConst(Scalar<TS> a, BigInteger c, Kind kind, SourcePosition at)
    {
        if (!a.IsSecret) return Scalar<TS>.Public(kind, a.Raw * c);
        if (c.IsZero) return Scalar<TS>.Public(kind, 0);
        if (c.IsOne) return a;
        return Scalar<TS>.Secret(kind, _b.MulConst(a.Handle, c));
    }

    private Scalar<TS> Mul(Scalar<TS> a, Scalar<TS> b, Kind kind, SourcePosition at)
    {
        if (kind != Kind.Fixed)
        {
            var p = MulRaw(a, b, kind, at);
            return p.IsSecret ? Secret(kind, p.Handle, at) : Scalar<TS>.Public(kind, CheckPublic(p.Raw, kind, at));
        }
        // A public factor that is a whole number needs no rescaling.
        if (!a.IsSecret && b.IsSecret && (a.Raw % FixedOne).IsZero) return Secret(kind, MulConst(b, a.Raw / FixedOne, kind, at).Handle, at);
        if (!b.IsSecret && a.IsSecret && (b.Raw % FixedOne).IsZero) return Secret(kind, MulConst(a, b.Raw / FixedOne, kind, at).Handle, at);
        return Rescale(MulRaw(a, b, kind, at), at);
    }

    // Fixed-point product (2·16 fractional bits) back to 16: the typed library's truncation under MPC, floor in public.
    private Scalar<TS> Rescale(Scalar<TS> product, SourcePosition at)
    {
        if (!product.IsSecret) return Scalar<TS>.Public(Kind.Fixed, CheckPublic(FloorDiv(product.Raw, FixedOne), Kind.Fixed, at));
        return Secret(Kind.Fixed, _b.FixedRescale(product.Handle), at);
    }

    private Scalar<TS> Divide(Scalar<TS> a, Scalar<TS> b, Kind kind, SourcePosition at)
    {
        if (b.IsSecret)
        {
            // A secret divisor: IntegerDivision (int32) or FixedMath.Divide (fixed); a public dividend becomes a constant.
            return kind == Kind.Fixed
                ? Secret(kind, _b.Fixed(FixedFunction.Divide, Lift(a), b.Handle, at), at)
                : Secret(kind, _b.DivideFloor(Lift(a), b.Handle, kind, at), at);
        }
        if (b.Raw.IsZero) throw new CircEvaluationError(at, "division by zero");
        if (kind == Kind.Fixed)
        {
            // x / c = x · (1/c): the public reciprocal rounded to 16 fractional bits, as in MPC.
            var reciprocal = RoundDiv(FixedOne * FixedOne, b.Raw);
            if (!a.IsSecret && (a.Raw * FixedOne % b.Raw).IsZero) return Scalar<TS>.Public(kind, CheckPublic(a.Raw * FixedOne / b.Raw, kind, at));
            return Rescale(MulRaw(a, Scalar<TS>.Public(kind, reciprocal), kind, at), at);
        }
        if (!a.IsSecret) return Scalar<TS>.Public(kind, CheckPublic(FloorDiv(a.Raw, b.Raw), kind, at));
        // ⌊a / d⌋ = ⌊−a / −d⌋; −a may be 2^(k−1), one past the type's range, so it is not range-checked and gets one more bit.
        bool negative = b.Raw.Sign < 0;
        var numerator = negative ? _b.MulConst(a.Handle, BigInteger.MinusOne) : a.Handle;
        int bits = Bits(kind) + (negative ? 1 : 0);
        var d = BigInteger.Abs(b.Raw);
        if (d.IsOne) return Secret(kind, numerator, at);
        if (d.IsPowerOfTwo) return Secret(kind, _b.Trunc(numerator, bits, (int)(d.GetBitLength() - 1)), at);
        if (kind != Kind.Int32)
            throw new CircEvaluationError(at, $"{Name(kind)} division is only supported by public powers of two (int32 divides by any public constant)");
        // y = a + B with B a multiple of d above 2^31 makes y non-negative and below 2^33 (|a| ≤ 2^31, d ≤ 2^31);
        // ⌊a/d⌋ = ⌊y/d⌋ − B/d, and ⌊y/d⌋ is IntegerDivision's one-truncation division by a constant.
        var offset = d * ((BigInteger.One << 31) / d + 1);
        var y = _b.Add(numerator, _b.Constant(offset));
        return Secret(kind, _b.Sub(_b.FloorByConstant(y, 33, d), _b.Constant(offset / d)), at);
    }

    private Scalar<TS> Less(Scalar<TS> a, Scalar<TS> b, Kind operand, SourcePosition at)
    {
        if (!a.IsSecret && !b.IsSecret) return Scalar<TS>.Public(Kind.Bool, a.Raw < b.Raw ? 1 : 0);
        (a, b, operand) = AsInt32IfLiteral(a, b, operand, at);
        var d = Lift(Sub(a, b, Kind.Unknown, at));
        return Scalar<TS>.Secret(Kind.Bool, _b.LessThanZero(d, Bits(operand) + 1));
    }

    private Scalar<TS> Equal(Scalar<TS> a, Scalar<TS> b, Kind operand, SourcePosition at)
    {
        if (!a.IsSecret && !b.IsSecret) return Scalar<TS>.Public(Kind.Bool, a.Raw == b.Raw ? 1 : 0);
        if (operand == Kind.Bool) return Not(Xor(a, b, at), at);
        (a, b, operand) = AsInt32IfLiteral(a, b, operand, at);
        var d = Lift(Sub(a, b, Kind.Unknown, at));
        return Scalar<TS>.Secret(Kind.Bool, _b.EqualZero(d, Bits(operand) + 1));
    }

    /// <summary>
    /// A secret literal-typed value (<c>select(c, 1, 5)</c>) has no bit length of its own; where one is needed
    /// (comparison, equality, division) it is an int32, range-checked like one.
    /// </summary>
    private (Scalar<TS> A, Scalar<TS> B, Kind Operand) AsInt32IfLiteral(Scalar<TS> a, Scalar<TS> b, Kind operand, SourcePosition at) =>
        operand == Kind.Number ? (Coerce(a, Kind.Int32, at), Coerce(b, Kind.Int32, at), Kind.Int32) : (a, b, operand);

    private Scalar<TS> Not(Scalar<TS> a, SourcePosition at) => Sub(Scalar<TS>.Public(Kind.Bool, 1), a, Kind.Bool, at);

    private Scalar<TS> Xor(Scalar<TS> a, Scalar<TS> b, SourcePosition at) =>
        Sub(Add(a, b, Kind.Unknown, at), MulConst(MulRaw(a, b, Kind.Bool, at), 2, Kind.Bool, at), Kind.Bool, at);

    private Scalar<TS> Binary(TokenKind op, Scalar<TS> l, Scalar<TS> r, SourcePosition at)
    {
        var (result, operand, error) = Typing.Binary(op, l.Kind, r.Kind);
        if (error is not null) throw new CircEvaluationError(at, error);
        l = Coerce(l, operand, at);
        r = Coerce(r, operand, at);
        if (op is TokenKind.Slash or TokenKind.Percent && (l.IsSecret || r.IsSecret))
        {
            (l, r, operand) = AsInt32IfLiteral(l, r, operand, at);
            result = operand;
        }
        switch (op)
        {
            case TokenKind.Plus: return Add(l, r, result, at);
            case TokenKind.Minus: return Sub(l, r, result, at);
            case TokenKind.Star: return Mul(l, r, result, at);
            case TokenKind.Slash: return Divide(l, r, result, at);
            case TokenKind.Percent:
            {
                if (!l.IsSecret && !r.IsSecret && !r.Raw.IsZero) return Scalar<TS>.Public(result, l.Raw - r.Raw * FloorDiv(l.Raw, r.Raw));
                var q = Divide(l, r, result, at);
                // q·d may leave the type's range (int32.MinValue % int32.MaxValue) while the remainder does not: unchecked.
                return Sub(l, r.IsSecret ? MulRaw(q, r, result, at) : MulConst(q, r.Raw, result, at), result, at);
            }
            case TokenKind.Less: return Less(l, r, operand, at);
            case TokenKind.Greater: return Less(r, l, operand, at);
            case TokenKind.LessEqual: return Not(Less(r, l, operand, at), at);
            case TokenKind.GreaterEqual: return Not(Less(l, r, operand, at), at);
            case TokenKind.EqualEqual: return Equal(l, r, operand, at);
            case TokenKind.NotEqual: return Not(Equal(l, r, operand, at), at);
            case TokenKind.AndAnd: return MulRaw(l, r, Kind.Bool, at);
            case TokenKind.OrOr: return Sub(Add(l, r, Kind.Unknown, at), MulRaw(l, r, Kind.Bool, at), Kind.Bool, at);
            case TokenKind.Caret: return Xor(l, r, at);
            default: throw new CircEvaluationError(at, $"unknown operator {op}");
        }
    }

    /// <summary><c>c ? a : b</c> = b + c·(a − b): one multiplication, none when c is public or both branches are.</summary>
    private Scalar<TS> Mux(Scalar<TS> c, Scalar<TS> a, Scalar<TS> b, SourcePosition at)
    {
        var kind = Unify(a.Kind, b.Kind) ?? throw new CircEvaluationError(at, $"cannot select between {Name(a.Kind)} and {Name(b.Kind)}");
        a = Coerce(a, kind, at);
        b = Coerce(b, kind, at);
        if (!c.IsSecret) return c.Raw.IsZero ? b : a;
        if (ReferenceEquals(a, b) || (!a.IsSecret && !b.IsSecret && a.Raw == b.Raw)) return a;
        if (a.IsSecret || b.IsSecret) return Secret(kind, _b.Select(c.Handle, Lift(a), Lift(b)), at);
        // Two public branches: b + c·(a − b) is a multiplication by a constant, free.
        var pick = MulConst(c, a.Raw - b.Raw, kind, at);
        return Retag(Add(b, pick, Kind.Unknown, at), kind);
    }

    private static Scalar<TS> Retag(Scalar<TS> s, Kind kind) => s.Kind == kind ? s : s.IsSecret ? Scalar<TS>.Secret(kind, s.Handle) : Scalar<TS>.Public(kind, s.Raw);
}
