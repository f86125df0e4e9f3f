using System.Collections.Immutable;
using System.Numerics;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// Executes a checked program with every loop, call and public branch unrolled. Public values are
/// computed here exactly (so they never become gates); secret values go through the back end, which is
/// either the plaintext interpreter or the IR lowering — one set of semantics for both.
/// </summary>
internal sealed partial class Unroller<TS>
{
    private readonly ProgramSyntax _program;
    private readonly ISecretBackend<TS> _b;
    private readonly Dictionary<string, Value> _consts = new(StringComparer.Ordinal);
    private List<Dictionary<string, Value>> _scopes = [];
    private readonly HashSet<string> _irInputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _irOutputs = new(StringComparer.Ordinal);
    private readonly List<ContractValue> _inputs = [];
    private readonly List<ContractValue> _outputs = [];
    private readonly HashSet<string> _parties = new(StringComparer.Ordinal);

    public Unroller(ProgramSyntax program, ISecretBackend<TS> backend)
    {
        _program = program;
        _b = backend;
    }

    /// <summary>Runs the program; errors are <see cref="CircEvaluationError"/>.</summary>
    public ContractInterface Run()
    {
        _scopes = [new Dictionary<string, Value>(StringComparer.Ordinal)];
        foreach (var s in _program.Statements)
        {
            switch (s)
            {
                case ConstDecl c:
                {
                    var v = Eval(c.Value);
                    _consts[c.Name] = v;
                    _scopes[0][c.Name] = v;
                    break;
                }
                case InputDecl input: DeclareInput(input); break;
                case PartyDecl party:
                    if (!Circuit.IsIdentifier(party.Name)) throw new CircEvaluationError(party.At, $"party name '{party.Name}' is not an identifier");
                    _parties.Add(party.Name);
                    break;
                case OutputDecl output: DeclareOutput(output); break;
                default: Exec(s); break;
            }
        }
        return new ContractInterface([.. _inputs], [.. _outputs]);
    }

    // ---- declarations ----

    private void DeclareInput(InputDecl input)
    {
        var kind = Of(input.Type.Scalar);
        var dims = input.Type.Dimensions.Select(d => Size(d, "an array size")).ToList();
        var names = ImmutableArray.CreateBuilder<string>();
        Value Make(string owner, string suffix, int dim)
        {
            if (dim == dims.Count)
            {
                string name = input.Name + suffix;
                if (!Circuit.IsIdentifier(name) || !Circuit.IsIdentifier(owner))
                    throw new CircEvaluationError(input.At, $"input name '{owner}.{name}' is not an identifier of at most {Circuit.MaxIdentifierLength} characters");
                if (!_irInputs.Add(owner + "." + name))
                    throw new CircEvaluationError(input.At, $"input '{owner}.{name}' is declared twice (array elements are named name_i; rename one input)");
                names.Add(owner + "." + name);
                _parties.Add(owner);
                return Secret(kind, _b.Input(name, owner), input.At);
            }
            var items = new Value[dims[dim]];
            for (int i = 0; i < items.Length; i++) items[i] = Make(owner, suffix + "_" + i, dim + 1);
            return new ArrayValue(items);
        }

        Value value;
        if (input.PartyCount is null) value = Make(input.Owner, "", 0);
        else
        {
            int parties = Size(input.PartyCount, "the number of parties");
            var items = new Value[parties];
            for (int p = 0; p < parties; p++) items[p] = Make(input.Owner + p, "", 0);
            value = new ArrayValue(items);
        }
        _scopes[0][input.Owner + "." + input.Name] = value;
        _scopes[0].TryAdd(input.Name, value); // the checker rejects uses of a bare name several parties share
        _inputs.Add(new ContractValue(input.Name, input.PartyCount is null ? input.Owner : input.Owner + "[]", ToScalarKind(kind), names.ToImmutable()));
    }

    private void DeclareOutput(OutputDecl output)
    {
        // A private output goes to a known party: an input owner or a declared receiver. A typo must not mint a new party.
        if (output.Party is not null && !_parties.Contains(output.Party))
            throw new CircEvaluationError(output.At, $"output to unknown party '{output.Party}' (parties so far: {(_parties.Count == 0 ? "none" : string.Join(", ", _parties.Order(StringComparer.Ordinal)))}); declare a party that only receives outputs with: party {output.Party};");
        var value = Eval(output.Value);
        var names = ImmutableArray.CreateBuilder<string>();
        Kind kind = Kind.Int32;
        void Emit(Value v, string name)
        {
            if (v is ArrayValue a)
            {
                for (int i = 0; i < a.Items.Length; i++) Emit(a.Items[i], name + "_" + i);
                return;
            }
            var s = (Scalar<TS>)v;
            kind = s.Kind == Kind.Number ? Kind.Int32 : s.Kind;
            if (!Circuit.IsIdentifier(name))
                throw new CircEvaluationError(output.At, $"output name '{name}' is not an identifier of at most {Circuit.MaxIdentifierLength} characters");
            if (!_irOutputs.Add(name))
                throw new CircEvaluationError(output.At, $"output '{name}' is declared twice (array elements are named name_i; rename one output)");
            names.Add(name);
            _b.Output(name, output.Party, Lift(s));
        }
        Emit(value, output.Name);
        _outputs.Add(new ContractValue(output.Name, output.Party, ToScalarKind(kind), names.ToImmutable()));
    }

