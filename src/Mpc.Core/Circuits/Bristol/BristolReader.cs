using System.Collections.Immutable;
using System.Globalization;

namespace Mpc.Core.Circuits.Bristol;

/// <summary>Parses Bristol Fashion text into a validated <see cref="BristolCircuit"/>.</summary>
/// <remarks>
/// Format (https://nigelsmart.github.io/MPC-Circuits/): line 1 <c>nGates nWires</c>; line 2 <c>niv</c>
/// then niv input sizes; line 3 <c>nov</c> then nov output sizes; then one gate per line,
/// <c>nIn nOut in… out… OP</c> with OP one of XOR, AND, INV, EQW, EQ, MAND. Blank lines are ignored
/// anywhere. Every problem is reported as a <see cref="BristolFormatException"/> naming the line.
/// </remarks>
public static class BristolReader
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="source">Label for error messages (usually the path).</param>
    /// <exception cref="BristolFormatException">Malformed text.</exception>
    public static BristolCircuit Parse(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, source);
    }

    /// <summary>Parses a circuit from <paramref name="reader"/> to its end.</summary>
    /// <exception cref="BristolFormatException">Malformed text.</exception>
    public static BristolCircuit Parse(TextReader reader, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new LineSource(reader, source);

        var header = lines.Next("the header 'nGates nWires'");
        if (header.Tokens.Length != 2) throw lines.Error(header.Number, $"the header needs 2 numbers (gates, wires), found {header.Tokens.Length}");
        int gateCount = lines.Int(header, 0, "gate count");
        int wireCount = lines.Int(header, 1, "wire count");
        if (wireCount < 1 || wireCount > BristolCircuit.MaxWires) throw lines.Error(header.Number, $"wire count {wireCount} is outside 1..{BristolCircuit.MaxWires}");
        if (gateCount > BristolCircuit.MaxWires) throw lines.Error(header.Number, $"gate count {gateCount} exceeds {BristolCircuit.MaxWires}");

        var inputSizes = ReadSizes(lines, "input");
        var outputLine = lines.Peek;
        var outputSizes = ReadSizes(lines, "output");
        var wires = new BristolCircuit.WireTracker(wireCount, inputSizes, outputSizes, out string? headerError);
        if (headerError is not null) throw lines.Error(outputLine, headerError);

        var gates = new List<BristolGate>(gateCount);
        int lastLine = outputLine;
        while (lines.TryNext(out var line))
        {
            lastLine = line.Number;
            if (gates.Count == gateCount) throw lines.Error(line.Number, $"more gates than the {gateCount} the header declares");
            var gate = ParseGate(lines, line);
            if (wires.Assign(gate) is string error) throw lines.Error(line.Number, error);
            gates.Add(gate);
        }
        if (gates.Count < gateCount)
            throw lines.Error(lastLine, $"the header declares {gateCount} gates but the file ends after {gates.Count}");
        if (wires.FirstUnassignedOutput() is int missing)
            throw lines.Error(lastLine, $"output wire {missing} is never assigned");
        return new BristolCircuit(wireCount, inputSizes, outputSizes, gates);
    }

    private static ImmutableArray<int> ReadSizes(LineSource lines, string what)
    {
        var line = lines.Next($"the {what} line 'n{what[0]}v size…'");
        int count = lines.Int(line, 0, $"{what} count");
        if (line.Tokens.Length != count + 1)
            throw lines.Error(line.Number, $"{count} {what} value(s) declared but {line.Tokens.Length - 1} size(s) given");
        var sizes = ImmutableArray.CreateBuilder<int>(count);
        for (int i = 0; i < count; i++) sizes.Add(lines.Int(line, i + 1, $"size of {what} {i}"));
        return sizes.MoveToImmutable();
    }

    private static BristolGate ParseGate(LineSource lines, Line line)
    {
        var t = line.Tokens;
        if (t.Length < 4) throw lines.Error(line.Number, $"a gate needs 'nIn nOut wires… OP', found {t.Length} token(s)");
        int nIn = lines.Int(line, 0, "input count"), nOut = lines.Int(line, 1, "output count");
        if (t.Length != 2 + (long)nIn + nOut + 1)
            throw lines.Error(line.Number, $"{nIn} input(s) and {nOut} output(s) need {3 + (long)nIn + nOut} tokens, found {t.Length}");
        BristolGateKind kind = t[^1] switch
        {
            "XOR" => BristolGateKind.Xor,
            "AND" => BristolGateKind.And,
            "INV" => BristolGateKind.Inv,
            "EQW" => BristolGateKind.Eqw,
            "EQ" => BristolGateKind.Eq,
            "MAND" => BristolGateKind.Mand,
            _ => throw lines.Error(line.Number, $"unknown gate '{t[^1]}' (expected XOR, AND, INV, EQW, EQ or MAND)"),
        };
        var inputs = new int[nIn];
        var outputs = new int[nOut];
        for (int i = 0; i < nIn; i++) inputs[i] = lines.Int(line, 2 + i, kind == BristolGateKind.Eq ? "EQ constant" : "input wire");
        for (int i = 0; i < nOut; i++) outputs[i] = lines.Int(line, 2 + nIn + i, "output wire");
        return new BristolGate(kind, ImmutableArray.Create(inputs), ImmutableArray.Create(outputs));
    }

    private readonly record struct Line(int Number, string[] Tokens);

    /// <summary>Non-blank lines split into tokens, with their 1-based numbers.</summary>
    private sealed class LineSource(TextReader reader, string? source)
    {
        private int _number;
        private Line? _peeked;

        /// <summary>Number of the next non-blank line (or one past the end).</summary>
        public int Peek
        {
            get
            {
                _peeked ??= Read();
                return _peeked.Value.Number;
            }
        }

        public bool TryNext(out Line line)
        {
            line = _peeked ?? Read();
            _peeked = null;
            return line.Tokens.Length > 0;
        }

        public Line Next(string expected) =>
            TryNext(out var line) ? line : throw Error(line.Number, $"the file ends where {expected} was expected");

        public int Int(Line line, int index, string what)
        {
            string token = line.Tokens[index];
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                throw Error(line.Number, $"{what} '{token}' is not a non-negative integer");
            return value;
        }

        public BristolFormatException Error(int line, string reason) => new(source, line, reason);

        private Line Read()
        {
            while (reader.ReadLine() is string text)
            {
                _number++;
                var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length > 0) return new Line(_number, tokens);
            }
            return new Line(_number + 1, []);
        }
    }
}
