using System.Numerics;
using System.Runtime.Intrinsics.X86;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Fields;

/// <summary>
/// GF(2^64) against a bitwise reference: polynomials over GF(2) as <see cref="BigInteger"/> bit sets,
/// multiplied by shift-and-XOR and reduced by long division (a different algorithm from the field's fold).
/// </summary>
public class Gf2k64Tests
{
    private static readonly BigInteger Modulus = (BigInteger.One << 64) | 0x1B;

    private static BigInteger ClMul(BigInteger a, BigInteger b)
    {
        BigInteger r = BigInteger.Zero;
        for (int i = 0; i < (int)b.GetBitLength(); i++)
            if (!((b >> i) & 1).IsZero) r ^= a << i;
        return r;
    }

    private static BigInteger PolyMod(BigInteger a, BigInteger m)
    {
        int dm = (int)m.GetBitLength() - 1;
        for (int d = (int)a.GetBitLength() - 1; d >= dm; d = (int)a.GetBitLength() - 1)
            a ^= m << (d - dm);
        return a;
    }

    private static ulong RefMul(ulong a, ulong b) => (ulong)PolyMod(ClMul(a, b), Modulus);

    private static readonly ulong[] Edges = [0, 1, 2, 0x1B, 1UL << 63, (1UL << 63) | 1, ulong.MaxValue, ulong.MaxValue - 1, 0x8000_0000_0000_001B, 0xF000_0000_0000_0000];

    private static readonly Arbitrary<Gf2k64> Elements = Gen.Frequency(
        (1, Gen.Elements(Edges)),
        (3, ArbMap.Default.GeneratorFor<ulong>())).Select(Gf2k64.FromUInt64).ToArbitrary();

    [Property]
    public Property PclmulAndPortableCarrylessProductsAgreeWithTheReference(ulong a, ulong b)
    {
        ulong hiP = Gf2k64.CarrylessMultiplyPortable(a, b, out ulong loP);
        ulong hi = Gf2k64.CarrylessMultiply(a, b, out ulong lo);
        BigInteger expected = ClMul(a, b);
        return (hiP == hi && loP == lo && ((BigInteger)hi << 64 | lo) == expected).ToProperty();
    }

    [Fact]
    public void ThisMachineUsesPclmulqdq() =>
        // Not a correctness requirement, but the benchmarks and the figures assume it; say so if it changes.
        Assert.True(Pclmulqdq.IsSupported, "PCLMULQDQ is not available: Gf2k64 uses the portable carry-less multiply.");

    [Fact]
    public void EdgeProductsMatchTheReference()
    {
        foreach (ulong a in Edges)
        foreach (ulong b in Edges)
        {
            Assert.Equal(RefMul(a, b), (Gf2k64.FromUInt64(a) * Gf2k64.FromUInt64(b)).Value);
            ulong hi = Gf2k64.CarrylessMultiplyPortable(a, b, out ulong lo);
            Assert.Equal(RefMul(a, b), Gf2k64.Reduce(hi, lo));
        }
    }

    [Property]
    public Property ArithmeticMatchesTheReference() => Prop.ForAll(Elements, Elements, (a, b) =>
        (a + b).Value == (a.Value ^ b.Value) &&
        (a - b).Value == (a.Value ^ b.Value) &&
        (-a) == a &&
        (a * b).Value == RefMul(a.Value, b.Value));

    [Property]
    public Property FieldAxioms() => Prop.ForAll(Elements, Elements, Elements, (a, b, c) =>
        a + b == b + a && a * b == b * a &&
        (a + b) + c == a + (b + c) && (a * b) * c == a * (b * c) &&
        a * (b + c) == a * b + a * c &&
        a + Gf2k64.Zero == a && a * Gf2k64.One == a && a * Gf2k64.Zero == Gf2k64.Zero &&
        a + a == Gf2k64.Zero);

    [Property]
    public Property InverseIsReciprocal() => Prop.ForAll(Elements, a =>
        a == Gf2k64.Zero || (a * a.Inverse() == Gf2k64.One && a.Inverse().Inverse() == a));

    [Fact]
    public void ZeroHasNoInverse() => Assert.Throws<DivideByZeroException>(() => Gf2k64.Zero.Inverse());

    [Fact]
    public void EdgeInverses()
    {
        foreach (ulong v in Edges.Where(v => v != 0))
            Assert.Equal(Gf2k64.One, Gf2k64.FromUInt64(v) * Gf2k64.FromUInt64(v).Inverse());
        Assert.Equal(Gf2k64.One, Gf2k64.One.Inverse());
    }

    [Property]
    public Property EveryElementHasASquareRoot() => Prop.ForAll(Elements, a =>
        a.TrySqrt(out var root) && root * root == a);

    [Property]
    public Property PowMatchesRepeatedMultiplication(byte exponent) => Prop.ForAll(Elements, a =>
    {
        Gf2k64 expected = Gf2k64.One;
        for (int i = 0; i < exponent; i++) expected *= a;
        // The group of units has order 2^64 − 1 (Lagrange).
        return a.Pow(exponent) == expected && (a == Gf2k64.Zero || a.Pow((BigInteger.One << 64) - 1) == Gf2k64.One);
    });

