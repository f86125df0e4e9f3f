namespace Mpc.Core.Fields;

public readonly partial struct Fp127
{
    // Batch kernels: the shared scalar loops, specialised by the JIT for Fp127 with the operators inlined.
    // A 128-bit element has no single-instruction vector add-with-carry, so scalar limb code is the fast path.

    /// <inheritdoc />
    public static void Add(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) => FieldKernels.Add(x, y, destination);

    /// <inheritdoc />
    public static void Subtract(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) => FieldKernels.Subtract(x, y, destination);

    /// <inheritdoc />
    public static void Scale(ReadOnlySpan<Fp127> x, Fp127 c, Span<Fp127> destination) => FieldKernels.Scale(x, c, destination);

    /// <inheritdoc />
    public static void Multiply(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, Span<Fp127> destination) => FieldKernels.Multiply(x, y, destination);

    /// <inheritdoc />
    public static void MultiplyAdd(ReadOnlySpan<Fp127> x, ReadOnlySpan<Fp127> y, ReadOnlySpan<Fp127> z, Span<Fp127> destination) => FieldKernels.MultiplyAdd(x, y, z, destination);

    /// <inheritdoc />
    public static void ScaleAdd(ReadOnlySpan<Fp127> x, Fp127 c, Span<Fp127> destination) => FieldKernels.ScaleAdd(x, c, destination);
}
