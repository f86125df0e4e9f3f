using Mpc.Core.Fields;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Engine;

namespace Mpc.Core.Tests.Bristol;

/// <summary>The generated Bristol circuits in MPC over Gf2k64 give the plaintext answers.</summary>
public class BristolMpcTests
{
    private static readonly BristolCircuit[] Circuits =
        [BristolGenerators.Adder(64), BristolGenerators.LessThan(64), BristolGenerators.Multiplier(64)];

    private static IReadOnlyList<bool[]> Bits(BristolCircuit c, params ulong[] values) =>
        values.Select((v, i) => BristolBits.ToBits(v, c.InputSizes[i], BitOrder.Lsb, "input " + i)).ToArray();

    [Property(MaxTest = 4)]
    public Property ArithmeticCircuitsInMpcEqualPlaintext(ulong a, ulong b, bool fiveParties) => Prop.ForAll(
        Gen.Choose(0, Circuits.Length - 1).ToArbitrary(), which =>
        {
            var c = Circuits[which];
            int n = fiveParties ? 5 : 3;
            var inputs = Bits(c, a, b);
            var run = BristolRunner.RunAsync(c, [inputs], n, (n - 1) / 2).GetAwaiter().GetResult();
            var expected = c.Evaluate(inputs);
            return run.Outputs.Count == 1 && run.Outputs[0].Zip(expected).All(p => p.First.SequenceEqual(p.Second))
                && run.AndGates == c.AndCount;
        });

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task CopiesRunSideBySideInTheRoundsOfOneCopy(int n)
    {
        var c = BristolGenerators.LessThan(64);
        ulong[][] pairs = [[3, 5], [5, 3], [ulong.MaxValue, ulong.MaxValue], [0, ulong.MaxValue]];
        var run = await BristolRunner.RunAsync(c, pairs.Select(p => Bits(c, p)).ToArray(), n, (n - 1) / 2);
        Assert.Equal([true, false, false, true], run.Outputs.Select(o => o[0][0]));
        Assert.Equal(64, run.Rounds);
        Assert.Equal(4 * 64, run.AndGates);
    }

    [Fact]
    public async Task AesShapedCircuitInMpcMatchesTheReference()
    {
        var c = BristolGenerators.AesShaped();
        var random = new Random(11);
        byte[] key = new byte[16], plain = new byte[16];
        random.NextBytes(key);
        random.NextBytes(plain);
        var inputs = new[] { key, plain }.Select(v => BristolBits.ToBits(new BigInteger(v, isUnsigned: true), 128, BitOrder.Lsb, "v")).ToArray();
        var run = await BristolRunner.RunAsync(c, [inputs], 3, 1);
        Assert.Equal(new BigInteger(AesShapedReference.Encrypt(key, plain), isUnsigned: true), BristolBits.FromBits(run.Outputs[0][0], BitOrder.Lsb));
        Assert.Equal(60, run.Rounds);
    }

    [Fact]
    public async Task WrongInputsAreRefusedBeforeAnythingRuns()
    {
        var c = BristolGenerators.Adder(8);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => BristolRunner.RunAsync(c, [[new bool[8]]], 3, 1));
        Assert.Contains("2 input value(s)", e.Message);
        e = await Assert.ThrowsAsync<ArgumentException>(() => BristolRunner.RunAsync(c, [[new bool[8], new bool[7]]], 3, 1));
        Assert.Contains("Input 1 has 7 bits", e.Message);
    }
}

/// <summary>A node's path for a boolean job: pooled triples handed to <see cref="PartyEngine{T}.PrepareAsync(Circuits.Circuit, Protocols.TripleBatch{T}, ReadOnlyMemory{T}?, CancellationToken)"/>.</summary>
public class BristolNodePathTests
{
    [Fact]
    public async Task PreparingWithGivenTriplesBuildsNoIntegerMaterialInGf2k64()
    {
        var bristol = BristolGenerators.Adder(8);
        var circuit = bristol.ToCircuit("adder8");
        var inputs = new[] { 200UL, 100UL }.Select((v, i) => BristolBits.ToBits(v, 8, BitOrder.Lsb, "input " + i)).ToArray();
        var scheme = new Mpc.Core.Sharing.ShamirScheme<Gf2k64>(3, 1);
        var shares = new Dictionary<string, Gf2k64>[3];
        for (int p = 0; p < 3; p++) shares[p] = [];
        for (int v = 0; v < inputs.Length; v++)
            for (int bit = 0; bit < inputs[v].Length; bit++)
            {
                var dealt = new Gf2k64[3];
                var secret = inputs[v][bit] ? Gf2k64.One : Gf2k64.Zero;
                scheme.ShareBatch([secret], new Support.SeededRandom(v * 64 + bit), dealt);
                for (int p = 0; p < 3; p++) shares[p][BristolCircuit.InputKey(0, v, bit)] = dealt[p];
            }

        var results = await Support.Cluster.RunAsync<Gf2k64, PartyOutputs<Gf2k64>>(3, 1, async context =>
        {
            var engine = new PartyEngine<Gf2k64>(context);
            var triples = await new Mpc.Core.Protocols.Dn07TripleSource<Gf2k64>(context).GenerateAsync(circuit.Stats.Multiplications);
            var preprocessing = await engine.PrepareAsync(circuit, triples);
            return await engine.RunAsync(circuit, shares[context.Party], preprocessing);
        });

        var expected = bristol.Evaluate(inputs)[0];
        for (int bit = 0; bit < expected.Length; bit++)
            Assert.All(results, r => Assert.Equal(expected[bit] ? Gf2k64.One : Gf2k64.Zero,
                r.Public[BristolCircuit.OutputName(0, 0, bit)]));
    }
}
