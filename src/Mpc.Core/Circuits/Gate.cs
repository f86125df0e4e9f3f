using System.Numerics;

namespace Mpc.Core.Circuits;

/// <summary>The operation of a <see cref="Gate"/>.</summary>
/// <remarks>
/// The numeric values are part of the canonical binary encoding (<see cref="CircuitEncoding"/>) and
/// therefore of every circuit id: never renumber a member, only append. Gates that lower to
/// multi-round protocols get new values here plus their cost in <see cref="CircuitSchedule"/>.
/// <para>The integer gates (8–12) read one wire holding a signed k-bit integer v ∈ [−2^(k−1), 2^(k−1)),
/// encoded as v mod p (a field element above (p−1)/2 is negative); k is <see cref="Gate.Bits"/> and m,
/// where used, <see cref="Gate.Shift"/>. They run the Catrina–de Hoogh 2010 protocols of
/// <c>Mpc.Core.Protocols.Integers</c>, which need k + κ + 1 &lt; log2 p; a value outside the k-bit range
/// gives an unspecified result in MPC and an error in the plaintext evaluator.</para>
/// </remarks>
public enum GateKind : byte
{
    /// <summary>A secret input provided by a named party; no operands.</summary>
    Input = 1,

    /// <summary>A public constant (<see cref="Gate.Constant"/>); no operands.</summary>
    Constant = 2,

    /// <summary><c>left + right</c>; linear, no communication.</summary>
    Add = 3,

    /// <summary><c>left − right</c>; linear, no communication.</summary>
    Sub = 4,

    /// <summary><c>left · c</c> for a public constant c (<see cref="Gate.Constant"/>); linear, no communication.</summary>
    MulConst = 5,

    /// <summary><c>left · right</c> of two secret wires: one Beaver multiplication, one round.</summary>
    Mul = 6,

    /// <summary>Reveals <see cref="Gate.Left"/> publicly or to one party; the gate itself carries no value.</summary>
    Output = 7,

    /// <summary><c>[v &lt; 0]</c> ∈ {0, 1} for a signed k-bit v (LTZ); k ≥ 2.</summary>
    LessThanZero = 8,

    /// <summary><c>[v = 0]</c> ∈ {0, 1} for a signed k-bit v (EQZ); k ≥ 1.</summary>
    EqualZero = 9,

    /// <summary>Exact <c>⌊v / 2^m⌋</c> for a signed k-bit v (floor, also for negative v); 1 ≤ m &lt; k.</summary>
    Trunc = 10,

    /// <summary>
    /// Probabilistic truncation (Catrina–de Hoogh 2010, §3.1): <c>⌊v / 2^m⌋ + u</c> with u ∈ {0, 1},
    /// Pr[u = 1] = (v mod 2^m)/2^m; one round, no triples; 1 ≤ m &lt; k. The plaintext evaluator returns u = 0.
    /// </summary>
    TruncPr = 11,

    /// <summary><c>v mod 2^m</c> ∈ [0, 2^m) for a signed k-bit v; 1 ≤ m &lt; k.</summary>
    Mod2m = 12,
}

/// <summary>Helpers describing each <see cref="GateKind"/>.</summary>
public static class GateKinds
{
    /// <summary>The lower-case mnemonic used by the text form (<c>input</c>, <c>mulc</c>…).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined kind.</exception>
    public static string Mnemonic(this GateKind kind) => kind switch
    {
        GateKind.Input => "input",
        GateKind.Constant => "const",
        GateKind.Add => "add",
        GateKind.Sub => "sub",
        GateKind.MulConst => "mulc",
        GateKind.Mul => "mul",
        GateKind.Output => "output",
        GateKind.LessThanZero => "ltz",
        GateKind.EqualZero => "eqz",
        GateKind.Trunc => "trunc",
        GateKind.TruncPr => "truncpr",
        GateKind.Mod2m => "mod2m",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gate kind."),
    };

