using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Circuits;

public class CircuitEvaluatorTests
{
    [Theory]
    [MemberData(nameof(ExampleCircuits.Files), MemberType = typeof(ExampleCircuits))]
    public void ExampleMatchesItsExpectation(string file)
    {
        var expectation = CircuitExpectation.Load(ExampleCircuits.ExpectationFor(file));
        var circuit = expectation.LoadCircuit();
        Assert.Equal(Path.Combine(ExampleCircuits.Directory, file), expectation.CircuitPath);

        var outputs = CircuitEvaluator.Evaluate(circuit, expectation.InputValues<Fp61>());
        var optimized = CircuitEvaluator.Evaluate(CircuitOptimizer.Optimize(circuit), expectation.InputValues<Fp61>());

        Assert.Empty(expectation.Mismatches(outputs));
        Assert.Empty(expectation.Mismatches(optimized));
        Assert.Equal(circuit.Inputs.Select(i => i.QualifiedName).Order(), expectation.Inputs.Keys.Order());
    }

    [Fact]
    public void ExampleHeadersGiveTheRunCommandWithTheExpectationInputs()
    {
        Assert.True(ExampleCircuits.FileNames.Count >= 3);
        foreach (var file in ExampleCircuits.FileNames)
        {
            var text = File.ReadAllText(Path.Combine(ExampleCircuits.Directory, file));
            var expectation = CircuitExpectation.Load(ExampleCircuits.ExpectationFor(file));
            Assert.StartsWith("# " + Path.GetFileNameWithoutExtension(file) + ":", text);
            Assert.Contains($"#   mpc run circuits/{file} --parties 3 --input {string.Join(' ', expectation.InputArguments)}\n", text);
        }
    }

    [Fact]
    public void MismatchesReportWrongMissingAndExtraOutputs()
    {
        var expectation = CircuitExpectation.Parse("""{"circuit":"x.ir","inputs":{},"outputs":{"a":1,"b":"-2"}}""", "/tmp");
        var actual = new Dictionary<string, Fp61> { ["a"] = Fp61.FromUInt64(2), ["c"] = Fp61.One };

        var problems = expectation.Mismatches(actual);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("output 'a': expected 1"));
        Assert.Contains("output 'b' is missing", problems);
        Assert.Contains("output 'c' is not in the expectation", problems);
    }

    [Theory]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("""{"inputs":{},"outputs":{}}""", "\"circuit\"")]
    [InlineData("""{"circuit":"x.ir","inputs":{"a.x":1.5},"outputs":{}}""", "inputs.a.x: '1.5' is not an integer")]
    [InlineData("""{"circuit":"x.ir","inputs":{"a.x":true},"outputs":{}}""", "inputs.a.x: 'true' is not an integer")]
    [InlineData("""{"circuit":"x.ir","inputs":{}}""", "\"outputs\" is missing")]
    [InlineData("{", "not valid JSON")]
    public void BadExpectationsAreRejected(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => CircuitExpectation.Parse(json, "/tmp", "e.json"));

        Assert.StartsWith("e.json: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void MissingUnknownAndDuplicateInputsAreNamed()
    {
        var c = CircuitText.Parse("circuit c\nparty a\nparty b\n%0 = input x @a\n%1 = input y @b\n%2 = add %0 %1\n%3 = output o %2\n");

        var missing = Assert.Throws<ArgumentException>(() => CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["a.x"] = Fp61.One }));
        var unknown = Assert.Throws<ArgumentException>(() => CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["a.x"] = Fp61.One, ["b.y"] = Fp61.One, ["b.z"] = Fp61.One }));
        var twice = Assert.Throws<ArgumentException>(() => CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["a.x"] = Fp61.One, ["x"] = Fp61.One, ["y"] = Fp61.One }));

        Assert.Contains("Circuit 'c' is missing input(s): b.y", missing.Message);
        Assert.Contains("Circuit 'c' has no input 'b.z'", unknown.Message);
        Assert.Contains("Input 'a.x' is given more than once", twice.Message);
    }

    [Fact]
    public void ABareNameUsedByTwoPartiesIsCalledAmbiguous()
    {
        var c = CircuitText.Parse("circuit c\nparty a\nparty b\n%0 = input x @a\n%1 = input x @b\n%2 = add %0 %1\n%3 = output o %2\n");

        var error = Assert.Throws<ArgumentException>(() => CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["x"] = Fp61.One, ["b.x"] = Fp61.One }));

        Assert.Contains("Input 'x' of circuit 'c' is ambiguous: write one of a.x, b.x", error.Message);
    }

    [Fact]
    public void NegativeConstantsAndSubtractionWrapModuloP()
    {
        var c = CircuitText.Parse("circuit c\nparty a\n%0 = input x @a\n%1 = const -5\n%2 = sub %1 %0\n%3 = mulc %2 -3\n%4 = output o %3\n");

        var o = CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["x"] = Fp61.FromUInt64(7) })["o"];

        Assert.Equal(Fp61.FromBigInteger((-5 - 7) * -3), o);
        Assert.Equal(36, (long)o.ToBigInteger());
    }
}
