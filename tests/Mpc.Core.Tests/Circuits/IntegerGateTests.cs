using System.Numerics;
using FsCheck.Xunit;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Core.Tests.Circuits;

/// <summary>The integer gates (ltz, eqz, trunc, truncpr, mod2m) in the IR: validation, text, encoding, evaluation, optimisation.</summary>
public class IntegerGateTests
{
    private const string Source = """
        circuit ints
        party alice
        party bob

        %0 = input x @alice
        %1 = input y @bob
        %2 = ltz %0 32
        %3 = eqz %1 8
        %4 = trunc %0 32 5
        %5 = truncpr %0 32 5
        %6 = mod2m %0 32 5
        %7 = output lt %2
        %8 = output eq %3
        %9 = output tr %4
        %10 = output tp %5
        %11 = output md %6 @bob

        """;

    [Fact]
    public void TextRoundTripsAndMatchesTheBuilder()
    {
        var parsed = CircuitText.Parse(Source);
        Assert.Equal(Source, CircuitText.Print(parsed));

        var b = new CircuitBuilder("ints");
        var x = b.Input("x", "alice");
        var y = b.Input("y", "bob");
        var lt = b.LessThanZero(x, 32);
        var eq = b.EqualZero(y, 8);
        var tr = b.Trunc(x, 32, 5);
        var tp = b.TruncPr(x, 32, 5);
        var md = b.Mod2m(x, 32, 5);
        b.Output("lt", lt);
        b.Output("eq", eq);
        b.Output("tr", tr);
        b.Output("tp", tp);
        b.OutputTo("bob", "md", md);

        Assert.Equal(parsed, b.Build());
        Assert.Equal(parsed.Id, b.Build().Id);
    }

