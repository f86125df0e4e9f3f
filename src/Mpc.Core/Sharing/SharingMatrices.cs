using Mpc.Core.Fields;

namespace Mpc.Core.Sharing;

/// <summary>
/// Matrices for extracting randomness from sharings dealt by many parties (Damgård–Nielsen 2007) and
/// for checking them (Beerliová-Trubíniová–Hirt 2008). Matrices are flat, row-major:
/// <c>m[row * columns + column]</c>.
/// </summary>
public static class SharingMatrices
{
    /// <summary>
    /// The <paramref name="rows"/> × <paramref name="columns"/> Vandermonde matrix
    /// <c>M[r, c] = (c + 1)^r</c>.
    /// </summary>
    /// <remarks>
    /// Damgård–Nielsen 2007 ("Scalable and unconditionally secure multiparty computation", §3): with
    /// rows = n − t and columns = n, every (n − t) × (n − t) submatrix formed by any n − t columns is an
    /// invertible Vandermonde matrix (distinct points c + 1). So if each party deals one random
    /// sharing s_c and everyone computes r = M·s locally, then for any t corrupted dealers the map
    /// from the n − t honest inputs to r is a bijection: the n − t outputs are uniformly random and
    /// unknown to the adversary.
    /// </remarks>
    public static T[] Vandermonde<T>(int rows, int columns) where T : struct, IField<T>
    {
        if (rows < 1 || columns < 1)
            throw new ArgumentOutOfRangeException(rows < 1 ? nameof(rows) : nameof(columns), "Matrix dimensions must be positive.");
        if (T.Modulus <= columns)
            throw new ArgumentException($"Field {T.Name} has fewer than {columns} distinct non-zero points.", nameof(columns));
        var m = new T[rows * columns];
        for (int c = 0; c < columns; c++)
        {
            T x = T.FromUInt64((ulong)c + 1), power = T.One;
            for (int r = 0; r < rows; r++)
            {
                m[r * columns + c] = power;
                power *= x;
            }
        }
        return m;
    }

    /// <summary>
    /// A <paramref name="size"/> × <paramref name="size"/> hyper-invertible matrix: every square
    /// submatrix (any rows, any columns of equal number) is invertible.
    /// </summary>
    /// <remarks>
    /// Beerliová-Trubíniová–Hirt 2008 ("Perfectly-secure MPC with linear communication complexity",
    /// Lemma 1): the matrix mapping the values of a polynomial of degree &lt; size at α_1..α_size to its
    /// values at β_1..β_size (all 2·size points distinct) is hyper-invertible. Here α_c = c + 1 and
    /// β_r = size + r + 1, and <c>M[r, c] = Π_{k≠c} (β_r − α_k) / (α_c − α_k)</c>. Needs p &gt; 2·size.
    /// </remarks>
    public static T[] HyperInvertible<T>(int size) where T : struct, IField<T>
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "Matrix size must be positive.");
        if (T.Modulus <= 2 * size)
            throw new ArgumentException($"Field {T.Name} has fewer than {2 * size} distinct points needed for a {size}×{size} hyper-invertible matrix.", nameof(size));
        var m = new T[size * size];
        for (int c = 0; c < size; c++)
        {
            T alphaC = T.FromUInt64((ulong)c + 1), denominator = T.One;
            for (int k = 0; k < size; k++)
                if (k != c) denominator *= alphaC - T.FromUInt64((ulong)k + 1);
            T inverse = denominator.Inverse();
            for (int r = 0; r < size; r++)
            {
                T beta = T.FromUInt64((ulong)(size + r + 1)), numerator = T.One;
                for (int k = 0; k < size; k++)
                    if (k != c) numerator *= beta - T.FromUInt64((ulong)k + 1);
                m[r * size + c] = numerator * inverse;
            }
        }
        return m;
    }

    /// <summary>
    /// Applies a row-major <paramref name="rows"/> × n matrix to n input vectors:
    /// <c>outputs[r] = Σ_c m[r, c] · inputs[c]</c>, elementwise over the vectors.
    /// </summary>
    /// <param name="matrix">Row-major, rows × inputs.Length.</param>
    /// <param name="rows">Number of output vectors.</param>
    /// <param name="inputs">n vectors of equal length.</param>
    /// <param name="outputs">rows · length elements, row-major: output vector r at <c>[r * length, (r + 1) * length)</c>.</param>
    /// <remarks>One <see cref="IField{T}.ScaleAdd"/> pass per matrix entry (a copy or addition for an entry of one); no allocation.</remarks>
    public static void Apply<T>(ReadOnlySpan<T> matrix, int rows, ReadOnlySpan<ReadOnlyMemory<T>> inputs, Span<T> outputs)
        where T : struct, IField<T>
    {
        int columns = inputs.Length;
        if (columns == 0) throw new ArgumentException("At least one input vector is required.", nameof(inputs));
        if (matrix.Length != rows * columns)
            throw new ArgumentException($"Matrix has {matrix.Length} entries; {rows} × {columns} expected.", nameof(matrix));
        int length = inputs[0].Length;
        for (int c = 1; c < columns; c++)
            if (inputs[c].Length != length)
                throw new ArgumentException($"Input vector {c} has {inputs[c].Length} elements; {length} expected.", nameof(inputs));
        if (outputs.Length != rows * length)
            throw new ArgumentException($"Output holds {outputs.Length} elements; {rows} × {length} expected.", nameof(outputs));
        for (int r = 0; r < rows; r++)
            Combine(matrix.Slice(r * columns, columns), inputs, outputs.Slice(r * length, length));
    }

    /// <summary>destination = Σ weights[i] · values[i], elementwise over the vectors (one matrix row, or interpolation weights).</summary>
    /// <remarks>
    /// The weights are public constants (Vandermonde and Lagrange), so branching on them leaks nothing: a weight of one
    /// (the whole first Vandermonde row) takes the vectorised copy or addition instead of a scalar multiplication.
    /// </remarks>
    internal static void Combine<T>(ReadOnlySpan<T> weights, ReadOnlySpan<ReadOnlyMemory<T>> values, Span<T> destination)
        where T : struct, IField<T>
    {
        if (weights[0] == T.One) values[0].Span.CopyTo(destination);
        else T.Scale(values[0].Span, weights[0], destination);
        for (int i = 1; i < weights.Length; i++)
        {
            if (weights[i] == T.One) T.Add(values[i].Span, destination, destination);
            else T.ScaleAdd(values[i].Span, weights[i], destination);
        }
    }
}
