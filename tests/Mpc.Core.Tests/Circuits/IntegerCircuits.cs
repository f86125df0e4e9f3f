using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Mpc.Core.Circuits;

namespace Mpc.Core.Tests.Circuits;

/// <summary>
/// Random valid circuits with integer gates whose operands provably stay inside the gates' k-bit ranges:
/// every wire carries a bound b (its value is a signed b-bit integer) propagated through each gate, and a
/// gate's k is drawn at or above its operand's bound. Deterministic per seed.
/// </summary>
/// <remarks>
/// TruncPr may round up in MPC, so its results are only ever output (names starting <c>pr_</c>), never
/// read by another gate: tests accept ⌊v / 2^m⌋ or ⌊v / 2^m⌋ + 1 there and demand equality elsewhere.
/// </remarks>
public static class IntegerCircuits
{
    /// <summary>Bits of the random input values.</summary>
    public const int InputBits = 16;

    /// <summary>Largest k drawn (well inside Fp127 with κ = 40).</summary>
    public const int MaxBits = 64;

    /// <summary>A random circuit of about <paramref name="size"/> gates beyond its inputs.</summary>
    public static Circuit Create(int seed, int size)
    {
        var rng = new Random(seed);
        var b = new CircuitBuilder("ints_" + (uint)seed % 100000);
        var wires = new List<(Wire Wire, int Bound)>();
        int inputs = rng.Next(1, 5);
        for (int i = 0; i < inputs; i++) wires.Add((b.Input("in" + i, i % 2 == 0 ? "alice" : "bob"), InputBits));
        int outputs = 0, truncPr = 0;
        (Wire Wire, int Bound) Pick() => wires[rng.Next(2) == 0 ? rng.Next(wires.Count) : Math.Max(0, wires.Count - 1 - rng.Next(Math.Min(3, wires.Count)))];
        int K(int bound, int min) => Math.Min(MaxBits, Math.Max(min, bound + rng.Next(0, 6)));
        for (int i = 0; i < Math.Max(1, size); i++)
        {
            var (x, bx) = Pick();
            var (y, by) = Pick();
            int roll = rng.Next(100);
            switch (roll)
            {
                case < 12 when Math.Max(bx, by) < MaxBits: wires.Add((rng.Next(2) == 0 ? x + y : x - y, Math.Max(bx, by) + 1)); break;
                case < 20 when bx + 4 <= MaxBits: wires.Add((x * rng.Next(-8, 9), bx + 4)); break;
                case < 30 when bx + by <= MaxBits: wires.Add((x * y, bx + by)); break;
                case < 45: wires.Add((b.LessThanZero(x, K(bx, 2)), 2)); break;
                case < 55: wires.Add((b.EqualZero(x, K(bx, 1)), 2)); break;
                case < 63 when Math.Max(bx, by) < MaxBits: wires.Add((b.LessThan(x, y, Math.Max(bx, by)), 2)); break;
                case < 68 when Math.Max(bx, by) < MaxBits: wires.Add((b.Equal(x, y, Math.Max(bx, by)), 2)); break;
                case < 76:
                {
                    int k = K(bx, 2), m = rng.Next(1, k);
                    wires.Add((b.Trunc(x, k, m), k - m + 1));
                    break;
                }
                case < 82:
                {
                    int k = K(bx, 2), m = rng.Next(1, k);
                    wires.Add((b.Mod2m(x, k, m), m + 1));
                    break;
                }
                case < 87:
                {
                    int k = K(bx, 2), m = rng.Next(1, k);
                    b.Output("pr_" + truncPr++, b.TruncPr(x, k, m));
                    break;
                }
                case < 92:
                {
                    var (c, _) = Pick();
                    var bit = b.LessThanZero(c, K(wires.First(w => w.Wire == c).Bound, 2));
                    wires.Add((b.Select(bit, x, y), Math.Max(bx, by) + 1));
                    break;
                }
                default:
                    if (rng.Next(3) == 0) b.OutputTo("bob", "out" + outputs++, x);
                    else b.Output("out" + outputs++, x);
                    break;
            }
        }
        b.Output("out" + outputs, wires[^1].Wire);
        return b.Build();
    }

    /// <summary>Random signed <see cref="InputBits"/>-bit inputs, with the boundary values 0, ±1, −2^15, 2^15 − 1 often.</summary>
    public static Dictionary<string, BigInteger> RandomInputs(Circuit circuit, int seed)
    {
        var rng = new Random(seed);
        const int half = 1 << (InputBits - 1);
        var result = new Dictionary<string, BigInteger>();
        foreach (var input in circuit.Inputs)
            result.Add(input.QualifiedName, rng.Next(4) switch
            {
                0 => new[] { 0, 1, -1, -half, half - 1, 2, -2 }[rng.Next(7)],
                _ => rng.Next(-half, half),
            });
        return result;
    }

    /// <summary>FsCheck generator: circuits with about <c>size</c> + 1 gates.</summary>
    public static Gen<Circuit> Gen =>
        FsCheck.Fluent.Gen.Sized(size => FsCheck.Fluent.Gen.Choose(0, int.MaxValue).Select(seed => Create(seed, Math.Min(size, 30) + 1)));

    /// <summary>Whether <paramref name="actual"/> is the plaintext answer: equal, or one more for TruncPr outputs (<c>pr_</c>).</summary>
    public static bool Matches(string output, BigInteger expected, BigInteger actual) =>
        actual == expected || (output.StartsWith("pr_", StringComparison.Ordinal) && actual == expected + 1);
}
