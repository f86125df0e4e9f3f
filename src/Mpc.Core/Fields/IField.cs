using System.Numerics;

namespace Mpc.Core.Fields;

/// <summary>
/// A prime field (or GF(2^k)) element type. All protocol code is generic over
/// <c>T : struct, IField&lt;T&gt;</c> so that the JIT specialises every loop for the concrete field
/// and no call in a hot path is virtual.
/// </summary>
/// <remarks>
/// Invariant for every implementation: the stored representation is canonical (for prime fields,
/// the value is in [0, p)), so equality is bitwise and serialisation is unique.
/// Batch kernels take spans in the System.Numerics.Tensors convention
/// <c>(ReadOnlySpan x, ReadOnlySpan y, Span destination)</c>; the destination may be an input itself (same start),
/// but not overlap one at an offset: kernels read each index just before writing it, whole vectors at a time.
/// </remarks>
/// <typeparam name="T">The implementing struct itself (curiously recurring pattern).</typeparam>
public interface IField<T> :
    IEquatable<T>,
    IAdditionOperators<T, T, T>,
    ISubtractionOperators<T, T, T>,
    IMultiplyOperators<T, T, T>,
    IUnaryNegationOperators<T, T>,
    IEqualityOperators<T, T, bool>
    where T : struct, IField<T>
{
    /// <summary>The additive identity.</summary>
    static abstract T Zero { get; }

    /// <summary>The multiplicative identity.</summary>
    static abstract T One { get; }

    /// <summary>The field order (the prime p, or 2^k for binary fields).</summary>
    static abstract BigInteger Modulus { get; }

    /// <summary>Bit length of the largest element: values fit in this many bits.</summary>
    static abstract int BitLength { get; }

    /// <summary>Bytes of the fixed-width little-endian encoding written by <see cref="Write"/>.</summary>
    static abstract int ByteLength { get; }

    /// <summary>Short display name, e.g. <c>Fp61</c>; recorded with jobs and benchmark output.</summary>
    static abstract string Name { get; }

    /// <summary>Maps an integer into the field, reducing modulo p.</summary>
    static abstract T FromUInt64(ulong value);

    /// <summary>Maps any integer (negative values included) into the field, reducing modulo p.</summary>
    static abstract T FromBigInteger(BigInteger value);

    /// <summary>The canonical representative as a non-negative integer.</summary>
    BigInteger ToBigInteger();

    /// <summary>Multiplicative inverse.</summary>
    /// <exception cref="DivideByZeroException">The element is zero.</exception>
    T Inverse();

    /// <summary>Raises the element to a non-negative power by square-and-multiply over all bits of the exponent.</summary>
    T Pow(BigInteger exponent);

    /// <summary>A square root, if the element is a quadratic residue.</summary>
    /// <returns><c>false</c> when no square root exists.</returns>
    bool TrySqrt(out T root);

    /// <summary>
    /// For each v in <paramref name="values"/>, writes 1/√v (the inverse of the root <see cref="TrySqrt"/> returns),
    /// or zero for v = 0. The values are public: the loop may branch on them.
    /// </summary>
    /// <remarks>
    /// The default is the scalar <see cref="TrySqrt"/> followed by Montgomery's batch inversion (one
    /// <see cref="Inverse"/> for the whole span); fields with a faster route (one exponentiation per element,
    /// interleaved for instruction-level parallelism, as the Mersenne fields) override it.
    /// </remarks>
    /// <param name="values">The public values v.</param>
    /// <param name="destination">Receives 1/√v; same length as <paramref name="values"/>, may alias it.</param>
    /// <returns>The index of the first value without a square root (the rest of the output is then unspecified), or −1.</returns>
    static virtual int InverseSqrt(ReadOnlySpan<T> values, Span<T> destination) => FieldKernels.InverseSqrtByRoots(values, destination);

    /// <summary>Draws a uniformly random element (rejection sampling: no modular bias).</summary>
    static abstract T Random(IRandomSource random);

    /// <summary>Fills <paramref name="destination"/> with independent uniform elements.</summary>
    static abstract void RandomFill(IRandomSource random, Span<T> destination);

    /// <summary>Writes the canonical fixed-width little-endian encoding (<see cref="ByteLength"/> bytes).</summary>
    void Write(Span<byte> destination);

    /// <summary>Reads a fixed-width little-endian encoding.</summary>
    /// <returns><c>false</c> if the bytes are not a canonical encoding (e.g. a value ≥ p).</returns>
    static abstract bool TryRead(ReadOnlySpan<byte> source, out T value);

    /// <summary>
    /// The index of the first element in <paramref name="source"/> (consecutive <see cref="ByteLength"/>-byte
    /// encodings) that <see cref="TryRead"/> would reject, or −1 if all are canonical.
    /// </summary>
    /// <remarks>
    /// Checks received payloads before they are used in place. The default calls <see cref="TryRead"/> per element;
    /// fields whose check is a plain comparison override it with a vector loop. Payload bytes are public
    /// (they were sent in the clear over the channel), so the loop may exit early.
    /// </remarks>
    static virtual int IndexOfNonCanonical(ReadOnlySpan<byte> source)
    {
        int width = T.ByteLength, count = source.Length / width;
        for (int i = 0; i < count; i++)
            if (!T.TryRead(source.Slice(i * width, width), out _)) return i;
        return -1;
    }

    /// <summary><c>destination[i] = x[i] + y[i]</c>.</summary>
    static abstract void Add(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary><c>destination[i] = x[i] - y[i]</c>.</summary>
    static abstract void Subtract(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary><c>destination[i] = x[i] * c</c>.</summary>
    static abstract void Scale(ReadOnlySpan<T> x, T c, Span<T> destination);

    /// <summary><c>destination[i] = x[i] * y[i]</c>.</summary>
    static abstract void Multiply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary><c>destination[i] = x[i] * y[i] + z[i]</c>.</summary>
    static abstract void MultiplyAdd(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination);

    /// <summary><c>destination[i] += x[i] * c</c> (the axpy of linear algebra; used for Lagrange and Vandermonde sums).</summary>
    static abstract void ScaleAdd(ReadOnlySpan<T> x, T c, Span<T> destination);
}
