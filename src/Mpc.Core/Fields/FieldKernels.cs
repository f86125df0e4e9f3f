using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mpc.Core.Fields;

/// <summary>
/// Field-generic building blocks shared by the concrete fields: span-length validation, the scalar
/// batch loops, and square-and-multiply for a public <see cref="BigInteger"/> exponent.
/// </summary>
/// <remarks>
/// Every method is generic over <c>T : struct, IField&lt;T&gt;</c>, so the JIT compiles one copy per field
/// with the operators inlined; the loops are as fast as hand-written per-field loops. Loops walk refs with
/// <see cref="Unsafe.Add{T}(ref T, int)"/> after one length check, so there are no per-element bounds
/// checks. Each element is read before the same index is written, so a destination may alias an input.
/// </remarks>
[SkipLocalsInit]
internal static partial class FieldKernels
{
    /// <summary>Validates a binary kernel's spans: equal inputs, destination at least as long.</summary>
    /// <exception cref="ArgumentException">The lengths do not fit.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckLengths(int x, int y, int destination)
    {
        if (x != y || destination < x) ThrowLengths(x, y, destination);
    }

    /// <summary>Validates a ternary kernel's spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckLengths(int x, int y, int z, int destination)
    {
        if (x != z) ThrowLengths(x, z, destination);
        CheckLengths(x, y, destination);
    }

    // Kept out of line so the checks above stay small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengths(int x, int y, int destination)
    {
        if (x != y) throw new ArgumentException($"Input spans differ in length ({x} vs {y}).");
        throw new ArgumentException($"Destination is shorter ({destination}) than the inputs ({x}).", nameof(destination));
    }

