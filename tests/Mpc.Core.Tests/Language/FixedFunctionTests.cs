using System.Globalization;
using System.Numerics;
using System.Text;
using FsCheck.Xunit;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using static Mpc.Core.Tests.Language.LanguageHarness;

namespace Mpc.Core.Tests.Language;

/// <summary>
/// Secret division and the fixed-point built-ins (sqrt, exp, sigmoid, recip): the interpreter's exact rounded results by
/// hand, and the compiled circuit (IR evaluator and MPC) within the error bounds of docs/language.md.
/// </summary>
public class FixedFunctionTests
{
    private const double Ulp = 65536;

    /// <summary>The documented bound, in raw units (ulp), between the interpreter's result and any correct MPC run.</summary>
    internal static double Bound(string function, BigInteger x, BigInteger y, BigInteger result)
    {
        double r = Math.Abs((double)result), a = Math.Abs((double)x);
        return function switch
        {
            "sqrt" => 4 * Math.Sqrt(a / Ulp) + 3,
            "exp" => r * Math.ScaleB(1, -14) + 2,
            "sigmoid" => 7,
            "recip" => r * Math.ScaleB(1, -15) + 2,
            "/" => r * Math.ScaleB(1, -15) + a / Ulp + 3,
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        };
    }

    private static BigInteger Raw(double x) => new(Math.Round(x * Ulp));

    [Theory]
    [InlineData(-7, 2, -4, 1)]
    [InlineData(7, -2, -4, -1)]
    [InlineData(-7, -2, 3, -1)]
    [InlineData(7, 2, 3, 1)]
    [InlineData(-8, 2, -4, 0)]
    [InlineData(2147483647, -1, -2147483647, 0)]
    [InlineData(-2147483648, 2147483647, -2, 2147483646)]
    [InlineData(123456789, 1000, 123456, 789)]
    [InlineData(0, -5, 0, 0)]
    public void Secret_int32_division_floors_like_public_division(int a, int d, int quotient, int remainder)
    {
        var outputs = Run("input alice.a: int32;\ninput bob.d: int32;\noutput q = a / d;\noutput r = a % d;\noutput p = 100 / d;",
            Inputs(("alice.a", a), ("bob.d", d)));

        Assert.Equal((quotient, remainder, (BigInteger)Math.Floor(100.0 / d)), (outputs["q"], outputs["r"], outputs["p"]));
    }

