using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mpc.Core.Fields;

public readonly partial struct Gf2k64
{
    // Batch kernels. Addition and subtraction are the same XOR, vectorised widest first (512, 256 bits)
    // with a scalar tail. Multiplication stays one PCLMULQDQ per element through the shared scalar loops:
    // the 256/512-bit VPCLMULQDQ forms would need the products' lanes shuffled apart for reduction, and no
    // benchmark has shown that to pay yet. Destinations may alias inputs: each index is read before it is written.

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) => Xor(x, y, destination);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) => Xor(x, y, destination);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Gf2k64> x, Gf2k64 c, Span<Gf2k64> destination) => FieldKernels.Scale(x, c, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) => FieldKernels.Multiply(x, y, destination);

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, ReadOnlySpan<Gf2k64> z, Span<Gf2k64> destination) =>
        FieldKernels.MultiplyAdd(x, y, z, destination);

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Gf2k64> x, Gf2k64 c, Span<Gf2k64> destination) => FieldKernels.ScaleAdd(x, c, destination);

    private static void Xor(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination)
    {
        FieldKernels.CheckLengths(x.Length, y.Length, destination.Length);
        ref ulong a = ref Unsafe.As<Gf2k64, ulong>(ref MemoryMarshal.GetReference(x));
        ref ulong b = ref Unsafe.As<Gf2k64, ulong>(ref MemoryMarshal.GetReference(y));
        ref ulong d = ref Unsafe.As<Gf2k64, ulong>(ref MemoryMarshal.GetReference(destination));
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<ulong>.Count <= n; i += (nuint)Vector512<ulong>.Count)
                (Vector512.LoadUnsafe(ref a, i) ^ Vector512.LoadUnsafe(ref b, i)).StoreUnsafe(ref d, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<ulong>.Count <= n; i += (nuint)Vector256<ulong>.Count)
                (Vector256.LoadUnsafe(ref a, i) ^ Vector256.LoadUnsafe(ref b, i)).StoreUnsafe(ref d, i);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) ^ Unsafe.Add(ref b, i);
    }
}
