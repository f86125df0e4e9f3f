using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Circuits;

namespace Mpc.Core.Tests.Bristol;

public class BristolGeneratorTests
{
    private static BigInteger Mask(int bits) => (BigInteger.One << bits) - 1;

    internal static BigInteger[] Plain(BristolCircuit c, params BigInteger[] inputs) =>
        c.Evaluate(inputs.Select((v, i) => BristolBits.ToBits(v, c.InputSizes[i], BitOrder.Lsb, "input " + i)).ToArray())
            .Select(bits => BristolBits.FromBits(bits, BitOrder.Lsb)).ToArray();

    /// <summary>The arithmetic generators with their plaintext meaning.</summary>
    internal static readonly (string Name, Func<int, BristolCircuit> Make, Func<BigInteger, BigInteger, int, BigInteger> Expected)[] Arithmetic =
    [
        ("adder", BristolGenerators.Adder, (a, b, n) => (a + b) & Mask(n)),
        ("lt", BristolGenerators.LessThan, (a, b, n) => a < b ? 1 : 0),
        ("mult", BristolGenerators.Multiplier, (a, b, n) => a * b & Mask(n)),
    ];

    public static TheoryData<int, int> GeneratorsAndWidths()
    {
        var data = new TheoryData<int, int>();
        for (int g = 0; g < Arithmetic.Length; g++)
            foreach (int n in new[] { 1, 2, 7, 64 }) data.Add(g, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(GeneratorsAndWidths))]
    public void ArithmeticCircuitsMatchBigIntegerOnRandomAndEdgeValues(int generator, int n)
    {
        var (_, make, expected) = Arithmetic[generator];
        var c = make(n);
        var random = new Random(n * 31 + generator);
        var values = new List<BigInteger> { 0, 1, Mask(n), Mask(n) - 1, BigInteger.One << (n - 1) };
        for (int i = 0; i < 20; i++) values.Add(new BigInteger(random.NextInt64()) * random.NextInt64() & Mask(n));
        foreach (var a in values.Select(v => v & Mask(n)))
            foreach (var b in values.Take(8).Append(values[^1]).Select(v => v & Mask(n)))
                Assert.Equal(expected(a, b, n), Plain(c, a, b)[0]);
    }

    [Property(MaxTest = 200)]
    public Property Adder64MatchesUInt64Addition(ulong a, ulong b) =>
        (Plain(BristolGenerators.Adder(64), a, b)[0] == unchecked(a + b)).ToProperty();

    [Fact]
    public void AndCountsAndDepthsAreTheDocumentedOnes()
    {
        Assert.Equal(63, BristolGenerators.Adder(64).AndCount);
        Assert.Equal(64, BristolGenerators.LessThan(64).AndCount);
        Assert.Equal(64 * 64 - 64 + 1, BristolGenerators.Multiplier(64).AndCount);
        var aes = BristolGenerators.AesShaped();
        Assert.Equal(6400, aes.AndCount);
        Circuit ir = aes.ToCircuit("aes");
        Assert.Equal(6400, ir.Stats.Multiplications);
        Assert.Equal(60, ir.Stats.Rounds);
        Assert.Equal(63, BristolGenerators.Adder(64).ToCircuit("a").Stats.Rounds);
    }

    [Fact]
    public void AesShapedCircuitMatchesAnIndependentByteLevelImplementation()
    {
        var c = BristolGenerators.AesShaped();
        var random = new Random(7);
        for (int trial = 0; trial < 5; trial++)
        {
            var key = new byte[16];
            var plain = new byte[16];
            random.NextBytes(key);
            random.NextBytes(plain);
            var got = Plain(c, new BigInteger(key, isUnsigned: true), new BigInteger(plain, isUnsigned: true))[0];
            Assert.Equal(new BigInteger(AesShapedReference.Encrypt(key, plain), isUnsigned: true), got);
        }
    }

    [Fact]
    public void TheIrOfACircuitEvaluatesLikeTheBooleanCircuitInGf2k64()
    {
        var c = BristolGenerators.Multiplier(16);
        Circuit ir = c.ToCircuit("m");
        var random = new Random(3);
        for (int trial = 0; trial < 10; trial++)
        {
            BigInteger a = random.Next(1 << 16), b = random.Next(1 << 16);
            var inputs = new Dictionary<string, Gf2k64>();
            var bitsA = BristolBits.ToBits(a, 16, BitOrder.Lsb, "a");
            var bitsB = BristolBits.ToBits(b, 16, BitOrder.Lsb, "b");
            for (int bit = 0; bit < 16; bit++)
            {
                inputs[BristolCircuit.InputKey(0, 0, bit)] = bitsA[bit] ? Gf2k64.One : Gf2k64.Zero;
                inputs[BristolCircuit.InputKey(0, 1, bit)] = bitsB[bit] ? Gf2k64.One : Gf2k64.Zero;
            }
            var outputs = CircuitEvaluator.Evaluate(ir, inputs);
            var product = BristolBits.FromBits(Enumerable.Range(0, 16).Select(bit => outputs[BristolCircuit.OutputName(0, 0, bit)] == Gf2k64.One).ToArray(), BitOrder.Lsb);
            Assert.Equal(a * b & 0xFFFF, product);
        }
    }

