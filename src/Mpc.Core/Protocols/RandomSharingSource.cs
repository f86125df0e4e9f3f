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
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class RandomSharingSource<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly T[] _vandermonde;

    /// <summary>Creates the source on a context.</summary>
    public RandomSharingSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _vandermonde = SharingMatrices.Vandermonde<T>(context.Parties - context.Threshold, context.Parties);
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
        int n = _context.Parties, me = _context.Party, rows = n - _context.Threshold;
        int blocks = (count + rows - 1) / rows, stride = kinds.Length * blocks;

        // Deal: party j's message is [kind 0 | kind 1 | …], each `blocks` long, at dealt[j * stride].
        var dealt = GC.AllocateUninitializedArray<T>(n * stride);
        var secrets = new T[blocks];
        for (int k = 0; k < kinds.Length; k++)
        {
            switch (kinds[k].Secret)
            {
                case DealtSecret.Random: T.RandomFill(_context.Random, secrets); break;
                case DealtSecret.Zero: Array.Clear(secrets); break;
                case DealtSecret.Previous when k > 0: break;
                default: throw new ArgumentException($"Sharing kind {k} reuses the previous secret but has none.", nameof(kinds));
            }
            _context.Scheme.ShareBatch(secrets, kinds[k].Degree, _context.Random, dealt, stride, k * blocks);
        }
        Array.Clear(secrets);
        IReadOnlyList<int> others = _context.Others;
        await _context.Transport.SendEachAsync(others, k => FieldCodec<T>.Encode(dealt.AsMemory(others[k] * stride, stride)), tag, cancellationToken)
            .ConfigureAwait(false);
        ReadOnlyMemory<byte>[] payloads = await _context.Transport.ReceiveFromAllAsync(_context.Others, tag, cancellationToken).ConfigureAwait(false);

        var received = new ReadOnlyMemory<T>[n];
        for (int j = 0, r = 0; j < n; j++)
            received[j] = j == me ? dealt.AsMemory(me * stride, stride) : FieldCodec<T>.Decode(payloads[r++], stride, j, tag);

        // Extract: r = M · (s_0 … s_{n−1}) per kind, row-major outputs of `blocks` each.
        var outputs = new T[kinds.Length][];
        var inputs = new ReadOnlyMemory<T>[n];
        for (int k = 0; k < kinds.Length; k++)
        {
            for (int j = 0; j < n; j++) inputs[j] = received[j].Slice(k * blocks, blocks);
            var extracted = GC.AllocateUninitializedArray<T>(rows * blocks);
            SharingMatrices.Apply<T>(_vandermonde, rows, inputs, extracted);
            outputs[k] = extracted.Length == count ? extracted : extracted.AsSpan(0, count).ToArray();
        }
        return outputs;
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
}

/// <summary>One kind of sharing to deal: its degree and its secret.</summary>
internal readonly record struct SharingSpec(int Degree, DealtSecret Secret);
