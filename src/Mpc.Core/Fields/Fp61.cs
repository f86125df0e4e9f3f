using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mpc.Core.Fields;

/// <summary>An element of the Mersenne prime field GF(2^61 − 1), the default for pure field arithmetic.</summary>
/// <remarks>
/// Invariant: <see cref="Value"/> &lt; p. Reduction uses 2^61 ≡ 1 (mod p): a 122-bit product
/// <c>h·2^61 + l</c> folds to <c>h + l</c>, and a final conditional subtraction of p is made
/// branch-free with a sign mask (see <see cref="ReduceOnce"/>): secret values never drive a branch.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
[SkipLocalsInit]
public readonly partial struct Fp61 : IField<Fp61>
{
    /// <summary>p = 2^61 − 1.</summary>
    public const ulong P = (1UL << 61) - 1;

    /// <summary>The canonical representative, always &lt; <see cref="P"/>.</summary>
    public readonly ulong Value;

    private Fp61(ulong canonical) => Value = canonical;

    /// <summary>Creates an element from any 64-bit integer, reducing modulo p.</summary>
    public static Fp61 FromUInt64(ulong value) => new(Reduce64(value));

    /// <inheritdoc />
    public static Fp61 Zero => default;

    /// <inheritdoc />
    public static Fp61 One => new(1);

    /// <inheritdoc />
    public static BigInteger Modulus { get; } = P;

    /// <inheritdoc />
    public static int BitLength => 61;

    /// <inheritdoc />
    public static int ByteLength => 8;

    /// <inheritdoc />
    public static string Name => "Fp61";

    /// <inheritdoc />
    public static Fp61 FromBigInteger(BigInteger value)
    {
        var r = BigInteger.Remainder(value, P);
        if (r.Sign < 0) r += P;
        return new((ulong)r);
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger() => Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Reduce64(ulong x)
    {
        ulong s = (x & P) + (x >> 61); // ≤ p + 7
        return ReduceOnce(s);
    }

    /// <summary>Reduces s &lt; 2^63 + p (in practice, below 2p) to [0, p) without a branch.</summary>
    /// <remarks>
    /// d = s − p has its top bit set exactly when s &lt; p (it wrapped), so the sign mask adds p back.
    /// <c>Math.Min(s, s − p)</c> would be shorter but the JIT compiles it to a compare-and-jump: a
    /// secret-dependent branch that also mispredicts half the time on random data.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ReduceOnce(ulong s)
    {
        ulong d = s - P;
        return d + (P & (ulong)((long)d >> 63));
    }

    /// <summary>Reduces a 128-bit product <c>hi·2^64 + lo</c> of two canonical values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ReduceProduct(ulong hi, ulong lo)
    {
        ulong s = (lo & P) + ((lo >> 61) | (hi << 3)); // < 2^62
        s = (s & P) + (s >> 61);                        // ≤ p + 1
        return ReduceOnce(s);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp61 operator +(Fp61 a, Fp61 b) => new(ReduceOnce(a.Value + b.Value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp61 operator -(Fp61 a, Fp61 b) => new(ReduceOnce(a.Value + P - b.Value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp61 operator -(Fp61 a) => new(ReduceOnce(P - a.Value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp61 operator *(Fp61 a, Fp61 b)
    {
        ulong hi = Math.BigMul(a.Value, b.Value, out ulong lo);
        return new(ReduceProduct(hi, lo));
    }

    /// <inheritdoc />
    public static bool operator ==(Fp61 a, Fp61 b) => a.Value == b.Value;

    /// <inheritdoc />
    public static bool operator !=(Fp61 a, Fp61 b) => a.Value != b.Value;

    /// <inheritdoc />
    public bool Equals(Fp61 other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Fp61 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public Fp61 Pow(BigInteger exponent) => FieldKernels.Pow(this, exponent);

    /// <summary>Raises to a 64-bit power; the loop runs over all 64 bits so time does not depend on the exponent.</summary>
    public Fp61 Pow(ulong exponent)
    {
        Fp61 result = One, b = this;
        for (int i = 0; i < 64; i++)
        {
            // Multiply by b or by one: no branch on the exponent bit.
            ulong mask = 0UL - ((exponent >> i) & 1);
            result *= new Fp61((b.Value & mask) | (1UL & ~mask));
            b *= b;
        }
        return result;
    }

    /// <inheritdoc />
    public Fp61 Inverse()
    {
        if (Value == 0) throw new DivideByZeroException("Zero has no inverse in Fp61.");
        return Pow(P - 2); // Fermat
    }

    /// <inheritdoc />
    public bool TrySqrt(out Fp61 root) => FieldKernels.MersenneSqrt(this, out root); // a^((p+1)/4), p ≡ 3 (mod 4)

    /// <inheritdoc />
    public static int InverseSqrt(ReadOnlySpan<Fp61> values, Span<Fp61> destination) => FieldKernels.MersenneInverseSqrt(values, destination); // v^((p−3)/4)

    /// <inheritdoc />
    public static Fp61 Random(IRandomSource random)
    {
        Span<byte> buf = stackalloc byte[8];
        while (true)
        {
            random.Fill(buf);
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(buf) & P;
            if (v != P) return new(v); // reject the single value ≥ p: no bias
        }
    }

    /// <inheritdoc />
    public static void RandomFill(IRandomSource random, Span<Fp61> destination)
    {
        Span<ulong> words = MemoryMarshal.Cast<Fp61, ulong>(destination);
        random.Fill(MemoryMarshal.AsBytes(words));
        for (int i = 0; i < words.Length; i++)
        {
            ulong v = words[i] & P;
            // Rejection is public-probability 2^-61 per element and reveals nothing about other elements.
            while (v == P) v = Random(random).Value;
            words[i] = v;
        }
    }

    /// <inheritdoc />
    public void Write(Span<byte> destination)
    {
        if (destination.Length < 8) throw new ArgumentException($"An Fp61 needs 8 bytes; the destination has {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySpan<byte> source, out Fp61 value)
    {
        if (source.Length < 8) throw new ArgumentException($"An Fp61 needs 8 bytes; the source has {source.Length}.", nameof(source));
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(source);
        // A non-canonical encoding yields zero, so a caller that ignores the result still holds a valid element.
        value = v < P ? new(v) : default;
        return v < P;
    }
}