    [Fact]
    public void ConstantsFoldInTheBooleanDomainWithoutMultiplications()
    {
        // out = (x ∧ 1) ⊕ (x ∧ 0) ⊕ 1 ⊕ 1 = x: no AND survives, and a constant output still gets a wire.
        var b = new BristolBuilder();
        int x = b.Input(1)[0];
        int r = b.Xor(b.Xor(b.And(x, b.One), b.And(x, b.Zero)), b.Xor(b.One, b.One));
        b.Output([r]);
        b.Output([b.Inv(b.One)]);
        var c = b.Build();
        Circuit ir = c.ToCircuit("k");
        Assert.Equal(0, ir.Stats.Multiplications);
        foreach (bool v in new[] { false, true })
        {
            var outputs = CircuitEvaluator.Evaluate(ir, new Dictionary<string, Gf2k64> { [BristolCircuit.InputKey(0, 0, 0)] = v ? Gf2k64.One : Gf2k64.Zero });
            Assert.Equal(v ? Gf2k64.One : Gf2k64.Zero, outputs[BristolCircuit.OutputName(0, 0, 0)]);
            Assert.Equal(Gf2k64.Zero, outputs[BristolCircuit.OutputName(0, 1, 0)]);
            Assert.Equal([[v], [false]], c.Evaluate([[v]]));
        }
    }

    [Fact]
    public void OutputsThatAreInputsOrRepeatedGetTheirOwnLastWires()
    {
        var b = new BristolBuilder();
        int[] x = b.Input(2);
        int y = b.And(x[0], x[1]);
        b.Output([y, x[0], y]);
        var c = b.Build();
        Assert.Equal(c.WireCount - 3, c.OutputWire(0));
        Assert.Equal([[true, true, true]], c.Evaluate([[true, true]]));
        Assert.Equal([[false, true, false]], c.Evaluate([[true, false]]));
    }

    public static TheoryData<string> CommittedFiles() => new(Committed.Keys);

    private static readonly Dictionary<string, Func<BristolCircuit>> Committed = new()
    {
        ["adder64.txt"] = () => BristolGenerators.Adder(64),
        ["lt64.txt"] = () => BristolGenerators.LessThan(64),
        ["mult64.txt"] = () => BristolGenerators.Multiplier(64),
        ["aes_shaped.txt"] = BristolGenerators.AesShaped,
    };

    /// <summary>The files in circuits/bristol/ are exactly what the generators write (regenerate: see circuits/bristol/README.md).</summary>
    [Theory]
    [MemberData(nameof(CommittedFiles))]
    public void CommittedFilesEqualTheGeneratorOutput(string file)
    {
        string path = Path.Combine(ExampleCircuits.Directory, "bristol", file);
        string expected = BristolWriter.Write(Committed[file]());
        if (Environment.GetEnvironmentVariable("MPC_REGENERATE_BRISTOL") == "1") File.WriteAllText(path, expected);
        Assert.True(File.ReadAllText(path) == expected, $"{path} differs from the generator's output; regenerate it (circuits/bristol/README.md).");
    }
}

/// <summary>The cipher of <see cref="BristolGenerators.AesShaped"/> on bytes, written from its documentation, not from the circuit.</summary>
internal static class AesShapedReference
{
    private static readonly (int P, int Q, byte Mask)[] Steps = [(1, 2, 0xFF), (3, 5, 0xFF), (1, 2, 0x55), (1, 2, 0xAA), (3, 5, 0x55), (3, 5, 0xAA)];
    private static readonly byte[] Rcon = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];

    private static int Bit(int v, int i) => (v >> (i & 7)) & 1;

    public static byte Sbox(byte x)
    {
        int v = x;
        foreach (var (p, q, mask) in Steps)
        {
            int y = v;
            for (int i = 0; i < 8; i++)
                if (((mask >> i) & 1) != 0) y ^= ((1 - Bit(v, i + p)) & Bit(v, i + q)) << i;
            v = y;
        }
        return (byte)v;
    }

    private static byte XTime(int b) => (byte)((b << 1) ^ ((b >> 7) * 0x1B));

    public static byte[] Encrypt(byte[] key, byte[] plain)
    {
        byte[] k = (byte[])key.Clone(), s = new byte[16];
        for (int i = 0; i < 16; i++) s[i] = (byte)(plain[i] ^ k[i]);
        for (int round = 1; round <= 10; round++)
        {
            // Key expansion: w0 ^= SubWord(RotWord(w3)) ^ rcon; w1 ^= w0; w2 ^= w1; w3 ^= w2.
            byte[] t = [Sbox(k[13]), Sbox(k[14]), Sbox(k[15]), Sbox(k[12])];
            t[0] ^= Rcon[round - 1];
            for (int i = 0; i < 4; i++) k[i] ^= t[i];
            for (int i = 4; i < 16; i++) k[i] ^= k[i - 4];

            var sub = s.Select(Sbox).ToArray();
            for (int row = 0; row < 4; row++)
                for (int col = 0; col < 4; col++) s[row + 4 * col] = sub[row + 4 * ((col + row) % 4)];
            if (round < 10)
            {
                for (int col = 0; col < 4; col++)
                {
                    byte[] a = s.AsSpan(4 * col, 4).ToArray();
                    for (int i = 0; i < 4; i++)
                        s[4 * col + i] = (byte)(XTime(a[i] ^ a[(i + 1) % 4]) ^ a[(i + 1) % 4] ^ a[(i + 2) % 4] ^ a[(i + 3) % 4]);
                }
            }
            for (int i = 0; i < 16; i++) s[i] ^= k[i];
        }
        return s;
    }
}
