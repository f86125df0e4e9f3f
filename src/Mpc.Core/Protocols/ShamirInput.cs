using Mpc.Core.Fields;
using Mpc.Core.Network;

namespace Mpc.Core.Protocols;

/// <summary>Secret-shares private inputs: each owner deals Shamir shares of its values to all parties, in one round.</summary>
/// <remarks>
/// The owner samples a fresh degree-t polynomial per value (Shamir 1979) and sends party j its
/// evaluations at x = j + 1, one message per peer; any t parties learn nothing about the values.
/// Semi-honest: the owner is trusted to deal a degree-t sharing (the malicious variant verifies it).
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class ShamirInput<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;

    /// <summary>Creates the input protocol on a context.</summary>
    public ShamirInput(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    /// <summary>Shares <paramref name="count"/> values owned by <paramref name="owner"/>; every party calls this.</summary>
    /// <param name="owner">The dealing party.</param>
    /// <param name="count">How many values the owner inputs (known to everyone).</param>
    /// <param name="values">The owner's values (length <paramref name="count"/>); ignored on other parties.</param>
    /// <param name="cancellationToken">Cancels waiting for the owner.</param>
    /// <returns>This party's shares of the owner's values.</returns>
    public async ValueTask<T[]> InputAsync(int owner, int count, ReadOnlyMemory<T> values, CancellationToken cancellationToken = default)
    {
        if ((uint)owner >= (uint)_context.Parties)
            throw new ArgumentOutOfRangeException(nameof(owner), owner, $"Owner must be a party in [0, {_context.Parties}).");
        var counts = new int[_context.Parties];
        counts[owner] = count;
        T[][] shares = await InputAsync(counts, owner == _context.Party ? values : default, cancellationToken).ConfigureAwait(false);
        return shares[owner];
    }

    /// <summary>Shares the inputs of every party at once (one round); every party calls this with the same counts.</summary>
    /// <param name="counts">Number of values each party inputs, indexed by party.</param>
    /// <param name="ownValues">This party's values, of length <c>counts[Party]</c>.</param>
    /// <param name="cancellationToken">Cancels waiting for owners.</param>
    /// <returns>This party's shares, indexed by owner: <c>result[owner][i]</c>.</returns>
    /// <exception cref="TransportException">An owner failed or sent a malformed message.</exception>
    public async ValueTask<T[][]> InputAsync(int[] counts, ReadOnlyMemory<T> ownValues, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int n = _context.Parties, me = _context.Party;
        if (counts.Length != n)
            throw new ArgumentException($"Input counts list {counts.Length} parties; the network has {n}.", nameof(counts));
        for (int j = 0; j < n; j++)
            if (counts[j] < 0) throw new ArgumentOutOfRangeException(nameof(counts), counts[j], $"Input count of party {j} is negative.");
        if (ownValues.Length != counts[me])
            throw new ArgumentException($"Party {me} inputs {counts[me]} values but {ownValues.Length} were given.", nameof(ownValues));

        MessageTag tag = _context.NextTag();
        var result = new T[n][];
        if (counts[me] > 0)
        {
            // Deal: party-major shares[j * count + i]; each party's slice goes out without copying.
            int count = counts[me];
            var dealt = GC.AllocateUninitializedArray<T>(n * count);
            _context.Scheme.ShareBatch(ownValues.Span, _context.Random, dealt);
            IReadOnlyList<int> others = _context.Others;
            await _context.Transport.SendEachAsync(others, k => FieldCodec<T>.Encode(dealt.AsMemory(others[k] * count, count)), tag, cancellationToken)
                .ConfigureAwait(false);
            result[me] = dealt.AsSpan(me * count, count).ToArray();
        }
        else
        {
            result[me] = [];
        }

        var owners = new List<int>(n);
        foreach (int j in _context.Others)
            if (counts[j] > 0) owners.Add(j);
            else result[j] = [];
        ReadOnlyMemory<byte>[] payloads = await _context.Transport.ReceiveFromAllAsync(owners, tag, cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < owners.Count; k++)
            result[owners[k]] = FieldCodec<T>.Decode(payloads[k], counts[owners[k]], owners[k], tag).ToArray();
        return result;
    }
}
