using System.Numerics;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Support;

/// <summary>GF(31): a field small enough to enumerate every polynomial, for exhaustive privacy tests. Test-only.</summary>
public readonly struct Fp31 : IField<Fp31>
{
    public const uint P = 31;

    public readonly uint Value;

    private Fp31(uint canonical) => Value = canonical;

    public static Fp31 Zero => default;
    public static Fp31 One => new(1);
    public static BigInteger Modulus => P;
    public static int BitLength => 5;
    public static int ByteLength => 1;
    public static string Name => "Fp31";

    public static Fp31 FromUInt64(ulong value) => new((uint)(value % P));

    public static Fp31 FromBigInteger(BigInteger value)
    {
        var r = BigInteger.Remainder(value, P);
        return new((uint)(r.Sign < 0 ? r + P : r));
    }

    public BigInteger ToBigInteger() => Value;

    public static Fp31 operator +(Fp31 a, Fp31 b) => new((a.Value + b.Value) % P);
    public static Fp31 operator -(Fp31 a, Fp31 b) => new((a.Value + P - b.Value) % P);
    public static Fp31 operator *(Fp31 a, Fp31 b) => new(a.Value * b.Value % P);
    public static Fp31 operator -(Fp31 a) => new((P - a.Value) % P);
    public static bool operator ==(Fp31 a, Fp31 b) => a.Value == b.Value;
    public static bool operator !=(Fp31 a, Fp31 b) => a.Value != b.Value;

    public bool Equals(Fp31 other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Fp31 other && Equals(other);
    public override int GetHashCode() => (int)Value;
    public override string ToString() => Value.ToString();

    public Fp31 Inverse()
    {
        if (Value == 0) throw new DivideByZeroException("Zero has no inverse in Fp31.");
        return Pow(P - 2);
    }

    public Fp31 Pow(BigInteger exponent)
    {
        Fp31 result = One, b = this;
        for (; exponent > 0; exponent >>= 1)
        {
            if (!exponent.IsEven) result *= b;
            b *= b;
        }
        return result;
    }

    public bool TrySqrt(out Fp31 root)
    {
        root = Pow((P + 1) / 4); // 31 ≡ 3 (mod 4)
        return root * root == this;
    }

    public static Fp31 Random(IRandomSource random)
    {
        Span<byte> b = stackalloc byte[1];
        while (true)
        {
            random.Fill(b);
            uint v = b[0] & 31u;
            if (v < P) return new(v);
        }
    }

    public static void RandomFill(IRandomSource random, Span<Fp31> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Random(random);
    }

    public void Write(Span<byte> destination) => destination[0] = (byte)Value;

    public static bool TryRead(ReadOnlySpan<byte> source, out Fp31 value)
    {
        value = new((uint)source[0] % P);
        return source[0] < P;
    }

    public static void Add(ReadOnlySpan<Fp31> x, ReadOnlySpan<Fp31> y, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] = x[i] + y[i]; }
    public static void Subtract(ReadOnlySpan<Fp31> x, ReadOnlySpan<Fp31> y, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] = x[i] - y[i]; }
    public static void Scale(ReadOnlySpan<Fp31> x, Fp31 c, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] = x[i] * c; }
    public static void Multiply(ReadOnlySpan<Fp31> x, ReadOnlySpan<Fp31> y, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] = x[i] * y[i]; }
    public static void MultiplyAdd(ReadOnlySpan<Fp31> x, ReadOnlySpan<Fp31> y, ReadOnlySpan<Fp31> z, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] = x[i] * y[i] + z[i]; }
    public static void ScaleAdd(ReadOnlySpan<Fp31> x, Fp31 c, Span<Fp31> d) { for (int i = 0; i < x.Length; i++) d[i] += x[i] * c; }
}
