namespace Mpc.Core.Network;

/// <summary>Round helpers over <see cref="ITransport"/>: send to many peers, receive from many, fail fast.</summary>
public static class TransportExtensions
{
    /// <summary>Sends <paramref name="payload"/> with <paramref name="tag"/> to every listed peer, to all of them at once.</summary>
    /// <remarks>
    /// The same memory is handed to every peer; receivers only read it. The sends are started together and
    /// awaited together: over a network transport each peer has its own stream, so a large message goes out
    /// to all peers in parallel instead of one after the other (which would make the last peer wait for the
    /// first peer's whole transfer).
    /// </remarks>
    public static ValueTask SendToAllAsync(this ITransport transport, IReadOnlyList<int> peers, MessageTag tag,
        ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(peers);
        return SendEachAsync(transport, peers, k => payload, tag, cancellationToken);
    }

    /// <summary>Sends <c>payloads(k)</c> with <paramref name="tag"/> to <c>peers[k]</c> for every k, all at once.</summary>
    /// <remarks>As <see cref="SendToAllAsync"/>, for a round where every peer gets its own message (dealing shares).</remarks>
    public static ValueTask SendEachAsync(this ITransport transport, IReadOnlyList<int> peers, Func<int, ReadOnlyMemory<byte>> payloads,
        MessageTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(payloads);
        Task[]? pending = null;
        for (int k = 0; k < peers.Count; k++)
        {
            ValueTask send;
            try
            {
                send = transport.SendAsync(peers[k], tag, payloads(k), cancellationToken);
            }
            catch (Exception e)
            {
                // Reported through the round's task, after the sends already started have been awaited too.
                send = ValueTask.FromException(e);
            }
            if (send.IsCompletedSuccessfully)
            {
                send.GetAwaiter().GetResult(); // completes the ValueTask's contract (pooled sources)
                continue;
            }
            (pending ??= new Task[peers.Count])[k] = send.AsTask();
        }
        return pending is null ? ValueTask.CompletedTask : new ValueTask(WhenAll(pending));

        static Task WhenAll(Task[] pending)
        {
            // Every started send is awaited, even after one fails: none may outlive the round unobserved.
            return Task.WhenAll(Array.FindAll(pending, t => t is not null));
        }
    }

    /// <summary>
    /// Receives the message with <paramref name="tag"/> from every listed peer. Fails as soon as any
    /// receive fails (a peer that left must not leave us waiting on the others) and cancels the rest.
    /// </summary>
    /// <returns>Payloads in the order of <paramref name="peers"/>.</returns>
    public static async ValueTask<ReadOnlyMemory<byte>[]> ReceiveFromAllAsync(this ITransport transport, IReadOnlyList<int> peers,
        MessageTag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var payloads = new ReadOnlyMemory<byte>[peers.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<ReadOnlyMemory<byte>>>(peers.Count);
        var index = new Dictionary<Task<ReadOnlyMemory<byte>>, int>(peers.Count);
        try
        {
            for (int k = 0; k < peers.Count; k++)
            {
                ValueTask<ReadOnlyMemory<byte>> receive = transport.ReceiveAsync(peers[k], tag, stop.Token);
                if (receive.IsCompletedSuccessfully)
                {
                    payloads[k] = receive.Result; // already arrived: no task, no allocation
                    continue;
                }
                Task<ReadOnlyMemory<byte>> task = receive.AsTask();
                pending.Add(task);
                index.Add(task, k);
            }
            while (pending.Count > 0)
            {
                Task<ReadOnlyMemory<byte>> done = await Task.WhenAny(pending).ConfigureAwait(false);
                payloads[index[done]] = await done.ConfigureAwait(false); // rethrows the first failure
                pending.Remove(done);
            }
            return payloads;
        }
        catch
        {
            // Withdraw the receives still parked so that no waiter outlives the failed round.
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Returns once every listed peer has reached the same barrier: each party sends an empty message with
    /// <paramref name="tag"/> to all peers and waits for theirs. One round; parties leave it within one message delay of
    /// each other, so a timed phase that starts after it does not count how late the slowest party arrived.
    /// </summary>
    public static async ValueTask BarrierAsync(this ITransport transport, IReadOnlyList<int> peers, MessageTag tag,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await transport.SendToAllAsync(peers, tag, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        await transport.ReceiveFromAllAsync(peers, tag, cancellationToken).ConfigureAwait(false);
    }
}
