using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mpc.Core.Fields;

public readonly partial struct Fp127
{
    // Batch kernels. Products are scalar limb code (four mulx per product; a vector version would need 26-bit limbs and
    // VPMULUDQ, as .NET 10 exposes no IFMA), with the addend of MultiplyAdd/ScaleAdd folded into the
    // product before its single reduction.
    // Addition and subtraction are vectorised on the in-memory layout itself (Low, High pairs: 2 elements per 256 bits,
    // 4 per 512), with the carry between the words moved by an in-lane shuffle; see AddPairs. Destinations may alias
    // inputs: each index is read before it is written.

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) =>
        AddOrSubtract(x, y, destination, subtract: false, FieldKernels.Widest);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) =>
        AddOrSubtract(x, y, destination, subtract: true, FieldKernels.Widest);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Fp127> x, Fp127 c, Span<Fp127> destination) => FieldKernels.Scale(x, c, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) => FieldKernels.Multiply(x, y, destination);

    /// <inheritdoc />
    /// <remarks>One reduction per element: z joins the product before the Mersenne fold (<see cref="MultiplyAdd(Fp127, Fp127, Fp127)"/>).</remarks>
    public static void MultiplyAdd(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, ReadOnlySpan<Fp127> z, Span<Fp127> destination)
    {
        FieldKernels.CheckLengths(x.Length, y.Length, z.Length, destination.Length);
        ref Fp127 a = ref MemoryMarshal.GetReference(x), b = ref MemoryMarshal.GetReference(y);
        ref Fp127 e = ref MemoryMarshal.GetReference(z), d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = MultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), Unsafe.Add(ref e, i));
    }

    /// <inheritdoc />
    /// <remarks>One reduction per element, as <see cref="MultiplyAdd(ReadOnlySpan{Fp127}, ReadOnlySpan{Fp127}, ReadOnlySpan{Fp127}, Span{Fp127})"/>.</remarks>
    public static void ScaleAdd(ReadOnlySpan<Fp127> x, Fp127 c, Span<Fp127> destination)
    {
        FieldKernels.CheckLengths(x.Length, x.Length, destination.Length);
        ref Fp127 a = ref MemoryMarshal.GetReference(x), d = ref MemoryMarshal.GetReference(destination);
        for (int i = 0; i < x.Length; i++) Unsafe.Add(ref d, i) = MultiplyAdd(Unsafe.Add(ref a, i), c, Unsafe.Add(ref d, i));
    }

    /// <summary>
    /// <c>x + y</c> or <c>x − y</c> elementwise, widest vector first (512 bits when <paramref name="maxBits"/> allows), then
    /// 256 bits, then the scalar operators. Tests pin <paramref name="maxBits"/> to 512, 256 and 0 to reach every path.
    /// </summary>
    /// <remarks>x − y is computed as x + (p − y), and p − y = y XOR p (p is 127 one bits and y ≤ p), in [0, p].</remarks>
    internal static void AddOrSubtract(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination, bool subtract, int maxBits)
    {
        FieldKernels.CheckLengths(x.Length, y.Length, destination.Length);
        ref ulong a = ref Unsafe.As<Fp127, ulong>(ref MemoryMarshal.GetReference(x));
        ref ulong b = ref Unsafe.As<Fp127, ulong>(ref MemoryMarshal.GetReference(y));
        ref ulong d = ref Unsafe.As<Fp127, ulong>(ref MemoryMarshal.GetReference(destination));
        nuint words = 2 * (nuint)x.Length, i = 0;
        if (BitConverter.IsLittleEndian)
        {
            if (Vector512.IsHardwareAccelerated && maxBits >= 512)
            {
                Vector512<ulong> flip = subtract ? Vector512.Create(P0, P1, P0, P1, P0, P1, P0, P1) : default;
                for (; i + (nuint)Vector512<ulong>.Count <= words; i += (nuint)Vector512<ulong>.Count)
                    AddPairs(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i) ^ flip).StoreUnsafe(ref d, i);
            }
            if (Vector256.IsHardwareAccelerated && maxBits >= 256)
            {
                Vector256<ulong> flip = subtract ? Vector256.Create(P0, P1, P0, P1) : default;
                for (; i + (nuint)Vector256<ulong>.Count <= words; i += (nuint)Vector256<ulong>.Count)
                    AddPairs(Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i) ^ flip).StoreUnsafe(ref d, i);
            }
        }
        ref Fp127 u = ref MemoryMarshal.GetReference(x), v = ref MemoryMarshal.GetReference(y), w = ref MemoryMarshal.GetReference(destination);
        for (int k = (int)(i / 2); k < x.Length; k++)
            Unsafe.Add(ref w, k) = subtract ? Unsafe.Add(ref u, k) - Unsafe.Add(ref v, k) : Unsafe.Add(ref u, k) + Unsafe.Add(ref v, k);
    }

    /// <summary>Canonical sums of (Low, High) word pairs x + y, for x &lt; p and y ≤ p.</summary>
    /// <remarks>
    /// s = x + y ≤ 2p − 1 &lt; 2^128: the low words' carry (an unsigned compare, all ones when it wrapped) is shuffled onto
    /// the high word of its pair and subtracted (−(−1) = +1). Then u = s + 1, with the same carry step: s ≥ p exactly
    /// when bit 127 of u is set, and then s − p = u − 2^127 is u with that bit cleared. The sign of u's high word,
    /// spread over the pair, selects between u − 2^127 and s. Compares, shuffles and masks only: no branch on data.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> AddPairs(Vector256<ulong> x, Vector256<ulong> y)
    {
        Vector256<ulong> high = Vector256.Create(0, ulong.MaxValue, 0, ulong.MaxValue), lowToPair = Vector256.Create(0UL, 0, 2, 2);
        Vector256<ulong> s = x + y;
        s -= Vector256.Shuffle(Vector256.LessThan(s, x), lowToPair) & high;
        Vector256<ulong> u = s + Vector256.Create(1UL, 0, 1, 0);
        u -= Vector256.Shuffle(Vector256.Equals(u, Vector256<ulong>.Zero), lowToPair) & high;
        Vector256<ulong> above = Vector256.Shuffle(Vector256.ShiftRightArithmetic(u.AsInt64(), 63).AsUInt64(), Vector256.Create(1UL, 1, 3, 3));
        return Vector256.ConditionalSelect(above, u & Vector256.Create(P0, P1, P0, P1), s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> AddPairs(Vector512<ulong> x, Vector512<ulong> y)
    {
        Vector512<ulong> high = Vector512.Create(0, ulong.MaxValue, 0, ulong.MaxValue, 0, ulong.MaxValue, 0, ulong.MaxValue);
        Vector512<ulong> lowToPair = Vector512.Create(0UL, 0, 2, 2, 4, 4, 6, 6);
        Vector512<ulong> s = x + y;
        s -= Vector512.Shuffle(Vector512.LessThan(s, x), lowToPair) & high;
        Vector512<ulong> u = s + Vector512.Create(1UL, 0, 1, 0, 1, 0, 1, 0);
        u -= Vector512.Shuffle(Vector512.Equals(u, Vector512<ulong>.Zero), lowToPair) & high;
        Vector512<ulong> above = Vector512.Shuffle(Vector512.ShiftRightArithmetic(u.AsInt64(), 63).AsUInt64(), Vector512.Create(1UL, 1, 3, 3, 5, 5, 7, 7));
        return Vector512.ConditionalSelect(above, u & Vector512.Create(P0, P1, P0, P1, P0, P1, P0, P1), s);
    }
}
