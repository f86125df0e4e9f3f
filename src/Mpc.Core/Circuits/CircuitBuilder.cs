using System.Numerics;

namespace Mpc.Core.Circuits;

/// <summary>A handle to a wire of a <see cref="CircuitBuilder"/>; arithmetic operators append gates.</summary>
/// <remarks>
/// <c>a + b</c>, <c>a - b</c>, <c>a * b</c> add Add/Sub/Mul gates; <c>a * 3</c> and <c>3 * a</c> add a
/// MulConst; <c>a + 3</c> and <c>a - 3</c> add a Constant and an Add/Sub; <c>-a</c> is <c>a * -1</c>.
/// </remarks>
public readonly struct Wire : IEquatable<Wire>
{
    internal Wire(CircuitBuilder builder, int index)
    {
        Builder = builder;
        Index = index;
    }

    /// <summary>The wire id (gate index) in the circuit being built.</summary>
    public int Index { get; }

    internal CircuitBuilder? Builder { get; }

    /// <summary>Adds an Add gate.</summary>
    public static Wire operator +(Wire a, Wire b) => a.Of().Add(a, b);

    /// <summary>Adds a Sub gate.</summary>
    public static Wire operator -(Wire a, Wire b) => a.Of().Sub(a, b);

    /// <summary>Adds a Mul gate.</summary>
    public static Wire operator *(Wire a, Wire b) => a.Of().Mul(a, b);

    /// <summary>Adds a MulConst gate.</summary>
    public static Wire operator *(Wire a, BigInteger c) => a.Of().MulConst(a, c);

    /// <summary>Adds a MulConst gate.</summary>
    public static Wire operator *(BigInteger c, Wire a) => a.Of().MulConst(a, c);

    /// <summary>Adds a Constant and an Add gate.</summary>
    public static Wire operator +(Wire a, BigInteger c) => a.Of().Add(a, a.Of().Constant(c));

    /// <summary>Adds a Constant and an Add gate.</summary>
    public static Wire operator +(BigInteger c, Wire a) => a.Of().Add(a.Of().Constant(c), a);

    /// <summary>Adds a Constant and a Sub gate.</summary>
    public static Wire operator -(Wire a, BigInteger c) => a.Of().Sub(a, a.Of().Constant(c));

    /// <summary>Adds a Constant and a Sub gate.</summary>
    public static Wire operator -(BigInteger c, Wire a) => a.Of().Sub(a.Of().Constant(c), a);

    /// <summary>Adds a MulConst gate by −1.</summary>
    public static Wire operator -(Wire a) => a.Of().MulConst(a, BigInteger.MinusOne);

    /// <summary>Same builder and index.</summary>
    public static bool operator ==(Wire a, Wire b) => a.Equals(b);

    /// <summary>Different builder or index.</summary>
    public static bool operator !=(Wire a, Wire b) => !a.Equals(b);

    /// <inheritdoc />
    public bool Equals(Wire other) => ReferenceEquals(Builder, other.Builder) && Index == other.Index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Wire other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Index;

    /// <summary><c>%index</c>.</summary>
    public override string ToString() => "%" + Index;

    private CircuitBuilder Of() =>
        Builder ?? throw new InvalidOperationException("default(Wire) is not a wire of any circuit builder.");
}

/// <summary>
/// Builds a <see cref="Circuit"/> in code; the result is the same IR (and id) as the equivalent text.
/// </summary>
/// <example>
/// <code>
/// var b = new CircuitBuilder("ip");
/// var x = b.Input("x0", owner: "alice");
/// var y = b.Input("y0", owner: "bob");
/// b.Output("result", x * y + 1);
/// Circuit c = b.Build();
/// </code>
/// </example>
/// <remarks>
/// Parties are declared on first use (an input owner or a private output's receiver), or explicitly
/// with <see cref="Party"/>. Gates are appended in call order, which is a topological order. Names and
/// parties are checked when the call is made where possible, everything else by <see cref="Build"/>.
/// </remarks>
public sealed class CircuitBuilder
{
    private readonly List<Gate> _gates = [];
    private readonly List<string> _parties = [];

    /// <summary>Starts a circuit called <paramref name="name"/> (an identifier).</summary>
    public CircuitBuilder(string name)
    {
        if (!Circuit.IsIdentifier(name))
            throw new ArgumentException($"Circuit name '{name}' is not an identifier ([A-Za-z_][A-Za-z0-9_]*).", nameof(name));
        Name = name;
    }

    /// <summary>The circuit name.</summary>
    public string Name { get; }

    /// <summary>Gates appended so far.</summary>
    public int GateCount => _gates.Count;

    /// <summary>Declares a party (idempotent); needed only for a party that neither owns an input nor receives an output.</summary>
    public CircuitBuilder Party(string name)
    {
        if (!Circuit.IsIdentifier(name))
            throw new ArgumentException($"Party name '{name}' is not an identifier.", nameof(name));
        if (!_parties.Contains(name)) _parties.Add(name);
        return this;
    }

    /// <summary>A secret input <paramref name="name"/> provided by <paramref name="owner"/>.</summary>
    public Wire Input(string name, string owner)
    {
        Party(owner);
        return Append(Gate.Input(name, owner));
    }

    /// <summary>A public constant (any integer; reduced into the field at evaluation).</summary>
    public Wire Constant(BigInteger value) => Append(Gate.Const(value));

    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public Wire Add(Wire a, Wire b) => Append(Gate.Add(Own(a), Own(b)));

    /// <summary><paramref name="a"/> − <paramref name="b"/>.</summary>
    public Wire Sub(Wire a, Wire b) => Append(Gate.Sub(Own(a), Own(b)));

    /// <summary><paramref name="a"/> · <paramref name="c"/> for a public constant.</summary>
    public Wire MulConst(Wire a, BigInteger c) => Append(Gate.MulConst(Own(a), c));

    /// <summary><paramref name="a"/> · <paramref name="b"/> (one secure multiplication).</summary>
    public Wire Mul(Wire a, Wire b) => Append(Gate.Mul(Own(a), Own(b)));

    /// <summary>Sum of the wires (a chain of Add gates).</summary>
    /// <exception cref="ArgumentException">No wires.</exception>
    public Wire Sum(IEnumerable<Wire> wires)
    {
        ArgumentNullException.ThrowIfNull(wires);
        Wire? acc = null;
        foreach (var w in wires)
        {
            Own(w);
            acc = acc is null ? w : Add(acc.Value, w);
        }
        return acc ?? throw new ArgumentException("Sum of no wires.", nameof(wires));
    }

    /// <summary>Reveals <paramref name="wire"/> publicly as <paramref name="name"/>.</summary>
    public void Output(string name, Wire wire) => Append(Gate.Output(name, Own(wire)));

    /// <summary>Reveals <paramref name="wire"/> as <paramref name="name"/> to <paramref name="party"/> only.</summary>
    public void OutputTo(string party, string name, Wire wire)
    {
        Party(party);
        Append(Gate.Output(name, Own(wire), party));
    }

    /// <summary>Validates and returns the circuit; the builder can keep growing afterwards.</summary>
    /// <exception cref="CircuitValidationException">An IR rule is broken (duplicate names, no outputs…).</exception>
    public Circuit Build() => new(Name, _parties, _gates);

    private Wire Append(Gate gate)
    {
        _gates.Add(gate);
        return new Wire(this, _gates.Count - 1);
    }

    private int Own(Wire w)
    {
        if (!ReferenceEquals(w.Builder, this))
            throw new ArgumentException($"Wire {w} belongs to another circuit builder.", nameof(w));
        return w.Index;
    }
}