    [Fact]
    public void Secret_int32_division_floors_for_extreme_and_random_operands()
    {
        var program = CircProgram.Parse("input alice.a: int32;\ninput bob.d: int32;\noutput q = a / d;", "t.circ");
        var circuit = program.Compile().Circuit;
        var rng = new Random(20261123);
        long[] edges = [int.MinValue, int.MinValue + 1, -65536, -3, -2, -1, 1, 2, 3, 7, 65535, int.MaxValue - 1, int.MaxValue];
        var pairs = new List<(long A, long D)>();
        foreach (var a in edges.Append(0))
            foreach (var d in edges)
                pairs.Add((a, d));
        for (int i = 0; i < 400; i++)
        {
            // Log-uniform divisors, so small and large quotients are both common.
            long d = (long)Math.Round(Math.Pow(2, rng.NextDouble() * 31)) * (rng.Next(2) == 0 ? 1 : -1);
            pairs.Add((rng.NextInt64(int.MinValue, (long)int.MaxValue + 1), d));
        }

        foreach (var (a, d) in pairs)
        {
            if (a == int.MinValue && d == -1) continue; // 2^31 overflows int32
            var inputs = Inputs(("alice.a", a), ("bob.d", d));
            var actual = FieldIntegers.ToSigned(CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs))["q"]);
            Assert.True(FloorExact(a, d) == actual, $"{a} / {d}: IR {actual}, floor {FloorExact(a, d)}");
        }
    }

    private static BigInteger FloorExact(long a, long d)
    {
        var q = BigInteger.DivRem(a, d, out var r);
        return !r.IsZero && (r.Sign < 0) != (d < 0) ? q - 1 : q;
    }

    [Theory]
    [InlineData(0, -7, 3)]
    [InlineData(1, 10, 2)]
    public void Secret_literal_typed_values_divide_and_take_abs_as_int32(int flag, int quotient, int absolute)
    {
        var outputs = Run("input alice.f: bool;\nlet d = select(f, 2, 0 - 3);\noutput q = 20 / d;\noutput a = abs(d);", Inputs(("alice.f", flag)));

        Assert.Equal((quotient, absolute), ((int)outputs["q"], (int)outputs["a"]));
    }

    [Fact]
    public void The_interpreter_returns_the_exact_result_rounded_to_the_nearest_ulp()
    {
        var outputs = CircProgram.Parse(
            "input alice.x: fixed;\ninput bob.y: fixed;\noutput s = sqrt(x);\noutput e = exp(y);\noutput g = sigmoid(y);\noutput r = recip(y);\noutput q = x / y;",
            "t.circ").Interpret(Inputs(("alice.x", Raw(2)), ("bob.y", Raw(-1.5))), Fp127.Modulus);

        Assert.Equal(Raw(Math.Sqrt(2)), outputs["s"]);
        Assert.Equal(Raw(Math.Exp(-1.5)), outputs["e"]);
        Assert.Equal(Raw(1 / (1 + Math.Exp(1.5))), outputs["g"]);
        Assert.Equal(Raw(-1 / 1.5), outputs["r"]);
        Assert.Equal(Raw(2 / -1.5), outputs["q"]);
    }

    [Fact]
    public void Public_arguments_are_computed_at_compile_time_with_the_interpreters_semantics()
    {
        var compiled = CircProgram.Parse("output s = sqrt(9.0) + exp(0.0) + sigmoid(0.0) + recip(4.0);", "t.circ").Compile();

        Assert.Equal(0, compiled.Circuit.Stats.Multiplications);
        Assert.Equal(Raw(3 + 1 + 0.5 + 0.25), FieldIntegers.ToSigned(CircuitEvaluator.Evaluate(compiled.Circuit, new Dictionary<string, Fp127>())["s"]));
    }

    [Theory]
    [InlineData("recip", "input alice.x: fixed;\noutput o = recip(x);", 0.0, "division by zero (recip of 0)")]
    [InlineData("sqrt", "input alice.x: fixed;\noutput o = sqrt(x);", -0.5, "sqrt of a negative value (-0.5)")]
    [InlineData("exp", "input alice.x: fixed;\noutput o = exp(x);", 15.3, "exp overflow")]
    [InlineData("/", "input alice.x: fixed;\noutput o = 1.0 / x;", 0.0, "division by zero (a secret divisor is 0)")]
    public void Inputs_outside_a_functions_domain_are_refused_by_the_interpreter(string function, string source, double x, string message)
    {
        var program = CircProgram.Parse(source, function + ".circ");

        var e = Assert.Throws<CircCompileException>(() => program.Interpret(Inputs(("alice.x", Raw(x))), Fp127.Modulus));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, double, double> Samples()
    {
        var data = new TheoryData<string, double, double>();
        foreach (var x in new[] { 0.0, 1.5e-5, 0.001, 0.5, 1, 2, 3.7, 100, 12345.678, 8388607 }) data.Add("sqrt", x, 1);
        foreach (var x in new[] { -20.0, -11.09, -3.3, -1, -1.5e-5, 0, 0.25, 1, 5.5, 10, 15.2 }) data.Add("exp", x, 1);
        foreach (var x in new[] { -8388608.0, -40, -7.5, -1, -0.01, 0, 0.01, 0.7, 3, 16, 8388607 }) data.Add("sigmoid", x, 1);
        foreach (var x in new[] { -8388608.0, -3, -1, -1.5e-5, 1.5e-5, 0.001, 0.3, 1, 7, 1000, 8388607 }) data.Add("recip", x, 1);
        foreach (var (x, y) in new[] { (1.0, 3.0), (-7.5, 2.5), (100.0, -0.01), (0.001, 1000.0), (5000, 0.75), (-1, -1), (3, 1.5e-5) }) data.Add("/", x, y);
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_compiled_circuit_stays_within_the_documented_bound_of_the_interpreter(string function, double x, double y)
    {
        var (program, inputs) = OneFunction(function, Raw(x), Raw(y));
        var expected = program.Interpret(inputs, Fp127.Modulus)["o"];

        var circuit = program.Compile().Circuit;
        var actual = FieldIntegers.ToSigned(CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs))["o"]);

        Assert.True((double)BigInteger.Abs(actual - expected) <= Bound(function, Raw(x), Raw(y), expected),
            $"{function}({x}, {y}): interpreter {expected}, IR {actual}, bound {Bound(function, Raw(x), Raw(y), expected)}");
    }

    [Fact]
    public async Task Three_parties_stay_within_the_documented_bounds()
    {
        var program = CircProgram.Parse("""
            input alice.x: fixed;
            input bob.y: fixed;
            input alice.a: int32;
            input bob.d: int32;
            output s = sqrt(x);
            output e = exp(y);
            output g = sigmoid(y);
            output r = recip(y);
            output q = x / y;
            output n = a / d;
            """, "mpc.circ");
        BigInteger x = Raw(37.25), y = Raw(-2.75);
        var inputs = Inputs(("alice.x", x), ("bob.y", y), ("alice.a", -1000003), ("bob.d", 97));
        var expected = program.Interpret(inputs, Fp127.Modulus);

        var result = await LocalRunner.RunAsync<Fp127>(program.Compile().Circuit, inputs, 3, 1);
        var actual = result.Outputs.ToDictionary(o => o.Name, o => o.Signed);

        Assert.Equal(expected["n"], actual["n"]);
        foreach (var (name, function, arg) in new[] { ("s", "sqrt", x), ("e", "exp", y), ("g", "sigmoid", y), ("r", "recip", y), ("q", "/", x) })
            Assert.True((double)BigInteger.Abs(actual[name] - expected[name]) <= Bound(function, arg, y, expected[name]),
                $"{name}: interpreter {expected[name]}, MPC {actual[name]}");
    }

    [Fact]
    public void Int64_secret_division_is_refused_when_checking()
    {
        var e = Assert.Throws<CircCompileException>(() => CircProgram.Parse("input alice.a: int64;\ninput bob.d: int64;\noutput q = a % d;", "t.circ"));

        Assert.Contains("supported on int32 and fixed only", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Random programs applying the new built-ins to exact combinations of secret inputs (sums and integer multiples, so
    /// each built-in's argument is the same in interpreter and circuit): the IR evaluator stays within each bound.
    /// </summary>
    [Property(MaxTest = 40)]
    public void Random_fixed_programs_stay_within_the_documented_bounds(int seed)
    {
        var (program, inputs, calls) = RandomFixedProgram(seed);
        var expected = program.Interpret(inputs, Fp127.Modulus);
        var circuit = program.Compile().Circuit;
        var actual = CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs));

        foreach (var (name, function, argument, divisor) in calls)
        {
            var value = FieldIntegers.ToSigned(actual[name]);
            // The arguments are outputs too, exact in both (sums, integer multiples, floors of quarter products).
            Assert.Equal(expected[argument], FieldIntegers.ToSigned(actual[argument]));
            double bound = Bound(function, expected[argument], divisor is null ? 0 : expected[divisor], expected[name]);
            Assert.True((double)BigInteger.Abs(value - expected[name]) <= bound, $"{name} = {function}: interpreter {expected[name]}, IR {value}, bound {bound}");
        }
    }

    /// <summary>A few of the same random programs under 3-party MPC: probabilistic truncation stays within the bounds too.</summary>
    [Property(MaxTest = 3)]
    public void Random_fixed_programs_stay_within_the_documented_bounds_under_MPC(int seed)
    {
        var (program, inputs, calls) = RandomFixedProgram(seed);
        var expected = program.Interpret(inputs, Fp127.Modulus);

        var result = LocalRunner.RunAsync<Fp127>(program.Compile().Circuit, inputs, 3, 1).GetAwaiter().GetResult();
        var actual = result.Outputs.ToDictionary(o => o.Name, o => o.Signed);

        foreach (var (name, function, argument, divisor) in calls)
        {
            // MPC's arguments may differ from the interpreter's by the truncations of "* 0.25"; use its own.
            double bound = Bound(function, actual[argument], divisor is null ? 0 : actual[divisor], expected[name])
                + (function == "exp" ? Math.Abs((double)expected[name]) * 2 / Ulp * 1.01 : 0);
            Assert.True((double)BigInteger.Abs(actual[name] - expected[name]) <= bound, $"{name} = {function}: interpreter {expected[name]}, MPC {actual[name]}, bound {bound}");
        }
    }

    private static (CircProgram Program, Dictionary<string, BigInteger> Inputs) OneFunction(string function, BigInteger x, BigInteger y)
    {
        string body = function == "/" ? "x / y" : function + "(x)";
        var program = CircProgram.Parse($"input alice.x: fixed;\ninput bob.y: fixed;\noutput o = {body};", function + ".circ");
        return (program, Inputs(("alice.x", x), ("bob.y", y)));
    }

    private static (CircProgram, Dictionary<string, BigInteger>, List<(string Name, string Function, string Argument, string? Divisor)>) RandomFixedProgram(int seed)
    {
        var rng = new Random(seed);
        var src = new StringBuilder("input alice.a: fixed;\ninput bob.b: fixed;\ninput carol.c: fixed;\n");
        // Raw inputs up to ±2^20 (|x| < 16), so sums of three small multiples stay in exp's domain half the time.
        var inputs = Inputs(("alice.a", rng.Next(-1 << 20, 1 << 20)), ("bob.b", rng.Next(-1 << 20, 1 << 20)), ("carol.c", rng.Next(-1 << 18, 1 << 18)));
        string Term() => rng.Next(3) switch { 0 => "a", 1 => "b", _ => "c" };
        string Linear() => $"{Term()} {(rng.Next(2) == 0 ? "+" : "-")} {rng.Next(1, 3).ToString(CultureInfo.InvariantCulture)} * {Term()}";
        var calls = new List<(string, string, string, string?)>();
        for (int i = 0; i < 4; i++)
        {
            string function = new[] { "sqrt", "exp", "sigmoid", "recip", "/" }[rng.Next(5)];
            string arg = function == "sqrt" ? $"abs({Linear()})" : function == "exp" ? $"({Linear()}) * 0.25" : Linear();
            src.AppendLine(CultureInfo.InvariantCulture, $"let x{i}: fixed = {arg};");
            src.AppendLine(CultureInfo.InvariantCulture, $"output x{i} = x{i};");
            if (function == "/")
            {
                src.AppendLine(CultureInfo.InvariantCulture, $"let d{i}: fixed = abs({Term()}) + 0.5;");
                src.AppendLine(CultureInfo.InvariantCulture, $"output d{i} = d{i};");
                src.AppendLine(CultureInfo.InvariantCulture, $"output o{i} = x{i} / d{i};");
                calls.Add(($"o{i}", function, $"x{i}", $"d{i}"));
            }
            else
            {
                src.AppendLine(CultureInfo.InvariantCulture, $"output o{i} = {function}(x{i});");
                calls.Add(($"o{i}", function, $"x{i}", null));
            }
        }
        var program = CircProgram.Parse(src.ToString(), "random_fixed.circ");
        try
        {
            program.Interpret(inputs, Fp127.Modulus);
        }
        catch (CircCompileException)
        {
            // Outside a domain (exp of a large argument, a zero reciprocal): retry with the next seed, deterministically.
            return RandomFixedProgram(unchecked(seed * 31 + 7));
        }
        return (program, inputs, calls);
    }
}

/// <summary>Division by a public constant: IntegerDivision's Granlund–Montgomery truncation, shared by the language and SecretInt.</summary>
public class ConstantDivisionTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(1000)]
    [InlineData(1000003)]
    [InlineData(-65537)]
    [InlineData(2147483647)]
    public void Any_int32_divisor_is_one_truncation_inside_the_85_bit_budget(int d)
    {
        string source = $"input alice.a: int32;\noutput q = a / ({d.ToString(CultureInfo.InvariantCulture).Replace("-", "0 - ", StringComparison.Ordinal)});";
        var circuit = CircProgram.Parse(source, "t.circ").Compile().Circuit;

        var truncations = circuit.Gates.Where(g => g.Kind == GateKind.Trunc).ToList();
        Assert.Single(truncations);
        Assert.InRange(truncations[0].Bits, 2, Mpc.Core.Circuits.Typed.TypedLimits.MaxGateBits);
        foreach (var a in new BigInteger[] { int.MinValue, int.MinValue + 1, -d, -1, 0, 1, d - 1L, d, int.MaxValue })
            Assert.Equal(BigInteger.Divide(a - (((a % d) + d) % d), d), Run(source, Inputs(("alice.a", a)))["q"]); // floor
    }
}