    [Fact]
    public void TheModulusIsIrreducible()
    {
        // Rabin's test for degree 64 (only prime divisor 2): x^(2^64) ≡ x (mod f) and gcd(x^(2^32) − x, f) = 1.
        BigInteger x = 2, power = x;
        for (int i = 0; i < 32; i++) power = PolyMod(ClMul(power, power), Modulus);
        Assert.Equal(BigInteger.One, PolyGcd(Modulus, power ^ x));
        for (int i = 32; i < 64; i++) power = PolyMod(ClMul(power, power), Modulus);
        Assert.Equal(x, power);
    }

    private static BigInteger PolyGcd(BigInteger a, BigInteger b)
    {
        while (!b.IsZero) (a, b) = (b, PolyMod(a, b));
        return a;
    }

    [Property]
    public Property EmbeddingIsTheBitPattern(ulong v) =>
        (Gf2k64.FromUInt64(v).Value == v && Gf2k64.FromBigInteger(v).ToBigInteger() == v).ToProperty();

    [Fact]
    public void EmbeddingKeepsBitsAndRefusesWhatItCannotMap()
    {
        Assert.Equal(Gf2k64.Zero, Gf2k64.FromBigInteger(0));
        Assert.Equal(Gf2k64.One, Gf2k64.FromBigInteger(1));
        Assert.Equal(BigInteger.One << 64, Gf2k64.Modulus);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Gf2k64.FromBigInteger(-1));
        Assert.Contains("[0, 2^64)", negative.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gf2k64.FromBigInteger(BigInteger.One << 64));
    }

    [Fact]
    public void SignedEncodingsAreRefused()
    {
        Assert.Equal(Gf2k64.One, FieldIntegers.FromSigned<Gf2k64>(1, "x"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FieldIntegers.FromSigned<Gf2k64>(-1, "x"));
        Assert.Contains("no signed integers", e.Message);
        Assert.Equal((BigInteger)ulong.MaxValue, FieldIntegers.ToSigned(Gf2k64.FromUInt64(ulong.MaxValue)));
    }

    [Property]
    public Property WriteReadRoundTripsLittleEndian(ulong v)
    {
        Span<byte> bytes = stackalloc byte[8];
        Gf2k64.FromUInt64(v).Write(bytes);
        bool read = Gf2k64.TryRead(bytes, out var back);
        return (read && back.Value == v && bytes[0] == (byte)v && bytes[7] == (byte)(v >> 56)).ToProperty();
    }

    [Fact]
    public void EveryEncodingIsCanonical()
    {
        byte[] bytes = new byte[8 * 11];
        Array.Fill(bytes, (byte)0xFF);
        Assert.Equal(-1, Gf2k64.IndexOfNonCanonical(bytes));
        Assert.True(Gf2k64.TryRead(bytes, out Gf2k64 top) && top.Value == ulong.MaxValue);
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Gf2k64.One.Write(new byte[7]));
        Assert.Throws<ArgumentException>(() => Gf2k64.TryRead(new byte[7], out _));
    }

    [Fact]
    public void RandomFillCoversEveryBit()
    {
        var values = new Gf2k64[1000];
        Gf2k64.RandomFill(new SeededRandom(5), values);
        ulong or = 0, and = ulong.MaxValue;
        foreach (var v in values) { or |= v.Value; and &= v.Value; }
        Assert.Equal(ulong.MaxValue, or);
        Assert.Equal(0UL, and);
        Assert.Equal(1000, values.Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(103)]
    public void BatchKernelsMatchScalarIncludingAliasedDestinations(int length)
    {
        var random = new SeededRandom(length);
        Gf2k64[] x = new Gf2k64[length], y = new Gf2k64[length], z = new Gf2k64[length], d = new Gf2k64[length];
        Gf2k64.RandomFill(random, x);
        Gf2k64.RandomFill(random, y);
        Gf2k64.RandomFill(random, z);
        Gf2k64 c = Gf2k64.Random(random);

        Gf2k64.Add(x, y, d);
        Assert.Equal(x.Zip(y, (a, b) => a + b), d);
        Gf2k64.Subtract(x, y, d);
        Assert.Equal(x.Zip(y, (a, b) => a + b), d);
        Gf2k64.Multiply(x, y, d);
        Assert.Equal(x.Zip(y, (a, b) => a * b), d);
        Gf2k64.MultiplyAdd(x, y, z, d);
        Assert.Equal(Enumerable.Range(0, length).Select(i => x[i] * y[i] + z[i]), d);
        Gf2k64.Scale(x, c, d);
        Assert.Equal(x.Select(a => a * c), d);
        var acc = (Gf2k64[])z.Clone();
        Gf2k64.ScaleAdd(x, c, acc);
        Assert.Equal(Enumerable.Range(0, length).Select(i => z[i] + x[i] * c), acc);

        var aliased = (Gf2k64[])x.Clone();
        Gf2k64.Add(aliased, y, aliased);
        Assert.Equal(x.Zip(y, (a, b) => a + b), aliased);
        Assert.Throws<ArgumentException>(() => Gf2k64.Add(x, new Gf2k64[length + 1], d));
    }
}
