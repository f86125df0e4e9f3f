using System.Collections.Immutable;
using System.Numerics;

namespace Mpc.Core.Circuits.Language;

/// <summary>Token kinds of the <c>.circ</c> lexer.</summary>
internal enum TokenKind
{
    End, Identifier, Integer, Decimal, Keyword,
    LParen, RParen, LBrace, RBrace, LBracket, RBracket,
    Comma, Semicolon, Colon, Dot, DotDot, Arrow, Assign,
    Plus, Minus, Star, Slash, Percent, Caret, Bang,
    Less, LessEqual, Greater, GreaterEqual, EqualEqual, NotEqual, AndAnd, OrOr,
}

/// <summary>One token; <see cref="Text"/> is the source text (keyword/identifier spelling, literal digits).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, SourcePosition At);

/// <summary>The scalar base types.</summary>
public enum ScalarKind
{
    /// <summary>An element of the run's prime field.</summary>
    Field,

    /// <summary>A signed 32-bit integer.</summary>
    Int32,

    /// <summary>A signed 64-bit integer.</summary>
    Int64,

    /// <summary>A 40-bit signed fixed-point number with 16 fractional bits.</summary>
    Fixed,

    /// <summary>0 or 1.</summary>
    Bool,
}

/// <summary>A syntactic type: a scalar kind and array dimensions given as expressions (consts or literals).</summary>
internal sealed record TypeSyntax(ScalarKind Scalar, ImmutableArray<Expr> Dimensions, SourcePosition At);

// ---- expressions ----

internal abstract record Expr(SourcePosition At);

internal sealed record IntLiteral(BigInteger Value, SourcePosition At) : Expr(At);

/// <summary>A decimal literal, kept exact as <c>Numerator / 10^Scale</c>.</summary>
internal sealed record DecimalLiteral(BigInteger Numerator, int Scale, SourcePosition At) : Expr(At);

internal sealed record BoolLiteral(bool Value, SourcePosition At) : Expr(At);

internal sealed record NameExpr(string Name, SourcePosition At) : Expr(At);

internal sealed record IndexExpr(Expr Target, Expr Index, SourcePosition At) : Expr(At);

internal sealed record CallExpr(string Name, ImmutableArray<Expr> Arguments, SourcePosition At) : Expr(At);

internal sealed record UnaryExpr(TokenKind Op, Expr Operand, SourcePosition At) : Expr(At);

internal sealed record BinaryExpr(TokenKind Op, Expr Left, Expr Right, SourcePosition At) : Expr(At);

internal sealed record ArrayExpr(ImmutableArray<Expr> Elements, SourcePosition At) : Expr(At);

// ---- statements ----

internal abstract record Stmt(SourcePosition At);

internal sealed record LetStmt(string Name, TypeSyntax? Type, Expr Value, SourcePosition At) : Stmt(At);

/// <summary><c>target = value;</c> where target is a name or an indexed name.</summary>
internal sealed record AssignStmt(Expr Target, Expr Value, SourcePosition At) : Stmt(At);

internal sealed record ForStmt(string Variable, Expr From, Expr To, ImmutableArray<Stmt> Body, SourcePosition At) : Stmt(At);

internal sealed record IfStmt(Expr Condition, ImmutableArray<Stmt> Then, ImmutableArray<Stmt> Else, SourcePosition At) : Stmt(At);

internal sealed record ReturnStmt(Expr Value, SourcePosition At) : Stmt(At);

internal sealed record ExprStmt(Expr Value, SourcePosition At) : Stmt(At);

// ---- top level ----

/// <summary><c>party auditor;</c>: a party that only receives outputs (owners of inputs are declared by their inputs).</summary>
internal sealed record PartyDecl(string Name, SourcePosition At) : Stmt(At);

internal sealed record ConstDecl(string Name, Expr Value, SourcePosition At) : Stmt(At);

/// <summary><c>input owner.name: type;</c> or, with <see cref="PartyCount"/>, <c>input owner[N].name: type;</c>.</summary>
internal sealed record InputDecl(string Owner, Expr? PartyCount, string Name, TypeSyntax Type, SourcePosition At) : Stmt(At);

/// <summary><c>output name = e;</c> (public) or <c>output party.name = e;</c> (private to party).</summary>
internal sealed record OutputDecl(string? Party, string Name, Expr Value, SourcePosition At) : Stmt(At);

internal sealed record Parameter(string Name, TypeSyntax Type, SourcePosition At);

internal sealed record FunctionDecl(string Name, ImmutableArray<Parameter> Parameters, TypeSyntax ReturnType, ImmutableArray<Stmt> Body, SourcePosition At) : Stmt(At);

/// <summary>A parsed program: top-level statements in order, and the functions by name.</summary>
internal sealed record ProgramSyntax(string File, string Source, ImmutableArray<Stmt> Statements, ImmutableDictionary<string, FunctionDecl> Functions);
