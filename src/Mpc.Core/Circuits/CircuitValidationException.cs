namespace Mpc.Core.Circuits;

/// <summary>Which part of a circuit a <see cref="CircuitValidationException"/> points at.</summary>
public enum CircuitPart
{
    /// <summary>The circuit as a whole (e.g. no outputs).</summary>
    Circuit,

    /// <summary>The circuit name.</summary>
    CircuitName,

    /// <summary>A party declaration; <see cref="CircuitValidationException.Index"/> is its position as given.</summary>
    Party,

    /// <summary>A gate as a whole (e.g. an undefined kind); the index is the gate.</summary>
    Gate,

    /// <summary>The gate's first operand.</summary>
    Left,

    /// <summary>The gate's second operand.</summary>
    Right,

    /// <summary>The gate's constant.</summary>
    Constant,

    /// <summary>The input or output name of the gate.</summary>
    Name,

    /// <summary>The owner or receiving party of the gate.</summary>
    GateParty,

    /// <summary>The bit length k of an integer gate.</summary>
    Bits,

    /// <summary>The shift m of an integer gate.</summary>
    Shift,
}

/// <summary>A circuit breaks an IR rule (unknown party, duplicate name, forward reference…).</summary>
/// <remarks>
/// <see cref="Part"/> and <see cref="Index"/> say where, so front ends (the text parser, the binary
/// decoder) can translate the location into their own coordinates (line:col, byte offset).
/// </remarks>
public sealed class CircuitValidationException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="part">What is wrong.</param>
    /// <param name="index">Gate index, or party position for <see cref="CircuitPart.Party"/>; −1 for circuit-wide errors.</param>
    /// <param name="reason">One-line reason, without location.</param>
    public CircuitValidationException(CircuitPart part, int index, string reason)
        : base(Describe(part, index, reason))
    {
        Part = part;
        Index = index;
        Reason = reason;
    }

    /// <summary>What is wrong.</summary>
    public CircuitPart Part { get; }

    /// <summary>Gate index (party position for <see cref="CircuitPart.Party"/>); −1 when circuit-wide.</summary>
    public int Index { get; }

    /// <summary>The one-line reason without the location prefix.</summary>
    public string Reason { get; }

    private static string Describe(CircuitPart part, int index, string reason) => part switch
    {
        CircuitPart.Circuit or CircuitPart.CircuitName => reason,
        CircuitPart.Party => $"party #{index}: {reason}",
        _ => $"gate %{index}: {reason}",
    };
}
