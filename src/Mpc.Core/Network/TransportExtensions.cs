namespace Mpc.Core.Network;

/// <summary>Round helpers over <see cref="ITransport"/>: send to many peers, receive from many, fail fast.</summary>
public static class TransportExtensions
{
    /// <summary>Sends <paramref name="payload"/> with <paramref name="tag"/> to every listed peer.</summary>
    /// <remarks>The same memory is handed to every peer; receivers only read it.</remarks>
    public static async ValueTask SendToAllAsync(this ITransport transport, IReadOnlyList<int> peers, MessageTag tag,
        ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        for (int k = 0; k < peers.Count; k++)
            await transport.SendAsync(peers[k], tag, payload, cancellationToken).ConfigureAwait(false);
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
}
