using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Sharing;

namespace Mpc.Core.Protocols;

/// <summary>
/// Opens (reveals to every party) a batch of shared values in one exchange: one message per peer,
/// however many values.
/// </summary>
/// <remarks>
/// <para>Modes (<see cref="OpeningMode"/>):</para>
/// <list type="bullet">
/// <item><b>All-to-all</b>, one round. Unchecked: party i reconstructs from its <i>window</i>, the d + 1 parties
/// i, i + 1, …, i + d (mod n) (d = degree, at least t; t by default): it receives the plain shares of the d others and
/// interpolates Σ λ_k·s_k with the window's Lagrange coefficients (cached per window), one fused scale-add pass per
/// share. Each party so sends its share to exactly the d parties whose window contains it (i − 1, …, i − d) and
/// receives exactly d: n·d messages per opening, balanced over the parties. That is the minimum for one round in
/// which every party learns the value, since each party must receive d shares it does not hold (a degree-d sharing
/// needs d + 1 points). For n = 3, t = 1 a Beaver multiplication (two Fp61 elements) costs 3·2·8 = 48 bytes.
/// Pre-scaling by the sender (as the king mode does) would not save work here: windows differ per receiver, and even
/// for d = 1 (one receiver) the receiver still multiplies its own share by its own coefficient.
/// Checked: all n send to everyone, and each party verifies that the n shares lie on one degree-d
/// polynomial (<see cref="ShamirScheme{T}.ReconstructChecked(ReadOnlySpan{ReadOnlyMemory{T}}, int, Span{T})"/>),
/// as malicious security needs (Chida et al. 2018).</item>
/// <item><b>King</b>, two rounds, unchecked only (Damgård–Nielsen 2007, §4): d + 1 parties send their λ-scaled
/// vector to a king, who reconstructs and sends the values to everyone. The king rotates with the tag sequence so
/// the load spreads over the parties. A checked opener always runs all-to-all, since only the king could check here.</item>
/// </list>
/// <para>Phases, as in MP-SPDZ: <see cref="PrepareOpen(ReadOnlyMemory{T})"/> (choose the tag, pack the message),
/// <see cref="ExchangeAsync"/> (the round), <see cref="FinalizeOpen"/> (interpolate, synchronous).</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class Opener<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;

    /// <summary>Creates an opener with the context's mode and check setting, or the given overrides.</summary>
    public Opener(ProtocolContext<T> context, OpeningMode? mode = null, bool? checkConsistency = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        Checked = checkConsistency ?? context.CheckOpenings;
        // A king-based opening checks only at the king: the others take its answer on trust, so a
        // malicious king could send each party a different value. Checked openings are therefore all-to-all.
        Mode = Checked ? OpeningMode.AllToAll : mode is null or OpeningMode.Auto ? context.OpeningMode : mode.Value;
    }

    /// <summary>The mode in use (never <see cref="OpeningMode.Auto"/>; always <see cref="OpeningMode.AllToAll"/> when <see cref="Checked"/>).</summary>
    public OpeningMode Mode { get; }

    /// <summary>Whether openings verify that all n shares are consistent.</summary>
    public bool Checked { get; }

    /// <summary>The threshold t of the context (the default degree of opened sharings).</summary>
    internal int Threshold => _context.Threshold;

    /// <summary>Opens degree-t shares: every party gets the same values.</summary>
    /// <param name="shares">This party's shares; only read during the call (peers get a copy).</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <returns>The opened values, in the order of <paramref name="shares"/>.</returns>
    /// <exception cref="TransportException">A peer failed or sent a malformed message.</exception>
    /// <exception cref="InconsistentSharesException">Checked mode and the shares are inconsistent.</exception>
    public async ValueTask<T[]> OpenAsync(ReadOnlyMemory<T> shares, CancellationToken cancellationToken = default)
    {
        Opening opening = PrepareOpen(shares);
        await ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
        var values = GC.AllocateUninitializedArray<T>(shares.Length);
        FinalizeOpen(opening, values);
        return values;
    }

    /// <summary>Phase 1: takes the next tag and packs this party's message. Degree t.</summary>
    public Opening PrepareOpen(ReadOnlyMemory<T> shares) => PrepareOpen(shares, _context.Threshold);

    /// <summary>Phase 1 for shares of the given degree (t, or 2t for an unreduced product).</summary>
    /// <param name="shares">This party's shares; only read by this call (peers get a copy).</param>
    /// <param name="degree">Degree of the sharings, d &lt; n.</param>
    public Opening PrepareOpen(ReadOnlyMemory<T> shares, int degree) => Prepare(shares, degree, null, null);

    /// <summary>
    /// As <see cref="PrepareOpen(ReadOnlyMemory{T}, int)"/> for a buffer the caller gives up: the opener may
    /// overwrite it (saving a copy of the whole batch) and hand it to the transport.
    /// </summary>
    internal Opening PrepareOpenConsuming(Memory<T> shares, int degree) => Prepare(shares, degree, shares, null);

    /// <summary>
    /// As <see cref="PrepareOpenConsuming(Memory{T}, int)"/> with tags the caller reserved earlier (<paramref name="tag"/>
    /// for the shares, <paramref name="reply"/> for a king's answer), so that concurrent openings of one session
    /// use the same tags on every party whatever order they reach this point in.
    /// </summary>
    internal Opening PrepareOpenConsuming(Memory<T> shares, int degree, MessageTag tag, MessageTag reply) =>
        Prepare(shares, degree, shares, (tag, reply));

    private Opening Prepare(ReadOnlyMemory<T> shares, int degree, Memory<T>? scratch, (MessageTag Tag, MessageTag Reply)? reserved)
    {
        int n = _context.Parties;
        if (degree < 0 || degree >= n)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Sharing degree must be in [0, {n - 1}] to be opened by {n} parties.");
        MessageTag tag = reserved?.Tag ?? _context.NextTag();
        int king = Mode == OpeningMode.King ? (int)(tag.Sequence % (ulong)n) : -1;
        // The king's reply needs its own tag so the two rounds can never be confused.
        MessageTag reply = Mode != OpeningMode.King ? default : reserved?.Reply ?? _context.NextTag();
        // A sharing of degree d < t is also one of degree t: interpolate from at least t + 1 points.
        int points = Math.Max(degree, _context.Threshold) + 1;
        // Checked: everyone, in index order (as ReconstructChecked expects). King: that many points starting at the king
        // (so that the king's own share is one of them). Otherwise this party's window, starting at itself.
        ContributorSet<T> contributors = Checked ? _context.Contributors(0, n)
            : _context.Contributors(king >= 0 ? king : _context.Party, points);

        ReadOnlyMemory<T> contribution = shares;
        int position = contributors.Position;
        if (king >= 0 && position >= 0)
        {
            // King: contributor k sends λ_k·s_k, so the secret is the plain sum of the contributions
            // (the d + 1 shares become an additive sharing). λ_k ≠ 0 is public, so λ_k·s_k reveals no more
            // than s_k; the king then adds instead of multiplying, and the scaling is done once per sender.
            Memory<T> scaled = scratch ?? GC.AllocateUninitializedArray<T>(shares.Length);
            T.Scale(shares.Span, contributors.Lambdas[position], scaled.Span);
            contribution = scaled;
        }
        else if (king < 0 && scratch is null && contributors.Readers.Length > 0)
        {
            // Payloads are handed over without copying and peers read them after we return: send a
            // copy, so that the caller stays free to reuse its buffer.
            contribution = shares.ToArray();
        }
        return new Opening(tag, reply, king, degree, contribution, contributors);
    }

    /// <summary>Phase 2: the exchange round(s).</summary>
    /// <exception cref="TransportException">A peer failed or sent a malformed message.</exception>
    public async ValueTask ExchangeAsync(Opening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        ITransport transport = _context.Transport;
        int me = _context.Party;
        bool contributing = opening.Contributors.Position >= 0;
        ReadOnlyMemory<byte> payload = contributing ? FieldCodec<T>.Encode(opening.Contribution) : default;

        if (opening.King < 0)
        {
            // All-to-all: everyone contributes, to the parties whose window holds it (all others when checked).
            await transport.SendToAllAsync(opening.Contributors.Readers, opening.Tag, payload, cancellationToken).ConfigureAwait(false);
            await ReceiveContributionsAsync(opening, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (me != opening.King)
        {
            if (contributing) await transport.SendAsync(opening.King, opening.Tag, payload, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> values = await transport.ReceiveAsync(opening.King, opening.Reply, cancellationToken).ConfigureAwait(false);
            opening.Values = FieldCodec<T>.Decode(values, opening.Contribution.Length, opening.King, opening.Reply);
            return;
        }

        await ReceiveContributionsAsync(opening, cancellationToken).ConfigureAwait(false);
        var result = GC.AllocateUninitializedArray<T>(opening.Contribution.Length);
        Reconstruct(opening, result);
        opening.Values = result;
        await transport.SendToAllAsync(_context.Others, opening.Reply, FieldCodec<T>.Encode(result), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Phase 3: writes the opened values. Allocation-free except for first use of a party subset.</summary>
    /// <exception cref="InconsistentSharesException">Checked mode and the shares are inconsistent.</exception>
    public void FinalizeOpen(Opening opening, Span<T> values)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (values.Length != opening.Contribution.Length)
            throw new ArgumentException($"Destination has {values.Length} elements; {opening.Contribution.Length} were opened.", nameof(values));
        if (opening.King >= 0) opening.Values.Span.CopyTo(values);
        else Reconstruct(opening, values);
    }

    private async ValueTask ReceiveContributionsAsync(Opening opening, CancellationToken cancellationToken)
    {
        ContributorSet<T> contributors = opening.Contributors;
        ReadOnlyMemory<byte>[] payloads = await _context.Transport.ReceiveFromAllAsync(contributors.Peers, opening.Tag, cancellationToken).ConfigureAwait(false);
        var vectors = new ReadOnlyMemory<T>[contributors.Parties.Length];
        for (int k = 0, r = 0; k < vectors.Length; k++)
            vectors[k] = k == contributors.Position
                ? opening.Contribution
                : FieldCodec<T>.Decode(payloads[r++], opening.Contribution.Length, contributors.Parties[k], opening.Tag);
        opening.Vectors = vectors;
    }

    private void Reconstruct(Opening opening, Span<T> values)
    {
        ShamirScheme<T> scheme = _context.Scheme;
        ReadOnlyMemory<T>[] vectors = opening.Vectors!;
        if (Checked)
        {
            scheme.ReconstructChecked(vectors, opening.Degree, values); // contributors are 0..n−1 in order
            return;
        }
        if (opening.King >= 0)
        {
            // At a king, contributions are pre-scaled by their Lagrange coefficients: the secret is their sum.
            if (vectors.Length == 1) vectors[0].Span.CopyTo(values);
            else T.Add(vectors[0].Span, vectors[1].Span, values);
            for (int k = 2; k < vectors.Length; k++) T.Add(values, vectors[k].Span, values);
            return;
        }
        // This party's window: plain shares, interpolated with the window's coefficients (own share first).
        SharingMatrices.Combine<T>(opening.Contributors.Lambdas, vectors, values);
    }

    /// <summary>The state of one opening between its phases.</summary>
    public sealed class Opening
    {
        internal Opening(MessageTag tag, MessageTag reply, int king, int degree, ReadOnlyMemory<T> contribution, ContributorSet<T> contributors)
        {
            Tag = tag;
            Reply = reply;
            King = king;
            Degree = degree;
            Contribution = contribution;
            Contributors = contributors;
        }

        /// <summary>The tag of the shares' round.</summary>
        public MessageTag Tag { get; }

        internal MessageTag Reply { get; }

        /// <summary>The king of this opening, or −1 for all-to-all.</summary>
        public int King { get; }

        internal int Degree { get; }

        /// <summary>What this party sends: its shares, or λ·shares to a king.</summary>
        internal ReadOnlyMemory<T> Contribution { get; }

        internal ContributorSet<T> Contributors { get; }

        internal ReadOnlyMemory<T>[]? Vectors { get; set; }

        internal ReadOnlyMemory<T> Values { get; set; }
    }
}
