using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mpc.Core.Fields;

/// <summary>
/// An element of the binary field GF(2^64) = GF(2)[x] / (x^64 + x^4 + x^3 + x + 1), for boolean
/// circuits: addition is XOR (free in MPC), so a boolean AND is the one gate that costs a Beaver
/// multiplication.
/// </summary>
/// <remarks>
/// <para>Representation: bit i of <see cref="Value"/> is the coefficient of x^i. Every 64-bit pattern
/// is a canonical element, so there is no reduction on input, no rejection when sampling and no
/// non-canonical encoding.</para>
/// <para><b>Integer embedding.</b> <see cref="FromUInt64"/> and <see cref="FromBigInteger"/> map an
/// integer v in [0, 2^64) to the polynomial whose coefficients are the bits of v. This is a bijection,
/// not a ring homomorphism (1 + 1 = 0 here, but 2 maps to x): it preserves 0 and 1, which is all a
/// boolean circuit needs, and it maps the Shamir evaluation points 1..n to distinct non-zero elements.
/// Negative integers and integers ≥ 2^64 are refused rather than wrapped, so signed encodings
/// (<see cref="FieldIntegers"/>) and the integer protocols do not apply to this field.</para>
/// <para>The modulus is the lexicographically first irreducible pentanomial of degree 64 (the one used
/// for GF(2^64) by MP-SPDZ and in the Gueron–Kounavis carry-less multiplication white paper's examples).</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
[SkipLocalsInit]
public readonly partial struct Gf2k64 : IField<Gf2k64>
{
    /// <summary>The low 64 bits of the modulus polynomial: x^64 ≡ x^4 + x^3 + x + 1 = 0x1B.</summary>
    public const ulong ReductionPolynomial = 0x1B;

    /// <summary>The polynomial's coefficient bits (bit i = coefficient of x^i).</summary>
    public readonly ulong Value;

    private Gf2k64(ulong bits) => Value = bits;

    /// <summary>The element whose coefficient bits are <paramref name="value"/> (see the embedding in the remarks).</summary>
    public static Gf2k64 FromUInt64(ulong value) => new(value);

    /// <inheritdoc />
    public static Gf2k64 Zero => default;

    /// <inheritdoc />
    public static Gf2k64 One => new(1);

    /// <summary>2^64, the number of elements (the characteristic is 2).</summary>
    public static BigInteger Modulus { get; } = BigInteger.One << 64;

    /// <inheritdoc />
    public static int BitLength => 64;

    /// <inheritdoc />
    public static int ByteLength => 8;

    /// <inheritdoc />
    public static string Name => "Gf2k64";

    /// <summary>The element whose coefficient bits are <paramref name="value"/>, which must lie in [0, 2^64).</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="value"/> is negative or ≥ 2^64: GF(2^64) has no signed or modular-integer reading.
    /// </exception>
    public static Gf2k64 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value > ulong.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value,
                $"{Name} maps only integers in [0, 2^64) to field elements (bit i is the coefficient of x^i); {value} has no image.");
        return new((ulong)value);
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger() => Value;

    /// <summary>Addition is coefficient-wise XOR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gf2k64 operator +(Gf2k64 a, Gf2k64 b) => new(a.Value ^ b.Value);

    /// <summary>Subtraction equals addition in characteristic 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gf2k64 operator -(Gf2k64 a, Gf2k64 b) => new(a.Value ^ b.Value);

    /// <summary>Every element is its own additive inverse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gf2k64 operator -(Gf2k64 a) => a;

    /// <summary>Carry-less product reduced modulo x^64 + x^4 + x^3 + x + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gf2k64 operator *(Gf2k64 a, Gf2k64 b)
    {
        ulong hi = CarrylessMultiply(a.Value, b.Value, out ulong lo);
        return new(Reduce(hi, lo));
    }

    /// <inheritdoc />
    public static bool operator ==(Gf2k64 a, Gf2k64 b) => a.Value == b.Value;

    /// <inheritdoc />
    public static bool operator !=(Gf2k64 a, Gf2k64 b) => a.Value != b.Value;

    /// <inheritdoc />
    public bool Equals(Gf2k64 other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Gf2k64 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The coefficient bits as 16 hex digits, e.g. <c>0x000000000000001b</c>.</summary>
    public override string ToString() => "0x" + Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public Gf2k64 Pow(BigInteger exponent) => FieldKernels.Pow(this, exponent);

    /// <summary>Multiplicative inverse a^(2^64 − 2), by the Itoh–Tsujii addition chain.</summary>
    /// <remarks>
    /// Itoh–Tsujii 1988 ("A fast algorithm for computing multiplicative inverses in GF(2^m) using normal
    /// bases"): a^(2^64 − 2) = (a^(2^63 − 1))², and β_k = a^(2^k − 1) satisfies β_{2k} = β_k^(2^k)·β_k and
    /// β_{k+1} = β_k²·a. The chain 1, 2, 3, 6, 7, 14, 15, 30, 31, 62, 63 costs 63 squarings and 10
    /// multiplications, the same sequence for every input (constant time).
    /// </remarks>
    /// <exception cref="DivideByZeroException">The element is zero.</exception>
    public Gf2k64 Inverse()
    {
        if (Value == 0) throw new DivideByZeroException("Zero has no inverse in Gf2k64.");
        Gf2k64 a = this, beta = a; // β_1
        int k = 1;
        while (k < 63)
        {
            beta = SquareTimes(beta, k) * beta; // β_2k
            k *= 2;
            beta = beta * beta * a;             // β_2k+1
            k++;
        }
        return beta * beta;
    }

    /// <summary>The square root a^(2^63): every element of GF(2^64) is a square (squaring is the Frobenius automorphism).</summary>
    /// <returns>Always <c>true</c>.</returns>
    public bool TrySqrt(out Gf2k64 root)
    {
        root = SquareTimes(this, 63);
        return true;
    }

    /// <summary>a^(2^count): <paramref name="count"/> squarings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Gf2k64 SquareTimes(Gf2k64 a, int count)
    {
        for (int i = 0; i < count; i++) a *= a;
        return a;
    }

    /// <summary>Draws a uniform element: every 64-bit pattern is one element, so no rejection is needed.</summary>
    public static Gf2k64 Random(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> buf = stackalloc byte[8];
        random.Fill(buf);
        return new(BinaryPrimitives.ReadUInt64LittleEndian(buf));
    }

    /// <inheritdoc />
    public static void RandomFill(IRandomSource random, Span<Gf2k64> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.Fill(MemoryMarshal.AsBytes(destination));
        // The in-memory layout is one little-endian ulong; on a big-endian host fix the byte order.
        if (!BitConverter.IsLittleEndian)
        {
            Span<ulong> words = MemoryMarshal.Cast<Gf2k64, ulong>(destination);
            for (int i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
        }
    }

    /// <inheritdoc />
    public void Write(Span<byte> destination)
    {
        if (destination.Length < 8) throw new ArgumentException($"A Gf2k64 needs 8 bytes; the destination has {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);
    }

    /// <summary>Reads 8 little-endian bytes; every bit pattern is canonical, so this always succeeds.</summary>
    /// <exception cref="ArgumentException">Fewer than 8 bytes.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, out Gf2k64 value)
    {
        if (source.Length < 8) throw new ArgumentException($"A Gf2k64 needs 8 bytes; the source has {source.Length}.", nameof(source));
        value = new(BinaryPrimitives.ReadUInt64LittleEndian(source));
        return true;
    }
}