    /// <summary><c>destination[i] = x[i] + y[i]</c>, scalar.</summary>
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T b = ref MemoryMarshal.GetReference(y);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i);
    }

    /// <summary><c>destination[i] = x[i] - y[i]</c>, scalar.</summary>
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T b = ref MemoryMarshal.GetReference(y);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) - Unsafe.Add(ref b, i);
    }

    /// <summary><c>destination[i] = x[i] * c</c>.</summary>
    public static void Scale<T>(ReadOnlySpan<T> x, T c, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * c;
    }

    /// <summary><c>destination[i] = x[i] * y[i]</c>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T b = ref MemoryMarshal.GetReference(y);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
    }

    /// <summary><c>destination[i] = x[i] * y[i] + z[i]</c>.</summary>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, y.Length, z.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T b = ref MemoryMarshal.GetReference(y);
        ref T e = ref MemoryMarshal.GetReference(z);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i) + Unsafe.Add(ref e, i);
    }

    /// <summary><c>destination[i] += x[i] * c</c>.</summary>
    public static void ScaleAdd<T>(ReadOnlySpan<T> x, T c, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        ref T a = ref MemoryMarshal.GetReference(x);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref a, i) * c;
    }

    /// <summary>
    /// <c>b^exponent</c> by left-to-right square-and-multiply over every bit of a non-negative exponent.
    /// </summary>
    /// <remarks>
    /// The exponent is treated as public (Fermat and square-root exponents, protocol constants): the loop
    /// length depends on its bit length and each multiply on one of its bits. The base may be secret;
    /// nothing branches on it. No allocation for exponents up to 512 bits.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The exponent is negative.</exception>
    public static T Pow<T>(T b, BigInteger exponent) where T : struct, IField<T>
    {
        if (exponent.Sign < 0) throw new ArgumentOutOfRangeException(nameof(exponent), "The exponent must be non-negative.");
        int byteCount = exponent.GetByteCount(isUnsigned: true);
        Span<byte> bytes = byteCount <= 64 ? stackalloc byte[64] : new byte[byteCount];
        exponent.TryWriteBytes(bytes, out int written, isUnsigned: true, isBigEndian: true);
        T result = T.One;
        for (int i = 0; i < written; i++)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                result *= result;
                if (((bytes[i] >> bit) & 1) != 0) result *= b;
            }
        }
        return result;
    }

    /// <summary>A square root in a Mersenne prime field p = 2^n − 1 (n = <c>T.BitLength</c>), if one exists.</summary>
    /// <remarks>
    /// p ≡ 3 (mod 4), so for a quadratic residue a the root is a^((p+1)/4) = a^(2^(n−2)): n − 2 squarings,
    /// the same work for every input. Checking root² = a tells residues from non-residues.
    /// </remarks>
    public static bool MersenneSqrt<T>(T a, out T root) where T : struct, IField<T>
    {
        T r = a;
        for (int i = 0; i < T.BitLength - 2; i++) r *= r;
        root = r;
        return r * r == a;
    }
    /// <summary>The generic <see cref="IField{T}.InverseSqrt"/>: a square root per element, then one batch inversion.</summary>
    /// <remarks>Montgomery's trick: prefix products, one inversion, and a backward pass (3 multiplications per element).</remarks>
    public static int InverseSqrtByRoots<T>(ReadOnlySpan<T> values, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(values.Length, values.Length, destination.Length);
        int count = values.Length;
        T[] roots = GC.AllocateUninitializedArray<T>(count), prefix = GC.AllocateUninitializedArray<T>(count);
        T running = T.One;
        for (int i = 0; i < count; i++)
        {
            if (!values[i].TrySqrt(out roots[i])) return i;
            prefix[i] = running;
            if (roots[i] != T.Zero) running *= roots[i]; // public values: skipping zeros leaks nothing
        }
        T inverse = running.Inverse();
        for (int i = count - 1; i >= 0; i--)
        {
            T root = roots[i];
            if (root == T.Zero)
            {
                destination[i] = T.Zero;
                continue;
            }
            destination[i] = inverse * prefix[i];
            inverse *= root;
        }
        return -1;
    }

    /// <summary>
    /// <see cref="IField{T}.InverseSqrt"/> in a Mersenne prime field p = 2^n − 1: w = v^((p−3)/4) = v^(2^(n−2) − 1),
    /// four elements at a time.
    /// </summary>
    /// <remarks>
    /// For a quadratic residue v with root c = v^((p+1)/4) (what <see cref="MersenneSqrt{T}"/> returns),
    /// c·w = v^((p−1)/2) = 1, so w is 1/c with no inversion at all; v·w² = 1 checks residuosity (it is −1 for a
    /// non-residue) and w = 0 for v = 0. The exponent 2^m − 1 (m = n − 2) is reached by the addition chain
    /// x^(2^(2j) − 1) = (x^(2^j − 1))^(2^j) · x^(2^j − 1) and x^(2^(j+1) − 1) = (x^(2^j − 1))² · x over the bits of m:
    /// m − 1 squarings and about 2·log2 m multiplications. A squaring chain is latency-bound (each depends on the
    /// last), so four independent chains run interleaved to fill the multiplier's pipeline.
    /// </remarks>
    public static int MersenneInverseSqrt<T>(ReadOnlySpan<T> values, Span<T> destination) where T : struct, IField<T>
    {
        CheckLengths(values.Length, values.Length, destination.Length);
        int count = values.Length, m = T.BitLength - 2, i = 0;
        ref T v = ref MemoryMarshal.GetReference(values);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (; i + 4 <= count; i += 4)
        {
            T x0 = Unsafe.Add(ref v, i), x1 = Unsafe.Add(ref v, i + 1), x2 = Unsafe.Add(ref v, i + 2), x3 = Unsafe.Add(ref v, i + 3);
            // e = x^(2^j − 1) for j = the bits of m read so far (leading bit: j = 1, e = x).
            T e0 = x0, e1 = x1, e2 = x2, e3 = x3;
            for (int bit = 30 - BitOperations.LeadingZeroCount((uint)m), j = 1; bit >= 0; bit--)
            {
                T f0 = e0, f1 = e1, f2 = e2, f3 = e3;
                for (int k = 0; k < j; k++)
                {
                    f0 *= f0; f1 *= f1; f2 *= f2; f3 *= f3;
                }
                e0 = f0 * e0; e1 = f1 * e1; e2 = f2 * e2; e3 = f3 * e3;
                j *= 2;
                if (((m >> bit) & 1) != 0)
                {
                    e0 = e0 * e0 * x0; e1 = e1 * e1 * x1; e2 = e2 * e2 * x2; e3 = e3 * e3 * x3;
                    j++;
                }
            }
            if (!IsInverseRoot(x0, e0)) return i;
            if (!IsInverseRoot(x1, e1)) return i + 1;
            if (!IsInverseRoot(x2, e2)) return i + 2;
            if (!IsInverseRoot(x3, e3)) return i + 3;
            Unsafe.Add(ref d, i) = e0;
            Unsafe.Add(ref d, i + 1) = e1;
            Unsafe.Add(ref d, i + 2) = e2;
            Unsafe.Add(ref d, i + 3) = e3;
        }
        for (; i < count; i++)
        {
            T x = Unsafe.Add(ref v, i), e = x;
            for (int bit = 30 - BitOperations.LeadingZeroCount((uint)m), j = 1; bit >= 0; bit--)
            {
                T f = e;
                for (int k = 0; k < j; k++) f *= f;
                e = f * e;
                j *= 2;
                if (((m >> bit) & 1) != 0)
                {
                    e = e * e * x;
                    j++;
                }
            }
            if (!IsInverseRoot(x, e)) return i;
            Unsafe.Add(ref d, i) = e;
        }
        return -1;

        // v·w² = 1 for a residue; v = 0 gives w = 0, which is the defined answer.
        static bool IsInverseRoot(T x, T w) => x == T.Zero || x * w * w == T.One;
    }
}