    /// <summary>Parses a mnemonic written by <see cref="Mnemonic"/>.</summary>
    public static bool TryParseMnemonic(string text, out GateKind kind)
    {
        switch (text)
        {
            case "input": kind = GateKind.Input; return true;
            case "const": kind = GateKind.Constant; return true;
            case "add": kind = GateKind.Add; return true;
            case "sub": kind = GateKind.Sub; return true;
            case "mulc": kind = GateKind.MulConst; return true;
            case "mul": kind = GateKind.Mul; return true;
            case "output": kind = GateKind.Output; return true;
            case "ltz": kind = GateKind.LessThanZero; return true;
            case "eqz": kind = GateKind.EqualZero; return true;
            case "trunc": kind = GateKind.Trunc; return true;
            case "truncpr": kind = GateKind.TruncPr; return true;
            case "mod2m": kind = GateKind.Mod2m; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Number of wire operands the kind reads (0, 1 or 2).</summary>
    public static int Arity(this GateKind kind) => kind switch
    {
        GateKind.Input or GateKind.Constant => 0,
        GateKind.MulConst or GateKind.Output => 1,
        GateKind.LessThanZero or GateKind.EqualZero or GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m => 1,
        GateKind.Add or GateKind.Sub or GateKind.Mul => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gate kind."),
    };

    /// <summary>Whether the kind produces a wire value that later gates may read (every kind but Output).</summary>
    public static bool HasValue(this GateKind kind) => kind != GateKind.Output;

    /// <summary>Whether the kind is defined in this version of the IR.</summary>
    public static bool IsDefined(this GateKind kind) => kind is >= GateKind.Input and <= GateKind.Mod2m;

    /// <summary>Whether the kind is an integer gate (LTZ, EQZ, Trunc, TruncPr, Mod2m): it carries a bit length k.</summary>
    public static bool IsInteger(this GateKind kind) => kind is >= GateKind.LessThanZero and <= GateKind.Mod2m;

    /// <summary>Whether the kind carries a shift m (Trunc, TruncPr, Mod2m).</summary>
    public static bool HasShift(this GateKind kind) => kind is GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m;

    /// <summary>Whether the kind needs communication (Mul and the integer gates): everything else is local.</summary>
    public static bool IsNonlinear(this GateKind kind) => kind == GateKind.Mul || kind.IsInteger();

    /// <summary>
    /// Why (<paramref name="bits"/>, <paramref name="shift"/>) is not a valid parameter pair for <paramref name="kind"/>,
    /// or <c>null</c> when it is: k ≥ 2 for LTZ, Trunc, TruncPr, Mod2m and k ≥ 1 for EQZ (k ≤ <see cref="Gate.MaxBits"/>);
    /// 1 ≤ m &lt; k for Trunc, TruncPr and Mod2m, m = 0 otherwise; both zero on non-integer kinds.
    /// </summary>
    /// <returns>A one-line reason naming the bad parameter, or <c>null</c>.</returns>
    public static string? CheckParameters(this GateKind kind, int bits, int shift) => CheckParameters(kind, bits, shift, out _);

    /// <summary>Whether <paramref name="value"/> is a signed <paramref name="bits"/>-bit integer: −2^(k−1) ≤ v &lt; 2^(k−1).</summary>
    public static bool FitsSigned(BigInteger value, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var half = BigInteger.One << (bits - 1);
        return value >= -half && value < half;
    }

    /// <summary>
    /// The plaintext meaning of an integer gate on a signed integer: LTZ = [v &lt; 0], EQZ = [v = 0],
    /// Trunc = TruncPr = ⌊v / 2^m⌋ (floor, also for negative v), Mod2m = v mod 2^m ∈ [0, 2^m).
    /// </summary>
    /// <remarks>
    /// The MPC TruncPr may return ⌊v / 2^m⌋ + 1 (with probability (v mod 2^m)/2^m, Catrina–de Hoogh 2010, §3.1);
    /// this reference returns the floor, so a test of TruncPr accepts either.
    /// </remarks>
    /// <param name="kind">An integer kind.</param>
    /// <param name="value">The operand, a signed integer.</param>
    /// <param name="bits">k.</param>
    /// <param name="shift">m (Trunc, TruncPr, Mod2m).</param>
    /// <exception cref="ArgumentException">Bad parameters, or <paramref name="value"/> is outside the signed k-bit range.</exception>
    public static BigInteger EvaluateInteger(this GateKind kind, BigInteger value, int bits, int shift)
    {
        string? bad = kind.IsInteger() ? kind.CheckParameters(bits, shift) : $"{kind} is not an integer gate kind";
        if (bad is not null) throw new ArgumentException(bad + ".", nameof(kind));
        if (!FitsSigned(value, bits))
            throw new ArgumentOutOfRangeException(nameof(value), value,
                $"{kind.Mnemonic()} {bits}: operand {value} is outside the signed {bits}-bit range [−2^{bits - 1}, 2^{bits - 1}).");
        return kind switch
        {
            GateKind.LessThanZero => value.Sign < 0 ? BigInteger.One : BigInteger.Zero,
            GateKind.EqualZero => value.IsZero ? BigInteger.One : BigInteger.Zero,
            GateKind.Trunc or GateKind.TruncPr => value >> shift, // BigInteger's >> is floor division by 2^m
            _ => value - ((value >> shift) << shift),
        };
    }

    internal static string? CheckParameters(GateKind kind, int bits, int shift, out CircuitPart part)
    {
        part = CircuitPart.Bits;
        if (!kind.IsInteger())
            return bits != 0 || shift != 0 ? $"{kind.Mnemonic()} gate carries a bit length or shift" : null;
        int minBits = kind == GateKind.EqualZero ? 1 : 2;
        if (bits < minBits || bits > Gate.MaxBits)
            return $"{kind.Mnemonic()} needs a bit length k with {minBits} ≤ k ≤ {Gate.MaxBits}, got {bits}";
        part = CircuitPart.Shift;
        if (!kind.HasShift())
            return shift != 0 ? $"{kind.Mnemonic()} gate carries a shift" : null;
        return shift < 1 || shift >= bits ? $"{kind.Mnemonic()} needs a shift m with 1 ≤ m < k = {bits}, got {shift}" : null;
    }
}

/// <summary>
/// One gate of a <see cref="Circuit"/>. Its wire id is its index in <see cref="Circuit.Gates"/>.
/// </summary>
/// <remarks>
/// Fields unused by a kind hold their defaults (<c>-1</c> for operands, zero, <c>null</c>); the static
/// factories set them so, and <see cref="Circuit"/> validation rejects anything else, which keeps
/// structural equality meaningful. Constants are integers, independent of the field: they are reduced
/// into the field only when a circuit is evaluated. The integer gates carry their bit length k in
/// <see cref="Bits"/> and their shift m in <see cref="Shift"/>; both are zero on every other kind, and
/// both take part in equality (so common-subexpression elimination never merges different parameters).
/// </remarks>
/// <param name="Kind">The operation.</param>
/// <param name="Left">First operand wire (Add, Sub, MulConst, Mul, Output), else −1.</param>
/// <param name="Right">Second operand wire (Add, Sub, Mul), else −1.</param>
/// <param name="Constant">The constant of Constant and MulConst gates, else zero. May be negative.</param>
/// <param name="Name">Input or output name, else <c>null</c>.</param>
/// <param name="Party">Owner of an input, receiver of a private output; <c>null</c> for a public output.</param>
public readonly record struct Gate(GateKind Kind, int Left, int Right, BigInteger Constant, string? Name, string? Party)
{
    /// <summary>An input named <paramref name="name"/>, provided by <paramref name="owner"/>.</summary>
    public static Gate Input(string name, string owner) => new(GateKind.Input, -1, -1, BigInteger.Zero, name, owner);

    /// <summary>A public constant.</summary>
    public static Gate Const(BigInteger value) => new(GateKind.Constant, -1, -1, value, null, null);

    /// <summary><c>left + right</c>.</summary>
    public static Gate Add(int left, int right) => new(GateKind.Add, left, right, BigInteger.Zero, null, null);

    /// <summary><c>left − right</c>.</summary>
    public static Gate Sub(int left, int right) => new(GateKind.Sub, left, right, BigInteger.Zero, null, null);

    /// <summary><c>left · constant</c>.</summary>
    public static Gate MulConst(int left, BigInteger constant) => new(GateKind.MulConst, left, -1, constant, null, null);

    /// <summary><c>left · right</c>.</summary>
    public static Gate Mul(int left, int right) => new(GateKind.Mul, left, right, BigInteger.Zero, null, null);

    /// <summary>Reveals <paramref name="wire"/> as <paramref name="name"/>: publicly when <paramref name="party"/> is null, else only to that party.</summary>
    public static Gate Output(string name, int wire, string? party = null) => new(GateKind.Output, wire, -1, BigInteger.Zero, name, party);

    /// <summary>Largest bit length k of an integer gate (the protocols work on 128-bit words; a field must also satisfy k + κ + 1 &lt; log2 p).</summary>
    public const int MaxBits = 128;

    /// <summary>Bit length k of an integer gate's operand (a signed k-bit value); zero for other kinds.</summary>
    public int Bits { get; init; }

    /// <summary>Shift m of Trunc, TruncPr and Mod2m gates; zero for other kinds.</summary>
    public int Shift { get; init; }

    /// <summary><c>[v &lt; 0]</c> for signed <paramref name="bits"/>-bit v on wire <paramref name="wire"/>.</summary>
    public static Gate LessThanZero(int wire, int bits) => Integer(GateKind.LessThanZero, wire, bits, 0);

    /// <summary><c>[v = 0]</c> for signed <paramref name="bits"/>-bit v on wire <paramref name="wire"/>.</summary>
    public static Gate EqualZero(int wire, int bits) => Integer(GateKind.EqualZero, wire, bits, 0);

    /// <summary>Exact <c>⌊v / 2^shift⌋</c> for signed <paramref name="bits"/>-bit v.</summary>
    public static Gate Trunc(int wire, int bits, int shift) => Integer(GateKind.Trunc, wire, bits, shift);

    /// <summary>Probabilistic <c>⌊v / 2^shift⌋ + u</c>, u ∈ {0, 1}, for signed <paramref name="bits"/>-bit v.</summary>
    public static Gate TruncPr(int wire, int bits, int shift) => Integer(GateKind.TruncPr, wire, bits, shift);

    /// <summary><c>v mod 2^shift</c> for signed <paramref name="bits"/>-bit v.</summary>
    public static Gate Mod2m(int wire, int bits, int shift) => Integer(GateKind.Mod2m, wire, bits, shift);

    /// <summary>An integer gate of <paramref name="kind"/> (validated when the circuit is built).</summary>
    public static Gate Integer(GateKind kind, int wire, int bits, int shift) =>
        new(kind, wire, -1, BigInteger.Zero, null, null) { Bits = bits, Shift = shift };
}
