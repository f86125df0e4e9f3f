using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Circuits;

/// <summary>
/// Random valid circuits for property tests (reused by the engine tests). Deterministic per seed, so a
/// failing case is reproduced from the seed FsCheck prints.
/// </summary>
public static class RandomCircuits
{
    private static readonly string[] PartyNames = ["alice", "bob", "carol", "dave"];

    /// <summary>
    /// A random circuit of roughly <paramref name="size"/> gates over 1–4 parties, with every gate kind,
    /// small constants (0, 1 and −1 included so folding rules fire), repeated subexpressions (for CSE),
    /// unused gates (for dead-gate removal) and public and private outputs.
    /// </summary>
    public static Circuit Create(int seed, int size)
    {
        var rng = new Random(seed);
        int partyCount = rng.Next(1, PartyNames.Length + 1);
        var parties = PartyNames.Take(partyCount).ToArray();
        var gates = new List<Gate>();
        var values = new List<int>();
        int inputCount = rng.Next(1, 5);
        for (int i = 0; i < inputCount; i++)
        {
            values.Add(gates.Count);
            gates.Add(Gate.Input("in" + i, parties[rng.Next(partyCount)]));
        }
        int body = Math.Max(1, size);
        int outputs = 0;
        for (int i = 0; i < body; i++)
        {
            // Prefer recent wires so that depth grows; sometimes reach back anywhere.
            int Pick() => values[rng.Next(2) == 0 ? rng.Next(values.Count) : Math.Max(0, values.Count - 1 - rng.Next(Math.Min(4, values.Count)))];
            int roll = rng.Next(100);
            Gate g = roll switch
            {
                < 8 => Gate.Const(SmallConstant(rng)),
                < 28 => Gate.Add(Pick(), Pick()),
                < 40 => Gate.Sub(Pick(), Pick()),
                < 55 => Gate.MulConst(Pick(), SmallConstant(rng)),
                < 85 => Gate.Mul(Pick(), Pick()),
                < 92 when gates.Count > 0 => gates[values[rng.Next(values.Count)]] is { Kind: not GateKind.Input } dup ? dup : Gate.Add(Pick(), Pick()),
                _ => Gate.Output("out" + outputs++, Pick(), rng.Next(3) == 0 ? parties[rng.Next(partyCount)] : null),
            };
            if (g.Kind.HasValue()) values.Add(gates.Count);
            gates.Add(g);
        }
        if (outputs == 0 || rng.Next(2) == 0)
            gates.Add(Gate.Output("out" + outputs, values[^1]));
        return new Circuit("random_" + (uint)seed % 100000, parties, gates);
    }

    /// <summary>Uniform random field values for every input of <paramref name="circuit"/>, keyed <c>owner.name</c>.</summary>
    public static Dictionary<string, T> RandomInputs<T>(Circuit circuit, int seed) where T : struct, IField<T>
    {
        var rng = new Random(seed);
        var result = new Dictionary<string, T>();
        foreach (var input in circuit.Inputs)
            result.Add(input.QualifiedName, T.FromBigInteger(new BigInteger(rng.NextInt64()) * rng.NextInt64()));
        return result;
    }

    /// <summary>FsCheck generator: circuits with up to <c>size</c> + 1 gates beyond their inputs.</summary>
    public static Gen<Circuit> Gen =>
        FsCheck.Fluent.Gen.Sized(size => FsCheck.Fluent.Gen.Choose(0, int.MaxValue).Select(seed => Create(seed, size + 1)));

    private static BigInteger SmallConstant(Random rng) => rng.Next(6) switch
    {
        0 => BigInteger.Zero,
        1 => BigInteger.One,
        2 => BigInteger.MinusOne,
        3 => new BigInteger(rng.NextInt64()) * rng.NextInt64() * (rng.Next(2) == 0 ? 1 : -1),
        _ => rng.Next(-1000, 1000),
    };
}

/// <summary>Registers <see cref="RandomCircuits.Gen"/> with FsCheck: <c>[Property(Arbitrary = [typeof(CircuitArbitraries)])]</c>.</summary>
public static class CircuitArbitraries
{
    /// <summary>Random valid circuits.</summary>
    public static Arbitrary<Circuit> Circuit() => Arb.From(RandomCircuits.Gen);
}
