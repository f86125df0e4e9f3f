using Mpc.Core.Fields;
using Mpc.Core.Network;

namespace Mpc.Core.Protocols;

/// <summary>Generates sharings of uniformly random bits (0 or 1), unknown to any t parties.</summary>
/// <remarks>
/// <para>The square-root trick (Damgård, Fitzi, Kiltz, Nielsen, Toft, TCC 2006, §4): take a random [r]
/// (Damgård–Nielsen 2007) and make v = r² public; with c the canonical square root of v, r/c is ±1 with
/// probability ½ each, independent of v, so [b] = ([r]·c⁻¹ + 1)/2 is a random bit. The square is the
/// degree-2t product [r]·[r] re-randomised with a DN07 sharing of zero, so its polynomial reveals nothing but r².
/// v = 0 (r = 0, probability 1/p) is public; those positions are regenerated.</para>
/// <para>Cost. The expensive step is w = c⁻¹ = v^((p−3)/4) (<see cref="IField{T}.InverseSqrt"/>: one
/// exponentiation per bit, ≈ 125 squarings in Fp127). Opening v to everyone would make every party compute
/// every w. Instead the batch is split into n segments and party j is the <i>king</i> of segment j (Damgård–Nielsen
/// 2007, §4, with one king per segment): the 2t + 1 parties from j on send j their Lagrange-scaled shares of
/// segment j, j adds them up to v, computes w and sends w to everyone. Each party thus computes w for 1/n of
/// the bits, and receivers need only two multiplications per bit, b = r·(w/2) + 1/2. v itself stays with the
/// king (the others never need it); w reveals exactly what v does. Semi-honest, as the rest of the framework:
/// receivers cannot check a king's w (nor, in the all-to-all variant, each other's shares).</para>
/// <para>A context with checked openings (<see cref="ProtocolContext{T}.CheckOpenings"/>) instead opens all of
/// r² all-to-all, verifying that the n shares lie on one degree-2t polynomial, and every party computes every w
/// (two rounds, n times the exponentiations).</para>
/// <para>Rounds: three (dealing, shares to the kings, w from the kings). Large requests run as
/// <see cref="SlicePipeline"/> slices of <see cref="SliceSize"/> bits, <see cref="SlicesInFlight"/> at a time,
/// so the kings' exponentiations overlap the other slices' transfers; still three rounds of latency.</para>
/// <para>The trick needs an odd characteristic (it divides by 2 and relies on ±1 being distinct), so a binary
/// field such as <see cref="Gf2k64"/> is refused at construction; boolean circuits need no random bits.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class RandomBitSource<T> where T : struct, IField<T>
{
    /// <summary>Bits per pipelined slice.</summary>
    public const int SliceSize = 1 << 16;

    /// <summary>Slices generated concurrently.</summary>
    public const int SlicesInFlight = 3;

    private static readonly T Half = T.FromUInt64(2).Inverse();

    private readonly ProtocolContext<T> _context;
    private readonly RandomSharingSource<T> _sharings;
    private readonly SharingSpec[] _kinds;
    private readonly Opener<T>? _checkedOpener;

    /// <summary>Creates the source on a context.</summary>
    /// <exception cref="NotSupportedException">The field has characteristic 2.</exception>
    public RandomBitSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (T.Modulus.IsEven)
            throw new NotSupportedException($"Random bits by the square-root trick need an odd characteristic; {T.Name} has characteristic 2.");
        _context = context;
        _sharings = new RandomSharingSource<T>(context);
        int t = context.Threshold;
        _kinds = [new(t, DealtSecret.Random), new(2 * t, DealtSecret.Zero)];
        // A context with checked openings keeps the all-to-all opening of r², which verifies all n shares.
        if (context.CheckOpenings) _checkedOpener = new Opener<T>(context);
    }

    /// <summary>King j reconstructs a degree-2t sharing from the 2t + 1 parties j, j + 1, … (mod n): itself included.</summary>
    private ContributorSet<T> KingContributors(int king) => _context.Contributors(king, 2 * _context.Threshold + 1);

    /// <summary>This party's shares of <paramref name="count"/> random bits; every party calls this with the same count.</summary>
    /// <exception cref="TransportException">A peer failed or sent a malformed message.</exception>
    /// <exception cref="InvalidOperationException">An opened square has no square root (a corrupt share).</exception>
    public async ValueTask<T[]> GenerateAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        T[] bits;
        List<int>? zeros = null;
        if (count <= SliceSize)
        {
            (bits, zeros) = await GenerateSliceAsync(count, ReserveTags(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            bits = GC.AllocateUninitializedArray<T>(count);
            var found = new List<int>();
            await SlicePipeline.RunAsync(count, SliceSize, SlicesInFlight, ReserveTags, async (start, length, tags, token) =>
            {
                (T[] slice, List<int>? sliceZeros) = await GenerateSliceAsync(length, tags, token).ConfigureAwait(false);
                slice.CopyTo(bits.AsSpan(start, length));
                if (sliceZeros is not null)
                    lock (found)
                        foreach (int i in sliceZeros) found.Add(start + i);
            }, cancellationToken).ConfigureAwait(false);
            if (found.Count > 0) zeros = found;
        }
        if (zeros is null) return bits;

        // Public, astronomically rare (probability count/p): regenerate where r was 0. Only after every slice has
        // ended, so that the replacements' tags come after all the slices' tags, in the same order on every party.
        zeros.Sort();
        T[] replacements = await GenerateAsync(zeros.Count, cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < zeros.Count; k++) bits[zeros[k]] = replacements[k];
        return bits;
    }

    private SliceTags ReserveTags() => new(_context.NextTag(), _context.NextTag(), _context.NextTag());

    /// <summary>One slice's bits, and the positions (public) where r was 0, to be regenerated by the caller.</summary>
    private async Task<(T[] Bits, List<int>? Zeros)> GenerateSliceAsync(int count, SliceTags tags, CancellationToken cancellationToken)
    {
        int n = _context.Parties, me = _context.Party;
        T[][] dealt = await _sharings.DealAsync(_kinds, count, tags.Deal, cancellationToken).ConfigureAwait(false);
        T[] r = dealt[0], squares = dealt[1];
        T.MultiplyAdd(r, r, squares, squares); // [r²]_2t + [0]_2t: a uniformly random degree-2t sharing of r²
        List<int>? found = null;
        if (_checkedOpener is not null)
        {
            // Checked: every party opens all of r² (verifying the shares) and computes every w itself. Two rounds.
            Opener<T>.Opening opening = _checkedOpener.PrepareOpenConsuming(squares, 2 * _context.Threshold, tags.Shares, tags.Roots);
            await _checkedOpener.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
            var w = GC.AllocateUninitializedArray<T>(count);
            _checkedOpener.FinalizeOpen(opening, w);
            InverseRootsInPlace(w, 0, tags.Shares);
            ToBits(r, 0, w, ref found);
            return (r, found);
        }

        // Round 2: my Lagrange-scaled share of each segment goes to that segment's king (kept if I am the king).
        var sends = new List<Task>(n);
        T[]? mine = null;
        for (int j = 0; j < n; j++)
        {
            ContributorSet<T> set = KingContributors(j);
            if (set.Position < 0) continue;
            (int start, int length) = Segment(j, count);
            var scaled = GC.AllocateUninitializedArray<T>(length);
            T.Scale(squares.AsSpan(start, length), set.Lambdas[set.Position], scaled);
            if (j == me) mine = scaled;
            else sends.Add(_context.Transport.SendAsync(j, tags.Shares, FieldCodec<T>.Encode(scaled), cancellationToken).AsTask());
        }
        await Task.WhenAll(sends).ConfigureAwait(false);

        // As king of my segment: v = Σ contributions, w = 1/√v, sent to everyone.
        (int myStart, int myLength) = Segment(me, count);
        int[] contributors = KingContributors(me).Peers;
        ReadOnlyMemory<byte>[] payloads = await _context.Transport.ReceiveFromAllAsync(contributors, tags.Shares, cancellationToken).ConfigureAwait(false);
        T[] v = mine!; // a king always contributes to its own segment
        for (int k = 0; k < payloads.Length; k++)
            T.Add(v, FieldCodec<T>.Decode(payloads[k], myLength, contributors[k], tags.Shares).Span, v);
        InverseRootsInPlace(v, myStart, tags.Shares);
        await _context.Transport.SendToAllAsync(_context.Others, tags.Roots, FieldCodec<T>.Encode(v), cancellationToken).ConfigureAwait(false);

        // Round 3: every segment's w; then b = r·(w/2) + 1/2, and w = 0 marks r = 0 (public, regenerated).
        ReadOnlyMemory<byte>[] roots = await _context.Transport.ReceiveFromAllAsync(_context.Others, tags.Roots, cancellationToken).ConfigureAwait(false);
        ToBits(r, myStart, v, ref found);
        for (int k = 0; k < roots.Length; k++)
        {
            int king = _context.Others[k];
            (int start, int length) = Segment(king, count);
            ToBits(r, start, FieldCodec<T>.Decode(roots[k], length, king, tags.Roots).Span, ref found);
        }
        return (r, found);
    }

    /// <summary>Replaces the opened squares v (positions start, start + 1, … of the batch) by w = 1/√v.</summary>
    /// <exception cref="InvalidOperationException">Some v has no square root: a share is corrupt.</exception>
    private static void InverseRootsInPlace(Span<T> squares, int start, MessageTag batch)
    {
        int bad = T.InverseSqrt(squares, squares);
        if (bad >= 0)
            throw new InvalidOperationException($"Opened square {start + bad} of random-bit batch {batch} has no square root in {T.Name}: a share is corrupt.");
    }

    /// <summary>The positions [start, start + length) whose square king <paramref name="king"/> opens: n near-equal parts.</summary>
    private (int Start, int Length) Segment(int king, int count)
    {
        int n = _context.Parties;
        long start = (long)count * king / n, end = (long)count * (king + 1) / n;
        return ((int)start, (int)(end - start));
    }

    /// <summary>r[start + i] becomes [b] = [r]·(w/2) + 1/2 for each w[i]; positions where w = 0 (public) are added to <paramref name="zeros"/>.</summary>
    private static void ToBits(T[] r, int start, ReadOnlySpan<T> w, ref List<int>? zeros)
    {
        Span<T> shares = r.AsSpan(start, w.Length);
        for (int i = 0; i < shares.Length; i++)
        {
            // w is public: branching on it leaks nothing. The shares never drive a branch.
            if (w[i] == T.Zero)
            {
                (zeros ??= []).Add(start + i);
                continue;
            }
            shares[i] = shares[i] * (w[i] * Half) + Half;
        }
    }

    private readonly record struct SliceTags(MessageTag Deal, MessageTag Shares, MessageTag Roots);
}
