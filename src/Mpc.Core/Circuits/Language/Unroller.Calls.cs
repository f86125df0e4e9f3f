using System.Numerics;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

internal sealed partial class Unroller<TS>
{
    private readonly Stack<string> _calling = new();

    private Value Call(CallExpr call)
    {
        var args = call.Arguments.Select(Eval).ToList();
        if (_program.Functions.TryGetValue(call.Name, out var f)) return UserCall(call, f, args);
        var at = call.At;
        switch (call.Name)
        {
            case "int32": return Convert(Scalar(args[0], at), Kind.Int32, at);
            case "int64": return Convert(Scalar(args[0], at), Kind.Int64, at);
            case "fixed": return Convert(Scalar(args[0], at), Kind.Fixed, at);
            case "field": return Convert(Scalar(args[0], at), Kind.Field, at);
            case "len": return Scalar<TS>.Public(Kind.Int32, Array(args[0], at).Length);
            case "sum":
            {
                var items = Scalars(args[0], at);
                return Tree(items, (x, y) => Add(x, y, Unify(x.Kind, y.Kind) ?? Kind.Unknown, at));
            }
            case "dot":
            {
                var u = Scalars(args[0], at);
                var v = Scalars(args[1], at);
                if (u.Length != v.Length) throw new CircEvaluationError(at, $"dot of arrays of different lengths ({u.Length} and {v.Length})");
                var kind = Unify(u[0].Kind, v[0].Kind)!.Value;
                var products = new Scalar<TS>[u.Length];
                for (int i = 0; i < u.Length; i++) products[i] = Mul(Coerce(u[i], kind, at), Coerce(v[i], kind, at), kind, at);
                return Tree(products, (x, y) => Add(x, y, kind, at));
            }
            case "min" or "max" when args.Count == 2:
                return Extremum([Scalar(args[0], at), Scalar(args[1], at)], call.Name == "max", at).Value;
            case "min" or "max": return Extremum(Scalars(args[0], at), call.Name == "max", at).Value;
            case "argmax" or "argmin": return Extremum(Scalars(args[0], at), call.Name == "argmax", at).Index;
            case "sort": return new ArrayValue(Sort(Scalars(args[0], at), at));
            case "abs":
            {
                var x = Scalar(args[0], at);
                if (!x.IsSecret) return Scalar<TS>.Public(x.Kind, CheckPublic(BigInteger.Abs(x.Raw), x.Kind, at));
                // |x| = (1 − 2·[x < 0])·x: one comparison and one multiplication (SecretInt.Abs, FixedMath.Abs).
                return Secret(x.Kind, _b.Abs(x.Handle, x.Kind == Kind.Number ? Kind.Int32 : x.Kind), at); // a secret literal-typed value is an int32
            }
            case "sqrt": return FixedCall(FixedFunction.Sqrt, Scalar(args[0], at), at);
            case "exp": return FixedCall(FixedFunction.Exp, Scalar(args[0], at), at);
            case "sigmoid": return FixedCall(FixedFunction.Sigmoid, Scalar(args[0], at), at);
            case "recip": return FixedCall(FixedFunction.Recip, Scalar(args[0], at), at);
            case "select": return Select(Scalar(args[0], at), args[1], args[2], at);
            default: throw new CircEvaluationError(at, $"unknown function '{call.Name}'");
        }
    }

    private static Scalar<TS> Scalar(Value v, SourcePosition at) =>
        v as Scalar<TS> ?? throw new CircEvaluationError(at, "expected a scalar, found an array");

    private static Value[] Array(Value v, SourcePosition at) =>
        (v as ArrayValue)?.Items ?? throw new CircEvaluationError(at, "expected an array, found a scalar");

    private static Scalar<TS>[] Scalars(Value v, SourcePosition at)
    {
        var items = Array(v, at);
        var result = new Scalar<TS>[items.Length];
        for (int i = 0; i < items.Length; i++) result[i] = Scalar(items[i], at);
        return result;
    }

    private Value Select(Scalar<TS> c, Value a, Value b, SourcePosition at)
    {
        if (a is ArrayValue aa && b is ArrayValue ba)
        {
            if (aa.Items.Length != ba.Items.Length)
                throw new CircEvaluationError(at, $"select between arrays of different lengths ({aa.Items.Length} and {ba.Items.Length})");
            var items = new Value[aa.Items.Length];
            for (int i = 0; i < items.Length; i++) items[i] = Select(c, aa.Items[i], ba.Items[i], at);
            return new ArrayValue(items);
        }
        return Mux(c, Scalar(a, at), Scalar(b, at), at);
    }

    private Scalar<TS> Convert(Scalar<TS> x, Kind target, SourcePosition at)
    {
        var from = x.Kind == Kind.Number ? Kind.Int64 : x.Kind;
        if (from == target) return Retag(x, target);
        if (from == Kind.Fixed && target != Kind.Field)
        {
            // fixed → integer rounds towards −∞: an exact truncation by the fractional bits.
            if (!x.IsSecret) return Scalar<TS>.Public(target, CheckPublic(FloorDiv(x.Raw, FixedOne), target, at));
            return Secret(target, _b.Trunc(x.Handle, FixedBits, FixedFractionBits), at);
        }
        var scale = target == Kind.Fixed ? FixedOne : BigInteger.One;
        var scaled = MulConst(x, scale, target, at);
        return scaled.IsSecret ? Secret(target, scaled.Handle, at) : Scalar<TS>.Public(target, CheckPublic(scaled.Raw, target, at));
    }

