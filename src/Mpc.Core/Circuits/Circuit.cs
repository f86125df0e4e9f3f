using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Mpc.Core.Circuits;

/// <summary>Whether an output is revealed to everyone or to one party.</summary>
public enum OutputVisibility
{
    /// <summary>Opened to every party and published with the job result.</summary>
    Public,

    /// <summary>Only the named party receives the shares and reconstructs the value.</summary>
    Private,
}

/// <summary>A named secret input: provided by <paramref name="Owner"/>, read from wire <paramref name="Wire"/> (its Input gate).</summary>
/// <param name="Name">Input name, unique among the owner's inputs (<see cref="QualifiedName"/> is unique in the circuit).</param>
/// <param name="Owner">The party that provides it.</param>
/// <param name="Wire">Index of the Input gate.</param>
public readonly record struct InputDeclaration(string Name, string Owner, int Wire)
{
    /// <summary>The CLI key <c>owner.name</c>.</summary>
    public string QualifiedName => Owner + "." + Name;
}

/// <summary>A named output.</summary>
/// <param name="Name">Output name, unique in the circuit.</param>
/// <param name="Visibility">Public or private.</param>
/// <param name="Owner">Receiving party of a private output, else <c>null</c>.</param>
/// <param name="Wire">The wire whose value is revealed.</param>
/// <param name="Gate">Index of the Output gate.</param>
public readonly record struct OutputDeclaration(string Name, OutputVisibility Visibility, string? Owner, int Wire, int Gate);

/// <summary>
/// An immutable arithmetic circuit: a DAG of <see cref="Gate"/>s in topological order, where the wire
/// id of a gate is its index. Constructing one validates every IR rule.
/// </summary>
/// <remarks>
/// Canonical form: parties are kept sorted (ordinal), so the same circuit has one encoding and one
/// <see cref="Id"/> however it was written or built. Equality is structural (name, parties, gates).
/// Inputs and outputs are views of the Input and Output gates, in gate order.
/// </remarks>
public sealed class Circuit : IEquatable<Circuit>
{
    /// <summary>Longest accepted identifier (names of circuits, parties, inputs, outputs).</summary>
    public const int MaxIdentifierLength = 128;

    // A reference, not a Nullable<CircuitId>: reference writes are atomic, so concurrent readers never see a torn id.
    private byte[]? _idHash;
    private CircuitSchedule? _schedule;
    private FrozenDictionary<string, InputDeclaration>? _inputsByKey;

    /// <summary>Creates and validates a circuit.</summary>
    /// <param name="name">Circuit name (an identifier).</param>
    /// <param name="parties">Declared parties (input owners and output receivers), any order, no duplicates.</param>
    /// <param name="gates">Gates in topological order.</param>
    /// <exception cref="CircuitValidationException">An IR rule is broken; the exception says where.</exception>
    public Circuit(string name, IEnumerable<string> parties, IEnumerable<Gate> gates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parties);
        ArgumentNullException.ThrowIfNull(gates);
        Name = name;
        var partyList = parties.ToImmutableArray();
        Gates = gates.ToImmutableArray();
        Validate(name, partyList, Gates);
        Parties = partyList.Sort(StringComparer.Ordinal);

