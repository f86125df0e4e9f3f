using System.Collections.Concurrent;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Sharing;

namespace Mpc.Core.Protocols;

/// <summary>How openings move shares (see <see cref="Opener{T}"/>).</summary>
public enum OpeningMode
{
    /// <summary>All-to-all for n below <see cref="ProtocolContext{T}.KingOpeningFrom"/> parties, king-based from there on.</summary>
    Auto,

    /// <summary>Each party gets the shares it reconstructs from directly; one round, n·d messages for degree d (n(n − 1) when checked).</summary>
    AllToAll,

    /// <summary>Shares go to a king who reconstructs and sends the values back; two rounds, O(n) messages.</summary>
    King,
}

/// <summary>
/// Everything one party's protocols share: the transport, the sharing scheme, the randomness, the
/// session and the message-tag sequence.
/// </summary>
/// <remarks>
/// All parties run the same deterministic schedule of exchanges, so the k-th call to
/// <see cref="NextTag"/> yields the same <see cref="MessageTag"/> on every party; messages of
/// different rounds can never be confused. Protocol objects built on one context must therefore be
/// used in the same order on every party. Run independent schedules (e.g. a background
/// preprocessing pipeline beside the online phase) on separate contexts with distinct sessions.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class ProtocolContext<T> where T : struct, IField<T>
{
    /// <summary>From this many parties on, <see cref="OpeningMode.Auto"/> resolves to king-based openings.</summary>
    /// <remarks>
    /// All-to-all costs n·t messages in one round (each party receives the t shares of its window it lacks);
    /// king-based 2(n − 1) messages in two rounds.
    /// Below 8 parties the extra round costs more than the quadratic message count.
    /// </remarks>
    public const int KingOpeningFrom = 8;

    /// <summary>Sequence numbers of lane l start at l·2^<see cref="LaneShift"/>: 2^40 exchanges per lane before lanes could meet.</summary>
    private const int LaneShift = 40;

    private readonly ConcurrentDictionary<int, ContributorSet<T>> _contributorSets = new();
    private long _sequence;
    private int _lane;

    /// <summary>Creates the context of the party that owns <paramref name="transport"/>.</summary>
    /// <param name="transport">This party's channels; n is <see cref="ITransport.Parties"/>.</param>
    /// <param name="threshold">t, with n ≥ 2t + 1.</param>
    /// <param name="session">Session id shared by all parties (job or preprocessing batch).</param>
    /// <param name="random">Randomness for dealing; defaults to <see cref="CryptoRandom.Shared"/>.</param>
    /// <param name="openingMode">Default opening mode of this context's openers.</param>
    /// <param name="checkOpenings">Whether openings verify that all n shares lie on one polynomial.</param>
    /// <exception cref="ArgumentException">n &lt; 2t + 1.</exception>
    public ProtocolContext(ITransport transport, int threshold, ulong session = 0, IRandomSource? random = null,
        OpeningMode openingMode = OpeningMode.Auto, bool checkOpenings = false)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Transport = transport;
        Scheme = new ShamirScheme<T>(transport.Parties, threshold);
        Session = session;
        Random = random ?? CryptoRandom.Shared;
        OpeningMode = openingMode == OpeningMode.Auto
            ? (transport.Parties >= KingOpeningFrom ? OpeningMode.King : OpeningMode.AllToAll)
            : openingMode;
        CheckOpenings = checkOpenings;
        var others = new int[Parties - 1];
        for (int j = 0, k = 0; j < Parties; j++)
            if (j != Party) others[k++] = j;
        Others = others;
    }

    /// <summary>This party's channels.</summary>
    public ITransport Transport { get; }

    /// <summary>This party's index (0-based).</summary>
    public int Party => Transport.Party;

    /// <summary>The number of parties n.</summary>
    public int Parties => Transport.Parties;

    /// <summary>The threshold t.</summary>
    public int Threshold => Scheme.Threshold;

    /// <summary>The Shamir scheme (n, t).</summary>
    public ShamirScheme<T> Scheme { get; }

    /// <summary>Randomness for dealing sharings.</summary>
    public IRandomSource Random { get; }

    /// <summary>The session id in every tag.</summary>
    public ulong Session { get; }

    /// <summary>The resolved default opening mode (never <see cref="OpeningMode.Auto"/>).</summary>
    public OpeningMode OpeningMode { get; }

    /// <summary>Whether openings are checked (all n shares on one polynomial).</summary>
    public bool CheckOpenings { get; }

    /// <summary>All parties except this one, ascending.</summary>
    public IReadOnlyList<int> Others { get; }

    /// <summary>
    /// The <paramref name="count"/> parties <paramref name="first"/>, first + 1, … (mod n) that send their shares
    /// when a sharing is opened from them, with their Lagrange coefficients and this party's place among them.
    /// Built once per (first, count) and cached: openings reach it once per round.
    /// </summary>
    internal ContributorSet<T> Contributors(int first, int count)
    {
        int n = Parties;
        if ((uint)first >= (uint)n) throw new ArgumentOutOfRangeException(nameof(first), first, $"First contributor must be in [0, {n}).");
        if (count <= Threshold || count > n) throw new ArgumentOutOfRangeException(nameof(count), count, $"Contributors must number t + 1 = {Threshold + 1} to n = {n}.");
        return _contributorSets.TryGetValue(first * (n + 1) + count, out ContributorSet<T>? set)
            ? set
            : _contributorSets.GetOrAdd(first * (n + 1) + count, new ContributorSet<T>(Scheme, Party, first, count));
    }

    /// <summary>The tag of the next exchange; every party gets the same sequence.</summary>
    public MessageTag NextTag() => new(Session, (ulong)Interlocked.Increment(ref _sequence));

    /// <summary>
    /// A context for protocols that run concurrently with this one's in the same session: same transport,
    /// scheme, randomness and settings, but its own tag sequence (lane <paramref name="lane"/>), so the
    /// order in which concurrent exchanges happen no longer has to agree across parties, only the lane numbers.
    /// </summary>
    /// <param name="lane">1 ≤ lane &lt; 2^23, the same on every party for the same logical protocol run.</param>
    /// <exception cref="InvalidOperationException">This context is itself a fork (lanes of lanes could collide).</exception>
    public ProtocolContext<T> Fork(int lane)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lane, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lane, 1 << 23);
        if (_lane != 0) throw new InvalidOperationException($"Context lane {_lane} is a fork; fork the session's root context instead.");
        return new ProtocolContext<T>(this, lane);
    }

    /// <summary>A fork: shares everything with <paramref name="root"/> (the scheme's and the contributor sets' caches too) but the tag sequence.</summary>
    private ProtocolContext(ProtocolContext<T> root, int lane)
    {
        Transport = root.Transport;
        Scheme = root.Scheme;
        Session = root.Session;
        Random = root.Random;
        OpeningMode = root.OpeningMode;
        CheckOpenings = root.CheckOpenings;
        Others = root.Others;
        _contributorSets = root._contributorSets;
        _lane = lane;
        _sequence = (long)lane << LaneShift;
    }
}
