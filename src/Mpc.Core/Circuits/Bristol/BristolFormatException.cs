namespace Mpc.Core.Circuits.Bristol;

/// <summary>A malformed Bristol Fashion circuit; the message is <c>source:line: reason</c>.</summary>
public sealed class BristolFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">File name or other label of the text; <c>null</c> when not parsed from text.</param>
    /// <param name="line">1-based line number (for a circuit built in code: the 1-based gate number; 0 for the header).</param>
    /// <param name="reason">What is wrong, without the location.</param>
    public BristolFormatException(string? source, int line, string reason)
        : base($"{source ?? "bristol"}:{line}: {reason}")
    {
        Source = source;
        Line = line;
        Reason = reason;
    }

    /// <summary>The label of the text (usually its path).</summary>
    public new string? Source { get; }

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>The reason without the location.</summary>
    public string Reason { get; }
}
