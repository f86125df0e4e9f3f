namespace Mpc.Core.Protocols;

/// <summary>Runs a large preprocessing request as consecutive slices, a few at a time, so computation and communication overlap.</summary>
/// <remarks>
/// <para>A batch protocol of r rounds on one huge vector alternates "every core computes" and "every link
/// transfers"; cut into slices that run concurrently, one slice computes while another waits for the network.
/// On the loopback cluster this lifts the preprocessing rate well above one-shot batches (docs/protocols.md).</para>
/// <para>Determinism: every party must use the same tag for the same message. Slices reach their rounds in an
/// order that differs between parties, so each slice reserves all of its tags up front (<c>reserve</c>), in
/// slice order, before it starts: the k-th slice holds the same tags on every party.</para>
/// <para>Failure: the first failing slice cancels the others (so none waits out a round timeout for a peer that
/// already gave up), every started slice is awaited, and the first failure is rethrown.</para>
/// </remarks>
internal static class SlicePipeline
{
    /// <summary>Runs <paramref name="slice"/> on [start, start + length) for consecutive slices covering <paramref name="count"/>.</summary>
    /// <typeparam name="TTags">The tags one slice reserves.</typeparam>
    /// <param name="count">The total size (≥ 0).</param>
    /// <param name="sliceSize">The size of every slice but the last (&gt; 0).</param>
    /// <param name="inFlight">How many slices run concurrently (&gt; 0).</param>
    /// <param name="reserve">Takes one slice's tags from the context; called in slice order.</param>
    /// <param name="slice">Generates one slice: (start, length, tags, cancellation).</param>
    /// <param name="cancellationToken">Cancels every slice.</param>
    public static async ValueTask RunAsync<TTags>(int count, int sliceSize, int inFlight, Func<TTags> reserve,
        Func<int, int, TTags, CancellationToken, Task> slice, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sliceSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFlight);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        var running = new Queue<Task>(inFlight);
        try
        {
            for (int start = 0; start < count && Volatile.Read(ref failure) is null; start += sliceSize)
            {
                if (running.Count == inFlight)
                {
                    await Quietly(running.Dequeue()).ConfigureAwait(false);
                    if (Volatile.Read(ref failure) is not null) break; // failed while we waited: start nothing new
                }
                running.Enqueue(Guarded(start, Math.Min(sliceSize, count - start), reserve()));
            }
        }
        finally
        {
            while (running.Count > 0)
                await Quietly(running.Dequeue()).ConfigureAwait(false);
        }
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);

        async Task Guarded(int start, int length, TTags tags)
        {
            try
            {
                await slice(start, length, tags, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The first failure is the cause; later slices only report the cancellation it triggers.
                if (Interlocked.CompareExchange(ref failure, e, null) is null)
                    await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Waits for a slice whose failure, if any, <c>Guarded</c> has already recorded.</summary>
    private static async Task Quietly(Task slice)
    {
        try
        {
            await slice.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Recorded as the request's failure (or a consequence of it); rethrown once all slices ended.
        }
    }
}
