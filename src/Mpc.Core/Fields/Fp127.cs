using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mpc.Core.Fields;

/// <summary>
/// An element of the Mersenne prime field GF(2^127 − 1), the default for integer and fixed-point
/// contracts: comparison and truncation need k + κ + 1 &lt; 127 bits (k value bits, κ = 40 statistical security).
/// </summary>
/// <remarks>
/// Invariant: the value <c><see cref="High"/>·2^64 + <see cref="Low"/></c> is &lt; p, so
/// <see cref="High"/> &lt; 2^63. Reduction uses 2^127 ≡ 1 (mod p): a 254-bit product
/// <c>h·2^127 + l</c> folds to <c>h + l</c>. All arithmetic is branch-free on 64-bit limbs (carries are
/// computed from unsigned comparisons, which compile to <c>setb</c>, not jumps), so secret values drive
/// no branch. The memory layout is the 16-byte little-endian encoding on little-endian machines.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
[SkipLocalsInit]
public readonly partial struct Fp127 : IField<Fp127>
{
    /// <summary>Low 64 bits of the canonical representative.</summary>
    public readonly ulong Low;

    /// <summary>High 64 bits of the canonical representative; always &lt; 2^63.</summary>
    public readonly ulong High;

    /// <summary>Low limb of p = 2^127 − 1.</summary>
    private const ulong P0 = ulong.MaxValue;

    /// <summary>High limb of p, also the mask of the 63 value bits of <see cref="High"/>.</summary>
    private const ulong P1 = ulong.MaxValue >> 1;

    /// <summary>p = 2^127 − 1.</summary>
    public static UInt128 P => new(P1, P0);

    private Fp127(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The canonical representative as an unsigned 128-bit integer.</summary>
    public UInt128 Value => new(High, Low);

    /// <summary>Creates an element from any 128-bit integer, reducing modulo p.</summary>
    public static Fp127 FromUInt128(UInt128 value)
    {
        ulong hi = (ulong)(value >> 64), lo = (ulong)value;
        // value = (hi >> 63)·2^127 + (value mod 2^127) ≡ (hi >> 63) + (value mod 2^127) ≤ p + 1.
        return Canonical(hi & P1, lo, hi >> 63);
    }

    /// <inheritdoc />
    public static Fp127 FromUInt64(ulong value) => new(0, value);

    /// <inheritdoc />
    public static Fp127 Zero => default;

    /// <inheritdoc />
    public static Fp127 One => new(0, 1);

    /// <inheritdoc />
    public static BigInteger Modulus { get; } = (BigInteger.One << 127) - 1;

    /// <inheritdoc />
    public static int BitLength => 127;

    /// <inheritdoc />
    public static int ByteLength => 16;

    /// <inheritdoc />
    public static string Name => "Fp127";

    /// <inheritdoc />
    public static Fp127 FromBigInteger(BigInteger value)
    {
        var r = BigInteger.Remainder(value, Modulus);
        if (r.Sign < 0) r += Modulus;
        return FromUInt128((UInt128)r);
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger() => (BigInteger)Value;

    /// <inheritdoc />
    public static bool operator ==(Fp127 a, Fp127 b) => ((a.Low ^ b.Low) | (a.High ^ b.High)) == 0;

    /// <inheritdoc />
    public static bool operator !=(Fp127 a, Fp127 b) => !(a == b);

    /// <inheritdoc />
    public bool Equals(Fp127 other) => this == other;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Fp127 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High);

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public Fp127 Pow(BigInteger exponent) => FieldKernels.Pow(this, exponent);

    /// <summary>Raises to a 128-bit power; the loop runs over all 128 bits so time does not depend on the exponent.</summary>
    public Fp127 Pow(UInt128 exponent)
    {
        Fp127 result = One, b = this;
        for (int i = 0; i < 128; i++)
        {
            // Multiply by b or by one, chosen with a mask: no branch on the exponent bit.
            ulong mask = 0UL - (ulong)((exponent >> i) & 1);
            result *= new Fp127(b.High & mask, (b.Low & mask) | (1UL & ~mask));
            b *= b;
        }
        return result;
    }

    /// <inheritdoc />
    public Fp127 Inverse()
    {
        if (this == Zero) throw new DivideByZeroException("Zero has no inverse in Fp127.");
        return Pow(P - 2); // Fermat: a^(p−2) = a^(−1)
    }

    /// <inheritdoc />
    public bool TrySqrt(out Fp127 root) => FieldKernels.MersenneSqrt(this, out root); // a^((p+1)/4), p ≡ 3 (mod 4)

    /// <inheritdoc />
    public static int InverseSqrt(ReadOnlySpan<Fp127> values, Span<Fp127> destination) => FieldKernels.MersenneInverseSqrt(values, destination); // v^((p−3)/4)

    /// <inheritdoc />
    public static Fp127 Random(IRandomSource random)
    {
        Span<byte> buf = stackalloc byte[16];
        while (true)
        {
            random.Fill(buf);
            ulong lo = BinaryPrimitives.ReadUInt64LittleEndian(buf);
            ulong hi = BinaryPrimitives.ReadUInt64LittleEndian(buf[8..]) & P1;
            if (lo != P0 || hi != P1) return new(hi, lo); // reject the single value p: no bias
        }
    }

    /// <inheritdoc />
    public static void RandomFill(IRandomSource random, Span<Fp127> destination)
    {
        // Fill the elements' own memory with random words, then canonicalise in place. Random words are
        // uniform in either byte order, so the platform's endianness does not matter here.
        Span<ulong> words = MemoryMarshal.Cast<Fp127, ulong>(destination);
        random.Fill(MemoryMarshal.AsBytes(words));
        for (int i = 0; i < destination.Length; i++)
        {
            // Masking the top bit leaves 127 uniform bits; the one value ≥ p is redrawn. Rejection has
            // public probability 2^-127 and reveals nothing about other elements.
            ulong lo = words[2 * i], hi = words[2 * i + 1] & P1;
            destination[i] = lo == P0 && hi == P1 ? Random(random) : new(hi, lo);
        }
    }

    /// <inheritdoc />
    public void Write(Span<byte> destination)
    {
        if (destination.Length < 16) throw new ArgumentException($"An Fp127 needs 16 bytes; the destination has {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], High);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySpan<byte> source, out Fp127 value)
    {
        if (source.Length < 16) throw new ArgumentException($"An Fp127 needs 16 bytes; the source has {source.Length}.", nameof(source));
        ulong lo = BinaryPrimitives.ReadUInt64LittleEndian(source);
        ulong hi = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        // Canonical iff < p: the top bit is clear and the value is not p itself.
        bool canonical = hi < P1 || (hi == P1 && lo != P0);
        value = canonical ? new(hi, lo) : default;
        return canonical;
    }
}
