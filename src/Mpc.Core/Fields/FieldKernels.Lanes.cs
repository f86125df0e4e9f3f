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
}
