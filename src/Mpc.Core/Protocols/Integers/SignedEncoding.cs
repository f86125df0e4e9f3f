using System.Buffers.Binary;
using System.Numerics;
using Mpc.Core.Fields;

namespace Mpc.Core.Protocols.Integers;

/// <summary>
/// The parameter rule every integer protocol checks for signed k-bit values v ∈ [−2^(k−1), 2^(k−1)),
/// encoded as v mod p by <see cref="FieldIntegers"/>.
/// </summary>
/// <remarks>
/// Catrina–de Hoogh 2010, §2 ("Data encoding"): the protocols mask a k-bit value with a random integer
/// below 2^(k+κ) and open the sum; that sum must not wrap modulo p, so 2^(k+κ+1) &lt; p, i.e.
/// k + κ + 1 &lt; log2 p. Fp127 allows k = 64 with κ = 40 (105 &lt; 127); Fp61 allows k + κ ≤ 59.
/// </remarks>
public static class SignedEncoding
{
    /// <summary>The default statistical security parameter κ (bits): masks leak at most 2^−κ.</summary>
    public const int DefaultStatisticalSecurity = 40;

    /// <summary>
    /// Throws unless k-bit values can be masked with κ bits of statistical security in <typeparamref name="T"/>:
    /// 1 ≤ k, 0 ≤ κ and k + κ + 1 &lt; log2 p (Catrina–de Hoogh 2010, §2).
    /// </summary>
    /// <param name="bits">k, the bit length of the (signed) values the protocol works on.</param>
    /// <param name="security">κ, the statistical security parameter.</param>
    /// <param name="what">The operation, for the message (e.g. "LessThan on 32-bit values").</param>
    /// <exception cref="ArgumentException">The combination is refused; the message names k, κ and the field.</exception>
    public static void Validate<T>(int bits, int security, string what) where T : struct, IField<T>
    {
        if (bits < 1 || security < 0 || bits + security + 1 >= T.BitLength
            || (BigInteger.One << (bits + security + 1)) >= T.Modulus)
            throw new ArgumentException(
                $"{what} needs k = {bits} value bits and κ = {security} statistical-security bits with k ≥ 1, κ ≥ 0 and " +
                $"k + κ + 1 < log2 p, but {T.Name} has log2 p ≈ {T.BitLength} (k + κ + 1 = {bits + security + 1}). " +
                $"Use fewer bits, a smaller κ, or a larger field (Fp127).", nameof(bits));
    }

    /// <summary>The canonical representative of <paramref name="value"/> modulo 2^128 (its low 128 bits). No allocation.</summary>
    internal static UInt128 Low128<T>(T value) where T : struct, IField<T>
    {
        Span<byte> bytes = stackalloc byte[Math.Max(T.ByteLength, 16)];
        bytes.Clear();
        value.Write(bytes);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }

    /// <summary>2^e as a field element.</summary>
    internal static T PowerOfTwo<T>(int exponent) where T : struct, IField<T> => T.FromBigInteger(BigInteger.One << exponent);

    /// <summary>A public integer below 2^128 as a field element.</summary>
    internal static T FromUInt128<T>(UInt128 value, T twoTo64) where T : struct, IField<T> =>
        T.FromUInt64((ulong)(value >> 64)) * twoTo64 + T.FromUInt64((ulong)value);
}
