using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Language;

/// <summary>Runs a program through the interpreter and checks that the compiled IR (before and after optimisation) agrees.</summary>
internal static class LanguageHarness
{
    public static Dictionary<string, BigInteger> Inputs(params (string Key, BigInteger Value)[] inputs) =>
        inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);

    /// <summary>The interpreter's outputs, after asserting that both compiled circuits give the same in Fp127.</summary>
    public static IReadOnlyDictionary<string, BigInteger> Run(string source, Dictionary<string, BigInteger> inputs)
    {
        var program = CircProgram.Parse(source, "t.circ");
        var expected = program.Interpret(inputs, Fp127.Modulus);
        var compiled = program.Compile();
        AssertEvaluates(compiled.Circuit, inputs, expected);
        AssertEvaluates(compiled.Unoptimized, inputs, expected);
        Assert.True(compiled.Circuit.Stats.Rounds <= compiled.Unoptimized.Stats.Rounds);
        return expected;
    }

    public static void AssertEvaluates(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs, IReadOnlyDictionary<string, BigInteger> expected)
    {
        var actual = CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
            Assert.True(value == FieldIntegers.ToSigned(actual[name]), $"output {name}: interpreter {value}, IR {FieldIntegers.ToSigned(actual[name])}");
    }
}
