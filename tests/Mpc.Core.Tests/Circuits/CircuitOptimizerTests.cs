using FsCheck.Xunit;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Circuits;

public class CircuitOptimizerTests
{
    [Property(Arbitrary = [typeof(CircuitArbitraries)], MaxTest = 300)]
    public bool PreservesOutputsOnRandomInputs(Circuit circuit, int inputSeed)
    {
        var optimized = CircuitOptimizer.Optimize(circuit);
        var inputs = RandomCircuits.RandomInputs<Fp61>(circuit, inputSeed);

        var expected = CircuitEvaluator.Evaluate(circuit, inputs);
        var actual = CircuitEvaluator.Evaluate(optimized, inputs);

        return expected.Count == actual.Count && expected.All(kv => actual[kv.Key] == kv.Value);
    }

    [Property(Arbitrary = [typeof(CircuitArbitraries)], MaxTest = 300)]
    public bool NeverIncreasesRoundsMultiplicationsOrGatesAndKeepsTheInterface(Circuit circuit)
    {
        var optimized = CircuitOptimizer.Optimize(circuit);
        var before = circuit.Stats;
        var after = optimized.Stats;

        return after.Rounds <= before.Rounds && after.Multiplications <= before.Multiplications
            && after.Gates <= before.Gates
            && optimized.Inputs.Select(i => i.QualifiedName).SequenceEqual(circuit.Inputs.Select(i => i.QualifiedName))
            && optimized.Outputs.Select(o => (o.Name, o.Owner)).SequenceEqual(circuit.Outputs.Select(o => (o.Name, o.Owner)))
            && CircuitOptimizer.Optimize(optimized).Equals(optimized); // a fixed point
    }

    [Fact]
    public void FoldsConstantsEliminatesCommonSubexpressionsAndDropsDeadGates()
    {
        const string source = """
            circuit opt
            party alice
            %0 = input x @alice
            %1 = input y @alice
            %2 = const 3
            %3 = const 4
            %4 = mul %2 %3          # 12: folded
            %5 = mul %0 %4          # x*12: a mul by a constant becomes mulc, saving a round
            %6 = mul %0 %1
            %7 = mul %1 %0          # same as %6 (commutative): CSE
            %8 = add %6 %7
            %9 = mul %8 %8          # dead: never output
            %10 = mulc %5 2         # mulc(mulc(x,12),2) = mulc(x,24)
            %11 = sub %8 %8         # 0
            %12 = add %10 %11       # + 0
            %13 = output a %12
            %14 = output b %8
            """;
        const string expected = """
            circuit opt
            party alice

            %0 = input x @alice
            %1 = input y @alice
            %2 = mul %0 %1
            %3 = add %2 %2
            %4 = mulc %0 24
            %5 = output a %4
            %6 = output b %3

            """;

        var optimized = CircuitOptimizer.Optimize(CircuitText.Parse(source));

        Assert.Equal(expected.ReplaceLineEndings("\n"), CircuitText.Print(optimized));
    }

    [Fact]
    public void KeepsUnusedInputsAndHugeConstantsUnfolded()
    {
        var b = new CircuitBuilder("big");
        var unused = b.Input("unused", "alice");
        var k = b.Constant(System.Numerics.BigInteger.Pow(2, 600));
        b.Output("o", k * k * k); // 2^1800 would exceed the folding cap

        var optimized = CircuitOptimizer.Optimize(b.Build());

        Assert.Contains(optimized.Inputs, i => i.Wire == unused.Index);
        Assert.All(optimized.Gates, g => Assert.True(g.Constant.GetBitLength() <= CircuitOptimizer.MaxFoldedBits));
        var expected = Fp61.FromBigInteger(System.Numerics.BigInteger.Pow(2, 1800));
        Assert.Equal(expected, CircuitEvaluator.Evaluate(optimized, new Dictionary<string, Fp61> { ["unused"] = Fp61.One })["o"]);
    }
}

public class RandomCircuitsTests
{
    // The properties above are only as strong as the generator: check it produces every gate kind,
    // deep circuits, and circuits the optimiser really changes (fewer gates, fewer rounds).
    [Fact]
    public void GeneratorExercisesEveryGateKindAndEveryOptimiserOutcome()
    {
        var circuits = Enumerable.Range(0, 200).Select(seed => RandomCircuits.Create(seed, 30)).ToList();
        var optimized = circuits.Select(CircuitOptimizer.Optimize).ToList();

        // Integer gates need operands in their k-bit range, which random field inputs are not: IntegerCircuits covers them.
        foreach (var kind in Enum.GetValues<GateKind>().Where(k => !k.IsInteger()))
            Assert.Contains(circuits, c => c.Gates.Any(g => g.Kind == kind));
        Assert.Contains(circuits, c => c.Stats.Rounds >= 5);
        Assert.Contains(circuits, c => c.Outputs.Any(o => o.Visibility == OutputVisibility.Private));
        Assert.True(circuits.Zip(optimized).Count(p => p.Second.Stats.Gates < p.First.Stats.Gates) > 100);
        Assert.True(circuits.Zip(optimized).Count(p => p.Second.Stats.Rounds < p.First.Stats.Rounds) > 5);
        Assert.Equal(circuits[7], RandomCircuits.Create(7, 30)); // deterministic per seed
    }
}
