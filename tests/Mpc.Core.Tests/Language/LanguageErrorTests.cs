using Mpc.Core.Circuits.Language;

namespace Mpc.Core.Tests.Language;

/// <summary>Golden tests: each bad program gives exactly these diagnostics, with file:line:col.</summary>
public class LanguageErrorTests
{
    private static IReadOnlyList<string> Errors(string source)
    {
        var e = Assert.Throws<CircCompileException>(() => CircProgram.Parse(source, "t.circ").Compile());
        return e.Diagnostics.Select(d => d.ToString()).ToList();
    }

    [Theory]
    // lexer and parser
    [InlineData("input alice.x: int32;\noutput y = x & 2;", "t.circ:2:14: unexpected '&': the logical operators are '&&' and '||'")]
    [InlineData("input alice.x: int32\noutput y = x;", "t.circ:2:1: expected ';', found keyword 'output'")]
    [InlineData("input x: int32;\noutput y = x;", "t.circ:1:8: expected '.' between party and input name (input alice.x: int32;), found ':'")]
    [InlineData("input alice.x: int16;\noutput y = x;", "t.circ:1:16: expected a type (field, int32, int64, fixed, bool), found identifier 'int16'")]
    [InlineData("input alice.x: int32;\noutput y = (x + ;", "t.circ:2:17: expected an expression, found ';'")]
    [InlineData("input alice.x: int32;\nlet a = 1;\nfor i in 0..3 { output z = a; }\noutput y = x;", "t.circ:3:17: 'output' is only allowed at the top level of the program")]
    [InlineData("input alice.x: int32;\n3 = x;\noutput y = x;", "t.circ:2:1: only a variable or an array element can be assigned")]
    // names
    [InlineData("input alice.x: int32;\noutput y = z;", "t.circ:2:12: 'z' is not declared")]
    [InlineData("input alice.v: int32;\ninput bob.v: int32;\noutput y = v;", "t.circ:3:12: 'v' is ambiguous: several parties have an input 'v'; write party.v (e.g. alice.v)")]
    [InlineData("input alice.x: int32;\ninput alice.x: int64;\noutput y = x;", "t.circ:2:1: input 'alice.x' is declared twice")]
    [InlineData("input alice.x: int32;\noutput y = x;\noutput y = x;", "t.circ:3:1: output 'y' is declared twice")]
    [InlineData("input alice.x: int32;\nx = 1;\noutput y = x;", "t.circ:2:1: 'x' is an input and cannot be assigned (copy it: let v = x;)")]
    [InlineData("input alice.x: int32;\noutput y = foo(x);", "t.circ:2:12: unknown function 'foo'")]
    [InlineData("input alice.x: int32;", "t.circ:1:1: the program has no outputs (declare at least one: output name = expression;)")]
    // kinds
    [InlineData("input alice.x: field;\ninput bob.y: field;\noutput c = x < y;", "t.circ:3:14: cannot compare field values: field elements have no order (use int32 or int64)")]
    [InlineData("input alice.x: int32;\ninput bob.y: int64;\noutput c = x + y;", "t.circ:3:14: operator '+' cannot mix int32 and int64; convert one side explicitly (e.g. int32(x))")]
    [InlineData("input alice.x: bool;\noutput c = x + 1;", "t.circ:2:14: operator '+' cannot mix bool and integer literal; convert one side explicitly (e.g. bool(x))")]
    [InlineData("input alice.x: int32;\noutput c = x && true;", "t.circ:2:14: operator '&&' cannot mix int32 and bool; convert one side explicitly (e.g. int32(x))")]
    [InlineData("input alice.x: int32;\nif x { }\noutput c = x;", "t.circ:2:4: an if condition must be a bool, not secret int32")]
    // secret versus public
    [InlineData("input alice.v: int32[4];\ninput bob.i: int32;\noutput c = v[i];", "t.circ:3:14: an array index must be public (a secret index would reveal which element is read; loop over the array with select instead)")]
    [InlineData("input alice.n: int32;\nlet s = 0;\nfor i in 0..n { s = s + i; }\noutput c = s;", "t.circ:3:13: a loop bound must be public (known when the program is compiled), but this value is secret")]
    [InlineData("input alice.n: int32;\nconst K = n;\noutput c = K;", "t.circ:2:11: const 'K' must be computed from public values only")]
    [InlineData("input alice.x: int64;\ninput bob.d: int64;\noutput c = x / d;", "t.circ:3:16: operator '/' by a secret divisor is supported on int32 and fixed only: the secret reciprocal of int64 values needs more than the 85 bits an integer gate has in Fp127 (divide int32 values, or make the divisor public)")]
    [InlineData("input alice.x: int32;\noutput c = sqrt(x);", "t.circ:2:12: sqrt needs a fixed scalar, not secret int32 (convert with fixed(x))")]
    [InlineData("input alice.x: fixed[2];\noutput c = sigmoid(x);", "t.circ:2:12: sigmoid needs a fixed scalar, not secret fixed[] (convert with fixed(x))")]
    [InlineData("output c = exp(16.0);", "t.circ:1:12: exp overflow: exp(x) is defined for x ≤ 15.2492 (results below 2^22), not x = 16")]
    [InlineData("output c = sqrt(0.0 - 1.0);", "t.circ:1:12: sqrt of a negative value (-1)")]
    [InlineData("input alice.n: int32;\ninput bob.v: int32[n];\noutput c = n;", "t.circ:2:20: an array size must be public (known when the program is compiled), but this value is secret")]
    // arrays and built-ins
    [InlineData("input alice.x: int32;\noutput c = x[0];", "t.circ:2:13: cannot index a scalar (secret int32)")]
    [InlineData("input alice.v: int32[3];\noutput c = v + 1;", "t.circ:2:14: operator '+' applies to scalars, not arrays (use sum, dot or a loop)")]
    [InlineData("input alice.v: bool[3];\noutput c = max(v);", "t.circ:2:12: max needs a one-dimensional array of int32, int64 or fixed, not secret bool[]")]
    [InlineData("input alice.v: int32[3];\noutput c = sum(v, v);", "t.circ:2:12: sum takes 1 argument(s), not 2")]
    // functions
    [InlineData("fn f(a: int32) -> int32 { return f(a); }\ninput alice.x: int32;\noutput c = f(x);", "t.circ:1:34: function 'f' calls itself; functions are inlined, so recursion cannot be compiled")]
    [InlineData("fn f(a: int32) -> int32 { let b = a; }\ninput alice.x: int32;\noutput c = f(x);", "t.circ:1:1: function 'f' must end with return")]
    [InlineData("fn f(a: int32) -> bool { return a; }\ninput alice.x: int32;\noutput c = f(x);", "t.circ:1:33: function 'f' returns bool, not secret int32")]
    [InlineData("fn f(a: int32) -> int32 { return a; }\ninput alice.x: int64;\noutput c = f(x);", "t.circ:3:14: argument 'a' of 'f' is int32, not secret int64")]
    [InlineData("fn unused(a: int32) -> int32 { return a + true; }\ninput alice.x: int32;\noutput c = x;", "t.circ:1:41: operator '+' cannot mix int32 and bool; convert one side explicitly (e.g. int32(x))")]
    // found while unrolling
    [InlineData("input alice.x: int32;\ninput bob.y: int32;\noutput bobb.z = x * y;", "t.circ:3:1: output to unknown party 'bobb' (parties so far: alice, bob); declare a party that only receives outputs with: party bobb;")]
    [InlineData("input alice.v: int32[3];\noutput c = v[3];", "t.circ:2:13: index 3 is out of range for an array of 3")]
    [InlineData("const BIG = 2147483647;\ninput alice.x: int32;\nlet b: int32 = BIG;\noutput c = x + b * 2;", "t.circ:4:18: int32 overflow: 4294967294 is outside [-2147483648, 2147483647]")]
    [InlineData("input alice.x: int32;\noutput c = x / 0;", "t.circ:2:14: division by zero")]
    [InlineData("input alice.x: int64;\noutput c = x / 3;", "t.circ:2:14: int64 division is only supported by public powers of two (int32 divides by any public constant)")]
    [InlineData("input alice.u: int32[3];\ninput bob.v: int32[2];\noutput c = dot(u, v);", "t.circ:3:12: dot of arrays of different lengths (3 and 2)")]
    public void Bad_programs_are_reported_with_file_line_and_column(string source, string expected)
    {
        Assert.Equal([expected], Errors(source));
    }

