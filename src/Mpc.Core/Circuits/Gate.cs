using System.Numerics;

namespace Mpc.Core.Circuits;

/// <summary>The operation of a <see cref="Gate"/>.</summary>
/// <remarks>
/// The numeric values are part of the canonical binary encoding (<see cref="CircuitEncoding"/>) and
/// therefore of every circuit id: never renumber a member, only append. Later gates that lower to
/// multi-round protocols (compare, equal, truncate…) get new values here plus their cost in
/// <see cref="CircuitSchedule"/>.
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
            default: kind = default; return false;
        }
    }

    /// <summary>Number of wire operands the kind reads (0, 1 or 2).</summary>
    public static int Arity(this GateKind kind) => kind switch
    {
        GateKind.Input or GateKind.Constant => 0,
        GateKind.MulConst or GateKind.Output => 1,
        GateKind.Add or GateKind.Sub or GateKind.Mul => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gate kind."),
    };

    /// <summary>Whether the kind produces a wire value that later gates may read (every kind but Output).</summary>
    public static bool HasValue(this GateKind kind) => kind != GateKind.Output;

    /// <summary>Whether the kind is defined in this version of the IR.</summary>
    public static bool IsDefined(this GateKind kind) => kind is >= GateKind.Input and <= GateKind.Output;
}

/// <summary>
/// One gate of a <see cref="Circuit"/>. Its wire id is its index in <see cref="Circuit.Gates"/>.
/// </summary>
/// <remarks>
/// Fields unused by a kind hold their defaults (<c>-1</c> for operands, zero, <c>null</c>); the static
/// factories set them so, and <see cref="Circuit"/> validation rejects anything else, which keeps
/// structural equality meaningful. Constants are integers, independent of the field: they are reduced
/// into the field only when a circuit is evaluated.
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
}