    private static ScalarKind ToScalarKind(Kind k) => k switch
    {
        Kind.Field => ScalarKind.Field,
        Kind.Int64 => ScalarKind.Int64,
        Kind.Fixed => ScalarKind.Fixed,
        Kind.Bool => ScalarKind.Bool,
        _ => ScalarKind.Int32,
    };

    private int Size(Expr e, string what)
    {
        var v = PublicInt(e, what);
        if (v <= 0 || v > 1 << 24) throw new CircEvaluationError(e.At, $"{what} must be between 1 and 2^24, not {v}");
        return (int)v;
    }

    private BigInteger PublicInt(Expr e, string what)
    {
        if (Eval(e) is not Scalar<TS> { IsSecret: false, Kind: Kind.Number or Kind.Int32 or Kind.Int64 } s)
            throw new CircEvaluationError(e.At, $"{what} must be a public integer");
        return s.Raw;
    }

    // ---- statements ----

    private Value? Lookup(string name, out Dictionary<string, Value>? scope)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].TryGetValue(name, out var v))
            {
                scope = _scopes[i];
                return v;
            }
        scope = null;
        return null;
    }

    private void Block(ImmutableArray<Stmt> body)
    {
        _scopes.Add(new Dictionary<string, Value>(StringComparer.Ordinal));
        foreach (var s in body) Exec(s);
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    private void Exec(Stmt s)
    {
        switch (s)
        {
            case LetStmt let:
            {
                var v = Eval(let.Value);
                if (let.Type is not null) v = Conform(v, let.Type, let.Value.At, broadcast: true);
                else if (v is Scalar<TS> { Kind: Kind.Number } n) v = Coerce(n, Kind.Int32, let.Value.At);
                _scopes[^1][let.Name] = ArrayValue.Copy(v);
                break;
            }
            case AssignStmt assign: Assign(assign); break;
            case ForStmt loop:
            {
                var from = PublicInt(loop.From, "a loop bound");
                var to = PublicInt(loop.To, "a loop bound");
                for (var i = from; i < to; i++)
                {
                    _scopes.Add(new Dictionary<string, Value>(StringComparer.Ordinal) { [loop.Variable] = Scalar<TS>.Public(Kind.Int32, i) });
                    Block(loop.Body);
                    _scopes.RemoveAt(_scopes.Count - 1);
                }
                break;
            }
            case IfStmt branch: If(branch); break;
            default: throw new CircEvaluationError(s.At, "this statement cannot be executed here");
        }
    }

    private void Assign(AssignStmt assign)
    {
        var value = Eval(assign.Value);
        var indices = new List<(int Index, SourcePosition At)>();
        Expr root = assign.Target;
        while (root is IndexExpr ix)
        {
            indices.Add(((int)PublicIndex(ix), ix.At));
            root = ix.Target;
        }
        indices.Reverse();
        var name = (NameExpr)root;
        var current = Lookup(name.Name, out var scope) ?? throw new CircEvaluationError(name.At, $"'{name.Name}' is not declared");
        if (indices.Count == 0)
        {
            scope![name.Name] = ArrayValue.Copy(ConformTo(value, current, assign.Value.At));
            return;
        }
        var container = current;
        for (int i = 0; i < indices.Count - 1; i++) container = Element(container, indices[i].Index, indices[i].At);
        var array = (ArrayValue)container;
        var old = Element(array, indices[^1].Index, indices[^1].At);
        array.Items[indices[^1].Index] = ArrayValue.Copy(ConformTo(value, old, assign.Value.At));
    }

    private static Value Element(Value v, int index, SourcePosition at)
    {
        if (v is not ArrayValue a) throw new CircEvaluationError(at, "cannot index a scalar");
        if (index < 0 || index >= a.Items.Length)
            throw new CircEvaluationError(at, $"index {index} is out of range for an array of {a.Items.Length}");
        return a.Items[index];
    }

    private BigInteger PublicIndex(IndexExpr ix)
    {
        var i = PublicInt(ix.Index, "an array index");
        if (i < 0 || i > int.MaxValue) throw new CircEvaluationError(ix.At, $"index {i} is out of range");
        return i;
    }

    // Makes an assigned value fit the shape and kind of the value it replaces.
    private Value ConformTo(Value value, Value like, SourcePosition at)
    {
        if (like is ArrayValue la)
        {
            if (value is not ArrayValue va || va.Items.Length != la.Items.Length)
                throw new CircEvaluationError(at, $"cannot assign {Shape(value)} to an array of {la.Items.Length}");
            var items = new Value[la.Items.Length];
            for (int i = 0; i < items.Length; i++) items[i] = ConformTo(va.Items[i], la.Items[i], at);
            return new ArrayValue(items);
        }
        if (value is not Scalar<TS> s) throw new CircEvaluationError(at, "cannot assign an array to a scalar");
        return Coerce(s, ((Scalar<TS>)like).Kind, at);
    }

    // Makes a value fit a declared type (let with a type, parameters, returns).
    private Value Conform(Value value, TypeSyntax type, SourcePosition at, bool broadcast)
    {
        var kind = Of(type.Scalar);
        var dims = type.Dimensions.Select(d => Size(d, "an array size")).ToList();
        Value Fit(Value v, int dim)
        {
            if (dim == dims.Count)
            {
                if (v is not Scalar<TS> s) throw new CircEvaluationError(at, $"expected a {Name(kind)} scalar, found {Shape(v)}");
                return Coerce(s, kind, at);
            }
            if (v is Scalar<TS> scalar && broadcast && !scalar.IsSecret)
            {
                var filled = new Value[dims[dim]];
                for (int i = 0; i < filled.Length; i++) filled[i] = Fit(scalar, dim + 1);
                return new ArrayValue(filled);
            }
            if (v is not ArrayValue a || a.Items.Length != dims[dim])
                throw new CircEvaluationError(at, $"expected an array of {dims[dim]}, found {Shape(v)}");
            var items = new Value[a.Items.Length];
            for (int i = 0; i < items.Length; i++) items[i] = Fit(a.Items[i], dim + 1);
            return new ArrayValue(items);
        }
        return Fit(value, 0);
    }

    private static string Shape(Value v) => v is ArrayValue a ? $"an array of {a.Items.Length}" : "a scalar";

    private void If(IfStmt branch)
    {
        var c = (Scalar<TS>)Eval(branch.Condition);
        if (!c.IsSecret)
        {
            Block(c.Raw.IsZero ? branch.Else : branch.Then);
            return;
        }
        // Oblivious if: run both branches from the same state, then mux every variable that differs.
        var before = CloneScopes(_scopes);
        Block(branch.Then);
        var afterThen = _scopes;
        _scopes = before;
        var beforeElse = CloneScopes(before);
        Block(branch.Else);
        var afterElse = _scopes;
        _scopes = beforeElse;
        for (int i = 0; i < _scopes.Count; i++)
            foreach (var name in _scopes[i].Keys.ToList())
                _scopes[i][name] = Merge(c, afterThen[i][name], afterElse[i][name], branch.At);
    }

    private static List<Dictionary<string, Value>> CloneScopes(List<Dictionary<string, Value>> scopes) =>
        scopes.Select(s => s.ToDictionary(kv => kv.Key, kv => ArrayValue.Copy(kv.Value), StringComparer.Ordinal)).ToList();

    private Value Merge(Scalar<TS> c, Value a, Value b, SourcePosition at)
    {
        if (ReferenceEquals(a, b)) return a;
        if (a is ArrayValue aa && b is ArrayValue ba)
        {
            var items = new Value[aa.Items.Length];
            for (int i = 0; i < items.Length; i++) items[i] = Merge(c, aa.Items[i], ba.Items[i], at);
            return new ArrayValue(items);
        }
        return Mux(c, (Scalar<TS>)a, (Scalar<TS>)b, at);
    }
}

/// <summary>One declared input or output of a contract and the IR names of its scalar elements.</summary>
/// <param name="Name">The name in the program.</param>
/// <param name="Party">Owner of an input (<c>voter[]</c> for a party array), receiver of a private output, null for a public output.</param>
/// <param name="Kind">The scalar type of the elements.</param>
/// <param name="IrNames">The IR names in row-major order: qualified (<c>alice.v_0</c>) for inputs, bare for outputs.</param>
public sealed record ContractValue(string Name, string? Party, ScalarKind Kind, ImmutableArray<string> IrNames);

/// <summary>The typed interface of a compiled contract: how its inputs and outputs map onto IR inputs and outputs.</summary>
/// <param name="Inputs">Inputs in declaration order.</param>
/// <param name="Outputs">Outputs in declaration order.</param>
public sealed record ContractInterface(ImmutableArray<ContractValue> Inputs, ImmutableArray<ContractValue> Outputs);