    [Fact]
    public void EncodingCarriesBitsAndShiftAndRoundTrips()
    {
        var c = CircuitText.Parse(Source);
        var bytes = CircuitEncoding.Encode(c);
        Assert.Equal(c, CircuitEncoding.Decode(bytes));

        // Gate %4 (trunc %0 32 5) is "0A" + left + bits + shift, written out by hand.
        Assert.Contains("0A" + "00000000" + "20000000" + "05000000", Convert.ToHexString(bytes), StringComparison.Ordinal);
        Assert.Contains("08" + "00000000" + "20000000", Convert.ToHexString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ltz %0 32", "trunc %0 32 1")]
    [InlineData("trunc %0 32 5", "trunc %0 32 6")]
    [InlineData("trunc %0 32 5", "trunc %0 33 5")]
    [InlineData("trunc %0 32 5", "truncpr %0 32 5")]
    [InlineData("ltz %0 32", "eqz %0 32")]
    public void DifferentParametersGiveDifferentIds(string first, string second)
    {
        static Circuit With(string op) => CircuitText.Parse($"circuit c\nparty a\n%0 = input x @a\n%1 = {op}\n%2 = output o %1\n");
        Assert.NotEqual(With(first).Id, With(second).Id);
        Assert.NotEqual(With(first), With(second));
    }

    public static TheoryData<string, string> BadGates => new()
    {
        { "%1 = ltz %0 1", "t.ir:4:13: ltz needs a bit length k with 2 ≤ k ≤ 128, got 1" },
        { "%1 = eqz %0 0", "t.ir:4:13: eqz needs a bit length k with 1 ≤ k ≤ 128, got 0" },
        { "%1 = trunc %0 32 0", "t.ir:4:18: trunc needs a shift m with 1 ≤ m < k = 32, got 0" },
        { "%1 = mod2m %0 32 32", "t.ir:4:18: mod2m needs a shift m with 1 ≤ m < k = 32, got 32" },
        { "%1 = truncpr %0 129 3", "t.ir:4:17: expected a bit length (a decimal integer from 0 to 128), got '129'" },
        { "%1 = ltz %0 32 4", "t.ir:4:16: unexpected '4': expected '%i = ltz %a BITS'" },
        { "%1 = trunc %0 32", "t.ir:4:17: incomplete statement: expected '%i = trunc %a BITS SHIFT'" },
        { "%1 = ltz %0 -3", "t.ir:4:13: expected a bit length (a decimal integer from 0 to 128), got '-3'" },
    };

    [Theory]
    [MemberData(nameof(BadGates))]
    public void ParserReportsBadParametersAtTheToken(string gate, string message)
    {
        var e = Assert.Throws<CircuitParseException>(() =>
            CircuitText.Parse($"circuit c\nparty a\n%0 = input x @a\n{gate}\n%2 = output o %1\n", "t.ir"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ValidationRejectsParametersOnOtherKindsAndShiftsOnComparisons()
    {
        var input = Gate.Input("x", "a");
        var e = Assert.Throws<CircuitValidationException>(() =>
            new Circuit("c", ["a"], [input, Gate.Add(0, 0) with { Bits = 3 }, Gate.Output("o", 1)]));
        Assert.Equal("gate %1: add gate carries a bit length or shift", e.Message);
        e = Assert.Throws<CircuitValidationException>(() =>
            new Circuit("c", ["a"], [input, Gate.LessThanZero(0, 8) with { Shift = 3 }, Gate.Output("o", 1)]));
        Assert.Equal(CircuitPart.Shift, e.Part);
        Assert.Equal("gate %1: ltz gate carries a shift", e.Message);
    }

    [Fact]
    public void BuilderRefusesBadParametersAtTheCall()
    {
        var b = new CircuitBuilder("c");
        var x = b.Input("x", "a");
        Assert.Equal("shift", Assert.Throws<ArgumentOutOfRangeException>(() => b.Trunc(x, 16, 16)).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => b.LessThanZero(x, 1)).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => b.LessThan(x, x, Gate.MaxBits)).ParamName);
        Assert.Equal(1, b.GateCount); // the refused calls appended nothing
    }

    public static TheoryData<long, int> BoundaryValues()
    {
        var data = new TheoryData<long, int>();
        foreach (int k in new[] { 2, 8, 32, 64 })
        {
            long half = k == 64 ? long.MinValue : -(1L << (k - 1));
            // Distinct per k: for k = 2 the boundaries −2 and 1 coincide with the small values.
            foreach (long v in new long[] { 0, 1, -1, half, k == 64 ? long.MaxValue : -half - 1, 2, -2 }.Distinct())
                if (GateKinds.FitsSigned(v, k)) data.Add(v, k);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BoundaryValues))]
    public void EvaluatorFollowsTheSignedSemantics(long value, int bits)
    {
        int shift = Math.Max(1, bits / 2);
        var b = new CircuitBuilder("sem");
        var x = b.Input("x", "a");
        b.Output("ltz", b.LessThanZero(x, bits));
        b.Output("eqz", b.EqualZero(x, bits));
        b.Output("trunc", b.Trunc(x, bits, shift));
        b.Output("truncpr", b.TruncPr(x, bits, shift));
        b.Output("mod", b.Mod2m(x, bits, shift));
        var c = b.Build();

        var outputs = CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp127> { ["x"] = FieldIntegers.FromSigned<Fp127>(value, "x") });

        // Floor division written independently of the evaluator's arithmetic shift: truncate, then step down for a negative remainder.
        var divisor = BigInteger.One << shift;
        var floor = BigInteger.DivRem(value, divisor, out var remainder);
        if (remainder.Sign < 0) floor -= 1;
        Assert.Equal(value < 0 ? 1 : 0, (int)FieldIntegers.ToSigned(outputs["ltz"]));
        Assert.Equal(value == 0 ? 1 : 0, (int)FieldIntegers.ToSigned(outputs["eqz"]));
        Assert.Equal(floor, FieldIntegers.ToSigned(outputs["trunc"]));
        Assert.Equal(floor, FieldIntegers.ToSigned(outputs["truncpr"]));
        Assert.Equal(value - floor * (BigInteger.One << shift), FieldIntegers.ToSigned(outputs["mod"]));
    }

    [Theory]
    [InlineData(128, 8)]
    [InlineData(-129, 8)]
    [InlineData(2, 2)]
    public void EvaluatorRefusesValuesOutsideTheRange(long value, int bits)
    {
        var b = new CircuitBuilder("range");
        b.Output("o", b.LessThanZero(b.Input("x", "a"), bits));
        var e = Assert.Throws<ArgumentException>(() =>
            CircuitEvaluator.Evaluate(b.Build(), new Dictionary<string, Fp127> { ["x"] = FieldIntegers.FromSigned<Fp127>(value, "x") }));
        Assert.Contains($"gate %1 (ltz %0 {bits}): operand %0 = {value} is outside the signed {bits}-bit range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DerivedComparisonsWidenAndSelectUsesOneMultiplication()
    {
        var b = new CircuitBuilder("derived");
        var x = b.Input("x", "a");
        var y = b.Input("y", "a");
        b.Output("lt", b.LessThan(x, y, 32));
        b.Output("le", b.LessOrEqual(x, y, 32));
        b.Output("gt", b.GreaterThan(x, y, 32));
        b.Output("ge", b.GreaterOrEqual(x, y, 32));
        b.Output("eq", b.Equal(x, y, 32));
        b.Output("ne", b.NotEqual(x, y, 32));
        b.Output("max", b.Select(b.LessThan(x, y, 32), y, x));
        var c = b.Build();
        Assert.All(c.Gates.Where(g => g.Kind.IsInteger()), g => Assert.Equal(33, g.Bits));
        Assert.Equal(1, c.Gates.Count(g => g.Kind == GateKind.Mul));

        long[] samples = [0, 1, -1, int.MaxValue, int.MinValue, 17, -17];
        foreach (long vx in samples)
            foreach (long vy in samples)
            {
                var o = CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp127>
                {
                    ["x"] = FieldIntegers.FromSigned<Fp127>(vx, "x"),
                    ["y"] = FieldIntegers.FromSigned<Fp127>(vy, "y"),
                });
                Assert.Equal(vx < vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["lt"]));
                Assert.Equal(vx <= vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["le"]));
                Assert.Equal(vx > vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["gt"]));
                Assert.Equal(vx >= vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["ge"]));
                Assert.Equal(vx == vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["eq"]));
                Assert.Equal(vx != vy ? 1 : 0, (int)FieldIntegers.ToSigned(o["ne"]));
                Assert.Equal(Math.Max(vx, vy), (long)FieldIntegers.ToSigned(o["max"]));
            }
    }

    [Fact]
    public void OptimizerFoldsConstantsInRangeAndKeysCseOnParameters()
    {
        const string source = """
            circuit opt
            party a

            %0 = input x @a
            %1 = const -5
            %2 = trunc %1 8 1
            %3 = ltz %1 8
            %4 = mod2m %1 8 2
            %5 = const 300
            %6 = ltz %5 8
            %7 = ltz %0 16
            %8 = ltz %0 16
            %9 = ltz %0 17
            %10 = trunc %0 16 2
            %11 = trunc %0 16 3
            %12 = output a %2
            %13 = output b %3
            %14 = output c %4
            %15 = output d %6
            %16 = output e %7
            %17 = output f %8
            %18 = output g %9
            %19 = output h %10
            %20 = output i %11
            """;
        var optimized = CircuitOptimizer.Optimize(CircuitText.Parse(source));
        const string expected = """
            circuit opt
            party a

            %0 = input x @a
            %1 = const -3
            %2 = const 1
            %3 = const 3
            %4 = const 300
            %5 = ltz %4 8
            %6 = ltz %0 16
            %7 = ltz %0 17
            %8 = trunc %0 16 2
            %9 = trunc %0 16 3
            %10 = output a %1
            %11 = output b %2
            %12 = output c %3
            %13 = output d %5
            %14 = output e %6
            %15 = output f %6
            %16 = output g %7
            %17 = output h %8
            %18 = output i %9

            """;
        Assert.Equal(expected, CircuitText.Print(optimized));
    }
}

