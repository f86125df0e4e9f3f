using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mpc.Core.Fields;

public readonly partial struct Gf2k64
{
    // Batch kernels. Addition and subtraction are the same XOR, vectorised widest first (512, 256 bits)
    // with a scalar tail. Multiplication stays one PCLMULQDQ per element through the shared scalar loops:
    // the 256/512-bit VPCLMULQDQ forms would need the products' lanes shuffled apart for reduction, and no
    // benchmark has shown that to pay yet. Destinations may alias inputs: each index is read before it is written.

    /// <inheritdoc />
    /// <remarks>Every 64-bit pattern is an element, so no received payload holds a non-canonical one.</remarks>
    public static int IndexOfNonCanonical(ReadOnlySpan<byte> source) => -1;

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

    private static void Xor(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) =>
        FieldKernels.LaneKernel<Gf2k64, XorLanes>(x, y, destination);

    private readonly struct XorLanes : FieldKernels.ILaneOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Invoke(ulong x, ulong y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y) => x ^ y;
    }
}
