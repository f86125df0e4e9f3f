using FsCheck.Xunit;
using Mpc.Core.Circuits;

namespace Mpc.Core.Tests.Circuits;

public class CircuitScheduleTests
{
    [Theory]
    [InlineData("inner_product.ir", 8, 1, 4, 1, 16)]
    [InlineData("weighted_average.ir", 6, 2, 3, 1, 15)]
    [InlineData("polynomial.ir", 5, 2, 7, 2, 21)]
    public void ExampleStats(string file, int inputs, int outputs, int muls, int rounds, int gates)
    {
        var c = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, file));

        Assert.Equal(new CircuitStats(inputs, outputs, muls, rounds, gates, Triples: muls), c.Stats);
    }

    [Fact]
    public void PolynomialBatchesEveryIndependentMultiplicationOfALayer()
    {
        var s = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, "polynomial.ir")).Schedule;

        Assert.Equal(3, s.Steps.Length);
        Assert.Equal<int>([5, 6, 7, 14], s.Steps[0].Multiplications);
        Assert.Equal<int>([8, 9, 16], s.Steps[1].Multiplications);
        Assert.Empty(s.Steps[2].Multiplications);
        Assert.Equal<int>([0, 1, 2, 3, 4], s.Steps[0].Linear);
        Assert.Equal<int>([10, 15, 18], s.Steps[1].Linear);
        Assert.Equal<int>([11, 12, 13, 17, 19, 20], s.Steps[2].Linear);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(17)]
    public void ChainOfSquaringsHasOneRoundPerSquaring(int squarings)
    {
        var b = new CircuitBuilder("chain");
        var x = b.Input("x", "alice");
        for (int i = 0; i < squarings; i++) x = x * x + 1;
        b.Output("y", x);

        var stats = b.Build().Stats;

        Assert.Equal(squarings, stats.Rounds);
        Assert.Equal(squarings, stats.Multiplications);
    }

    [Fact]
    public void BalancedProductTreeHasLogarithmicDepth()
    {
        var b = new CircuitBuilder("tree");
        var layer = Enumerable.Range(0, 16).Select(i => b.Input("x" + i, "alice")).ToList();
        while (layer.Count > 1)
            layer = Enumerable.Range(0, layer.Count / 2).Select(i => layer[2 * i] * layer[2 * i + 1]).ToList();
        b.Output("p", layer[0]);

        Assert.Equal(new CircuitStats(16, 1, 15, 4, 32, Triples: 15), b.Build().Stats);
    }

    // Walk the steps as an engine would and check every operand is ready when read: linear gates in
    // order, then launch the step's multiplications and integer groups (they must not read each other),
    // whose results become ready at their finish round.
    [Property(Arbitrary = [typeof(CircuitArbitraries)], MaxTest = 200)]
    public bool StepsRespectDependenciesAndCoverEveryGateOnce(Circuit circuit) => WalkSchedule(circuit);

    [Property(MaxTest = 100)]
    public bool StepsRespectDependenciesWithIntegerGroups(int seed) => WalkSchedule(IntegerCircuits.Create(seed, 30));

    private static bool WalkSchedule(Circuit circuit)
    {
        var s = circuit.Schedule;
        var ready = new bool[circuit.Gates.Length];
        var pending = new List<(int Finish, int Gate)>();
        int seen = 0;
        bool Ready(int wire) => wire < 0 || ready[wire];
        for (int d = 0; d < s.Steps.Length; d++)
        {
            var step = s.Steps[d];
            if (step.Depth != d) return false;
            foreach (var (_, gate) in pending.Where(p => p.Finish == d)) ready[gate] = true;
            foreach (int i in step.Linear)
            {
                var g = circuit.Gates[i];
                if (g.Kind.IsNonlinear() || ready[i] || !Ready(g.Left) || !Ready(g.Right) || s.Depths[i] != d) return false;
                ready[i] = true;
                seen++;
            }
            foreach (int i in step.Multiplications)
            {
                var g = circuit.Gates[i];
                if (g.Kind != GateKind.Mul || ready[i] || !Ready(g.Left) || !Ready(g.Right) || s.Depths[i] != d + 1) return false;
                pending.Add((d + 1, i));
            }
            foreach (var group in step.Groups)
                foreach (int i in group.Gates)
                {
                    var g = circuit.Gates[i];
                    if (g.Kind != group.Kind || g.Bits != group.Bits || g.Shift != group.Shift || ready[i] || !Ready(g.Left)
                        || s.Depths[i] != group.Finish || group.Start != d) return false;
                    pending.Add((group.Finish, i));
                }
            seen += step.Multiplications.Length + step.Groups.Sum(g => g.Gates.Length);
        }
        return seen == circuit.Gates.Length && s.Steps.Length == s.Rounds + 1 && s.Steps[^1].Multiplications.IsEmpty
            && s.Steps[^1].Groups.IsEmpty && pending.All(p => p.Finish <= s.Rounds);
    }
}
