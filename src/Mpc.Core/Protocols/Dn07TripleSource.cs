using Mpc.Core.Fields;

namespace Mpc.Core.Protocols;

/// <summary>Generates Beaver triples ([a], [b], [c] with c = a·b) among the parties, with no trusted dealer.</summary>
/// <remarks>
/// Damgård–Nielsen 2007, §3–4, three rounds per batch:
/// <list type="number">
/// <item>one DN07 dealing round yields random [a]_t, [b]_t and a double sharing ([r]_t, [r]_2t)
/// (<see cref="RandomSharingSource{T}"/>);</item>
/// <item>each party computes its share of a·b − r locally, a degree-2t sharing, and sends it to the
/// king, who reconstructs the (uniformly masked, so uninformative) value;</item>
/// <item>the king sends it back and every party sets [c]_t = [r]_t + (a·b − r).</item>
/// </list>
/// All steps are span kernels over struct-of-arrays vectors; one batch of any size costs three rounds.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class Dn07TripleSource<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly RandomSharingSource<T> _sharings;
    private readonly Opener<T> _king;

    /// <summary>Creates the source on a context.</summary>
    public Dn07TripleSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _sharings = new RandomSharingSource<T>(context);
        _king = new Opener<T>(context, OpeningMode.King);
    }

    /// <summary>This party's shares of <paramref name="count"/> fresh triples; every party calls this with the same count.</summary>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async ValueTask<TripleBatch<T>> GenerateAsync(int count, CancellationToken cancellationToken = default)
    {
        int t = _context.Threshold;
        T[][] dealt = await _sharings.DealAsync(
            [new(t, DealtSecret.Random), new(t, DealtSecret.Random), new(t, DealtSecret.Random), new(2 * t, DealtSecret.Previous)],
            count, cancellationToken).ConfigureAwait(false);
        T[] a = dealt[0], b = dealt[1], rLow = dealt[2], rHigh = dealt[3];

        // Degree reduction of a·b: the king sees a·b − r, uniformly masked by the double sharing's r.
        var masked = GC.AllocateUninitializedArray<T>(count);
        T.Multiply(a, b, masked);
        T.Subtract(masked, rHigh, masked);
        Opener<T>.Opening opening = _king.PrepareOpenConsuming(masked, 2 * t);
        await _king.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
        _king.FinalizeOpen(opening, rHigh); // rHigh is free again: reuse it for the public a·b − r
        T.Add(rLow, rHigh, rLow);           // [c]_t = [r]_t + (a·b − r)
        return new TripleBatch<T>(a, b, rLow);
    }
}
