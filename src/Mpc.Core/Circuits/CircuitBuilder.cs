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

    /// <summary><c>[a &lt; 0]</c> ∈ {0, 1} for a signed <paramref name="bits"/>-bit <paramref name="a"/> (k ≥ 2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is out of range.</exception>
    public Wire LessThanZero(Wire a, int bits) => AppendInteger(GateKind.LessThanZero, a, bits, 0);

    /// <summary><c>[a = 0]</c> ∈ {0, 1} for a signed <paramref name="bits"/>-bit <paramref name="a"/> (k ≥ 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is out of range.</exception>
    public Wire EqualZero(Wire a, int bits) => AppendInteger(GateKind.EqualZero, a, bits, 0);

    /// <summary>Exact <c>⌊a / 2^shift⌋</c> for a signed <paramref name="bits"/>-bit <paramref name="a"/> (1 ≤ shift &lt; bits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k or m is out of range.</exception>
    public Wire Trunc(Wire a, int bits, int shift) => AppendInteger(GateKind.Trunc, a, bits, shift);

    /// <summary>
    /// Probabilistic truncation <c>⌊a / 2^shift⌋ + u</c>, u ∈ {0, 1} with Pr[u = 1] = (a mod 2^shift)/2^shift
    /// (Catrina–de Hoogh 2010, §3.1): one round and no triples, for fixed point where rounding up is harmless.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k or m is out of range.</exception>
    public Wire TruncPr(Wire a, int bits, int shift) => AppendInteger(GateKind.TruncPr, a, bits, shift);

    /// <summary><c>a mod 2^shift</c> ∈ [0, 2^shift) for a signed <paramref name="bits"/>-bit <paramref name="a"/> (1 ≤ shift &lt; bits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k or m is out of range.</exception>
    public Wire Mod2m(Wire a, int bits, int shift) => AppendInteger(GateKind.Mod2m, a, bits, shift);

    /// <summary><c>[a &lt; b]</c> for signed <paramref name="bits"/>-bit a and b: LTZ(a − b) on k + 1 bits (the difference needs one more bit).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire LessThan(Wire a, Wire b, int bits)
    {
        int wide = Widen(bits); // before appending anything, so a refused call leaves the builder as it was
        return LessThanZero(Sub(a, b), wide);
    }

    /// <summary><c>[a ≤ b]</c> for signed <paramref name="bits"/>-bit a and b: 1 − [b &lt; a].</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire LessOrEqual(Wire a, Wire b, int bits)
    {
        var greater = LessThan(b, a, bits);
        return Sub(Constant(BigInteger.One), greater);
    }

    /// <summary><c>[a &gt; b]</c> for signed <paramref name="bits"/>-bit a and b: [b &lt; a].</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire GreaterThan(Wire a, Wire b, int bits) => LessThan(b, a, bits);

    /// <summary><c>[a ≥ b]</c> for signed <paramref name="bits"/>-bit a and b: [b ≤ a].</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire GreaterOrEqual(Wire a, Wire b, int bits) => LessOrEqual(b, a, bits);

    /// <summary><c>[a = b]</c> for signed <paramref name="bits"/>-bit a and b: EQZ(a − b) on k + 1 bits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire Equal(Wire a, Wire b, int bits)
    {
        int wide = Widen(bits);
        return EqualZero(Sub(a, b), wide);
    }

    /// <summary><c>[a ≠ b]</c> for signed <paramref name="bits"/>-bit a and b: 1 − [a = b].</summary>
    /// <exception cref="ArgumentOutOfRangeException">k + 1 is out of range.</exception>
    public Wire NotEqual(Wire a, Wire b, int bits)
    {
        var equal = Equal(a, b, bits);
        return Sub(Constant(BigInteger.One), equal);
    }

    /// <summary>
    /// Oblivious select (mux): <paramref name="ifTrue"/> where the bit <paramref name="condition"/> is 1,
    /// <paramref name="ifFalse"/> where it is 0, as <c>c·(x − y) + y</c>: one multiplication.
    /// </summary>
    /// <remarks>The condition must be 0 or 1 (a comparison result); any other value gives c·(x − y) + y all the same.</remarks>
    public Wire Select(Wire condition, Wire ifTrue, Wire ifFalse) => Add(Mul(condition, Sub(ifTrue, ifFalse)), ifFalse);

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

    private Wire AppendInteger(GateKind kind, Wire a, int bits, int shift)
    {
        string? bad = GateKinds.CheckParameters(kind, bits, shift, out var part);
        if (bad is not null)
            throw new ArgumentOutOfRangeException(part == CircuitPart.Shift ? "shift" : "bits", bad + ".");
        return Append(Gate.Integer(kind, Own(a), bits, shift));
    }

    // Comparing k-bit operands looks at their (k + 1)-bit difference.
    private static int Widen(int bits)
    {
        if (bits < 1 || bits >= Gate.MaxBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Comparing k-bit operands needs 1 ≤ k < {Gate.MaxBits} (their difference has k + 1 bits).");
        return bits + 1;
    }

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
