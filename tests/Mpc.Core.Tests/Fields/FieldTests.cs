using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;

using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Fields;

/// <summary>
/// Field axioms and every <see cref="IField{T}"/> operation checked against a <see cref="BigInteger"/>
/// reference, written once and instantiated per field (<see cref="Fp61Tests"/>, <see cref="Fp127Tests"/>).
/// </summary>
public abstract class FieldTests<T> where T : struct, IField<T>
{
    protected static readonly BigInteger P = T.Modulus;

    protected static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    protected static BigInteger R(T x) => x.ToBigInteger();

    protected static T F(BigInteger v) => T.FromBigInteger(v);

    /// <summary>Values where reductions and carries go wrong first: around 0, p, p/2 and limb boundaries.</summary>
    protected static readonly BigInteger[] EdgeValues =
    [
        0, 1, 2, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2,
        (BigInteger.One << 32) - 1, ulong.MaxValue, (BigInteger)ulong.MaxValue + 1, BigInteger.One << 63,
        (BigInteger.One << (T.BitLength - 1)) - 1, BigInteger.One << (T.BitLength - 1),
    ];

    /// <summary>Edge values one time in four, otherwise uniform (more bytes than p has, reduced mod p).</summary>
    protected static readonly Gen<T> Element = Gen.Frequency(
        (1, Gen.Elements(EdgeValues).Select(F)),
        (3, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), T.ByteLength + 8)
            .Select(bytes => F(new BigInteger(bytes, isUnsigned: true)))));

    protected static readonly Arbitrary<T> Elements = Element.ToArbitrary();

    // ---------- Arithmetic against the reference ----------

    [Property]
    public Property ArithmeticMatchesBigInteger() => Prop.ForAll(Elements, Elements, (a, b) =>
        R(a + b) == Mod(R(a) + R(b)) &&
        R(a - b) == Mod(R(a) - R(b)) &&
        R(a * b) == Mod(R(a) * R(b)) &&
        R(-a) == Mod(-R(a)));

    [Property]
    public Property ResultsAreCanonical() => Prop.ForAll(Elements, Elements, (a, b) =>
        R(a + b) < P && R(a - b) < P && R(a * b) < P && R(-a) < P && R(a) >= 0);

    [Fact]
    public void EdgeValuePairsMatchBigInteger()
    {
        foreach (var x in EdgeValues)
        foreach (var y in EdgeValues)
        {
            T a = F(x), b = F(y);
            Assert.Equal(Mod(x + y), R(a + b));
            Assert.Equal(Mod(x - y), R(a - b));
            Assert.Equal(Mod(x * y), R(a * b));
        }
    }

    [Fact]
    public void ConstantsAndMetadataAgree()
    {
        Assert.Equal(BigInteger.Zero, R(T.Zero));
        Assert.Equal(BigInteger.One, R(T.One));
        Assert.Equal(T.BitLength, (int)(P - 1).GetBitLength());
        Assert.True(T.ByteLength * 8 >= T.BitLength);
        foreach (int witness in new[] { 2, 3, 5, 7 }) Assert.True(BigInteger.ModPow(witness, P - 1, P).IsOne); // Fermat
        Assert.False(string.IsNullOrWhiteSpace(T.Name));
    }

    // ---------- Axioms ----------

    [Property]
    public Property AdditionAndMultiplicationAreCommutativeAndAssociative() =>
        Prop.ForAll(Elements, Elements, Elements, (a, b, c) =>
            a + b == b + a && a * b == b * a &&
            (a + b) + c == a + (b + c) && (a * b) * c == a * (b * c));

    [Property]
    public Property MultiplicationDistributesOverAddition() =>
        Prop.ForAll(Elements, Elements, Elements, (a, b, c) => a * (b + c) == a * b + a * c);

    [Property]
    public Property IdentitiesAndAdditiveInverse() => Prop.ForAll(Elements, a =>
        a + T.Zero == a && a * T.One == a && a * T.Zero == T.Zero && a + (-a) == T.Zero && a - a == T.Zero);

    // ---------- Conversions ----------

    [Property]
    public Property FromUInt64Reduces(ulong v) => (R(T.FromUInt64(v)) == Mod(v)).ToProperty();

    [Fact]
    public void FromUInt64ReducesExtremes()
    {
        foreach (ulong v in new[] { 0UL, 1UL, ulong.MaxValue, ulong.MaxValue - 1, (ulong)long.MaxValue })
            Assert.Equal(Mod(v), R(T.FromUInt64(v)));
    }

    [Property]
    public Property FromBigIntegerReducesAnyInteger(long high, ulong low) =>
        ((Func<bool>)(() =>
        {
            // Spans negative values and values several times larger than p.
            BigInteger v = ((BigInteger)high << 128) + low;
            return R(F(v)) == Mod(v) && R(F(-v)) == Mod(-v);
        })).ToProperty();

    // ---------- Inverse, Pow, Sqrt ----------

    [Property]
    public Property InverseIsReciprocal() => Prop.ForAll(Elements, a =>
        a == T.Zero || (a * a.Inverse() == T.One && R(a.Inverse()) == BigInteger.ModPow(R(a), P - 2, P)));

    [Fact]
    public void ZeroHasNoInverse() => Assert.Throws<DivideByZeroException>(() => T.Zero.Inverse());

    [Fact]
    public void EdgeInverses()
    {
        Assert.Equal(T.One, T.One.Inverse());
        Assert.Equal(F(P - 1), F(P - 1).Inverse()); // −1 is its own inverse
        Assert.Equal(F((P + 1) / 2), F(2).Inverse());
    }

    [Property]
    public Property PowMatchesModPow(ulong e0, ulong e1, byte topBits) => Prop.ForAll(Elements, a =>
    {
        // Exponents up to 136 bits: beyond p, so Fermat wrap-around is exercised too.
        BigInteger e = ((BigInteger)topBits << 128) + ((BigInteger)e1 << 64) + e0;
        return R(a.Pow(e)) == BigInteger.ModPow(R(a), e, P) && a.Pow(BigInteger.Zero) == T.One;
    });

    [Fact]
    public void PowRejectsNegativeExponent() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => T.One.Pow(BigInteger.MinusOne));

    [Property]
    public Property SqrtFollowsEulersCriterion() => Prop.ForAll(Elements, a =>
    {
        bool residue = a == T.Zero || BigInteger.ModPow(R(a), (P - 1) / 2, P).IsOne;
        bool found = a.TrySqrt(out T root);
        return found == residue && (!found || root * root == a);
    });

    [Property]
    public Property SquaresHaveRoots() => Prop.ForAll(Elements, a =>
    {
        T square = a * a;
        return square.TrySqrt(out T root) && (root == a || root == -a);
    });

    /// <summary>Batches of squares (with zeros) long enough to cover the interleaved lanes and the scalar tail.</summary>
    private static readonly Arbitrary<T[]> Squares = Gen.ArrayOf(Element.Select(a => a * a)).ToArbitrary();

    [Property]
    public Property InverseSqrtIsTheReciprocalOfTheRootForEveryLane() => Prop.ForAll(Squares, squares =>
    {
        var w = new T[squares.Length];
        int bad = T.InverseSqrt(squares, w);
        for (int i = 0; i < squares.Length; i++)
        {
            squares[i].TrySqrt(out T root);
            bool ok = squares[i] == T.Zero ? w[i] == T.Zero : w[i] * root == T.One;
            if (!ok) return false;
        }
        return bad == -1;
    });

    [Property]
    public Property InverseSqrtAgreesWithTheGenericBatchInversion() => Prop.ForAll(Squares, squares =>
    {
        T[] fast = new T[squares.Length], generic = new T[squares.Length];
        int a = T.InverseSqrt(squares, fast), b = FieldKernels.InverseSqrtByRoots<T>(squares, generic);
        return a == b && fast.AsSpan().SequenceEqual(generic);
    });

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    public void InverseSqrtNamesTheFirstNonResidue(int position)
    {
        T[] values = [F(4), F(9), F(16), F(25), F(36), F(49), F(64)];
        values[position] = F(P - 1); // −1 is a non-residue for p ≡ 3 (mod 4)
        Assert.Equal(position, FieldKernels.InverseSqrtByRoots<T>(values, new T[values.Length]));
        Assert.Equal(position, T.InverseSqrt(values, values));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(37, -1)]
    [InlineData(37, 0)]
    [InlineData(37, 9)]   // inside a second vector block
    [InlineData(37, 35)]  // in the scalar tail
    [InlineData(37, 36)]
    public void IndexOfNonCanonicalFindsTheFirstBadEncodingAnywhere(int count, int bad)
    {
        int width = T.ByteLength;
        var bytes = new byte[count * width];
        for (int i = 0; i < count; i++) F(P - 1 - i).Write(bytes.AsSpan(i * width, width));
        if (bad >= 0)
        {
            // p itself, then p + 1 further on: both are non-canonical, the first one must be reported.
            P.TryWriteBytes(bytes.AsSpan(bad * width, width), out _, isUnsigned: true);
            if (bad + 2 < count) (P + 1).TryWriteBytes(bytes.AsSpan((bad + 2) * width, width), out _, isUnsigned: true);
        }

        Assert.Equal(bad, T.IndexOfNonCanonical(bytes));
    }

    [Fact]
    public void MinusOneIsNotASquare()
    {
        // p ≡ 3 (mod 4) for both Mersenne primes, so −1 is a non-residue.
        Assert.False(F(P - 1).TrySqrt(out _));
        Assert.True(T.Zero.TrySqrt(out T root));
        Assert.Equal(T.Zero, root);
    }

    // ---------- Serialisation ----------

    [Property]
    public Property WriteReadRoundTrips() => Prop.ForAll(Elements, a =>
    {
        Span<byte> buf = stackalloc byte[T.ByteLength];
        a.Write(buf);
        bool ok = T.TryRead(buf, out T back);
        return ok && back == a && new BigInteger(buf, isUnsigned: true) == R(a); // little-endian, fixed width
    });

    [Property]
    public Property TryReadRejectsValuesAtLeastP(ulong offset0, ulong offset1)
    {
        // Any encoding of p + k with p + k < 2^(8·ByteLength).
        BigInteger max = (BigInteger.One << (8 * T.ByteLength)) - 1;
        BigInteger v = P + (((BigInteger)offset1 << 64) + offset0) % (max - P + 1);
        return RejectsEncoding(v).ToProperty();
    }

    [Fact]
    public void TryReadRejectsBoundaryEncodings()
    {
        Assert.True(RejectsEncoding(P));
        Assert.True(RejectsEncoding(P + 1));
        Assert.True(RejectsEncoding((BigInteger.One << (8 * T.ByteLength)) - 1));
        Assert.False(RejectsEncoding(P - 1));
    }

    private static bool RejectsEncoding(BigInteger v)
    {
        var buf = new byte[T.ByteLength];
        Assert.True(v.TryWriteBytes(buf, out _, isUnsigned: true));
        return !T.TryRead(buf, out T value) && value == T.Zero;
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        var shortBuf = new byte[T.ByteLength - 1];
        Assert.Throws<ArgumentException>(() => T.One.Write(shortBuf));
        Assert.Throws<ArgumentException>(() => T.TryRead(shortBuf, out _));
    }

    // ---------- Random sampling ----------

    [Fact]
    public void RandomRejectsTheEncodingOfP()
    {
        // All-ones masks down to p itself, the one value the sampler must redraw.
        var allOnes = Enumerable.Repeat((byte)0xFF, T.ByteLength).ToArray();
        var next = new byte[T.ByteLength];
        next[0] = 42;
        var source = new ScriptedRandom([.. allOnes, .. next], seed: 1);

        Assert.Equal(T.FromUInt64(42), T.Random(source));
        Assert.Equal(2 * T.ByteLength, source.BytesServed);
    }

    [Fact]
    public void RandomFillRedrawsOnlyRejectedElements()
    {
        const int n = 5;
        var script = new byte[n * T.ByteLength + T.ByteLength];
        for (int i = 0; i < n; i++) script[i * T.ByteLength] = (byte)(i + 1);
        script.AsSpan(2 * T.ByteLength, T.ByteLength).Fill(0xFF); // element 2 encodes p
        script[n * T.ByteLength] = 7;                            // its redraw
        var dest = new T[n];

        T.RandomFill(new ScriptedRandom(script, seed: 1), dest);

        Assert.Equal([T.FromUInt64(1), T.FromUInt64(2), T.FromUInt64(7), T.FromUInt64(4), T.FromUInt64(5)], dest);
    }

    [Fact]
    public void RandomFillIsInRangeAndUnbiasedInTheTopBit()
    {
        const int n = 20_000;
        var dest = new T[n];
        T.RandomFill(CryptoRandom.Shared, dest);

        int upperHalf = 0;
        foreach (var x in dest)
        {
            Assert.InRange(R(x), BigInteger.Zero, P - 1);
            if (R(x) > P / 2) upperHalf++;
        }
        // Binomial(20000, 1/2): σ ≈ 71, so ±600 is > 8σ — a false failure is astronomically unlikely.
        Assert.InRange(upperHalf, n / 2 - 600, n / 2 + 600);
        Assert.InRange(R(T.Random(CryptoRandom.Shared)), BigInteger.Zero, P - 1);
    }

    // ---------- Batch kernels vs scalar ----------

    /// <summary>Three equal-length arrays of random length (0–100: covers every vector-width remainder).</summary>
    protected static readonly Arbitrary<(T[] X, T[] Y, T[] Z)> Triples =
        (from n in Gen.Choose(0, 100)
         from x in Gen.ArrayOf(Element, n)
         from y in Gen.ArrayOf(Element, n)
         from z in Gen.ArrayOf(Element, n)
         select (x, y, z)).ToArbitrary();

    [Property]
    public Property BinaryKernelsMatchScalar() => Prop.ForAll(Triples, Elements, (t, c) =>
    {
        var (x, y, z) = t;
        return Check(x, y, (a, b) => a + b, (xs, ys, d) => T.Add(xs, ys, d)) &&
               Check(x, y, (a, b) => a - b, (xs, ys, d) => T.Subtract(xs, ys, d)) &&
               Check(x, y, (a, b) => a * b, (xs, ys, d) => T.Multiply(xs, ys, d)) &&
               Check(x, y, (a, _) => a * c, (xs, _, d) => T.Scale(xs, c, d)) &&
               CheckMultiplyAdd(x, y, z) && CheckScaleAdd(x, z, c) && CheckInterpolation(x, y, c);
    });

    private delegate void Kernel(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>Runs a kernel into a fresh destination, into one aliasing x, and into one aliasing y.</summary>
    private static bool Check(T[] x, T[] y, Func<T, T, T> scalar, Kernel kernel)
    {
        var expected = x.Zip(y, scalar).ToArray();

        var fresh = new T[x.Length + 3]; // longer destination: the extra tail must stay untouched
        kernel(x, y, fresh);
        var aliasX = (T[])x.Clone();
        kernel(aliasX, y, aliasX);
        var aliasY = (T[])y.Clone();
        kernel(x, aliasY, aliasY);

        return fresh.AsSpan(0, x.Length).SequenceEqual(expected) && fresh[^3..].All(v => v == T.Zero) &&
               aliasX.SequenceEqual(expected) && aliasY.SequenceEqual(expected);
    }

    private static bool CheckMultiplyAdd(T[] x, T[] y, T[] z)
    {
        var expected = x.Select((a, i) => a * y[i] + z[i]).ToArray();
        var fresh = new T[x.Length];
        T.MultiplyAdd(x, y, z, fresh);
        var aliasZ = (T[])z.Clone();
        T.MultiplyAdd(x, y, aliasZ, aliasZ);
        var aliasX = (T[])x.Clone();
        T.MultiplyAdd(aliasX, y, z, aliasX);
        return fresh.SequenceEqual(expected) && aliasZ.SequenceEqual(expected) && aliasX.SequenceEqual(expected);
    }

    private static bool CheckScaleAdd(T[] x, T[] acc, T c)
    {
        var expected = x.Select((a, i) => acc[i] + a * c).ToArray();
        var d = (T[])acc.Clone();
        T.ScaleAdd(x, c, d);
        // Aliased: d += d·c.
        var self = (T[])x.Clone();
        T.ScaleAdd(self, c, self);
        return d.SequenceEqual(expected) && self.SequenceEqual(x.Select(a => a + a * c));
    }

    /// <summary>
    /// c·x + (c + 1)·y as an opening interpolates two shares (Scale, then ScaleAdd), into a fresh destination and into
    /// one aliasing x (the opener's own share).
    /// </summary>
    private static bool CheckInterpolation(T[] x, T[] y, T c)
    {
        var expected = x.Select((a, i) => c * a + (c + T.One) * y[i]).ToArray();
        var fresh = new T[x.Length + 3];
        T.Scale(x, c, fresh);
        T.ScaleAdd(y, c + T.One, fresh.AsSpan(0, x.Length));
        var aliasX = (T[])x.Clone();
        T.Scale(aliasX, c, aliasX);
        T.ScaleAdd(y, c + T.One, aliasX);
        return fresh.AsSpan(0, x.Length).SequenceEqual(expected) && fresh[^3..].All(v => v == T.Zero) && aliasX.SequenceEqual(expected);
    }

    [Fact]
    public void KernelsRejectMismatchedLengths()
    {
        T[] three = new T[3], four = new T[4], two = new T[2];
        Assert.Throws<ArgumentException>(() => T.Add(three, four, new T[4]));
        Assert.Throws<ArgumentException>(() => T.Subtract(three, three, two));
        Assert.Throws<ArgumentException>(() => T.Multiply(three, four, new T[4]));
        Assert.Throws<ArgumentException>(() => T.MultiplyAdd(three, three, four, three));
        Assert.Throws<ArgumentException>(() => T.Scale(three, T.One, two));
        Assert.Throws<ArgumentException>(() => T.ScaleAdd(three, T.One, two));
    }
}