    /// <summary>(min, max) with one comparison and one multiplication: min = b + [a &lt; b]·(a − b), max = a + b − min.</summary>
    private (Scalar<TS> Min, Scalar<TS> Max) MinMax(Scalar<TS> a, Scalar<TS> b, SourcePosition at)
    {
        var (_, kind, error) = Typing.Binary(TokenKind.Less, a.Kind, b.Kind);
        if (error is not null) throw new CircEvaluationError(at, error);
        a = Coerce(a, kind, at);
        b = Coerce(b, kind, at);
        var lo = Mux(Less(a, b, kind, at), a, b, at);
        var hi = Sub(Add(a, b, Kind.Unknown, at), lo, kind, at);
        return (lo, hi);
    }

    /// <summary>
    /// A fixed-point function: FixedMath under MPC, the exact rounded result in the interpreter (docs/language.md gives the
    /// bound between the two). A public argument is computed here with the interpreter's semantics, so it costs nothing.
    /// </summary>
    private Scalar<TS> FixedCall(FixedFunction function, Scalar<TS> x, SourcePosition at)
    {
        x = Coerce(x, Kind.Fixed, at);
        if (!x.IsSecret)
            return Scalar<TS>.Public(Kind.Fixed, CheckPublic(PlaintextBackend.Exact(function, x.Raw, 0, at), Kind.Fixed, at));
        return Secret(Kind.Fixed, _b.Fixed(function, x.Handle, default!, at), at);
    }

    /// <summary>
    /// The largest (or smallest) value and its index, ties to the lower index: SecretMath's balanced tree (⌈log2 N⌉
    /// comparison depths) under MPC; public when every value is.
    /// </summary>
    private (Scalar<TS> Value, Scalar<TS> Index) Extremum(Scalar<TS>[] values, bool max, SourcePosition at)
    {
        var kind = Kind.Number;
        foreach (var v in values)
            kind = Unify(kind, v.Kind) ?? throw new CircEvaluationError(at, $"cannot compare {Name(kind)} and {Name(v.Kind)}");
        var (_, operand, error) = Typing.Binary(TokenKind.Less, kind, kind);
        if (error is not null) throw new CircEvaluationError(at, error);
        var items = new Scalar<TS>[values.Length];
        bool secret = false;
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = Coerce(values[i], operand, at);
            secret |= items[i].IsSecret;
        }
        if (!secret)
        {
            int best = 0;
            for (int i = 1; i < items.Length; i++)
                if (max ? items[i].Raw > items[best].Raw : items[i].Raw < items[best].Raw) best = i;
            return (items[best], Scalar<TS>.Public(Kind.Int32, best));
        }
        var handles = new TS[items.Length];
        for (int i = 0; i < handles.Length; i++) handles[i] = Lift(items[i]);
        var (value, index) = _b.Extremum(handles, operand == Kind.Number ? Kind.Int32 : operand, max);
        return (Secret(operand, value, at), Secret(Kind.Int32, index, at));
    }

    /// <summary>Reduces in a balanced binary tree, so a chain of comparisons has depth ⌈log2 N⌉, not N − 1.</summary>
    private static T Tree<T>(T[] items, Func<T, T, T> combine)
    {
        if (items.Length == 0) throw new InvalidOperationException("reduction of an empty array");
        var level = items;
        while (level.Length > 1)
        {
            var next = new T[(level.Length + 1) / 2];
            for (int i = 0; i < level.Length / 2; i++) next[i] = combine(level[2 * i], level[2 * i + 1]);
            if (level.Length % 2 == 1) next[^1] = level[^1];
            level = next;
        }
        return level[0];
    }

    /// <summary>
    /// Batcher's merge-exchange sort (Knuth, TAOCP vol. 3, §5.2.2, Algorithm M): a data-independent network
    /// for any N whose comparators within one pass are independent, so each pass is one comparison depth.
    /// </summary>
    private Scalar<TS>[] Sort(Scalar<TS>[] input, SourcePosition at)
    {
        var a = (Scalar<TS>[])input.Clone();
        int n = a.Length;
        if (n < 2) return a;
        int t = 0;
        while ((1 << t) < n) t++;
        for (int p = 1 << (t - 1); p > 0; p >>= 1)
        {
            int q = 1 << (t - 1), r = 0, d = p;
            while (true)
            {
                for (int i = 0; i < n - d; i++)
                    if ((i & p) == r)
                    {
                        var (lo, hi) = MinMax(a[i], a[i + d], at);
                        a[i] = lo;
                        a[i + d] = hi;
                    }
                if (q == p) break;
                d = q - p;
                q >>= 1;
                r = p;
            }
        }
        return a;
    }

    private Value UserCall(CallExpr call, FunctionDecl f, List<Value> args)
    {
        if (_calling.Contains(f.Name)) throw new CircEvaluationError(call.At, $"function '{f.Name}' calls itself");
        if (args.Count != f.Parameters.Length)
            throw new CircEvaluationError(call.At, $"function '{f.Name}' takes {f.Parameters.Length} argument(s), not {args.Count}");
        var local = new Dictionary<string, Value>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
            local[f.Parameters[i].Name] = ArrayValue.Copy(Conform(args[i], f.Parameters[i].Type, call.Arguments[i].At, broadcast: false));
        var saved = _scopes;
        _scopes = [new Dictionary<string, Value>(_consts, StringComparer.Ordinal), local];
        _calling.Push(f.Name);
        try
        {
            for (int i = 0; i < f.Body.Length - 1; i++) Exec(f.Body[i]);
            if (f.Body.Length == 0 || f.Body[^1] is not ReturnStmt ret)
                throw new CircEvaluationError(f.At, $"function '{f.Name}' must end with return");
            return Conform(Eval(ret.Value), f.ReturnType, ret.Value.At, broadcast: false);
        }
        finally
        {
            _calling.Pop();
            _scopes = saved;
        }
    }
}