        var inputs = ImmutableArray.CreateBuilder<InputDeclaration>();
        var outputs = ImmutableArray.CreateBuilder<OutputDeclaration>();
        for (int i = 0; i < Gates.Length; i++)
        {
            var g = Gates[i];
            if (g.Kind == GateKind.Input) inputs.Add(new InputDeclaration(g.Name!, g.Party!, i));
            else if (g.Kind == GateKind.Output)
                outputs.Add(new OutputDeclaration(g.Name!, g.Party is null ? OutputVisibility.Public : OutputVisibility.Private, g.Party, g.Left, i));
        }
        Inputs = inputs.ToImmutable();
        Outputs = outputs.ToImmutable();
    }

    /// <summary>The circuit name.</summary>
    public string Name { get; }

    /// <summary>Declared parties, sorted ordinally.</summary>
    public ImmutableArray<string> Parties { get; }

    /// <summary>The gates; gate <c>i</c> defines wire <c>i</c>.</summary>
    public ImmutableArray<Gate> Gates { get; }

    /// <summary>The inputs, in gate order.</summary>
    public ImmutableArray<InputDeclaration> Inputs { get; }

    /// <summary>The outputs, in gate order.</summary>
    public ImmutableArray<OutputDeclaration> Outputs { get; }

    /// <summary>Keccak-256 of the canonical binary encoding: the id registered on chain.</summary>
    public CircuitId Id => CircuitId.Wrap(_idHash ??= CircuitId.Of(CircuitEncoding.Encode(this)).Bytes.ToArray());

    /// <summary>The multiplicative-depth schedule (computed once).</summary>
    public CircuitSchedule Schedule => _schedule ??= CircuitSchedule.Build(this);

    /// <summary>Counts of inputs, outputs, multiplications, rounds and gates.</summary>
    public CircuitStats Stats => Schedule.Stats;

    /// <summary>
    /// Finds an input by qualified name (<c>alice.x0</c>) or by bare name (<c>x0</c>) when only one
    /// party has an input of that name.
    /// </summary>
    /// <returns><c>false</c> when no input matches, or a bare name matches inputs of several parties.</returns>
    public bool TryGetInput(string key, out InputDeclaration input)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (_inputsByKey ??= IndexInputs(Inputs)).TryGetValue(key, out input);
    }

    // Built once on first lookup: nodes resolve an input for every share a client submits.
    // Keys: every qualified name, plus each bare name that only one party uses.
    private static FrozenDictionary<string, InputDeclaration> IndexInputs(ImmutableArray<InputDeclaration> inputs)
    {
        var index = new Dictionary<string, InputDeclaration>(2 * inputs.Length, StringComparer.Ordinal);
        var bareCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            index[input.QualifiedName] = input;
            bareCounts[input.Name] = bareCounts.GetValueOrDefault(input.Name) + 1;
        }
        foreach (var input in inputs)
            if (bareCounts[input.Name] == 1) index.TryAdd(input.Name, input);
        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="text"/> is a valid identifier: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most <see cref="MaxIdentifierLength"/> characters.</summary>
    public static bool IsIdentifier(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxIdentifierLength) return false;
        if (!(char.IsAsciiLetter(text[0]) || text[0] == '_')) return false;
        foreach (char c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(Circuit? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Name == other.Name && Parties.SequenceEqual(other.Parties) && Gates.SequenceEqual(other.Gates)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Circuit);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Gates.Length);
        foreach (var g in Gates) hash.Add(g);
        return hash.ToHashCode();
    }

    /// <summary>The canonical text form (<see cref="CircuitText.Print"/>).</summary>
    public override string ToString() => CircuitText.Print(this);

    private static void Validate(string name, ImmutableArray<string> parties, ImmutableArray<Gate> gates)
    {
        if (!IsIdentifier(name))
            throw new CircuitValidationException(CircuitPart.CircuitName, -1, $"circuit name '{name}' is not an identifier ([A-Za-z_][A-Za-z0-9_]*, at most {MaxIdentifierLength} characters)");

        var partySet = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parties.Length; i++)
        {
            if (!IsIdentifier(parties[i]))
                throw new CircuitValidationException(CircuitPart.Party, i, $"party name '{parties[i]}' is not an identifier");
            if (!partySet.Add(parties[i]))
                throw new CircuitValidationException(CircuitPart.Party, i, $"party '{parties[i]}' is declared twice");
        }

        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        bool anyOutput = false;
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            if (!g.Kind.IsDefined())
                throw new CircuitValidationException(CircuitPart.Gate, i, $"undefined gate kind {(int)g.Kind}");
            int arity = g.Kind.Arity();
            CheckOperand(gates, i, g.Left, arity >= 1, CircuitPart.Left);
            CheckOperand(gates, i, g.Right, arity >= 2, CircuitPart.Right);

            bool hasConstant = g.Kind is GateKind.Constant or GateKind.MulConst;
            if (!hasConstant && !g.Constant.IsZero)
                throw new CircuitValidationException(CircuitPart.Constant, i, $"{g.Kind.Mnemonic()} gate carries a constant");

            string? badParameter = GateKinds.CheckParameters(g.Kind, g.Bits, g.Shift, out var parameterPart);
            if (badParameter is not null)
                throw new CircuitValidationException(parameterPart, i, badParameter);

            bool named = g.Kind is GateKind.Input or GateKind.Output;
            if (!named && (g.Name is not null || g.Party is not null))
                throw new CircuitValidationException(CircuitPart.Name, i, $"{g.Kind.Mnemonic()} gate carries a name or party");
            if (!named) continue;

            if (!IsIdentifier(g.Name))
                throw new CircuitValidationException(CircuitPart.Name, i, $"{g.Kind.Mnemonic()} name '{g.Name}' is not an identifier");
            if (g.Kind == GateKind.Input)
            {
                if (g.Party is null)
                    throw new CircuitValidationException(CircuitPart.GateParty, i, $"input '{g.Name}' has no owner");
                if (!inputNames.Add(g.Party + "." + g.Name))
                    throw new CircuitValidationException(CircuitPart.Name, i, $"duplicate input '{g.Party}.{g.Name}'");
            }
            else
            {
                anyOutput = true;
                if (!outputNames.Add(g.Name!))
                    throw new CircuitValidationException(CircuitPart.Name, i, $"duplicate output name '{g.Name}'");
            }
            if (g.Party is not null && !partySet.Contains(g.Party))
                throw new CircuitValidationException(CircuitPart.GateParty, i, $"unknown party '{g.Party}' (declared: {(partySet.Count == 0 ? "none" : string.Join(", ", parties))})");
        }
        if (!anyOutput)
            throw new CircuitValidationException(CircuitPart.Circuit, -1, "circuit has no outputs");
    }

    private static void CheckOperand(ImmutableArray<Gate> gates, int gate, int operand, bool used, CircuitPart part)
    {
        string which = part == CircuitPart.Left ? "first" : "second";
        if (!used)
        {
            if (operand != -1)
                throw new CircuitValidationException(part, gate, $"{gates[gate].Kind.Mnemonic()} gate has no {which} operand but names %{operand}");
            return;
        }
        if (operand < 0)
            throw new CircuitValidationException(part, gate, $"{which} operand %{operand} is not a wire");
        if (operand >= gate)
            throw new CircuitValidationException(part, gate, operand < gates.Length
                ? $"{which} operand %{operand} is a forward reference (gates may only read earlier wires)"
                : $"{which} operand %{operand} is undefined (the circuit has {gates.Length} gates)");
        if (!gates[operand].Kind.HasValue())
            throw new CircuitValidationException(part, gate, $"{which} operand %{operand} is an output gate, which has no value");
    }
}
