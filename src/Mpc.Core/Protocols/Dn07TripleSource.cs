using System.Buffers;
using Mpc.Core.Fields;
using Mpc.Core.Network;

namespace Mpc.Core.Protocols;

/// <summary>Generates Beaver triples ([a], [b], [c] with c = a·b) among the parties, with no trusted dealer.</summary>
/// <remarks>
/// <para>Two rounds per batch:</para>
/// <list type="number">
/// <item>one seeded DN07 dealing round (Damgård–Nielsen 2007, §3) yields random [a]_t and [b]_t
/// (<see cref="RandomSharingSource{T}"/>; with n = 3 the dealing messages carry only seeds);</item>
/// <item>each party's a_i·b_i is its share of a degree-2t sharing of a·b; 2t + 1 contributors reshare theirs at
/// degree t and every party combines the reshared values with Lagrange coefficients into [c]_t
/// (Gennaro–Rabin–Rabin 1998, §3; <c>RandomSharingSource.ReshareAsync</c>).</item>
/// </list>
/// <para>The resharing replaces DN07's double sharing and king: two dealt kinds instead of four, one round fewer,
/// and with n = 3 one explicit element per triple per party instead of 10.7 bytes of king traffic that the king
/// carried twice over (docs/protocols.md, preprocessing).</para>
/// <para>All steps are span kernels over struct-of-arrays vectors. A large request is cut into slices of
/// <see cref="SliceSize"/> triples that run as a pipeline, <see cref="SlicesInFlight"/> at a time: while one
/// slice waits for the network, another computes, so neither the cores nor the links sit idle between the
/// rounds, and the contributors (which rotate with the tag) change from slice to slice, spreading their load.
/// Each slice reserves its tags up front, in slice order, so the slices may reach their rounds in any
/// order on any party and still meet their peers' messages. Rounds: two, however many slices.</para>
/// <para>A context with checked openings (<see cref="ProtocolContext{T}.CheckOpenings"/>) keeps DN07's double sharing
/// instead of resharing, and opens a·b − r all-to-all, verifying that all n shares lie on one degree-2t polynomial
/// (a resharing has no opening to check); [c]_t = [r]_t + (a·b − r). Also two rounds, with more bytes.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class Dn07TripleSource<T> where T : struct, IField<T>
{
    /// <summary>Triples per pipelined slice (rounded down to a multiple of n − t).</summary>
    /// <remarks>
    /// Large enough that a slice's messages amortise per-message costs, small enough that a 1 M request is
    /// eight slices. Measured with <c>mpc bench mul</c> over the local cluster (docs/protocols.md).
    /// </remarks>
    public const int SliceSize = 1 << 17;

    /// <summary>Slices generated concurrently: one computing, one or two on the wire.</summary>
    public const int SlicesInFlight = 3;

    private readonly ProtocolContext<T> _context;
    private readonly RandomSharingSource<T> _sharings;
    private readonly SharingSpec[] _kinds;
    private readonly Opener<T>? _checkedOpener;

    /// <summary>Creates the source on a context.</summary>
    public Dn07TripleSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _sharings = new RandomSharingSource<T>(context);
        int t = context.Threshold;
        if (context.CheckOpenings)
        {
            // Checked: a·b − r is opened all-to-all, verifying that all n shares lie on one degree-2t polynomial.
            _checkedOpener = new Opener<T>(context);
            _kinds = [new(t, DealtSecret.Random), new(t, DealtSecret.Random), new(t, DealtSecret.Random), new(2 * t, DealtSecret.Previous)];
        }
        else
        {
            _kinds = [new(t, DealtSecret.Random), new(t, DealtSecret.Random)];
        }
    }

    /// <summary>This party's shares of <paramref name="count"/> fresh triples; every party calls this with the same count.</summary>
    /// <exception cref="TransportException">A peer failed.</exception>
    public async ValueTask<TripleBatch<T>> GenerateAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int rows = _context.Parties - _context.Threshold;
        int slice = Math.Max(rows, SliceSize / rows * rows);
        if (count <= slice)
            return await GenerateSliceAsync(count, ReserveTags(), cancellationToken).ConfigureAwait(false);

        var a = GC.AllocateUninitializedArray<T>(count);
        var b = GC.AllocateUninitializedArray<T>(count);
        var c = GC.AllocateUninitializedArray<T>(count);
        await SlicePipeline.RunAsync(count, slice, SlicesInFlight, ReserveTags, async (start, length, tags, token) =>
        {
            TripleBatch<T> triples = await GenerateSliceAsync(length, tags, token).ConfigureAwait(false);
            triples.A.Span.CopyTo(a.AsSpan(start, length));
            triples.B.Span.CopyTo(b.AsSpan(start, length));
            triples.C.Span.CopyTo(c.AsSpan(start, length));
        }, cancellationToken).ConfigureAwait(false);
        return new TripleBatch<T>(a, b, c);
    }

    /// <summary>
    /// The tags of one slice's dealing and resharing (or checked opening, which also takes a reply tag), taken in program
    /// order (identical on every party: all share the context's setting).
    /// </summary>
    private SliceTags ReserveTags() => new(_context.NextTag(), _context.NextTag(), _checkedOpener is null ? default : _context.NextTag());

    private async ValueTask<TripleBatch<T>> GenerateSliceAsync(int count, SliceTags tags, CancellationToken cancellationToken)
    {
        T[][] dealt = await _sharings.DealAsync(_kinds, count, tags.Deal, cancellationToken).ConfigureAwait(false);
        T[] a = dealt[0], b = dealt[1];
        if (_checkedOpener is not null)
        {
            // DN07 with a checked opening: [c]_t = [r]_t + (a·b − r), where a·b − r is uniformly masked by the double sharing.
            T[] rLow = dealt[2], rHigh = dealt[3];
            var masked = GC.AllocateUninitializedArray<T>(count);
            T.Multiply(a, b, masked);
            T.Subtract(masked, rHigh, masked);
            Opener<T>.Opening opening = _checkedOpener.PrepareOpenConsuming(masked, 2 * _context.Threshold, tags.Reshare, tags.Reply);
            await _checkedOpener.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
            _checkedOpener.FinalizeOpen(opening, rHigh); // rHigh is free again: reuse it for the public a·b − r
            T.Add(rLow, rHigh, rLow);
            return new TripleBatch<T>(a, b, rLow);
        }

        // [a]·[b] is a degree-2t sharing of a·b; resharing brings it back to degree t.
        // Pooled, like the dealt columns: a fresh slice-sized array would fault in new pages every slice.
        T[] product = ArrayPool<T>.Shared.Rent(Math.Max(1, count));
        try
        {
            T.Multiply(a, b, product.AsSpan(0, count));
            T[] c = await _sharings.ReshareAsync(product.AsMemory(0, count), tags.Reshare, cancellationToken).ConfigureAwait(false);
            return new TripleBatch<T>(a, b, c);
        }
        finally
        {
            product.AsSpan(0, count).Clear(); // this party's shares of a·b
            ArrayPool<T>.Shared.Return(product);
        }
    }

    private readonly record struct SliceTags(MessageTag Deal, MessageTag Reshare, MessageTag Reply);
}
