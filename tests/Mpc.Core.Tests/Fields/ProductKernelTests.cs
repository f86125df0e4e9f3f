using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

/// <summary>
/// The vectorised product kernels of the single-word fields (Fp61: VPMULUDQ, Gf2k64: VPCLMULQDQ) against the scalar
/// operators, with the widest vector pinned to 512, 256 and 0 bits so that every path runs on this CPU (a path the CPU
/// lacks falls through to the next narrower one). Random lengths 0–100 cover every remainder modulo 4 and 8.
/// </summary>
public abstract class ProductKernelTests<T> where T : struct, IField<T>
{
    /// <summary>The field's kernel with its widest vector pinned.</summary>
    protected delegate void Kernel(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T c, bool broadcast, ReadOnlySpan<T> z, bool accumulate,
        Span<T> destination, int maxBits);

    protected abstract Kernel Product { get; }

    /// <summary>Words where partial products and folds carry first; uniform words otherwise.</summary>
    protected abstract Gen<T> Element { get; }

    /// <summary>Uniform 64-bit words (FsCheck's own ulong generator favours small values).</summary>
    protected static readonly Gen<ulong> Words =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 8).Select(bytes => BitConverter.ToUInt64(bytes));

    private Arbitrary<(T[] X, T[] Y, T[] Z, T C)> Inputs =>
        (from n in Gen.Choose(0, 100)
         from x in Gen.ArrayOf(Element, n)
         from y in Gen.ArrayOf(Element, n)
         from z in Gen.ArrayOf(Element, n)
         from c in Element
         select (x, y, z, c)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property EveryWidthMatchesTheScalarDefinition() => Prop.ForAll(Inputs, input =>
    {
        var (x, y, z, c) = input;
        foreach (int bits in new[] { 512, 256, 0 })
        {
            if (!Matches(x, y, z, c, bits)) return false;
        }
        return true;
    });

    private bool Matches(T[] x, T[] y, T[] z, T c, int bits)
    {
        int n = x.Length;
        T[] product = Enumerable.Range(0, n).Select(i => x[i] * y[i]).ToArray();
        T[] scaled = x.Select(a => a * c).ToArray();
        T[] productPlusZ = Enumerable.Range(0, n).Select(i => x[i] * y[i] + z[i]).ToArray();
        T[] scaledPlusZ = Enumerable.Range(0, n).Select(i => x[i] * c + z[i]).ToArray();

        // Fresh destinations, one element longer: the extra element must stay untouched.
        bool ok = Run(x, y, c, false, z, false, bits, product) && Run(x, y, c, true, z, false, bits, scaled) &&
                  Run(x, y, c, false, z, true, bits, productPlusZ) && Run(x, y, c, true, z, true, bits, scaledPlusZ);

        // Aliased destinations: onto x, onto y, onto z (the ScaleAdd form d += x·c writes over its addend).
        T[] ax = (T[])x.Clone();
        Product(ax, y, c, false, z, true, ax, bits);
        T[] ay = (T[])y.Clone();
        Product(x, ay, c, false, z, false, ay, bits);
        T[] az = (T[])z.Clone();
        Product(x, y, c, true, az, true, az, bits);
        T[] self = (T[])x.Clone();
        Product(self, default, c, true, self, true, self, bits);

        return ok && ax.SequenceEqual(productPlusZ) && ay.SequenceEqual(product) && az.SequenceEqual(scaledPlusZ) &&
               self.SequenceEqual(x.Select(a => a * c + a));
    }

    private bool Run(T[] x, T[] y, T c, bool broadcast, T[] z, bool accumulate, int bits, T[] expected)
    {
        var destination = new T[x.Length + 1];
        destination[^1] = T.One;
        Product(x, y, c, broadcast, z, accumulate, destination, bits);
        return destination.AsSpan(0, x.Length).SequenceEqual(expected) && destination[^1] == T.One;
    }

    [Fact]
    public void PublicKernelsAgreeWithThePinnedOnes()
    {
        var random = new Support.SeededRandom(17);
        T[] x = new T[37], y = new T[37], z = new T[37], d = new T[37], e = new T[37];
        T.RandomFill(random, x);
        T.RandomFill(random, y);
        T.RandomFill(random, z);
        T c = T.Random(random);
        T.Scale(x, c, d);
        Product(x, y, c, true, z, false, e, 0);
        Assert.Equal(e, d);
        T.Multiply(x, y, d);
        Product(x, y, c, false, z, false, e, 0);
        Assert.Equal(e, d);
        T.MultiplyAdd(x, y, z, d);
        Product(x, y, c, false, z, true, e, 0);
        Assert.Equal(e, d);
        z.CopyTo(d);
        T.ScaleAdd(x, c, d);
        Product(x, y, c, true, z, true, e, 0);
        Assert.Equal(e, d);
        Assert.Throws<ArgumentException>(() => T.ScaleAdd(x, c, new T[36]));
        Assert.Throws<ArgumentException>(() => T.MultiplyAdd(x, y, new T[36], d));
    }
}

public sealed class Fp61ProductKernelTests : ProductKernelTests<Fp61>
{
    protected override Kernel Product => FieldKernels.ProductKernel<Fp61, Fp61.MulLanes, Fp61.AddLanes>;

    protected override Gen<Fp61> Element => Gen.Frequency(
        (1, Gen.Elements(0UL, 1UL, 2UL, Fp61.P - 1, Fp61.P - 2, (1UL << 32) - 1, 1UL << 32, (1UL << 60) + 12345, Fp61.P >> 1)
            .Select(Fp61.FromUInt64)),
        (3, Words.Select(v => Fp61.FromUInt64(v & Fp61.P))));
}

public sealed class Gf2k64ProductKernelTests : ProductKernelTests<Gf2k64>
{
    protected override Kernel Product => FieldKernels.ProductKernel<Gf2k64, Gf2k64.ClmulLanes, Gf2k64.XorLanes>;

    protected override Gen<Gf2k64> Element => Gen.Frequency(
        (1, Gen.Elements(0UL, 1UL, ulong.MaxValue, 1UL << 63, 0xF000_0000_0000_0000UL, Gf2k64.ReductionPolynomial).Select(Gf2k64.FromUInt64)),
        (3, Words.Select(Gf2k64.FromUInt64)));
}
