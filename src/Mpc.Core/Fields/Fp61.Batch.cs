using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mpc.Core.Fields;

public readonly partial struct Fp61
{
    /// <inheritdoc />
    /// <remarks>Canonical means v &lt; p as a little-endian word: one vector comparison per 8 (or 4) elements, scalar tail.</remarks>
    public static int IndexOfNonCanonical(ReadOnlySpan<byte> source)
    {
        int count = source.Length / 8, i = 0;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(source[..(count * 8)]);
        if (BitConverter.IsLittleEndian)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var limit = Vector512.Create(P);
                for (; i + Vector512<ulong>.Count <= count; i += Vector512<ulong>.Count)
                    if (Vector512.GreaterThanOrEqualAny(Vector512.Create(words.Slice(i, Vector512<ulong>.Count)), limit)) break;
            }
            if (Vector256.IsHardwareAccelerated)
            {
                var limit = Vector256.Create(P);
                for (; i + Vector256<ulong>.Count <= count; i += Vector256<ulong>.Count)
                    if (Vector256.GreaterThanOrEqualAny(Vector256.Create(words.Slice(i, Vector256<ulong>.Count)), limit)) break;
            }
        }
        // The tail, or the block holding the first bad word: find its exact index.
        for (; i < count; i++)
            if (BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(i * 8, 8)) >= P) return i;
        return -1;
    }


    // Batch kernels. Lengths are validated once; loops then walk refs without bounds checks.
    // Destinations may alias inputs: each index is read before it is written, and no loop reads an
    // index another iteration has already written (so there is no overlapping-tail trick).
    //
    // Addition and subtraction are vectorised: since p < 2^63, a lane sum of two canonical values never
    // overflows a ulong and min(s, s − p) reduces it (s − p wraps to a huge value when s < p).
    // Products (Multiply, Scale, MultiplyAdd, ScaleAdd) are vectorised with four 32×32→64-bit VPMULUDQ partial
    // products per lane (MulLanes), where AVX2/AVX-512 exist; AVX-512 IFMA's 52-bit limbs do not fit 61-bit values.

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) =>
        FieldKernels.LaneKernel<Fp61, AddLanes>(x, y, destination);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) =>
        FieldKernels.LaneKernel<Fp61, SubtractLanes>(x, y, destination);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination) =>
        FieldKernels.ProductKernel<Fp61, MulLanes, AddLanes>(x, default, c, broadcast: true, default, accumulate: false, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) =>
        FieldKernels.ProductKernel<Fp61, MulLanes, AddLanes>(x, y, default, broadcast: false, default, accumulate: false, destination);

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, ReadOnlySpan<Fp61> z, Span<Fp61> destination) =>
        FieldKernels.ProductKernel<Fp61, MulLanes, AddLanes>(x, y, default, broadcast: false, z, accumulate: true, destination);

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination) =>
        FieldKernels.ScaleAddKernel<Fp61, MulLanes, AddLanes>(x, c, destination);

    /// <summary>Products mod 2^61 − 1 on 4 or 8 lanes from 32×32→64-bit partial products (VPMULUDQ).</summary>
    /// <remarks>
    /// With x = x_h·2^32 + x_l and y = y_h·2^32 + y_l (x_h, y_h &lt; 2^29), x·y = hh·2^64 + m·2^32 + ll where
    /// hh = x_h·y_h &lt; 2^58, m = x_h·y_l + x_l·y_h &lt; 2^62 and ll = x_l·y_l &lt; 2^64. Since 2^61 ≡ 1:
    /// hh·2^64 ≡ 8·hh, m·2^32 ≡ ⌊m / 2^29⌋ + (m mod 2^29)·2^32 and ll ≡ (ll mod 2^61) + ⌊ll / 2^61⌋. The five terms sum
    /// below 2^63; one more fold leaves s ≤ p + 3, and min(s, s − p) (unsigned: s − p wraps when s &lt; p) is the
    /// canonical product, the same word the scalar path computes. No branch, no data-dependent index.
    /// </remarks>
    internal readonly struct MulLanes : FieldKernels.IProductLanes
    {
        private const ulong Low29 = (1UL << 29) - 1;

        public static bool IsSupported256 => Avx2.IsSupported;

        public static bool IsSupported512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Multiply(ulong x, ulong y) => ReduceProduct(Math.BigMul(x, y, out ulong lo), lo);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Multiply(Vector256<ulong> x, Vector256<ulong> y)
        {
            Vector256<uint> xl = x.AsUInt32(), yl = y.AsUInt32(), xh = (x >>> 32).AsUInt32(), yh = (y >>> 32).AsUInt32();
            Vector256<ulong> ll = Avx2.Multiply(xl, yl), hh = Avx2.Multiply(xh, yh);
            Vector256<ulong> m = Avx2.Multiply(xh, yl) + Avx2.Multiply(xl, yh);
            var p = Vector256.Create(P);
            Vector256<ulong> s = (hh << 3) + (m >>> 29) + ((m & Vector256.Create(Low29)) << 32) + (ll & p) + (ll >>> 61);
            s = (s & p) + (s >>> 61);
            return Vector256.Min(s, s - p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Multiply(Vector512<ulong> x, Vector512<ulong> y)
        {
            Vector512<uint> xl = x.AsUInt32(), yl = y.AsUInt32(), xh = (x >>> 32).AsUInt32(), yh = (y >>> 32).AsUInt32();
            Vector512<ulong> ll = Avx512F.Multiply(xl, yl), hh = Avx512F.Multiply(xh, yh);
            Vector512<ulong> m = Avx512F.Multiply(xh, yl) + Avx512F.Multiply(xl, yh);
            var p = Vector512.Create(P);
            Vector512<ulong> s = (hh << 3) + (m >>> 29) + ((m & Vector512.Create(Low29)) << 32) + (ll & p) + (ll >>> 61);
            s = (s & p) + (s >>> 61);
            return Vector512.Min(s, s - p);
        }
    }

    internal readonly struct AddLanes : FieldKernels.ILaneOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Invoke(ulong x, ulong y) => ReduceOnce(x + y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y)
        {
            var s = x + y;
            return Vector256.Min(s, s - Vector256.Create(P));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y)
        {
            var s = x + y;
            return Vector512.Min(s, s - Vector512.Create(P));
        }
    }

    private readonly struct SubtractLanes : FieldKernels.ILaneOperation
    {
        // x + p − y ∈ [1, 2p − 1] for canonical x, y: one conditional subtraction finishes it.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Invoke(ulong x, ulong y) => ReduceOnce(x + P - y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y)
        {
            var p = Vector256.Create(P);
            var s = x + p - y;
            return Vector256.Min(s, s - p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y)
        {
            var p = Vector512.Create(P);
            var s = x + p - y;
            return Vector512.Min(s, s - p);
        }
    }
}