    [Fact]
    public void An_unexpected_character_is_reported_and_parsing_goes_on()
    {
        Assert.Equal(
            ["t.circ:2:14: unexpected character '$'", "t.circ:2:16: expected ';', found number 2"],
            Errors("input alice.x: int32;\noutput y = x $ 2;"));
    }

    [Fact]
    public void Type_checking_waits_for_a_syntactically_correct_program()
    {
        const string source = """
            input alice.x: int32;
            input bob.y: field;
            let a = x < y;
            let b = q + 1;
            let c = (x + ;
            output o = x;
            """;

        var errors = Errors(source);

        Assert.Equal(
            [
                "t.circ:5:14: expected an expression, found ';'",
            ],
            errors);
    }

    [Fact]
    public void Type_errors_are_all_reported_when_the_syntax_is_fine()
    {
        const string source = """
            input alice.x: int32;
            input bob.y: field;
            let a = x < y;
            let b = q + 1;
            output o = x[1];
            """;

        Assert.Equal(
            [
                "t.circ:3:11: operator '<' cannot mix int32 and field; convert one side explicitly (e.g. int32(x))",
                "t.circ:4:9: 'q' is not declared",
                "t.circ:5:13: cannot index a scalar (secret int32)",
            ],
            Errors(source));
    }

    [Fact]
    public void The_message_shows_the_offending_line_with_a_caret_under_the_column()
    {
        var e = Assert.Throws<CircCompileException>(() => CircProgram.Parse("input alice.x: int32;\noutput y = x < true;\n", "t.circ"));

        Assert.Equal(
            "t.circ:2:14: operator '<' cannot mix int32 and bool; convert one side explicitly (e.g. int32(x))\n" +
            "    output y = x < true;\n" +
            "                 ^",
            e.Message);
    }

    [Fact]
    public void Parser_recovers_at_statement_ends_and_reports_each_syntax_error()
    {
        const string source = "input alice.x: int32;\nlet a = ;\nlet b = x +* 2;\nfor i in 0..3 { let c = ); }\noutput o = x;";

        Assert.Equal(
            [
                "t.circ:2:9: expected an expression, found ';'",
                "t.circ:3:12: expected an expression, found '*'",
                "t.circ:4:25: expected an expression, found ')'",
            ],
            Errors(source));
    }
}
