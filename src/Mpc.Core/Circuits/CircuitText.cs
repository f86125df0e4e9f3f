using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mpc.Core.Circuits;

/// <summary>A <c>.ir</c> text could not be parsed; the message is <c>file:line:col: reason</c>.</summary>
public sealed class CircuitParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">File name as given to the parser.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="reason">One-line reason.</param>
    /// <param name="inner">Underlying validation error, if any.</param>
    public CircuitParseException(string file, int line, int column, string reason, Exception? inner = null)
        : base($"{file}:{line}:{column}: {reason}", inner)
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>File name as given to the parser.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The reason without the location prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// The readable text form of the IR (<c>.ir</c> files, documented in <c>docs/ir.md</c>): a parser
/// and a canonical printer with <c>Parse(Print(c)) == c</c>.
/// </summary>
/// <remarks>
/// One statement per line, <c>#</c> starts a comment:
/// <code>
/// circuit NAME
/// party NAME                      # all parties before the first gate
/// %i = input NAME @PARTY
/// %i = const INT
/// %i = add|sub|mul %a %b
/// %i = mulc %a INT
/// %i = output NAME %a [@PARTY]    # no @PARTY: public
/// %i = ltz|eqz %a K               # [a &lt; 0], [a = 0] for signed K-bit a
/// %i = trunc|truncpr|mod2m %a K M # ⌊a / 2^M⌋ exact or probabilistic, a mod 2^M
/// </code>
/// Gates are numbered 0, 1, 2… in order: <c>%i</c> must equal the gate's index, so a wire's name is its id.
/// IR rules (unknown party, forward reference, duplicate names…) are checked by <see cref="Circuit"/>
/// and reported at the offending token.
/// </remarks>
public static class CircuitText
{
    /// <summary>Prints the canonical text form: header, parties (sorted), a blank line, one gate per line.</summary>
    public static string Print(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var sb = new StringBuilder();
        sb.Append("circuit ").Append(circuit.Name).Append('\n');
        foreach (var p in circuit.Parties) sb.Append("party ").Append(p).Append('\n');
        sb.Append('\n');
        for (int i = 0; i < circuit.Gates.Length; i++)
        {
            var g = circuit.Gates[i];
            sb.Append('%').Append(i).Append(" = ").Append(g.Kind.Mnemonic());
            switch (g.Kind)
            {
                case GateKind.Input: sb.Append(' ').Append(g.Name).Append(" @").Append(g.Party); break;
                case GateKind.Constant: sb.Append(' ').Append(g.Constant.ToString(CultureInfo.InvariantCulture)); break;
                case GateKind.MulConst: sb.Append(" %").Append(g.Left).Append(' ').Append(g.Constant.ToString(CultureInfo.InvariantCulture)); break;
                case GateKind.Output:
                    sb.Append(' ').Append(g.Name).Append(" %").Append(g.Left);
                    if (g.Party is not null) sb.Append(" @").Append(g.Party);
                    break;
                case GateKind.LessThanZero or GateKind.EqualZero:
                    sb.Append(" %").Append(g.Left).Append(' ').Append(g.Bits);
                    break;
                case GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m:
                    sb.Append(" %").Append(g.Left).Append(' ').Append(g.Bits).Append(' ').Append(g.Shift);
                    break;
                default: sb.Append(" %").Append(g.Left).Append(" %").Append(g.Right); break;
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses the text form.</summary>
    /// <param name="text">The source.</param>
    /// <param name="file">Name used in error messages.</param>
    /// <exception cref="CircuitParseException">Syntax or IR error, located at the offending token.</exception>
    public static Circuit Parse(string text, string file = "<input>")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text, file).Run();
    }

    private const string Operations = "input, const, add, sub, mulc, mul, output, ltz, eqz, trunc, truncpr, mod2m";

    private readonly record struct Pos(int Line, int Column);

    private readonly record struct Token(string Text, int Column);

    /// <summary>Token positions of one gate, so IR errors point at the right token.</summary>
    private struct GatePositions
    {
        public Pos Gate, Left, Right, Constant, Name, Party, Bits, Shift;
    }

    private sealed class Parser(string text, string file)
    {
        private readonly List<Gate> _gates = [];
        private readonly List<GatePositions> _gatePos = [];
        private readonly List<string> _parties = [];
        private readonly List<Pos> _partyPos = [];
        private string? _name;
        private Pos _namePos = new(1, 1);
        private int _line;

        public Circuit Run()
        {
            var lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                _line = i + 1;
                var tokens = Tokenize(lines[i].TrimEnd('\r'));
                if (tokens.Count > 0) Statement(tokens);
            }
            if (_name is null)
                throw Error(new Pos(1, 1), "empty circuit: expected 'circuit NAME'");
            try
            {
                return new Circuit(_name, _parties, _gates);
            }
            catch (CircuitValidationException e)
            {
                throw Error(Locate(e), e.Reason, e);
            }
        }

        private Pos Locate(CircuitValidationException e) => e.Part switch
        {
            CircuitPart.Circuit or CircuitPart.CircuitName => _namePos,
            CircuitPart.Party => _partyPos[e.Index],
            CircuitPart.Left => _gatePos[e.Index].Left,
            CircuitPart.Right => _gatePos[e.Index].Right,
            CircuitPart.Constant => _gatePos[e.Index].Constant,
            CircuitPart.Name => _gatePos[e.Index].Name,
            CircuitPart.GateParty => _gatePos[e.Index].Party,
            CircuitPart.Bits => _gatePos[e.Index].Bits,
            CircuitPart.Shift => _gatePos[e.Index].Shift,
            _ => _gatePos[e.Index].Gate,
        };

        private void Statement(List<Token> t)
        {
            var first = t[0];
            if (first.Text == "circuit")
            {
                if (_name is not null) throw Error(At(first), "duplicate 'circuit' header");
                Expect(t, 2, "circuit NAME");
                _name = Identifier(t[1], "circuit name");
                _namePos = At(t[1]);
                return;
            }
            if (_name is null) throw Error(At(first), $"expected 'circuit NAME' before anything else, got '{first.Text}'");
            if (first.Text == "party")
            {
                if (_gates.Count > 0) throw Error(At(first), "party declarations must come before the first gate");
                Expect(t, 2, "party NAME");
                _parties.Add(Identifier(t[1], "party name"));
                _partyPos.Add(At(t[1]));
                return;
            }
            if (!first.Text.StartsWith('%'))
                throw Error(At(first), $"expected 'party', or a gate '%{_gates.Count} = ...', got '{first.Text}'");
            GateStatement(t);
        }

        private void GateStatement(List<Token> t)
        {
            int index = _gates.Count;
            int declared = WireNumber(t[0]);
            if (declared != index)
                throw Error(At(t[0]), $"expected %{index} (gates are numbered in order), got {t[0].Text}");
            if (t.Count < 2 || t[1].Text != "=")
                throw Error(t.Count < 2 ? End(t) : At(t[1]), $"expected '=' after {t[0].Text}");
            if (t.Count < 3) throw Error(End(t), $"expected an operation ({Operations})");
            var op = t[2];
            if (!GateKinds.TryParseMnemonic(op.Text, out var kind))
                throw Error(At(op), $"unknown operation '{op.Text}' (expected {Operations})");
            var pos = new GatePositions { Gate = At(t[0]) };
            pos.Left = pos.Right = pos.Constant = pos.Name = pos.Party = pos.Bits = pos.Shift = At(op);
            Gate gate;
            switch (kind)
            {
                case GateKind.Input:
                    if (t.Count >= 5) ExpectAt(t[4]);
                    Expect(t, 6, "%i = input NAME @PARTY");
                    pos.Name = At(t[3]);
                    ExpectAt(t[4]);
                    pos.Party = At(t[5]);
                    gate = Gate.Input(Identifier(t[3], "input name"), Identifier(t[5], "party name"));
                    break;
                case GateKind.Constant:
                    Expect(t, 4, "%i = const INTEGER");
                    pos.Constant = At(t[3]);
                    gate = Gate.Const(Integer(t[3]));
                    break;
                case GateKind.MulConst:
                    Expect(t, 5, "%i = mulc %a INTEGER");
                    pos.Left = At(t[3]);
                    pos.Constant = At(t[4]);
                    gate = Gate.MulConst(WireNumber(t[3]), Integer(t[4]));
                    break;
                case GateKind.Output:
                    if (t.Count != 5)
                    {
                        if (t.Count >= 6) ExpectAt(t[5]);
                        Expect(t, 7, "%i = output NAME %a [@PARTY]");
                    }
                    pos.Name = At(t[3]);
                    pos.Left = At(t[4]);
                    string? party = null;
                    if (t.Count == 7)
                    {
                        ExpectAt(t[5]);
                        pos.Party = At(t[6]);
                        party = Identifier(t[6], "party name");
                    }
                    gate = Gate.Output(Identifier(t[3], "output name"), WireNumber(t[4]), party);
                    break;
                case GateKind.LessThanZero or GateKind.EqualZero:
                    Expect(t, 5, $"%i = {op.Text} %a BITS");
                    pos.Left = At(t[3]);
                    pos.Bits = At(t[4]);
                    gate = Gate.Integer(kind, WireNumber(t[3]), Parameter(t[4], "bit length"), 0);
                    break;
                case GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m:
                    Expect(t, 6, $"%i = {op.Text} %a BITS SHIFT");
                    pos.Left = At(t[3]);
                    pos.Bits = At(t[4]);
                    pos.Shift = At(t[5]);
                    gate = Gate.Integer(kind, WireNumber(t[3]), Parameter(t[4], "bit length"), Parameter(t[5], "shift"));
                    break;
                default:
                    Expect(t, 5, $"%i = {op.Text} %a %b");
                    pos.Left = At(t[3]);
                    pos.Right = At(t[4]);
                    gate = new Gate(kind, WireNumber(t[3]), WireNumber(t[4]), BigInteger.Zero, null, null);
                    break;
            }
            _gates.Add(gate);
            _gatePos.Add(pos);
        }

        private void Expect(List<Token> t, int count, string form)
        {
            if (t.Count < count) throw Error(End(t), $"incomplete statement: expected '{form}'");
            if (t.Count > count) throw Error(At(t[count]), $"unexpected '{t[count].Text}': expected '{form}'");
        }

        private void ExpectAt(Token token)
        {
            if (token.Text != "@") throw Error(At(token), $"expected '@' before the party, got '{token.Text}'");
        }

        private string Identifier(Token token, string what)
        {
            if (!Circuit.IsIdentifier(token.Text))
                throw Error(At(token), $"{what} '{token.Text}' is not an identifier ([A-Za-z_][A-Za-z0-9_]*, at most {Circuit.MaxIdentifierLength} characters)");
            return token.Text;
        }

        private int WireNumber(Token token)
        {
            var s = token.Text;
            if (s.Length < 2 || s[0] != '%' || !IsDigits(s.AsSpan(1)) || (s.Length > 2 && s[1] == '0')
                || !int.TryParse(s.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int wire))
                throw Error(At(token), $"expected a wire like %3, got '{s}'");
            return wire;
        }

        private int Parameter(Token token, string what)
        {
            var s = token.Text;
            if (!IsDigits(s) || s.Length == 0 || (s.Length > 1 && s[0] == '0')
                || !int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > Gate.MaxBits)
                throw Error(At(token), $"expected a {what} (a decimal integer from 0 to {Gate.MaxBits}), got '{s}'");
            return value;
        }

        private BigInteger Integer(Token token)
        {
            var s = token.Text;
            var digits = s.StartsWith('-') ? s.AsSpan(1) : s.AsSpan();
            // Canonical integers only (no '+', no leading zeros, no "-0"), so printing is unique.
            bool canonical = digits.Length > 0 && IsDigits(digits) && (digits.Length == 1 || digits[0] != '0') && s != "-0";
            if (!canonical || digits.Length > 4096)
                throw Error(At(token), $"expected a decimal integer (optionally negative, no leading zeros), got '{s}'");
            return BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private static bool IsDigits(ReadOnlySpan<char> s)
        {
            foreach (char c in s)
                if (!char.IsAsciiDigit(c)) return false;
            return true;
        }

        private List<Token> Tokenize(string line)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == '#') break;
                if (c is ' ' or '\t') { i++; continue; }
                if (c is '=' or '@')
                {
                    tokens.Add(new Token(c.ToString(), i + 1));
                    i++;
                    continue;
                }
                if (char.IsAsciiLetterOrDigit(c) || c is '_' or '%' or '-' or '+')
                {
                    int start = i;
                    while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or '%' or '-' or '+' or '.')) i++;
                    tokens.Add(new Token(line[start..i], start + 1));
                    continue;
                }
                throw Error(new Pos(_line, i + 1), $"unexpected character '{c}'");
            }
            return tokens;
        }

        private Pos At(Token token) => new(_line, token.Column);

        private Pos End(List<Token> t) => new(_line, t[^1].Column + t[^1].Text.Length);

        private CircuitParseException Error(Pos pos, string reason, Exception? inner = null) =>
            new(file, pos.Line, pos.Column, reason, inner);
    }
}
