using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// Recursive-descent parser for <c>.circ</c>. On a syntax error it records a diagnostic, skips to the end
/// of the statement (<c>;</c> or the closing <c>}</c>) and goes on, so one run reports several errors.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private int _pos;

    private Parser(List<Token> tokens, DiagnosticBag diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    private sealed class SyntaxError(SourcePosition at, string message) : Exception(message)
    {
        public SourcePosition At { get; } = at;
    }

    public static ProgramSyntax Parse(string source, string file, DiagnosticBag diagnostics)
    {
        var parser = new Parser(Lexer.Tokenize(source, diagnostics), diagnostics);
        var statements = ImmutableArray.CreateBuilder<Stmt>();
        var functions = ImmutableDictionary.CreateBuilder<string, FunctionDecl>(StringComparer.Ordinal);
        while (parser.Current.Kind != TokenKind.End)
        {
            var stmt = parser.Recover(parser.TopLevel, topLevel: true);
            if (stmt is FunctionDecl f)
            {
                if (!functions.TryAdd(f.Name, f)) diagnostics.Error(f.At, $"function '{f.Name}' is defined twice");
            }
            else if (stmt is not null) statements.Add(stmt);
        }
        return new ProgramSyntax(file, source, statements.ToImmutable(), functions.ToImmutable());
    }

    private Token Current => _tokens[_pos];

    private Token Advance() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private bool At(TokenKind kind) => Current.Kind == kind;

    private bool AtKeyword(string word) => Current.Kind == TokenKind.Keyword && Current.Text == word;

    private bool Accept(TokenKind kind)
    {
        if (!At(kind)) return false;
        Advance();
        return true;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (At(kind)) return Advance();
        throw Error($"expected {what}, found {Describe(Current)}");
    }

    private void ExpectKeyword(string word)
    {
        if (AtKeyword(word)) Advance();
        else throw Error($"expected '{word}', found {Describe(Current)}");
    }

    private SyntaxError Error(string message) => new(Current.At, message);

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.Identifier => $"identifier '{t.Text}'",
        TokenKind.Keyword => $"keyword '{t.Text}'",
        TokenKind.Integer or TokenKind.Decimal => $"number {t.Text}",
        _ => $"'{t.Text}'",
    };

    // Runs one statement parser; on a syntax error records it and skips past the statement.
    private Stmt? Recover(Func<Stmt> parse, bool topLevel)
    {
        int start = _pos;
        try
        {
            return parse();
        }
        catch (SyntaxError e)
        {
            _diagnostics.Error(e.At, e.Message);
            int depth = 0;
            while (!At(TokenKind.End))
            {
                var k = Current.Kind;
                if (k == TokenKind.LBrace) depth++;
                else if (k == TokenKind.RBrace)
                {
                    if (depth == 0)
                    {
                        // The enclosing block's brace: leave it for the block (or drop it at top level).
                        if (topLevel || _pos == start) Advance();
                        break;
                    }
                    depth--;
                    if (depth == 0) { Advance(); break; }
                }
                else if (k == TokenKind.Semicolon && depth == 0) { Advance(); break; }
                Advance();
            }
            if (_pos == start) Advance();
            return null;
        }
    }

    private Stmt TopLevel()
    {
        if (AtKeyword("input")) return Input();
        if (AtKeyword("output")) return Output();
        if (AtKeyword("const")) return Const();
        if (AtKeyword("fn")) return Function();
        if (AtKeyword("party"))
        {
            var at = Advance().At;
            string name = Expect(TokenKind.Identifier, "the party's name").Text;
            Expect(TokenKind.Semicolon, "';'");
            return new PartyDecl(name, at);
        }
        return Statement();
    }

    private InputDecl Input()
    {
        var at = Advance().At;
        string owner = Expect(TokenKind.Identifier, "the owning party's name (input alice.x: int32;)").Text;
        Expr? count = null;
        if (Accept(TokenKind.LBracket))
        {
            count = Expression();
            Expect(TokenKind.RBracket, "']'");
        }
        Expect(TokenKind.Dot, "'.' between party and input name (input alice.x: int32;)");
        string name = Expect(TokenKind.Identifier, "the input's name").Text;
        Expect(TokenKind.Colon, "':' and the input's type");
        var type = Type();
        Expect(TokenKind.Semicolon, "';'");
        return new InputDecl(owner, count, name, type, at);
    }

    private OutputDecl Output()
    {
        var at = Advance().At;
        string first = Expect(TokenKind.Identifier, "the output's name (output total = …; or output alice.total = …;)").Text;
        string? party = null;
        string name = first;
        if (Accept(TokenKind.Dot))
        {
            party = first;
            name = Expect(TokenKind.Identifier, "the output's name after the party").Text;
        }
        Expect(TokenKind.Assign, "'='");
        var value = Expression();
        Expect(TokenKind.Semicolon, "';'");
        return new OutputDecl(party, name, value, at);
    }

    private ConstDecl Const()
    {
        var at = Advance().At;
        string name = Expect(TokenKind.Identifier, "the constant's name").Text;
        Expect(TokenKind.Assign, "'='");
        var value = Expression();
        Expect(TokenKind.Semicolon, "';'");
        return new ConstDecl(name, value, at);
    }

    private FunctionDecl Function()
    {
        var at = Advance().At;
        string name = Expect(TokenKind.Identifier, "the function's name").Text;
        Expect(TokenKind.LParen, "'('");
        var parameters = ImmutableArray.CreateBuilder<Parameter>();
        if (!At(TokenKind.RParen))
        {
            do
            {
                var p = Expect(TokenKind.Identifier, "a parameter name");
                Expect(TokenKind.Colon, "':' and the parameter's type");
                parameters.Add(new Parameter(p.Text, Type(), p.At));
            } while (Accept(TokenKind.Comma));
        }
        Expect(TokenKind.RParen, "')'");
        Expect(TokenKind.Arrow, "'->' and the return type");
        var returnType = Type();
        var body = Block();
        return new FunctionDecl(name, parameters.ToImmutable(), returnType, body, at);
    }

    private TypeSyntax Type()
    {
        var t = Current;
        ScalarKind kind = t.Kind == TokenKind.Keyword ? t.Text switch
        {
            "field" => ScalarKind.Field,
            "int32" => ScalarKind.Int32,
            "int64" => ScalarKind.Int64,
            "fixed" => ScalarKind.Fixed,
            "bool" => ScalarKind.Bool,
            _ => throw Error($"expected a type (field, int32, int64, fixed, bool), found {Describe(t)}"),
        } : throw Error($"expected a type (field, int32, int64, fixed, bool), found {Describe(t)}");
        Advance();
        var dims = ImmutableArray.CreateBuilder<Expr>();
        while (Accept(TokenKind.LBracket))
        {
            dims.Add(Expression());
            Expect(TokenKind.RBracket, "']'");
        }
        return new TypeSyntax(kind, dims.ToImmutable(), t.At);
    }

    private ImmutableArray<Stmt> Block()
    {
        Expect(TokenKind.LBrace, "'{'");
        var body = ImmutableArray.CreateBuilder<Stmt>();
        while (!At(TokenKind.RBrace) && !At(TokenKind.End))
        {
            var s = Recover(Statement, topLevel: false);
            if (s is not null) body.Add(s);
        }
        Expect(TokenKind.RBrace, "'}'");
        return body.ToImmutable();
    }

    private Stmt Statement()
    {
        var at = Current.At;
        if (AtKeyword("let"))
        {
            Advance();
            string name = Expect(TokenKind.Identifier, "the variable's name").Text;
            TypeSyntax? type = Accept(TokenKind.Colon) ? Type() : null;
            Expect(TokenKind.Assign, "'=' (a let needs a value)");
            var value = Expression();
            Expect(TokenKind.Semicolon, "';'");
            return new LetStmt(name, type, value, at);
        }
        if (AtKeyword("for"))
        {
            Advance();
            string variable = Expect(TokenKind.Identifier, "the loop variable").Text;
            ExpectKeyword("in");
            var from = Expression();
            Expect(TokenKind.DotDot, "'..' (for i in 0..N)");
            var to = Expression();
            return new ForStmt(variable, from, to, Block(), at);
        }
        if (AtKeyword("if")) return If();
        if (AtKeyword("return"))
        {
            Advance();
            var value = Expression();
            Expect(TokenKind.Semicolon, "';'");
            return new ReturnStmt(value, at);
        }
        if (AtKeyword("input") || AtKeyword("output") || AtKeyword("const") || AtKeyword("fn") || AtKeyword("party"))
            throw Error($"'{Current.Text}' is only allowed at the top level of the program");
        var target = Expression();
        if (Accept(TokenKind.Assign))
        {
            if (target is not (NameExpr or IndexExpr))
                throw new SyntaxError(target.At, "only a variable or an array element can be assigned");
            var value = Expression();
            Expect(TokenKind.Semicolon, "';'");
            return new AssignStmt(target, value, at);
        }
        Expect(TokenKind.Semicolon, "';'");
        return new ExprStmt(target, at);
    }

    private IfStmt If()
    {
        var at = Advance().At;
        var condition = Expression();
        var then = Block();
        var otherwise = ImmutableArray<Stmt>.Empty;
        if (AtKeyword("else"))
        {
            Advance();
            otherwise = AtKeyword("if") ? [If()] : Block();
        }
        return new IfStmt(condition, then, otherwise, at);
    }

    // ---- expressions, lowest precedence first ----

    public Expr Expression() => Binary(0);

    private static readonly TokenKind[][] Levels =
    [
        [TokenKind.OrOr],
        [TokenKind.AndAnd],
        [TokenKind.EqualEqual, TokenKind.NotEqual],
        [TokenKind.Less, TokenKind.LessEqual, TokenKind.Greater, TokenKind.GreaterEqual],
        [TokenKind.Plus, TokenKind.Minus, TokenKind.Caret],
        [TokenKind.Star, TokenKind.Slash, TokenKind.Percent],
    ];

    private Expr Binary(int level)
    {
        if (level == Levels.Length) return Unary();
        var left = Binary(level + 1);
        while (Array.IndexOf(Levels[level], Current.Kind) >= 0)
        {
            var op = Advance();
            var right = Binary(level + 1);
            left = new BinaryExpr(op.Kind, left, right, op.At);
        }
        return left;
    }

    private Expr Unary()
    {
        if (At(TokenKind.Minus) || At(TokenKind.Bang))
        {
            var op = Advance();
            return new UnaryExpr(op.Kind, Unary(), op.At);
        }
        return Postfix();
    }

    private Expr Postfix()
    {
        var e = Primary();
        while (At(TokenKind.LBracket))
        {
            var at = Advance().At;
            var index = Expression();
            Expect(TokenKind.RBracket, "']'");
            e = new IndexExpr(e, index, at);
        }
        return e;
    }

    private Expr Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return new IntLiteral(t.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? BigInteger.Parse("0" + t.Text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                    : BigInteger.Parse(t.Text, CultureInfo.InvariantCulture), t.At);
            case TokenKind.Decimal:
            {
                Advance();
                int dot = t.Text.IndexOf('.');
                string digits = t.Text.Remove(dot, 1);
                return new DecimalLiteral(BigInteger.Parse(digits, CultureInfo.InvariantCulture), t.Text.Length - dot - 1, t.At);
            }
            case TokenKind.Keyword when t.Text is "true" or "false":
                Advance();
                return new BoolLiteral(t.Text == "true", t.At);
            case TokenKind.Keyword when t.Text is "field" or "int32" or "int64" or "fixed" or "bool":
            case TokenKind.Identifier:
            {
                Advance();
                if (!Accept(TokenKind.LParen))
                {
                    if (t.Kind == TokenKind.Keyword) throw new SyntaxError(t.At, $"'{t.Text}' is a type; write {t.Text}(x) to convert a value");
                    // party.input names an input when several parties use the same input name.
                    if (At(TokenKind.Dot) && _tokens[_pos + 1].Kind == TokenKind.Identifier)
                    {
                        Advance();
                        return new NameExpr(t.Text + "." + Advance().Text, t.At);
                    }
                    return new NameExpr(t.Text, t.At);
                }
                var args = ImmutableArray.CreateBuilder<Expr>();
                if (!At(TokenKind.RParen))
                {
                    do args.Add(Expression());
                    while (Accept(TokenKind.Comma));
                }
                Expect(TokenKind.RParen, "')' or ','");
                return new CallExpr(t.Text, args.ToImmutable(), t.At);
            }
            case TokenKind.LParen:
            {
                Advance();
                var e = Expression();
                Expect(TokenKind.RParen, "')'");
                return e;
            }
            case TokenKind.LBracket:
            {
                Advance();
                var elements = ImmutableArray.CreateBuilder<Expr>();
                if (!At(TokenKind.RBracket))
                {
                    do elements.Add(Expression());
                    while (Accept(TokenKind.Comma));
                }
                Expect(TokenKind.RBracket, "']' or ','");
                return new ArrayExpr(elements.ToImmutable(), t.At);
            }
            default:
                throw Error($"expected an expression, found {Describe(t)}");
        }
    }
}
