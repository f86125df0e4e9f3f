using Mpc.Core.Fields;

namespace Mpc.Core.Protocols;

/// <summary>Multiplies many pairs of shared values in one round using preprocessed Beaver triples.</summary>
/// <remarks>
/// Beaver 1991 ("Efficient multiparty protocols using circuit randomization"): with a triple
/// ([a], [b], [c = a·b]), open d = x − a and e = y − b (uniformly masked, so they reveal nothing);
/// then [x·y] = [c] + d·[b] + e·[a] + d·e. For Shamir sharings the public term d·e is added by every
/// party (it shifts the constant term of the polynomial).
/// Phases as in MP-SPDZ: <see cref="PrepareMultiply"/> computes (d ‖ e) into one vector,
/// the exchange opens it in one round (one message per peer for the whole layer), and
/// <see cref="FinalizeMultiply"/> is one addition and two fused multiply-add passes without allocation.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class BeaverMultiplier<T> where T : struct, IField<T>
{
    private readonly Opener<T> _opener;
    private T[] _opened = [];

    /// <summary>Creates a multiplier that opens with the context's default opener.</summary>
    public BeaverMultiplier(ProtocolContext<T> context) : this(new Opener<T>(context))
    {
    }

    /// <summary>Creates a multiplier that opens with <paramref name="opener"/> (e.g. a checked or king opener).</summary>
    public BeaverMultiplier(Opener<T> opener)
    {
        ArgumentNullException.ThrowIfNull(opener);
        _opener = opener;
    }

    /// <summary>
    /// This party's shares of x[i]·y[i] for every i, in one round. Every party calls this with the
    /// same length and the same (unused) triples. Not thread-safe: one layer at a time per multiplier.
    /// </summary>
    /// <param name="x">Shares of the left factors.</param>
    /// <param name="y">Shares of the right factors.</param>
    /// <param name="triples">One unused triple per product (at least x.Length; the first x.Length are used).</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async ValueTask<T[]> MultiplyAsync(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, TripleBatch<T> triples,
        CancellationToken cancellationToken = default)
    {
        var z = GC.AllocateUninitializedArray<T>(x.Length);
        await MultiplyAsync(x, y, triples, z, cancellationToken).ConfigureAwait(false);
        return z;
    }

    /// <summary>As <see cref="MultiplyAsync(ReadOnlyMemory{T}, ReadOnlyMemory{T}, TripleBatch{T}, CancellationToken)"/>, writing the products into <paramref name="destination"/>.</summary>
    /// <param name="x">Shares of the left factors.</param>
    /// <param name="y">Shares of the right factors.</param>
    /// <param name="triples">One unused triple per product (at least x.Length; the first x.Length are used).</param>
    /// <param name="destination">Receives this party's shares of the products; length x.Length. May alias x or y.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask MultiplyAsync(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, TripleBatch<T> triples, Memory<T> destination,
        CancellationToken cancellationToken = default)
    {
        int count = x.Length;
        if (triples.Count < count)
            throw new ArgumentException($"{count} multiplications need {count} triples; {triples.Count} given.", nameof(triples));
        if (destination.Length != count)
            throw new ArgumentException($"Destination has {destination.Length} elements; {count} products expected.", nameof(destination));
        triples = triples.Slice(0, count);

        // The masked vector is handed to the transport (peers read it in place), so it is a fresh array each layer.
        var masked = GC.AllocateUninitializedArray<T>(2 * count);
        PrepareMultiply(x.Span, y.Span, triples, masked);
        Opener<T>.Opening opening = _opener.PrepareOpenConsuming(masked, _opener.Threshold);
        await _opener.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);

        if (_opened.Length < 2 * count) _opened = GC.AllocateUninitializedArray<T>(2 * count);
        Span<T> opened = _opened.AsSpan(0, 2 * count);
        _opener.FinalizeOpen(opening, opened);
        FinalizeMultiply(opened, triples, destination.Span);
    }

    /// <summary>Phase 1: <c>masked = (x − a) ‖ (y − b)</c>, the values to open.</summary>
    /// <param name="x">Shares of the left factors.</param>
    /// <param name="y">Shares of the right factors, same length.</param>
    /// <param name="triples">Exactly x.Length triples.</param>
    /// <param name="masked">Destination of length 2 · x.Length: d in the first half, e in the second.</param>
    public static void PrepareMultiply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, TripleBatch<T> triples, Span<T> masked)
    {
        int count = x.Length;
        CheckLengths(count, y.Length, triples.Count, masked.Length, nameof(masked));
        T.Subtract(x, triples.A.Span, masked[..count]);
        T.Subtract(y, triples.B.Span, masked.Slice(count, count));
    }

    /// <summary>Phase 3: <c>z = c + d·b + e·a + d·e</c> from the opened <c>d ‖ e</c>. No allocation.</summary>
    /// <param name="opened">The opened values: d in the first half, e in the second.</param>
    /// <param name="triples">The triples used in <see cref="PrepareMultiply"/>.</param>
    /// <param name="z">Destination: this party's shares of the products.</param>
    public static void FinalizeMultiply(ReadOnlySpan<T> opened, TripleBatch<T> triples, Span<T> z)
    {
        int count = z.Length;
        CheckLengths(count, count, triples.Count, opened.Length, nameof(opened));
        ReadOnlySpan<T> d = opened[..count], e = opened.Slice(count, count);
        // z = c + d·(b + e) + e·a: one addition and two multiply-adds (instead of three multiply-adds).
        T.Add(triples.B.Span, e, z);
        T.MultiplyAdd(d, z, triples.C.Span, z);
        T.MultiplyAdd(e, triples.A.Span, z, z);
    }

    private static void CheckLengths(int count, int other, int triples, int doubled, string name)
    {
        if (other != count) throw new ArgumentException($"Factor vectors differ in length ({count} vs {other}).");
        if (triples != count) throw new ArgumentException($"{count} multiplications need exactly {count} triples; {triples} given.", nameof(triples));
        if (doubled != 2 * count) throw new ArgumentException($"{name} must hold 2 · {count} elements (d then e); it holds {doubled}.", name);
    }
}
