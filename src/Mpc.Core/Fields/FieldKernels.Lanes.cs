using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mpc.Core.Fields;

internal static partial class FieldKernels
{
    /// <summary>
    /// One lane-wise operation on the 64-bit words of single-word fields, in scalar and vector widths
    /// (Garnet-style operator struct: the JIT specialises <see cref="LaneKernel{T, TOp}"/> per operation).
    /// </summary>
    public interface ILaneOperation
    {
        /// <summary>The operation on one word.</summary>
        static abstract ulong Invoke(ulong x, ulong y);

        /// <summary>The operation on four words.</summary>
        static abstract Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y);

        /// <summary>The operation on eight words.</summary>
        static abstract Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y);
    }

    /// <summary>
    /// Applies <typeparamref name="TOp"/> lane-wise to a field stored as one <see cref="ulong"/> per element:
    /// widest hardware vector first, then 256 bits, then a scalar tail.
    /// </summary>
    /// <remarks>Each index is read before it is written, so the destination may alias an input.</remarks>
    public static void LaneKernel<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : struct, IField<T>
        where TOp : struct, ILaneOperation
    {
        Debug.Assert(Unsafe.SizeOf<T>() == sizeof(ulong), "Lane kernels are for fields stored in one 64-bit word.");
        CheckLengths(x.Length, y.Length, destination.Length);
        ref ulong a = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(x));
        ref ulong b = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(y));
        ref ulong d = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(destination));
        nuint n = (nuint)x.Length, i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<ulong>.Count <= n; i += (nuint)Vector512<ulong>.Count)
                TOp.Invoke(Vector512.LoadUnsafe(ref a, i), Vector512.LoadUnsafe(ref b, i)).StoreUnsafe(ref d, i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<ulong>.Count <= n; i += (nuint)Vector256<ulong>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref a, i), Vector256.LoadUnsafe(ref b, i)).StoreUnsafe(ref d, i);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = TOp.Invoke(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
    }

    /// <summary>
    /// A field multiplication on single-word elements in scalar and vector widths, for <see cref="ProductKernel{T, TMul, TAdd}"/>.
    /// Every width returns the canonical product, so results do not depend on the path taken.
    /// </summary>
    public interface IProductLanes
    {
        /// <summary>Whether the CPU runs the 256-bit form (a JIT-time constant).</summary>
        static abstract bool IsSupported256 { get; }

        /// <summary>Whether the CPU runs the 512-bit form (a JIT-time constant).</summary>
        static abstract bool IsSupported512 { get; }

        /// <summary>The product of one pair of canonical words.</summary>
        static abstract ulong Multiply(ulong x, ulong y);

        /// <summary>Four lane-wise products.</summary>
        static abstract Vector256<ulong> Multiply(Vector256<ulong> x, Vector256<ulong> y);

        /// <summary>Eight lane-wise products.</summary>
        static abstract Vector512<ulong> Multiply(Vector512<ulong> x, Vector512<ulong> y);
    }

    /// <summary>The widest vector a kernel may use: <see cref="Widest"/> in production, narrower in tests of the other paths.</summary>
    public const int Widest = 512;

    /// <summary>
    /// The four product kernels in one loop, for single-word fields:
    /// <c>destination[i] = x[i]·y'[i] (+ z[i])</c>, where y' is <paramref name="y"/> or, if <paramref name="broadcast"/>,
    /// the constant <paramref name="c"/> in every lane (then <paramref name="y"/> is ignored).
    /// </summary>
    /// <remarks>
    /// Widest vector first (512 bits when <typeparamref name="TMul"/> supports it and <paramref name="maxBits"/> allows),
    /// then 256 bits, then a scalar tail. The two flags are public and fixed for the call, so their branches are perfectly
    /// predicted. Each index is read before it is written, so the destination may alias x, y or z.
    /// </remarks>
    /// <param name="x">Left factors.</param>
    /// <param name="y">Right factors (same length as x), unless <paramref name="broadcast"/>.</param>
    /// <param name="c">The constant right factor when <paramref name="broadcast"/>.</param>
    /// <param name="broadcast">Multiply by <paramref name="c"/> instead of <paramref name="y"/>.</param>
    /// <param name="z">Addends (same length as x), if <paramref name="accumulate"/>.</param>
    /// <param name="accumulate">Add z to each product.</param>
    /// <param name="destination">Receives the results; at least as long as x.</param>
    /// <param name="maxBits">The widest vector to use (512, 256, or 0 for scalar only); tests pin it to reach every path.</param>
    public static void ProductKernel<T, TMul, TAdd>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T c, bool broadcast,
        ReadOnlySpan<T> z, bool accumulate, Span<T> destination, int maxBits = Widest)
        where T : struct, IField<T>
        where TMul : struct, IProductLanes
        where TAdd : struct, ILaneOperation
    {
        Debug.Assert(Unsafe.SizeOf<T>() == sizeof(ulong), "Lane kernels are for fields stored in one 64-bit word.");
        if (broadcast) y = x;
        if (!accumulate) z = x;
        CheckLengths(x.Length, y.Length, z.Length, destination.Length);
        ref ulong a = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(x));
        ref ulong b = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(y));
        ref ulong e = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(z));
        ref ulong d = ref Unsafe.As<T, ulong>(ref MemoryMarshal.GetReference(destination));
        ulong constant = Unsafe.BitCast<T, ulong>(c);
        nuint n = (nuint)x.Length, i = 0;

        if (TMul.IsSupported512 && maxBits >= 512)
        {
            var vc = Vector512.Create(constant);
            for (; i + (nuint)Vector512<ulong>.Count <= n; i += (nuint)Vector512<ulong>.Count)
            {
                var p = TMul.Multiply(Vector512.LoadUnsafe(ref a, i), broadcast ? vc : Vector512.LoadUnsafe(ref b, i));
                if (accumulate) p = TAdd.Invoke(p, Vector512.LoadUnsafe(ref e, i));
                p.StoreUnsafe(ref d, i);
            }
        }
        if (TMul.IsSupported256 && maxBits >= 256)
        {
            var vc = Vector256.Create(constant);
            for (; i + (nuint)Vector256<ulong>.Count <= n; i += (nuint)Vector256<ulong>.Count)
            {
                var p = TMul.Multiply(Vector256.LoadUnsafe(ref a, i), broadcast ? vc : Vector256.LoadUnsafe(ref b, i));
                if (accumulate) p = TAdd.Invoke(p, Vector256.LoadUnsafe(ref e, i));
                p.StoreUnsafe(ref d, i);
            }
        }
        for (; i < n; i++)
        {
            ulong p = TMul.Multiply(Unsafe.Add(ref a, i), broadcast ? constant : Unsafe.Add(ref b, i));
            if (accumulate) p = TAdd.Invoke(p, Unsafe.Add(ref e, i));
            Unsafe.Add(ref d, i) = p;
        }
    }

    /// <summary>
    /// <c>destination[i] += x[i]·c</c> through <see cref="ProductKernel{T, TMul, TAdd}"/>: the addend is the destination's
    /// first x.Length elements (it may be longer, as for every kernel).
    /// </summary>
    public static void ScaleAddKernel<T, TMul, TAdd>(ReadOnlySpan<T> x, T c, Span<T> destination)
        where T : struct, IField<T>
        where TMul : struct, IProductLanes
        where TAdd : struct, ILaneOperation
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        Span<T> d = destination[..x.Length];
        ProductKernel<T, TMul, TAdd>(x, default, c, broadcast: true, d, accumulate: true, d);
    }
}
