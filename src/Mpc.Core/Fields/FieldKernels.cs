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
internal static class FieldKernels
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
}
