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
            {
                var (lo, hi) = MinMax(Scalar(args[0], at), Scalar(args[1], at), at);
                return call.Name == "min" ? lo : hi;
            }
            case "min" or "max":
            {
                bool max = call.Name == "max";
                return Tree(Scalars(args[0], at), (x, y) =>
                {
                    var (lo, hi) = MinMax(x, y, at);
                    return max ? hi : lo;
                });
            }
            case "argmax" or "argmin": return ArgExtremum(Scalars(args[0], at), call.Name == "argmax", at);
            case "sort": return new ArrayValue(Sort(Scalars(args[0], at), at));
            case "abs":
            {
                var x = Scalar(args[0], at);
                if (!x.IsSecret) return Scalar<TS>.Public(x.Kind, CheckPublic(BigInteger.Abs(x.Raw), x.Kind, at));
                // |x| = x − 2x·[x < 0]: one comparison and one multiplication.
                var negative = Less(x, Scalar<TS>.Public(x.Kind, 0), x.Kind, at);
                return Sub(x, MulConst(MulRaw(negative, x, x.Kind, at), 2, x.Kind, at), x.Kind, at);
            }
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

    private Scalar<TS> ArgExtremum(Scalar<TS>[] values, bool max, SourcePosition at)
    {
        var leaves = new (Scalar<TS> Value, Scalar<TS> Index)[values.Length];
        for (int i = 0; i < values.Length; i++) leaves[i] = (values[i], Scalar<TS>.Public(Kind.Int32, i));
        // The right candidate wins only when strictly better, so ties go to the lower index.
        return Tree(leaves, (l, r) =>
        {
            var kind = Unify(l.Value.Kind, r.Value.Kind)!.Value;
            var better = max ? Less(Coerce(l.Value, kind, at), Coerce(r.Value, kind, at), kind, at) : Less(Coerce(r.Value, kind, at), Coerce(l.Value, kind, at), kind, at);
            return (Mux(better, r.Value, l.Value, at), Mux(better, r.Index, l.Index, at));
        }).Index;
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