/// <summary>Round counts and batching of integer gates in <see cref="CircuitSchedule"/>.</summary>
public class IntegerScheduleTests
{
    [Theory]
    [InlineData(32, 5)] // LTZ on 33 bits: 1 + ⌈log2 ⌈32/2⌉⌉ (the first carry layer is local)
    [InlineData(64, 6)]
    public void A_comparison_costs_the_protocol_rounds(int bits, int rounds)
    {
        var b = new CircuitBuilder("cmp");
        b.Output("lt", b.LessThan(b.Input("x", "a"), b.Input("y", "b"), bits));
        var stats = b.Build().Stats;
        Assert.Equal(rounds, stats.Rounds);
        Assert.Equal(1, stats.Comparisons);
        Assert.Equal(bits + 1 + 40, stats.RandomBits);
        Assert.Equal(IntegerCost.For(IntegerOperation.LessThan, bits).TotalTriples, stats.Triples);
    }

    [Fact]
    public void Independent_gates_of_one_kind_form_one_group_and_groups_overlap()
    {
        var b = new CircuitBuilder("groups");
        var xs = Enumerable.Range(0, 4).Select(i => b.Input("x" + i, "a")).ToArray();
        // Four LTZ(32) at round 0 (5 rounds): one group. An EQZ(16) at round 0 (4 rounds): a second group, concurrent.
        var bits = xs.Select(x => b.LessThanZero(x, 32)).ToArray();
        var eq = b.EqualZero(xs[0], 16);
        // A chain of 3 multiplications at rounds 0..2 overlaps with both.
        var chain = xs[1];
        for (int i = 0; i < 3; i++) chain = chain * chain;
        // A TruncPr after the LTZ group (ready at 5) starts at 5 and ends at 6.
        var sum = b.Sum(bits);
        b.Output("t", b.TruncPr(sum + eq + chain, 40, 2));
        var s = b.Build().Schedule;

        Assert.Equal(3, s.Groups.Length);
        Assert.Equal((0, GateKind.LessThanZero, 4, 5), (s.Groups[0].Start, s.Groups[0].Kind, s.Groups[0].Gates.Length, s.Groups[0].Finish));
        Assert.Equal((0, GateKind.EqualZero, 1, 4), (s.Groups[1].Start, s.Groups[1].Kind, s.Groups[1].Gates.Length, s.Groups[1].Finish));
        Assert.Equal((5, GateKind.TruncPr, 6), (s.Groups[2].Start, s.Groups[2].Kind, s.Groups[2].Finish));
        Assert.Equal(6, s.Rounds); // not 5 + 4 + 3 + 1: concurrent groups do not add up
        Assert.Equal(new[] { 1, 1, 1 }, s.Steps.Take(3).Select(step => step.Multiplications.Length));
    }

