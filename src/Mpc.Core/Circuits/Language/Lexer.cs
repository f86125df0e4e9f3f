using System.Globalization;

namespace Mpc.Core.Circuits.Language;

/// <summary>Splits <c>.circ</c> source into tokens; bad characters are reported and skipped so parsing can go on.</summary>
internal static class Lexer
{
    public static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "input", "output", "party", "const", "let", "fn", "return", "for", "in", "if", "else", "true", "false",
        "field", "int32", "int64", "fixed", "bool",
    };

    public static List<Token> Tokenize(string source, DiagnosticBag diagnostics)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, lineStart = 0;
        while (i < source.Length)
        {
            char c = source[i];
            var at = new SourcePosition(line, i - lineStart + 1);
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '#' || (c == '/' && Peek(source, i + 1) == '/'))
            {
                while (i < source.Length && source[i] != '\n') i++;
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_')) i++;
                string word = source[start..i];
                tokens.Add(new Token(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Identifier, word, at));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                int start = i;
                if (c == '0' && (Peek(source, i + 1) is 'x' or 'X'))
                {
                    i += 2;
                    while (i < source.Length && char.IsAsciiHexDigit(source[i])) i++;
                    if (i == start + 2) diagnostics.Error(at, "hexadecimal literal has no digits");
                    tokens.Add(new Token(TokenKind.Integer, source[start..i], at));
                    continue;
                }
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                // "1.5" is a decimal, "0..N" is a range: a dot followed by a digit makes a decimal.
                if (Peek(source, i) == '.' && char.IsAsciiDigit(Peek(source, i + 1)))
                {
                    i++;
                    while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                    tokens.Add(new Token(TokenKind.Decimal, source[start..i], at));
                }
                else tokens.Add(new Token(TokenKind.Integer, source[start..i], at));
                if (i < source.Length && (char.IsAsciiLetter(source[i]) || source[i] == '_'))
                    diagnostics.Error(new SourcePosition(line, i - lineStart + 1), $"unexpected '{source[i]}' after a number");
                continue;
            }
            char n = Peek(source, i + 1);
            (TokenKind kind, int length) = c switch
            {
                '(' => (TokenKind.LParen, 1),
                ')' => (TokenKind.RParen, 1),
                '{' => (TokenKind.LBrace, 1),
                '}' => (TokenKind.RBrace, 1),
                '[' => (TokenKind.LBracket, 1),
                ']' => (TokenKind.RBracket, 1),
                ',' => (TokenKind.Comma, 1),
                ';' => (TokenKind.Semicolon, 1),
                ':' => (TokenKind.Colon, 1),
                '.' => n == '.' ? (TokenKind.DotDot, 2) : (TokenKind.Dot, 1),
                '-' => n == '>' ? (TokenKind.Arrow, 2) : (TokenKind.Minus, 1),
                '=' => n == '=' ? (TokenKind.EqualEqual, 2) : (TokenKind.Assign, 1),
                '!' => n == '=' ? (TokenKind.NotEqual, 2) : (TokenKind.Bang, 1),
                '<' => n == '=' ? (TokenKind.LessEqual, 2) : (TokenKind.Less, 1),
                '>' => n == '=' ? (TokenKind.GreaterEqual, 2) : (TokenKind.Greater, 1),
                '&' when n == '&' => (TokenKind.AndAnd, 2),
                '|' when n == '|' => (TokenKind.OrOr, 2),
                '+' => (TokenKind.Plus, 1),
                '*' => (TokenKind.Star, 1),
                '/' => (TokenKind.Slash, 1),
                '%' => (TokenKind.Percent, 1),
                '^' => (TokenKind.Caret, 1),
                _ => (TokenKind.End, 0),
            };
            if (c is '&' or '|' && length == 0)
            {
                // Read a lone & or | as the logical operator it almost certainly means, so parsing goes on cleanly.
                diagnostics.Error(at, $"unexpected '{c}': the logical operators are '&&' and '||'");
                (kind, length) = (c == '&' ? TokenKind.AndAnd : TokenKind.OrOr, 1);
            }
            if (length == 0)
            {
                diagnostics.Error(at, $"unexpected character '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString())}'");
                i++;
                continue;
            }
            tokens.Add(new Token(kind, source.Substring(i, length), at));
            i += length;
        }
        tokens.Add(new Token(TokenKind.End, "end of file", new SourcePosition(line, i - lineStart + 1)));
        return tokens;
    }

    private static char Peek(string s, int i) => i < s.Length ? s[i] : '\0';
}
