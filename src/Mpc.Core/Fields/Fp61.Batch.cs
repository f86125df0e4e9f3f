using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mpc.Core.Fields;

public readonly partial struct Fp61
{
    // Batch kernels. Lengths are validated once; loops then run without bounds checks on the inputs
    // beyond what the JIT already elides. Destinations may alias inputs: each element is read before it is written.

    private static void CheckLengths(int x, int y, int destination)
    {
        if (x != y) throw new ArgumentException($"Input spans differ in length ({x} vs {y}).");
        if (destination < x) throw new ArgumentException($"Destination is shorter ({destination}) than the inputs ({x}).", nameof(destination));
    }

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination)
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        var a = MemoryMarshal.Cast<Fp61, ulong>(x);
        var b = MemoryMarshal.Cast<Fp61, ulong>(y);
        var d = MemoryMarshal.Cast<Fp61, ulong>(destination);
        for (int i = 0; i < a.Length; i++) d[i] = ReduceOnce(a[i] + b[i]);
    }

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination)
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        var a = MemoryMarshal.Cast<Fp61, ulong>(x);
        var b = MemoryMarshal.Cast<Fp61, ulong>(y);
        var d = MemoryMarshal.Cast<Fp61, ulong>(destination);
        for (int i = 0; i < a.Length; i++) d[i] = ReduceOnce(a[i] + P - b[i]);
    }

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination)
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] * c;
    }

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, Span<Fp61> destination)
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] * y[i];
    }

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Fp61> x, ReadOnlySpan<Fp61> y, ReadOnlySpan<Fp61> z, Span<Fp61> destination)
    {
        CheckLengths(x.Length, y.Length, destination.Length);
        CheckLengths(x.Length, z.Length, destination.Length);
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] * y[i] + z[i];
    }

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Fp61> x, Fp61 c, Span<Fp61> destination)
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        for (int i = 0; i < x.Length; i++) destination[i] += x[i] * c;
    }
}
