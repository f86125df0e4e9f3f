using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Sharing;

namespace Mpc.Core.Protocols;

/// <summary>
/// Random sharings [r]_t, double sharings ([r]_t, [r]_2t) and sharings of zero, generated jointly with
/// no trusted dealer (Damgård–Nielsen 2007), in one round per batch.
/// </summary>
/// <remarks>
/// Damgård–Nielsen 2007, "Scalable and unconditionally secure multiparty computation", §3: every
/// party deals a batch of random sharings; each party then applies the (n − t) × n Vandermonde matrix
/// (<see cref="SharingMatrices.Vandermonde{T}"/>) to the n sharings it received, obtaining n − t
/// sharings whose secrets are uniform and unknown to any t parties (the honest dealers' columns form
/// an invertible matrix). So a batch of <c>count</c> needs ⌈count / (n − t)⌉ dealings per party.
/// A double sharing deals the same secret at degrees t and 2t; the extraction is linear, so the
/// outputs stay pairs of one secret.
/// <para>Seeded dealing: a degree-d sharing has d + 1 free shares (d with a fixed secret). The dealer gives them to
/// the parties after it, cyclically, as outputs of <see cref="AesCounterRandom"/> under fresh per-dealing seeds sent
/// in place of the shares, and interpolates its own and the remaining parties' shares, which alone travel
/// explicitly. With n = 3, t = 1 every random or double sharing is dealt with seeds only. Protocol, security
/// argument (computational, semi-honest, t &lt; n/2) and byte counts: docs/protocols.md, preprocessing.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class RandomSharingSource<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly T[] _vandermonde;

    /// <summary>
    /// Interpolation weights by (n, party, degree, fixed secret): shared by every source of the field, since a source is
    /// built per request (a triple batch, a circuit's preprocessing) and would otherwise invert them again each time.
    /// </summary>
    private static readonly ConcurrentDictionary<(int Parties, int Party, int Degree, bool Fixed), T[]> Interpolations = new();
    private readonly int[] _everyone;

    /// <summary>Creates the source on a context.</summary>
    public RandomSharingSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _vandermonde = SharingMatrices.Vandermonde<T>(context.Parties - context.Threshold, context.Parties);
        _everyone = new int[context.Parties];
        for (int j = 0; j < _everyone.Length; j++) _everyone[j] = j;
    }

    /// <summary>This party's shares of <paramref name="count"/> random degree-t sharings.</summary>
    public async ValueTask<T[]> GenerateAsync(int count, CancellationToken cancellationToken = default) =>
        (await DealAsync([new(_context.Threshold, DealtSecret.Random)], count, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>This party's shares of <paramref name="count"/> double sharings ([r]_t, [r]_2t).</summary>
    public async ValueTask<DoubleSharings<T>> GenerateDoubleAsync(int count, CancellationToken cancellationToken = default)
    {
        T[][] kinds = await DealAsync(
            [new(_context.Threshold, DealtSecret.Random), new(2 * _context.Threshold, DealtSecret.Previous)],
            count, cancellationToken).ConfigureAwait(false);
        return new DoubleSharings<T>(kinds[0], kinds[1]);
    }

    /// <summary>
    /// Deals every kind of sharing in <paramref name="kinds"/> in one round (one message per peer) and
    /// extracts <paramref name="count"/> sharings of each kind.
    /// </summary>
    /// <returns>One share vector of length <paramref name="count"/> per kind.</returns>
    internal ValueTask<T[][]> DealAsync(SharingSpec[] kinds, int count, CancellationToken cancellationToken) =>
        DealAsync(kinds, count, _context.NextTag(), cancellationToken);

    /// <summary>As <see cref="DealAsync(SharingSpec[], int, CancellationToken)"/> in the exchange <paramref name="tag"/>, reserved by the caller.</summary>
    internal async ValueTask<T[][]> DealAsync(SharingSpec[] kinds, int count, MessageTag tag, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int rows = _context.Parties - _context.Threshold;
        int blocks = (count + rows - 1) / rows;
        using Dealings dealings = await ExchangeAsync(kinds, blocks, tag, _everyone, default, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<T>[][] columns = dealings.Columns;

        // Extract: r = M · (s_0 … s_{n−1}) per kind, row-major outputs of `blocks` each.
        var outputs = new T[kinds.Length][];
        for (int k = 0; k < kinds.Length; k++)
        {
            var extracted = GC.AllocateUninitializedArray<T>(rows * blocks);
            SharingMatrices.Apply<T>(_vandermonde, rows, columns[k], extracted);
            outputs[k] = extracted.Length == count ? extracted : extracted.AsSpan(0, count).ToArray();
        }
        return outputs;
    }

    /// <summary>
    /// Degree reduction by resharing: from this party's shares of degree-2t sharings (<paramref name="products"/>, e.g.
    /// [a]·[b]), its shares of degree-t sharings of the same secrets, in one round.
    /// </summary>
    /// <remarks>
    /// Gennaro–Rabin–Rabin 1998 ("Simplified VSS and fast-track multiparty computations", §3): each of 2t + 1
    /// contributors deals a degree-t sharing of its degree-2t share d_i, and every party combines what it received with
    /// the contributors' Lagrange coefficients at 0: Σ λ_i [d_i]_t is a degree-t sharing of Σ λ_i d_i, the secret. Each
    /// dealing is seeded like <see cref="DealAsync(SharingSpec[], int, MessageTag, CancellationToken)"/> (a fixed secret
    /// leaves t free shares, given to the t parties after the dealer), so a contributor sends explicit shares to n − 1 − t
    /// parties. The contributors are the 2t + 1 parties from (tag sequence mod n) on, so successive slices spread the load.
    /// </remarks>
    internal async ValueTask<T[]> ReshareAsync(ReadOnlyMemory<T> products, MessageTag tag, CancellationToken cancellationToken)
    {
        int n = _context.Parties, t = _context.Threshold, count = products.Length;
        // The context builds each set, with its Lagrange coefficients at 0, once: a slice costs no lookup or inversion.
        ContributorSet<T> set = _context.Contributors((int)(tag.Sequence % (ulong)n), 2 * t + 1);
        int[] contributors = set.Parties;
        using Dealings dealings = await ExchangeAsync([new(t, DealtSecret.Given)], count, tag, contributors, products, cancellationToken)
            .ConfigureAwait(false);
        ReadOnlyMemory<T>[][] columns = dealings.Columns;

        var dealt = new ReadOnlyMemory<T>[contributors.Length];
        for (int i = 0; i < contributors.Length; i++) dealt[i] = columns[0][contributors[i]];
        var reduced = GC.AllocateUninitializedArray<T>(count);
        SharingMatrices.Combine(set.Lambdas, dealt, reduced);
        return reduced;
    }

    /// <summary>
    /// One dealing round: if this party is among <paramref name="dealers"/> it deals every kind (a fixed
    /// <see cref="DealtSecret.Given"/> secret is <paramref name="given"/>) to all others; it takes the other dealers' dealings.
    /// </summary>
    /// <returns>
    /// <c>Columns[k][j]</c>: this party's shares of the kind-k sharings dealt by party j (<paramref name="blocks"/> long; empty
    /// for non-dealers). Transient: the caller combines them and then disposes the result, which recycles their buffers.
    /// </returns>
    private async ValueTask<Dealings> ExchangeAsync(SharingSpec[] kinds, int blocks, MessageTag tag, int[] dealers,
        ReadOnlyMemory<T> given, CancellationToken cancellationToken)
    {
        int n = _context.Parties, me = _context.Party;
        int[] free = FreeValues(kinds);
        var dealings = new Dealings(kinds.Length, n);
        try
        {
            if (Array.IndexOf(dealers, me) >= 0)
            {
                T[][] messages = Deal(kinds, free, blocks, tag, dealings, given);
                IReadOnlyList<int> others = _context.Others;
                await _context.Transport.SendEachAsync(others, k => FieldCodec<T>.Encode(messages[others[k]]), tag, cancellationToken)
                    .ConfigureAwait(false);
            }
            int[] senders = Array.FindAll(dealers, j => j != me);
            ReadOnlyMemory<byte>[] payloads = await _context.Transport.ReceiveFromAllAsync(senders, tag, cancellationToken).ConfigureAwait(false);
            for (int r = 0; r < payloads.Length; r++)
                Accept(kinds, free, blocks, senders[r], payloads[r], tag, dealings);
            return dealings;
        }
        catch
        {
            dealings.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One round's dealt columns. The columns this party computes or expands from seeds live in pooled buffers (a
    /// triple slice would otherwise fault in fresh pages for each); they are cleared before they go back to the pool.
    /// </summary>
    private sealed class Dealings(int kinds, int parties) : IDisposable
    {
        private readonly List<(T[] Buffer, int Length)> _rented = [];

        public ReadOnlyMemory<T>[][] Columns { get; } = NewColumns(kinds, parties);

        /// <summary>A pooled buffer of <paramref name="length"/> elements, recycled by <see cref="Dispose"/>.</summary>
        public Memory<T> Rent(int length)
        {
            T[] buffer = ArrayPool<T>.Shared.Rent(Math.Max(1, length));
            _rented.Add((buffer, length));
            return buffer.AsMemory(0, length);
        }

        public void Dispose()
        {
            // Clear what this dealing wrote: the part handed out, not the whole (power-of-two) pooled buffer.
            foreach ((T[] buffer, int length) in _rented)
            {
                buffer.AsSpan(0, length).Clear();
                ArrayPool<T>.Shared.Return(buffer);
            }
            _rented.Clear();
        }

        private static ReadOnlyMemory<T>[][] NewColumns(int kinds, int parties)
        {
            var columns = new ReadOnlyMemory<T>[kinds][];
            for (int k = 0; k < kinds; k++) columns[k] = new ReadOnlyMemory<T>[parties];
            return columns;
        }
    }

    /// <summary>Field elements per seed: at least 128 bits of entropy (each uniform element carries ⌊log2 |F|⌋ bits).</summary>
    private static readonly int SeedElements = (int)((128 + (T.Modulus.GetBitLength() - 1) - 1) / (T.Modulus.GetBitLength() - 1));

    /// <summary>The number of shares of a kind that the dealer may choose freely: degree + 1 for a random secret, degree for a fixed one.</summary>
    private int[] FreeValues(SharingSpec[] kinds)
    {
        int n = _context.Parties;
        var free = new int[kinds.Length];
        for (int k = 0; k < kinds.Length; k++)
        {
            SharingSpec kind = kinds[k];
            if (kind.Degree < 0 || kind.Degree >= n)
                throw new ArgumentOutOfRangeException(nameof(kinds), kind.Degree, $"Sharing kind {k} has degree {kind.Degree}; degrees must be in [0, {n - 1}] for n = {n}.");
            free[k] = kind.Secret switch
            {
                DealtSecret.Random => kind.Degree + 1,
                DealtSecret.Zero or DealtSecret.Given => kind.Degree,
                DealtSecret.Previous when k > 0 => kind.Degree,
                _ => throw new ArgumentException($"Sharing kind {k} reuses the previous secret but has none.", nameof(kinds)),
            };
        }
        return free;
    }

    /// <summary>
    /// Whether <paramref name="party"/>'s share of <paramref name="dealer"/>'s kind with <paramref name="free"/> free values comes
    /// from a seed: the <c>free</c> parties after the dealer, cyclically (the dealer itself only when all n are free). The
    /// dealer computes its own share, which costs no bytes, so every free value it can give away saves one explicit share.
    /// </summary>
    private bool IsSeeded(int dealer, int free, int party)
    {
        int n = _context.Parties;
        return (party - dealer - 1 + 2 * n) % n < free;
    }

    /// <summary>Whether <paramref name="party"/> holds a seed of <paramref name="dealer"/>'s dealing, and how many kinds it receives explicitly.</summary>
    private (bool Seeded, int Explicit) Receives(int[] free, int dealer, int party)
    {
        int explicitKinds = 0;
        foreach (int f in free)
            if (!IsSeeded(dealer, f, party)) explicitKinds++;
        return (explicitKinds < free.Length, explicitKinds);
    }

    /// <summary>
    /// This party's dealing: fills its own columns and returns the message for each other party
    /// ([seed] then the explicit shares, kind by kind), <c>null</c> at this party's index.
    /// </summary>
    private T[][] Deal(SharingSpec[] kinds, int[] free, int blocks, MessageTag tag, Dealings dealings, ReadOnlyMemory<T> given)
    {
        ReadOnlyMemory<T>[][] columns = dealings.Columns;
        int n = _context.Parties, me = _context.Party;
        var messages = new T[n][];
        var cursor = new int[n];
        var generators = new AesCounterRandom?[n];
        int maxFree = 0;
        foreach (int f in free) maxFree = Math.Max(maxFree, f);
        T[] scratch = ArrayPool<T>.Shared.Rent(Math.Max(1, (maxFree + 1) * blocks));
        var values = new ReadOnlyMemory<T>[n + 1];
        try
        {
            for (int j = 0; j < n; j++)
            {
                if (j == me) continue;
                (bool seeded, int explicitKinds) = Receives(free, me, j);
                int seedLength = seeded ? SeedElements : 0;
                messages[j] = GC.AllocateUninitializedArray<T>(seedLength + explicitKinds * blocks);
                cursor[j] = seedLength;
                if (!seeded) continue;
                T.RandomFill(_context.Random, messages[j].AsSpan(0, seedLength));
                generators[j] = Generator(messages[j].AsSpan(0, seedLength), me, j, tag);
            }
            if (maxFree == n) generators[me] = AesCounterRandom.FromRandom(_context.Random);

            // scratch: the seeded values of the other parties (maxFree × blocks), then the current secret (blocks).
            Memory<T> secret = scratch.AsMemory(maxFree * blocks, blocks);
            for (int k = 0; k < kinds.Length; k++)
            {
                int f = free[k];
                bool fixedSecret = kinds[k].Secret != DealtSecret.Random;
                T[] weights = Interpolation(kinds[k].Degree, fixedSecret);
                int points = kinds[k].Degree + 1, first = fixedSecret ? 1 : 0;
                if (kinds[k].Secret == DealtSecret.Zero) secret.Span.Clear();
                if (fixedSecret) values[0] = kinds[k].Secret == DealtSecret.Given ? given : secret;

                // The free values: pseudo-random from the seed each holder shares with the dealer (the dealer's own seed for itself).
                for (int i = 0; i < f; i++)
                {
                    int j = (me + 1 + i) % n;
                    Memory<T> destination = j == me ? dealings.Rent(blocks) : scratch.AsMemory(i * blocks, blocks);
                    T.RandomFill(generators[j]!, destination.Span);
                    values[first + i] = destination;
                    if (j == me) columns[k][me] = destination;
                }

                // The other shares are fixed by those (and the secret): Lagrange interpolation at their points.
                for (int i = f; i < n; i++)
                {
                    int j = (me + 1 + i) % n;
                    Memory<T> destination = j == me ? dealings.Rent(blocks) : messages[j].AsMemory(cursor[j], blocks);
                    if (j == me) columns[k][me] = destination;
                    else cursor[j] += blocks;
                    SharingMatrices.Combine(weights.AsSpan(i * points, points), values.AsSpan(0, points), destination.Span);
                }

                // A random secret followed by a double sharing: the dealer needs the secret, f(0).
                if (!fixedSecret && k + 1 < kinds.Length && kinds[k + 1].Secret == DealtSecret.Previous)
                    SharingMatrices.Combine(weights.AsSpan(n * points, points), values.AsSpan(0, points), secret.Span);
            }
            return messages;
        }
        finally
        {
            // Other parties' shares and the secrets of this party's own dealing: clear before the buffer returns to the pool.
            scratch.AsSpan(0, (maxFree + 1) * blocks).Clear();
            ArrayPool<T>.Shared.Return(scratch);
            foreach (AesCounterRandom? generator in generators) generator?.Dispose();
        }
    }

    /// <summary>Takes <paramref name="dealer"/>'s message: explicit shares as sent, the others expanded from the seed.</summary>
    private void Accept(SharingSpec[] kinds, int[] free, int blocks, int dealer, ReadOnlyMemory<byte> payload, MessageTag tag, Dealings dealings)
    {
        ReadOnlyMemory<T>[][] columns = dealings.Columns;
        int me = _context.Party;
        (bool seeded, int explicitKinds) = Receives(free, dealer, me);
        int offset = seeded ? SeedElements : 0;
        ReadOnlyMemory<T> message = FieldCodec<T>.Decode(payload, offset + explicitKinds * blocks, dealer, tag);
        using AesCounterRandom? generator = seeded ? Generator(message.Span[..offset], dealer, me, tag) : null;
        for (int k = 0; k < kinds.Length; k++)
        {
            if (IsSeeded(dealer, free[k], me))
            {
                Memory<T> expanded = dealings.Rent(blocks);
                T.RandomFill(generator!, expanded.Span);
                columns[k][dealer] = expanded;
            }
            else
            {
                columns[k][dealer] = message.Slice(offset, blocks);
                offset += blocks;
            }
        }
    }

    /// <summary>
    /// The generator of a seed: AES-128-CTR under SHA-256(domain ‖ seed ‖ session ‖ sequence ‖ dealer ‖ receiver)[0..16),
    /// so a key is bound to one dealing and one pair even if a seed repeated.
    /// </summary>
    private static AesCounterRandom Generator(ReadOnlySpan<T> seed, int dealer, int receiver, MessageTag tag)
    {
        ReadOnlySpan<byte> domain = "MpcCompute/DN07-seeded-dealing/v1"u8;
        int width = T.ByteLength, length = domain.Length + seed.Length * width + 24;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : new byte[length];
        domain.CopyTo(input);
        int at = domain.Length;
        foreach (T element in seed)
        {
            element.Write(input.Slice(at, width));
            at += width;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(input[at..], tag.Session);
        BinaryPrimitives.WriteUInt64LittleEndian(input[(at + 8)..], tag.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(input[(at + 16)..], dealer);
        BinaryPrimitives.WriteInt32LittleEndian(input[(at + 20)..], receiver);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        var generator = new AesCounterRandom(digest[..AesCounterRandom.KeyLength]);
        CryptographicOperations.ZeroMemory(digest);
        CryptographicOperations.ZeroMemory(input);
        return generator;
    }

    /// <summary>
    /// Lagrange weights of this party's dealing of a kind, cached per (n, party, degree, fixed secret): the known points are
    /// 0 (if the secret is fixed) and then the seeded parties me + 1, me + 2, … (mod n); row i (0 ≤ i &lt; n) maps them
    /// to party me + 1 + i's point, row n to 0 (the secret). Row-major, degree + 1 columns.
    /// </summary>
    private T[] Interpolation(int degree, bool fixedSecret)
    {
        int n = _context.Parties, me = _context.Party, points = degree + 1;
        var key = (n, me, degree, fixedSecret);
        if (Interpolations.TryGetValue(key, out T[]? cached)) return cached;
        var x = new T[points];
        for (int i = 0; i < points; i++)
            x[i] = fixedSecret ? (i == 0 ? T.Zero : ShamirScheme<T>.EvaluationPoint((me + i) % n)) : ShamirScheme<T>.EvaluationPoint((me + 1 + i) % n);
        var weights = new T[(n + 1) * points];
        for (int row = 0; row <= n; row++)
        {
            T target = row == n ? T.Zero : ShamirScheme<T>.EvaluationPoint((me + 1 + row) % n);
            ShamirScheme<T>.LagrangeWeights(x, target, weights.AsSpan(row * points, points));
        }
        return Interpolations.GetOrAdd(key, weights);
    }
}

/// <summary>What a dealer shares for one kind of sharing in <c>RandomSharingSource.DealAsync</c>.</summary>
internal enum DealtSecret
{
    /// <summary>Fresh uniform secrets.</summary>
    Random,

    /// <summary>Zero (sharings of zero, for re-randomising an opening).</summary>
    Zero,

    /// <summary>The same secrets as the previous kind (double sharings).</summary>
    Previous,

    /// <summary>Secrets given by the dealer (resharing its share of a product).</summary>
    Given,
}

/// <summary>One kind of sharing to deal: its degree and its secret.</summary>
internal readonly record struct SharingSpec(int Degree, DealtSecret Secret);
