using System.Collections.Immutable;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// Static checks before unrolling: names, scalar kinds, array ranks, secret versus public (indices, loop
/// bounds, public-only contexts), function calls and the ownership of inputs and outputs. It keeps going
/// after an error (an erroneous expression gets kind Unknown, which matches anything) so one run reports
/// every independent error. Array sizes and index bounds need the unrolled values and are checked by
/// <see cref="Unroller{TS}"/>.
/// </summary>
internal sealed class TypeChecker
{
    /// <summary>A static type: scalar kind, secrecy and array rank.</summary>
    public readonly record struct CType(Kind Kind, bool Secret, int Rank)
    {
        public static readonly CType Unknown = new(Kind.Unknown, false, 0);

        public override string ToString() =>
            (Secret ? "secret " : "public ") + Name(Kind) + string.Concat(Enumerable.Repeat("[]", Rank));
    }

    private readonly ProgramSyntax _program;
    private readonly DiagnosticBag _d;
    private readonly List<Dictionary<string, CType>> _scopes = [];
    private readonly Dictionary<string, CType> _consts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ambiguous = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), CType> _checkedCalls = [];
    private readonly Stack<string> _calling = new();
    private int _secretIf;

    private TypeChecker(ProgramSyntax program, DiagnosticBag diagnostics)
    {
        _program = program;
        _d = diagnostics;
    }

    public static void Check(ProgramSyntax program, DiagnosticBag diagnostics)
    {
        var checker = new TypeChecker(program, diagnostics);
        checker._scopes.Add(new Dictionary<string, CType>(StringComparer.Ordinal));
        foreach (var s in program.Statements) checker.TopLevel(s);
        // A function nobody calls is still checked (with secret arguments), so its errors are not hidden.
        foreach (var f in program.Functions.Values.OrderBy(f => f.At.Line))
            if (!checker._checkedCalls.Keys.Any(k => k.Item1 == f.Name))
                checker.UserCall(new CallExpr(f.Name, [], f.At), f,
                    f.Parameters.Select(p => new CType(Of(p.Type.Scalar), true, p.Type.Dimensions.Length)).ToList());
        if (checker._outputs.Count == 0 && !diagnostics.HasErrors)
            diagnostics.Error(new SourcePosition(1, 1), "the program has no outputs (declare at least one: output name = expression;)");
    }

    private void TopLevel(Stmt s)
    {
        switch (s)
        {
            case ConstDecl c:
            {
                var t = Expr(c.Value);
                if (t.Secret) _d.Error(c.Value.At, $"const '{c.Name}' must be computed from public values only");
                if (!Declare(c.Name, c.At)) break;
                _consts[c.Name] = t with { Secret = false };
                _scopes[0][c.Name] = t with { Secret = false };
                break;
            }
            case InputDecl input:
            {
                if (input.PartyCount is not null) PublicInteger(input.PartyCount, "the number of parties");
                foreach (var dim in input.Type.Dimensions) PublicInteger(dim, "an array size");
                var type = new CType(Of(input.Type.Scalar), true, input.Type.Dimensions.Length + (input.PartyCount is null ? 0 : 1));
                string qualified = input.Owner + "." + input.Name;
                if (!_inputs.Add(qualified)) _d.Error(input.At, $"input '{qualified}' is declared twice");
                else
                {
                    _scopes[0][qualified] = type;
                    // The bare name works while only one party uses it; then party.name is needed.
                    if (_ambiguous.Contains(input.Name)) { }
                    else if (_inputs.Any(i => i != qualified && i.EndsWith("." + input.Name, StringComparison.Ordinal)))
                    {
                        _ambiguous.Add(input.Name);
                        _scopes[0].Remove(input.Name);
                    }
                    else if (Declare(input.Name, input.At))
                    {
                        _inputs.Add(input.Name);
                        _scopes[0][input.Name] = type;
                    }
                }
                break;
            }
            case PartyDecl: break;
            case OutputDecl output:
            {
                Expr(output.Value);
                if (!_outputs.Add(output.Name)) _d.Error(output.At, $"output '{output.Name}' is declared twice");
                break;
            }
            default:
                Statement(s, inFunction: false);
                break;
        }
    }

    private bool Declare(string name, SourcePosition at)
    {
        if (Builtins.Contains(name) || _program.Functions.ContainsKey(name))
        {
            _d.Error(at, $"'{name}' is the name of a function");
            return false;
        }
        if (Lookup(name) is not null && _scopes.Count == 1)
        {
            _d.Error(at, $"'{name}' is already declared");
            return false;
        }
        return true;
    }

    private CType? Lookup(string name)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].TryGetValue(name, out var t)) return t;
        return null;
    }

    private void SetVariable(string name, CType t)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].ContainsKey(name))
            {
                _scopes[i][name] = t;
                return;
            }
    }

    private void PublicInteger(Expr e, string what)
    {
        var t = Expr(e);
        if (t.Kind == Kind.Unknown) return;
        if (t.Secret) _d.Error(e.At, $"{what} must be public (known when the program is compiled), but this value is secret");
        else if (t.Rank != 0 || t.Kind is not (Kind.Number or Kind.Int32 or Kind.Int64)) _d.Error(e.At, $"{what} must be an integer, not {t}");
    }

    private void Block(ImmutableArray<Stmt> body, bool inFunction)
    {
        _scopes.Add(new Dictionary<string, CType>(StringComparer.Ordinal));
        foreach (var s in body) Statement(s, inFunction);
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    private void Statement(Stmt s, bool inFunction)
    {
        switch (s)
        {
            case LetStmt let:
            {
                var t = Expr(let.Value);
                if (let.Type is not null)
                {
                    foreach (var dim in let.Type.Dimensions) PublicInteger(dim, "an array size");
                    var declared = new CType(Of(let.Type.Scalar), t.Secret, let.Type.Dimensions.Length);
                    bool broadcast = t.Rank == 0 && declared.Rank > 0 && !t.Secret;
                    if (t.Kind != Kind.Unknown && (Unify(declared.Kind, t.Kind) != declared.Kind || (t.Rank != declared.Rank && !broadcast)))
                        _d.Error(let.Value.At, $"cannot initialise '{let.Name}' of type {Name(declared.Kind)}{Dims(declared.Rank)} with {t}");
                    t = declared;
                }
                else if (t.Kind == Kind.Number) t = t with { Kind = Kind.Int32 };
                if (Builtins.Contains(let.Name) || _program.Functions.ContainsKey(let.Name))
                    _d.Error(let.At, $"'{let.Name}' is the name of a function");
                else if (_scopes[^1].ContainsKey(let.Name))
                    _d.Error(let.At, $"'{let.Name}' is already declared in this block (assign it with {let.Name} = …;)");
                _scopes[^1][let.Name] = t;
                break;
            }
            case AssignStmt assign:
            {
                var value = Expr(assign.Value);
                Expr root = assign.Target;
                int indices = 0;
                while (root is IndexExpr ix)
                {
                    IndexOf(ix);
                    root = ix.Target;
                    indices++;
                }
                if (root is not NameExpr name) break;
                var current = Lookup(name.Name);
                if (current is null)
                {
                    _d.Error(name.At, $"'{name.Name}' is not declared (use let {name.Name} = …;)");
                    break;
                }
                int scope = _scopes.FindLastIndex(d => d.ContainsKey(name.Name));
                if (scope == 0 && (_consts.ContainsKey(name.Name) || _inputs.Contains(name.Name)))
                {
                    _d.Error(name.At, $"'{name.Name}' is {(_consts.ContainsKey(name.Name) ? "a const" : "an input")} and cannot be assigned (copy it: let v = {name.Name};)");
                    break;
                }
                var c = current.Value;
                int rank = c.Rank - indices;
                if (rank < 0) _d.Error(assign.Target.At, $"'{name.Name}' has {c.Rank} dimension(s) but is indexed {indices} time(s)");
                else if (value.Kind != Kind.Unknown && c.Kind != Kind.Unknown && (Unify(c.Kind, value.Kind) != c.Kind || value.Rank != rank))
                    _d.Error(assign.Value.At, $"cannot assign {value} to '{name.Name}' of type {Name(c.Kind)}{Dims(rank)}");
                if (value.Secret || _secretIf > 0) SetVariable(name.Name, c with { Secret = true });
                break;
            }
            case ForStmt loop:
            {
                PublicInteger(loop.From, "a loop bound");
                PublicInteger(loop.To, "a loop bound");
                // Secrecy only grows: a second pass sees variables that became secret in the first.
                var before = Snapshot();
                LoopBody(loop, inFunction);
                if (!Snapshot().SequenceEqual(before)) LoopBody(loop, inFunction);
                break;
            }
            case IfStmt branch:
            {
                var c = Expr(branch.Condition);
                if (c.Kind != Kind.Unknown && (c.Kind != Kind.Bool || c.Rank != 0))
                    _d.Error(branch.Condition.At, $"an if condition must be a bool, not {c}");
                if (c.Secret) _secretIf++;
                Block(branch.Then, inFunction);
                Block(branch.Else, inFunction);
                if (c.Secret) _secretIf--;
                break;
            }
            case ReturnStmt ret:
                if (!inFunction) _d.Error(ret.At, "return outside a function");
                else _d.Error(ret.At, "return must be the last statement of a function body (not inside if or for)");
                Expr(ret.Value);
                break;
            case ExprStmt e:
                Expr(e.Value);
                _d.Error(e.At, "this expression's value is not used (assign it with let, or output it)");
                break;
            case InputDecl or OutputDecl or ConstDecl or FunctionDecl or PartyDecl:
                _d.Error(s.At, "declarations (input, output, party, const, fn) are only allowed at the top level");
                break;
        }
    }

    private void LoopBody(ForStmt loop, bool inFunction)
    {
        _scopes.Add(new Dictionary<string, CType>(StringComparer.Ordinal) { [loop.Variable] = new CType(Kind.Int32, false, 0) });
        Block(loop.Body, inFunction);
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    private List<bool> Snapshot() => _scopes.SelectMany(s => s.Values.Select(v => v.Secret)).ToList();

    private static string Dims(int rank) => string.Concat(Enumerable.Repeat("[]", rank));

    private CType IndexOf(IndexExpr ix)
    {
        var target = Expr(ix.Target);
        var index = Expr(ix.Index);
        if (index.Kind != Kind.Unknown)
        {
            if (index.Secret) _d.Error(ix.Index.At, "an array index must be public (a secret index would reveal which element is read; loop over the array with select instead)");
            else if (index.Rank != 0 || index.Kind is not (Kind.Number or Kind.Int32 or Kind.Int64)) _d.Error(ix.Index.At, $"an array index must be an integer, not {index}");
        }
        if (target.Kind == Kind.Unknown) return CType.Unknown;
        if (target.Rank == 0)
        {
            _d.Error(ix.At, $"cannot index a scalar ({target})");
            return CType.Unknown;
        }
        return target with { Rank = target.Rank - 1 };
    }

    private CType Expr(Expr e)
    {
        switch (e)
        {
            case IntLiteral: return new CType(Kind.Number, false, 0);
            case DecimalLiteral: return new CType(Kind.Fixed, false, 0);
            case BoolLiteral: return new CType(Kind.Bool, false, 0);
            case NameExpr n:
            {
                var t = Lookup(n.Name);
                if (t is not null) return t.Value;
                _d.Error(n.At, _program.Functions.ContainsKey(n.Name) || Builtins.Contains(n.Name)
                    ? $"'{n.Name}' is a function; call it with {n.Name}(…)"
                    : _ambiguous.Contains(n.Name)
                        ? $"'{n.Name}' is ambiguous: several parties have an input '{n.Name}'; write party.{n.Name} (e.g. {_inputs.First(i => i.EndsWith("." + n.Name, StringComparison.Ordinal))})"
                        : $"'{n.Name}' is not declared");
                return CType.Unknown;
            }
            case IndexExpr ix: return IndexOf(ix);
            case UnaryExpr u:
            {
                var t = Expr(u.Operand);
                if (t.Kind == Kind.Unknown) return t;
                if (t.Rank != 0) _d.Error(u.At, $"operator '{Symbol(u.Op)}' applies to scalars, not {t}");
                else if (u.Op == TokenKind.Bang && t.Kind != Kind.Bool) _d.Error(u.At, $"operator '!' needs a bool, not {t}");
                else if (u.Op == TokenKind.Minus && !IsNumeric(t.Kind)) _d.Error(u.At, $"operator '-' needs a number, not {t}");
                else return t;
                return CType.Unknown;
            }
            case BinaryExpr b:
            {
                var l = Expr(b.Left);
                var r = Expr(b.Right);
                if (l.Kind == Kind.Unknown || r.Kind == Kind.Unknown) return CType.Unknown;
                if (l.Rank != 0 || r.Rank != 0)
                {
                    _d.Error(b.At, $"operator '{Symbol(b.Op)}' applies to scalars, not arrays (use sum, dot or a loop)");
                    return CType.Unknown;
                }
                var (result, _, error) = Binary(b.Op, l.Kind, r.Kind);
                if (error is not null)
                {
                    _d.Error(b.At, error);
                    return CType.Unknown;
                }
                if (b.Op is TokenKind.Slash or TokenKind.Percent && r.Secret && result is not (Kind.Int32 or Kind.Fixed or Kind.Number))
                    _d.Error(b.Right.At, $"operator '{Symbol(b.Op)}' by a secret divisor is supported on int32 and fixed only: the secret reciprocal of {Name(result)} values needs more than the 85 bits an integer gate has in Fp127 (divide int32 values, or make the divisor public)");
                bool secret = l.Secret || r.Secret;
                // The unroller divides a secret literal-typed value as an int32 (it needs a bit length).
                if (secret && result == Kind.Number && b.Op is TokenKind.Slash or TokenKind.Percent) result = Kind.Int32;
                return new CType(result, secret, 0);
            }
            case ArrayExpr a:
            {
                if (a.Elements.Length == 0)
                {
                    _d.Error(a.At, "an array literal needs at least one element");
                    return CType.Unknown;
                }
                var first = Expr(a.Elements[0]);
                Kind kind = first.Kind;
                bool secret = first.Secret;
                foreach (var el in a.Elements.Skip(1))
                {
                    var t = Expr(el);
                    secret |= t.Secret;
                    var u = Unify(kind, t.Kind);
                    if (u is null || t.Rank != first.Rank)
                    {
                        _d.Error(el.At, $"array elements must have one type: {t} differs from {first}");
                        return CType.Unknown;
                    }
                    kind = u.Value;
                }
                return new CType(kind, secret, first.Rank + 1);
            }
            case CallExpr call: return Call(call);
            default: return CType.Unknown;
        }
    }

    private CType Call(CallExpr call)
    {
        var args = call.Arguments.Select(Expr).ToList();
        if (_program.Functions.TryGetValue(call.Name, out var f)) return UserCall(call, f, args);
        if (!Builtins.Contains(call.Name))
        {
            _d.Error(call.At, $"unknown function '{call.Name}'");
            return CType.Unknown;
        }
        if (args.Any(a => a.Kind == Kind.Unknown)) return CType.Unknown;
        bool secret = args.Any(a => a.Secret);
        string name = call.Name;
        bool Arity(int n)
        {
            if (args.Count == n) return true;
            _d.Error(call.At, $"{name} takes {n} argument(s), not {args.Count}");
            return false;
        }
        switch (name)
        {
            case "field" or "int32" or "int64" or "fixed" or "bool":
            {
                if (!Arity(1)) return CType.Unknown;
                var target = Of(name switch { "field" => ScalarKind.Field, "int32" => ScalarKind.Int32, "int64" => ScalarKind.Int64, "fixed" => ScalarKind.Fixed, _ => ScalarKind.Bool });
                if (args[0].Rank != 0) _d.Error(call.At, $"{name}(…) converts scalars, not {args[0]}");
                else if (target == Kind.Bool) _d.Error(call.At, "bool(…) is not a conversion; compare instead (x != 0)");
                else if (args[0].Kind == Kind.Field && target != Kind.Field) _d.Error(call.At, $"cannot convert field to {name}: a field element has no integer range");
                return new CType(target, secret, 0);
            }
            case "sum" or "sort" or "min" or "max" or "argmax" or "argmin" or "len":
            {
                if (name is "min" or "max" && args.Count == 2)
                {
                    var pair = Binary(TokenKind.Less, args[0].Kind, args[1].Kind);
                    if (pair.Error is not null || args[0].Rank != 0 || args[1].Rank != 0)
                    {
                        _d.Error(call.At, pair.Error ?? $"{name}(a, b) compares two scalars");
                        return CType.Unknown;
                    }
                    return new CType(pair.Operand, secret, 0);
                }
                if (!Arity(1)) return CType.Unknown;
                var v = args[0];
                if (v.Rank == 0)
                {
                    _d.Error(call.Arguments[0].At, $"{name} needs an array, not {v}");
                    return CType.Unknown;
                }
                if (name == "len") return new CType(Kind.Int32, false, 0);
                if (name == "sum")
                {
                    if (!IsNumeric(v.Kind) || v.Rank != 1) _d.Error(call.At, $"sum needs a one-dimensional array of numbers, not {v}");
                    return v with { Rank = 0 };
                }
                if (!IsOrdered(v.Kind) || v.Rank != 1)
                {
                    _d.Error(call.At, $"{name} needs a one-dimensional array of int32, int64 or fixed, not {v}");
                    return CType.Unknown;
                }
                return name switch
                {
                    "sort" => v,
                    "argmax" or "argmin" => new CType(Kind.Int32, secret, 0),
                    _ => v with { Rank = 0 },
                };
            }
            case "dot":
            {
                if (!Arity(2)) return CType.Unknown;
                var u = Unify(args[0].Kind, args[1].Kind);
                if (u is null || !IsNumeric(u.Value) || args[0].Rank != 1 || args[1].Rank != 1)
                {
                    _d.Error(call.At, $"dot needs two one-dimensional arrays of one numeric type, not {args[0]} and {args[1]}");
                    return CType.Unknown;
                }
                return new CType(u.Value, secret, 0);
            }
            case "abs":
                if (!Arity(1)) return CType.Unknown;
                if (args[0].Rank != 0 || !IsOrdered(args[0].Kind))
                {
                    _d.Error(call.At, $"abs needs an int32, int64 or fixed scalar, not {args[0]}");
                    return CType.Unknown;
                }
                return args[0];
            case "sqrt" or "exp" or "sigmoid" or "recip":
                if (!Arity(1)) return CType.Unknown;
                if (args[0].Rank != 0 || args[0].Kind is not (Kind.Fixed or Kind.Number))
                {
                    _d.Error(call.At, $"{name} needs a fixed scalar, not {args[0]} (convert with fixed(x))");
                    return CType.Unknown;
                }
                return new CType(Kind.Fixed, secret, 0);
            case "select":
            {
                if (!Arity(3)) return CType.Unknown;
                if (args[0].Kind != Kind.Bool || args[0].Rank != 0) _d.Error(call.Arguments[0].At, $"select's condition must be a bool, not {args[0]}");
                var u = Unify(args[1].Kind, args[2].Kind);
                if (u is null || args[1].Rank != args[2].Rank)
                {
                    _d.Error(call.At, $"select's branches must have one type, not {args[1]} and {args[2]}");
                    return CType.Unknown;
                }
                return new CType(u.Value, secret, args[1].Rank);
            }
        }
        return CType.Unknown;
    }

    private CType UserCall(CallExpr call, FunctionDecl f, List<CType> args)
    {
        if (args.Count != f.Parameters.Length)
        {
            _d.Error(call.At, $"function '{f.Name}' takes {f.Parameters.Length} argument(s), not {args.Count}");
            return new CType(Of(f.ReturnType.Scalar), true, f.ReturnType.Dimensions.Length);
        }
        for (int i = 0; i < args.Count; i++)
        {
            var p = f.Parameters[i];
            var k = Of(p.Type.Scalar);
            if (args[i].Kind != Kind.Unknown && (Unify(k, args[i].Kind) != k || args[i].Rank != p.Type.Dimensions.Length))
                _d.Error(call.Arguments[i].At, $"argument '{p.Name}' of '{f.Name}' is {Name(k)}{Dims(p.Type.Dimensions.Length)}, not {args[i]}");
        }
        var declared = new CType(Of(f.ReturnType.Scalar), false, f.ReturnType.Dimensions.Length);
        if (_calling.Contains(f.Name))
        {
            _d.Error(call.At, $"function '{f.Name}' calls itself; functions are inlined, so recursion cannot be compiled");
            return declared with { Secret = true };
        }
        // Functions are templates over secrecy: each distinct secret/public pattern of arguments is checked once.
        string key = string.Concat(args.Select(a => a.Secret ? 'S' : 'P'));
        if (_checkedCalls.TryGetValue((f.Name, key), out var cached)) return cached;

        var saved = new List<Dictionary<string, CType>>(_scopes);
        int savedIf = _secretIf;
        _scopes.RemoveRange(1, _scopes.Count - 1);
        // Functions see consts and other functions, not the caller's variables or inputs.
        _scopes[0] = new Dictionary<string, CType>(_consts, StringComparer.Ordinal);
        _secretIf = 0;
        _calling.Push(f.Name);
        var local = new Dictionary<string, CType>(StringComparer.Ordinal);
        for (int i = 0; i < f.Parameters.Length; i++)
            local[f.Parameters[i].Name] = new CType(Of(f.Parameters[i].Type.Scalar), args[i].Secret, f.Parameters[i].Type.Dimensions.Length);
        _scopes.Add(local);
        CType result = declared;
        if (f.Body.Length == 0 || f.Body[^1] is not ReturnStmt)
            _d.Error(f.At, $"function '{f.Name}' must end with return");
        for (int i = 0; i < f.Body.Length; i++)
        {
            if (i == f.Body.Length - 1 && f.Body[i] is ReturnStmt ret)
            {
                var t = Expr(ret.Value);
                if (t.Kind != Kind.Unknown && (Unify(declared.Kind, t.Kind) != declared.Kind || t.Rank != declared.Rank))
                    _d.Error(ret.Value.At, $"function '{f.Name}' returns {Name(declared.Kind)}{Dims(declared.Rank)}, not {t}");
                result = declared with { Secret = t.Secret };
            }
            else Statement(f.Body[i], inFunction: true);
        }
        _calling.Pop();
        _scopes.Clear();
        _scopes.AddRange(saved);
        _secretIf = savedIf;
        _checkedCalls[(f.Name, key)] = result;
        return result;
    }
}
