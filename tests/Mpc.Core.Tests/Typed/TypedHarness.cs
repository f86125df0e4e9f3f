using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Typed;

/// <summary>Evaluates typed circuits in plaintext (Fp127) and in MPC (3 parties) and draws k-bit test values.</summary>
internal static class TypedHarness
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    /// <summary>The plaintext reference: every output decoded as a signed integer.</summary>
    public static Dictionary<string, BigInteger> Plain(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs) =>
        CircuitEvaluator.Evaluate(circuit, CircuitInputs.ToField<Fp127>(circuit, inputs))
            .ToDictionary(kv => kv.Key, kv => FieldIntegers.ToSigned(kv.Value));

    /// <summary>The same circuit in MPC: 3 parties, t = 1, κ = 40.</summary>
    public static Dictionary<string, BigInteger> RunMpc(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs)
    {
        var result = LocalRunner.RunAsync<Fp127>(circuit, inputs, 3, 1).WaitAsync(Bound).GetAwaiter().GetResult();
        return result.Outputs.ToDictionary(o => o.Name, o => o.Signed);
    }

    /// <summary>v as the field holds it: the signed representative of v mod p.</summary>
    public static BigInteger InField(BigInteger v) => FieldIntegers.ToSigned(Fp127.FromBigInteger(v));

    public static Dictionary<string, BigInteger> Inputs(params (string Key, BigInteger Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    public static BigInteger Min(int bits) => -(BigInteger.One << (bits - 1));

    public static BigInteger Max(int bits) => (BigInteger.One << (bits - 1)) - 1;

    /// <summary>0, ±1, ±2, the extremes and their neighbours, ±2^(k−2).</summary>
    public static BigInteger[] Boundary(int bits)
    {
        var half = BigInteger.One << (bits - 2);
        BigInteger[] all = [0, 1, -1, 2, -2, Min(bits), Min(bits) + 1, Max(bits), Max(bits) - 1, half, -half];
        return all.Where(v => v >= Min(bits) && v <= Max(bits)).Distinct().ToArray();
    }

    /// <summary>A uniform signed <paramref name="bits"/>-bit value.</summary>
    public static BigInteger Uniform(Random rng, int bits)
    {
        var bytes = new byte[(bits + 7) / 8 + 1];
        rng.NextBytes(bytes);
        bytes[^1] = 0;
        var u = new BigInteger(bytes) & ((BigInteger.One << bits) - 1);
        return u - (BigInteger.One << (bits - 1));
    }

    /// <summary>Values of <paramref name="bits"/> bits: boundary values half of the time, otherwise uniform at a random smaller width.</summary>
    public static Gen<BigInteger> Values(int bits) =>
        Gen.OneOf(
            Gen.Elements(Boundary(bits)),
            Gen.Choose(0, int.MaxValue).Select(seed =>
            {
                var rng = new Random(seed);
                return Uniform(rng, rng.Next(2, bits + 1));
            }));

    public static Arbitrary<BigInteger> Arb(int bits) => Values(bits).ToArbitrary();
}
