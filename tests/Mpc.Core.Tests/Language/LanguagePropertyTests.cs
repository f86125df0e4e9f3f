using System.Numerics;
using FsCheck.Xunit;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Language;

/// <summary>Random well-typed programs: the compiled circuit computes what the interpreter says.</summary>
public class LanguagePropertyTests
{
    // Programs whose interpreter run overflows are outside the language's defined behaviour; they are few
    // (inputs are small) and are counted so that a generator producing mostly overflows would fail.
    private static int s_overflows;
    private static int s_cases;

    [Property(MaxTest = 150)]
    public void Compiled_circuits_agree_with_the_interpreter_and_optimisation_never_adds_rounds(int seed)
    {
        var c = RandomPrograms.Create(seed, comparisons: true);
        var program = CircProgram.Parse(c.Source, "random.circ");
        IReadOnlyDictionary<string, BigInteger> expected;
        Interlocked.Increment(ref s_cases);
        try
        {
            expected = program.Interpret(c.Inputs, Fp127.Modulus);
        }
        catch (CircCompileException e) when (e.Message.Contains("overflow", StringComparison.Ordinal))
        {
            Assert.True(Interlocked.Increment(ref s_overflows) <= 5 + Volatile.Read(ref s_cases) / 10, "the generator mostly overflows");
            return;
        }
        var compiled = program.Compile();

        LanguageHarness.AssertEvaluates(compiled.Circuit, c.Inputs, expected);
        LanguageHarness.AssertEvaluates(compiled.Unoptimized, c.Inputs, expected);
        Assert.True(compiled.Circuit.Stats.Rounds <= compiled.Unoptimized.Stats.Rounds, c.Source);
        Assert.True(compiled.Circuit.Stats.Multiplications <= compiled.Unoptimized.Stats.Multiplications, c.Source);
    }

    [Property(MaxTest = 20)]
    public void Random_programs_give_the_interpreters_answer_under_MPC(int seed)
    {
        var c = RandomPrograms.Create(seed, comparisons: seed % 2 == 0);
        var program = CircProgram.Parse(c.Source, "random.circ");
        IReadOnlyDictionary<string, BigInteger> expected;
        try
        {
            expected = program.Interpret(c.Inputs, Fp127.Modulus);
        }
        catch (CircCompileException e) when (e.Message.Contains("overflow", StringComparison.Ordinal))
        {
            return;
        }

        var result = LocalRunner.RunAsync<Fp127>(program.Compile().Circuit, c.Inputs, 3, 1).GetAwaiter().GetResult();

        foreach (var o in result.Outputs)
            Assert.True(expected[o.Name] == o.Signed, $"{o.Name}: interpreter {expected[o.Name]}, MPC {o.Signed}\n{c.Source}");
        Assert.Equal(expected.Count, result.Outputs.Count);
    }
}

/// <summary>Fixed point under MPC: TruncPr rounds up with probability equal to the discarded fraction, so one ulp per product.</summary>
public class FixedPointMpcTests
{
    [Property(MaxTest = 8)]
    public void Fixed_products_and_quotients_are_within_one_ulp_of_the_interpreter(int a, int b)
    {
        var program = CircProgram.Parse("input alice.a: fixed;\ninput bob.b: fixed;\noutput p = a * b;\noutput q = a / 3;\noutput c = a < b;", "fx.circ");
        // Spread FsCheck's small integers over raw values |m| < 2^22 (|x| < 64), so products stay inside fixed's range
        // and have non-zero discarded fractions.
        var inputs = new Dictionary<string, BigInteger> { ["alice.a"] = (long)a * 104729 % (1 << 22), ["bob.b"] = (long)b * 7919 % (1 << 22) };
        var expected = program.Interpret(inputs, Fp127.Modulus);

        var result = LocalRunner.RunAsync<Fp127>(program.Compile().Circuit, inputs, 3, 1).GetAwaiter().GetResult();
        var actual = result.Outputs.ToDictionary(o => o.Name, o => o.Signed);

        Assert.InRange(actual["p"] - expected["p"], 0, 1);
        Assert.InRange(actual["q"] - expected["q"], 0, 1);
        Assert.Equal(expected["c"], actual["c"]);
    }
}
