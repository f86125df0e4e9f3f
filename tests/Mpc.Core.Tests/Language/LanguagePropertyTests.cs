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