    [Fact]
    public void Same_kind_with_different_parameters_are_separate_groups()
    {
        var b = new CircuitBuilder("params");
        var x = b.Input("x", "a");
        b.Output("a", b.Trunc(x, 32, 4));
        b.Output("b", b.Trunc(x, 32, 5));
        b.Output("c", b.Trunc(x, 33, 4));
        b.Output("d", b.Trunc(b.Input("y", "a"), 32, 4));
        var s = b.Build().Schedule;
        Assert.Equal(new[] { 2, 1, 1 }, s.Groups.Select(g => g.Gates.Length));
        Assert.Equal(1 + 2, s.Rounds); // Trunc with m = 5: 1 + ⌈log2 ⌈5/2⌉⌉
    }
}

/// <summary>Properties of the IR passes over random circuits with integer gates.</summary>
public class IntegerCircuitPropertyTests
{
    [Property(MaxTest = 150)]
    public bool TextAndEncodingRoundTripAndKeepTheId(int seed)
    {
        var circuit = IntegerCircuits.Create(seed, 30);
        var reparsed = CircuitText.Parse(CircuitText.Print(circuit));
        var decoded = CircuitEncoding.Decode(CircuitEncoding.Encode(circuit));
        return reparsed.Equals(circuit) && decoded.Equals(circuit) && decoded.Id == circuit.Id && reparsed.Id == circuit.Id;
    }

    [Property(MaxTest = 150)]
    public bool OptimizerPreservesOutputsAndNeverAddsRoundsOrTriples(int seed, int inputSeed)
    {
        var circuit = IntegerCircuits.Create(seed, 30);
        var optimized = CircuitOptimizer.Optimize(circuit);
        var inputs = CircuitInputs.ToField<Fp127>(circuit, IntegerCircuits.RandomInputs(circuit, inputSeed));

        var expected = CircuitEvaluator.Evaluate(circuit, inputs);
        var actual = CircuitEvaluator.Evaluate(optimized, inputs);

        return expected.All(kv => actual[kv.Key] == kv.Value)
            && optimized.Stats.Rounds <= circuit.Stats.Rounds
            && optimized.Stats.Triples <= circuit.Stats.Triples
            && optimized.Stats.Comparisons <= circuit.Stats.Comparisons
            && CircuitOptimizer.Optimize(optimized).Equals(optimized);
    }
}
