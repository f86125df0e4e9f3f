using System.Text;

namespace Mpc.Core.Circuits.Language;

/// <summary>A position in a source file: 1-based line and column.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (in characters).</param>
public readonly record struct SourcePosition(int Line, int Column);

/// <summary>One error in a <c>.circ</c> program, with the position it refers to.</summary>
/// <param name="File">The file name given to the compiler (used only in messages).</param>
/// <param name="Position">Where the error is.</param>
/// <param name="Message">A one-line reason.</param>
public sealed record CircDiagnostic(string File, SourcePosition Position, string Message)
{
    /// <summary><c>file:line:col: message</c>.</summary>
    public override string ToString() => $"{File}:{Position.Line}:{Position.Column}: {Message}";

    /// <summary><see cref="ToString"/>, then the offending line of <paramref name="source"/> and a caret under the column.</summary>
    public string Format(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sb = new StringBuilder(ToString());
        string? line = LineOf(source, Position.Line);
        if (line is not null)
        {
            sb.Append('\n').Append("    ").Append(line.Replace('\t', ' '));
            sb.Append('\n').Append("    ").Append(' ', Math.Max(0, Math.Min(Position.Column - 1, line.Length))).Append('^');
        }
        return sb.ToString();
    }

    private static string? LineOf(string source, int line)
    {
        int start = 0;
        for (int i = 1; i < line; i++)
        {
            int nl = source.IndexOf('\n', start);
            if (nl < 0) return null;
            start = nl + 1;
        }
        int end = source.IndexOf('\n', start);
        return (end < 0 ? source[start..] : source[start..end]).TrimEnd('\r');
    }
}

/// <summary>A <c>.circ</c> program has errors; <see cref="Exception.Message"/> lists all of them with source lines and carets.</summary>
public sealed class CircCompileException : Exception
{
    /// <summary>Wraps the errors found in <paramref name="source"/>.</summary>
    public CircCompileException(IReadOnlyList<CircDiagnostic> diagnostics, string source)
        : base(string.Join("\n", (diagnostics ?? throw new ArgumentNullException(nameof(diagnostics))).Select(d => d.Format(source))))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Every error, in source order of discovery.</summary>
    public IReadOnlyList<CircDiagnostic> Diagnostics { get; }
}

/// <summary>Collects diagnostics of one compilation; the same message at the same place is kept once.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<CircDiagnostic> _items = [];
    private readonly HashSet<(SourcePosition, string)> _seen = [];

    public string File { get; } = file;

    public IReadOnlyList<CircDiagnostic> Items => _items;

    public bool HasErrors => _items.Count > 0;

    public void Error(SourcePosition at, string message)
    {
        if (_seen.Add((at, message))) _items.Add(new CircDiagnostic(File, at, message));
    }
}

/// <summary>An error found while unrolling (index out of range, public overflow…); stops evaluation.</summary>
internal sealed class CircEvaluationError(SourcePosition at, string message) : Exception(message)
{
    public SourcePosition At { get; } = at;
}
