using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    // Multiplication stays scalar (one 64×64→128 mulx per element) until a benchmark shows a vector path
    // faster: a vector version needs four 32×32-bit partial products per lane, and AVX-512 IFMA's
    // 52-bit limbs do not fit 61-bit values.

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) =>
        FieldKernels.LaneKernel<Fp61, AddLanes>(x, y, destination);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) =>
        FieldKernels.LaneKernel<Fp61, SubtractLanes>(x, y, destination);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination) => FieldKernels.Scale(x, c, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination) => FieldKernels.Multiply(x, y, destination);

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, ReadOnlySpan<Fp61> z, Span<Fp61> destination) =>
        FieldKernels.MultiplyAdd(x, y, z, destination);

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination) => FieldKernels.ScaleAdd(x, c, destination);

    private readonly struct AddLanes : FieldKernels.ILaneOperation
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
