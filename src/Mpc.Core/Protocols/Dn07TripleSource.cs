using Mpc.Core.Fields;
using Mpc.Core.Network;

namespace Mpc.Core.Protocols;

/// <summary>Generates Beaver triples ([a], [b], [c] with c = a·b) among the parties, with no trusted dealer.</summary>
/// <remarks>
/// <para>Damgård–Nielsen 2007, §3–4, three rounds per batch:</para>
/// <list type="number">
/// <item>one DN07 dealing round yields random [a]_t, [b]_t and a double sharing ([r]_t, [r]_2t)
/// (<see cref="RandomSharingSource{T}"/>);</item>
/// <item>each party computes its share of a·b − r locally, a degree-2t sharing, and sends it to the
/// king, who reconstructs the (uniformly masked, so uninformative) value;</item>
/// <item>the king sends it back and every party sets [c]_t = [r]_t + (a·b − r).</item>
/// </list>
/// <para>All steps are span kernels over struct-of-arrays vectors. A large request is cut into slices of
/// <see cref="SliceSize"/> triples that run as a pipeline, <see cref="SlicesInFlight"/> at a time: while one
/// slice waits for the network, another computes, so neither the cores nor the links sit idle between the
/// three rounds, and the king (which rotates with the tag) changes from slice to slice, spreading its load.
/// Each slice reserves its three tags up front, in slice order, so the slices may reach their rounds in any
/// order on any party and still meet their peers' messages. Rounds: three, however many slices.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class Dn07TripleSource<T> where T : struct, IField<T>
{
    /// <summary>Triples per pipelined slice (rounded down to a multiple of n − t).</summary>
    /// <remarks>
    /// Large enough that a slice's three messages amortise per-message costs, small enough that a 1 M request is
    /// eight slices. Measured with <c>mpc bench mul</c> over the local cluster (docs/protocols.md).
    /// </remarks>
    public const int SliceSize = 1 << 17;

    /// <summary>Slices generated concurrently: one computing, one or two on the wire.</summary>
    public const int SlicesInFlight = 3;

    private readonly ProtocolContext<T> _context;
    private readonly RandomSharingSource<T> _sharings;
    private readonly SharingSpec[] _kinds;

    /// <summary>Creates the source on a context.</summary>
    public Dn07TripleSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _sharings = new RandomSharingSource<T>(context);
        int t = context.Threshold;
        _kinds = [new(t, DealtSecret.Random), new(t, DealtSecret.Random)];
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

    /// <summary>The tags of one slice's dealing and resharing, taken in program order (identical on every party).</summary>
    private SliceTags ReserveTags() => new(_context.NextTag(), _context.NextTag());

    private async ValueTask<TripleBatch<T>> GenerateSliceAsync(int count, SliceTags tags, CancellationToken cancellationToken)
    {
        T[][] dealt = await _sharings.DealAsync(_kinds, count, tags.Deal, cancellationToken).ConfigureAwait(false);
        T[] a = dealt[0], b = dealt[1];

        // [a]·[b] is a degree-2t sharing of a·b; resharing brings it back to degree t.
        var product = GC.AllocateUninitializedArray<T>(count);
        T.Multiply(a, b, product);
        T[] c = await _sharings.ReshareAsync(product, tags.Reshare, cancellationToken).ConfigureAwait(false);
        return new TripleBatch<T>(a, b, c);
    }

    private readonly record struct SliceTags(MessageTag Deal, MessageTag Reshare);
}
