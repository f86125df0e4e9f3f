using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;
using Mpc.Core.Tests.Circuits;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Engine;

public class BatchedPartyEngineTests
{
    /// <summary>A random circuit (every gate kind) with its outputs made public.</summary>
    private static Circuit PublicRandomCircuit(int seed)
    {
        var c = RandomCircuits.Create(seed, 40);
        return new Circuit(c.Name, c.Parties, c.Gates.Select(g => g.Kind == GateKind.Output ? g with { Party = null } : g));
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 7, 2)]
    [InlineData(5, 4, 3)]
    [InlineData(5, 13, 4)]
    public async Task EveryCopyEqualsPlaintextEvaluationOfItsOwnInputs(int n, int copies, int seed)
    {
        int t = (n - 1) / 2;
        var circuit = PublicRandomCircuit(seed);
        var perCopy = Enumerable.Range(0, copies).Select(c => RandomCircuits.RandomInputs<Fp61>(circuit, seed * 100 + c)).ToArray();
        var scheme = new ShamirScheme<Fp61>(n, t);
        var shares = new Dictionary<string, Fp61[]>[n];
        for (int p = 0; p < n; p++) shares[p] = [];
        foreach (var input in circuit.Inputs)
        {
            var dealt = new Fp61[n * copies];
            scheme.ShareBatch(perCopy.Select(v => v[input.QualifiedName]).ToArray(), new SeededRandom(seed), dealt);
            for (int p = 0; p < n; p++) shares[p][input.QualifiedName] = dealt.AsSpan(p * copies, copies).ToArray();
        }

        var results = await Cluster.RunAsync<Fp61, IReadOnlyDictionary<string, Fp61[]>>(n, t, async context =>
        {
            var triples = await new Dn07TripleSource<Fp61>(context).GenerateAsync(circuit.Stats.Multiplications * copies);
            return await new BatchedPartyEngine<Fp61>(context).RunAsync(circuit, copies, shares[context.Party], triples);
        });

        for (int c = 0; c < copies; c++)
        {
            var expected = CircuitEvaluator.Evaluate(circuit, perCopy[c]);
            foreach (var (name, value) in expected)
                Assert.All(results, r => Assert.Equal(value, r[name][c]));
        }
    }

    [Fact]
    public async Task PrivateOutputsIntegerGatesTooFewTriplesAndShortInputsAreRefused()
    {
        static Task<IReadOnlyDictionary<string, Fp61[]>[]> Run(Circuit c, Fp61[] shares) =>
            Cluster.RunAsync<Fp61, IReadOnlyDictionary<string, Fp61[]>>(3, 1, context =>
                new BatchedPartyEngine<Fp61>(context).RunAsync(c, 2, new Dictionary<string, Fp61[]> { ["alice.x"] = shares }, default));

        var b = new CircuitBuilder("p");
        var x = b.Input("x", "alice");
        b.OutputTo("alice", "y", x + x);
        Assert.Contains("private outputs", (await Assert.ThrowsAsync<ArgumentException>(() => Run(b.Build(), new Fp61[2]))).Message);

        var m = new CircuitBuilder("m");
        var w = m.Input("x", "alice");
        m.Output("y", w * w);
        Assert.Contains("need 2 triples", (await Assert.ThrowsAsync<ArgumentException>(() => Run(m.Build(), new Fp61[2]))).Message);

        var l = new CircuitBuilder("l");
        l.Output("y", l.Input("x", "alice") + 1);
        Assert.Contains("needs 2 shares", (await Assert.ThrowsAsync<ArgumentException>(() => Run(l.Build(), new Fp61[1]))).Message);

        // Integer gates were once skipped by the batched step loop, leaving their wires zero: now refused before any message.
        var z = new CircuitBuilder("z");
        z.Output("y", z.LessThanZero(z.Input("x", "alice"), 8));
        Assert.Contains("integer gates", (await Assert.ThrowsAsync<ArgumentException>(() => Run(z.Build(), new Fp61[2]))).Message);
    }
}
