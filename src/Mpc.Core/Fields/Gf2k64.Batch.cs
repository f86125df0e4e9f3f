using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mpc.Core.Fields;

public readonly partial struct Gf2k64
{
    // Batch kernels. Addition and subtraction are the same XOR, vectorised widest first (512, 256 bits)
    // with a scalar tail. Products (Multiply, Scale, MultiplyAdd, ScaleAdd) use VPCLMULQDQ on 512 or 256 bits where
    // the CPU has it (ClmulLanes), else one scalar PCLMULQDQ (or the portable constant-time loop) per element.
    // Destinations may alias inputs: each index is read before it is written.

    /// <inheritdoc />
    /// <remarks>Every 64-bit pattern is an element, so no received payload holds a non-canonical one.</remarks>
    public static int IndexOfNonCanonical(ReadOnlySpan<byte> source) => -1;

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) => Xor(x, y, destination);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) => Xor(x, y, destination);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Gf2k64> x, Gf2k64 c, Span<Gf2k64> destination) =>
        FieldKernels.ProductKernel<Gf2k64, ClmulLanes, XorLanes>(x, default, c, broadcast: true, default, accumulate: false, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) =>
        FieldKernels.ProductKernel<Gf2k64, ClmulLanes, XorLanes>(x, y, default, broadcast: false, default, accumulate: false, destination);

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, ReadOnlySpan<Gf2k64> z, Span<Gf2k64> destination) =>
        FieldKernels.ProductKernel<Gf2k64, ClmulLanes, XorLanes>(x, y, default, broadcast: false, z, accumulate: true, destination);

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Gf2k64> x, Gf2k64 c, Span<Gf2k64> destination) =>
        FieldKernels.ScaleAddKernel<Gf2k64, ClmulLanes, XorLanes>(x, c, destination);

    private static void Xor(ReadOnlySpan<Gf2k64> x, ReadOnlySpan<Gf2k64> y, Span<Gf2k64> destination) =>
        FieldKernels.LaneKernel<Gf2k64, XorLanes>(x, y, destination);

    internal readonly struct XorLanes : FieldKernels.ILaneOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Invoke(ulong x, ulong y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y) => x ^ y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y) => x ^ y;
    }

    /// <summary>
    /// GF(2^64) products on 4 or 8 lanes with VPCLMULQDQ, reduced with vector shifts and XORs (constant time).
    /// </summary>
    /// <remarks>
    /// VPCLMULQDQ multiplies one chosen 64-bit half of each 128-bit lane: immediate 0x00 gives the products of the
    /// even elements and 0x11 those of the odd ones, each as a (low, high) pair in its 128-bit lane. Unpacking the low
    /// and high words of the two results per 128-bit lane puts the low halves, and the high halves, back in element
    /// order; <see cref="Gf2k64.Reduce(ulong, ulong)"/>'s fold then runs on all lanes at once. Two carry-less multiplications,
    /// two unpacks and about ten shift/XOR operations per 4 or 8 products, with no data-dependent branch or index.
    /// </remarks>
    internal readonly struct ClmulLanes : FieldKernels.IProductLanes
    {
        public static bool IsSupported256 => Pclmulqdq.V256.IsSupported && Avx2.IsSupported;

        public static bool IsSupported512 => Pclmulqdq.V512.IsSupported && Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Multiply(ulong x, ulong y) => Gf2k64.Reduce(CarrylessMultiply(x, y, out ulong lo), lo);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Multiply(Vector256<ulong> x, Vector256<ulong> y)
        {
            Vector256<ulong> even = Pclmulqdq.V256.CarrylessMultiply(x, y, 0x00), odd = Pclmulqdq.V256.CarrylessMultiply(x, y, 0x11);
            return Reduce(Avx2.UnpackHigh(even, odd), Avx2.UnpackLow(even, odd));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Multiply(Vector512<ulong> x, Vector512<ulong> y)
        {
            Vector512<ulong> even = Pclmulqdq.V512.CarrylessMultiply(x, y, 0x00), odd = Pclmulqdq.V512.CarrylessMultiply(x, y, 0x11);
            return Reduce(Avx512F.UnpackHigh(even, odd), Avx512F.UnpackLow(even, odd));
        }

        // The scalar Reduce on every lane: x^64 ≡ x^4 + x^3 + x + 1.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<ulong> Reduce(Vector256<ulong> hi, Vector256<ulong> lo)
        {
            Vector256<ulong> folded = hi ^ (hi >>> 63) ^ (hi >>> 61) ^ (hi >>> 60);
            return lo ^ folded ^ (folded << 1) ^ (folded << 3) ^ (folded << 4);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> Reduce(Vector512<ulong> hi, Vector512<ulong> lo)
        {
            Vector512<ulong> folded = hi ^ (hi >>> 63) ^ (hi >>> 61) ^ (hi >>> 60);
            return lo ^ folded ^ (folded << 1) ^ (folded << 3) ^ (folded << 4);
        }
    }
}
