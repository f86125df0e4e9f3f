using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Node.Diagnostics;
using Mpc.Node.Transport;

namespace Mpc.Node.Jobs;

/// <summary>
/// A stock of Beaver triples (and, with <see cref="NodeOptions.PoolBatchBits"/>, shared random bits for the masks of
/// integer gates) generated in the background, in batches that every node holds shares of.
/// </summary>
/// <remarks>
/// <para>Lockstep without shared state: node 0 leads. Whenever its stock is below
/// <see cref="NodeOptions.PoolTargetTriples"/> and no job runs on it (<see cref="HoldForJob"/>) it announces a batch id to the other nodes (a transport
/// control notice) and every node generates that batch with DN07 (<see cref="Dn07TripleSource{T}"/>) in
/// the batch's own session, <c>2^62 | epoch·2^32 | k</c>. Up to <see cref="BatchesInFlight"/> batches are
/// generated at once (each in its own session, so their messages never mix): one computes while the others
/// wait for the network, which keeps small batches from being round-trip bound. Every node adds finished
/// batches to its stock in announcement order, so every node's stock lists batches in the same order. The epoch is random
/// per leader run and renewed after every failure, so batch ids never repeat across restarts.</para>
/// <para>Consumption (<see cref="AcquireAsync"/>) is agreed in the job's first exchange: each node
/// exclusively reserves its oldest batches, sends their ids, and the job uses exactly the batches every
/// node reserved, in node 0's order; the rest of the job's triples are generated on demand. A batch is
/// therefore used by at most one job on every node, even when jobs start at different times, when a node
/// lost a batch to a failure, or when several jobs race for the stock.</para>
/// <para>Failure: a batch that fails on any node is dropped there (its session is discarded); the leader
/// waits for its peers, picks a new epoch and continues, so a lost peer only pauses the pool.
/// A batch some node lacks is never used: the job that reserved it drops it.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
internal sealed class PreprocessingPool<T> : IDisposable where T : struct, IField<T>
{
    /// <summary>Bit set in every pool session (job sessions have bit 63, the benchmark's are 1–3).</summary>
    internal const ulong SessionBit = 1UL << 62;

    /// <summary>Batches generated concurrently on every node (the leader announces ahead by this many).</summary>
    internal const int BatchesInFlight = 3;

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly PeerTransport _transport;
    private readonly int _threshold, _batchSize, _batchBits, _targetBatches;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<Batch> _stock = []; // oldest first, the same order on every node
    private readonly Channel<ulong> _announced = Channel.CreateUnbounded<ulong>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0); // released when a hold ends: the leader re-checks its stock, a waiting follower its jobs
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _level, _consumed, _consumedBits;
    // _holds: pauses and running jobs, either of which stops the leader announcing; _jobHolds: the jobs alone, which also
    // hold back a follower (a pause must not: the leader waits for its batches in flight before pausing); _generating: batches in flight.
    private int _holds, _jobHolds, _generating;

    /// <summary>Creates the (not yet running) pool of one node.</summary>
    public PreprocessingPool(PeerTransport transport, NodeOptions options, ILogger log)
    {
        _transport = transport;
        _threshold = options.Threshold;
        _batchSize = options.PoolBatchSize;
        _batchBits = options.PoolBatchBits;
        _targetBatches = (options.PoolTargetTriples + options.PoolBatchSize - 1) / options.PoolBatchSize;
        _log = log;
    }

    /// <summary>Triples in stock on this node.</summary>
    public long Level => Interlocked.Read(ref _level);

    /// <summary>Pooled triples jobs have used on this node since start (the same on every node).</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Pooled random bits jobs have used on this node since start (the same on every node).</summary>
    public long ConsumedBits => Interlocked.Read(ref _consumedBits);

    /// <summary>Starts generating (node 0) or following announcements (the others).</summary>
    public void Start()
    {
        _transport.OnControl(OnNotice);
        _loop = Task.Run(_transport.Party == 0 ? LeadAsync : FollowAsync);
    }

    /// <summary>Stops announcing new batches until the returned handle is disposed, once the batch in flight is done.</summary>
    /// <remarks>For measurements (the benchmark) that must not share the CPU and links with background generation.</remarks>
    public async Task<IDisposable> PauseAsync(CancellationToken cancellationToken)
    {
        var resume = Hold();
        try
        {
            while (Volatile.Read(ref _generating) != 0)
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            resume.Dispose();
            throw;
        }
        return resume;
    }

    /// <summary>Defers new batches while a job runs on this node, until the returned handle is disposed.</summary>
    /// <remarks>
    /// A job's online phase is a chain of round trips: a batch generated beside it takes CPU from its rounds on a
    /// small machine (measured: the refill that started when a 60-round job took its triples made the job's run about a third slower).
    /// Batches already started finish. The leader announces none while it holds a job; a follower starts an announced batch
    /// only once its own jobs are done (the leader, finishing first, would otherwise take the CPU from their commits and
    /// replies), and the batch waits for it. Pauses hold only the leader. Under back-to-back jobs the pool refills in the
    /// gaps; whatever it lacks a job generates on demand in its own session.
    /// </remarks>
    public IDisposable HoldForJob() => Hold(job: true);

    private Resume Hold(bool job = false)
    {
        Interlocked.Increment(ref _holds);
        if (job) Interlocked.Increment(ref _jobHolds);
        return new Resume(this, job);
    }

    /// <summary>
    /// Exactly <paramref name="count"/> triples and <paramref name="bitCount"/> shared random bits for a job: pooled
    /// batches all nodes agree on, the rest generated on demand (triples, then bits) in the job's context.
    /// </summary>
    /// <remarks>Every node calls this first in the job's context, with or without a pool (<paramref name="pool"/> null offers no batches).</remarks>
    /// <returns>The material; dispose it once the job's engine is done with it.</returns>
    /// <exception cref="TransportException">A peer failed; the reserved batches are dropped, never reused.</exception>
    public static async ValueTask<JobMaterial> AcquireAsync(PreprocessingPool<T>? pool,
        ProtocolContext<T> context, int count, int bitCount, CancellationToken cancellationToken)
    {
        List<Batch> reserved = pool?.Reserve(count, bitCount) ?? [];
        var mine = new byte[reserved.Count * sizeof(ulong)];
        for (int i = 0; i < reserved.Count; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(mine.AsSpan(i * sizeof(ulong)), reserved[i].Id);
        var lists = new ulong[context.Parties][];
        lists[context.Party] = [.. reserved.Select(b => b.Id)];
        // One exchange: every node sends its reserved ids to every other (no copy of shares, only ids).
        var tag = context.NextTag();
        foreach (int peer in context.Others)
            await context.Transport.SendAsync(peer, tag, mine, cancellationToken).ConfigureAwait(false);
        foreach (int peer in context.Others)
        {
            var payload = await context.Transport.ReceiveAsync(peer, tag, cancellationToken).ConfigureAwait(false);
            if (payload.Length % sizeof(ulong) != 0 || payload.Length / sizeof(ulong) > Math.Max(count, bitCount))
                throw new InvalidDataException($"peer {peer} offered a malformed pool batch list ({payload.Length} bytes)");
            var ids = new ulong[payload.Length / sizeof(ulong)];
            for (int i = 0; i < ids.Length; i++)
                ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(payload.Span[(i * sizeof(ulong))..]);
            lists[peer] = ids;
        }

        // The agreed batches: node 0's order, restricted to ids every node reserved. Identical on every node.
        var agreed = lists[0].Where(id => lists.All(l => Array.IndexOf(l, id) >= 0)).ToHashSet();
        // Reserved batches the job does not use are dropped, not returned: a batch some peer did not offer is lost there (a failure,
        // a restart) or reserved there by a concurrent job, so it can no longer be agreed and would block the head of the stock.
        // Dropping is always safe: unused shares reveal nothing. The leader refills once the job's hold ends.
        var used = reserved.Where(b => agreed.Contains(b.Id)).OrderBy(b => Array.IndexOf(lists[0], b.Id)).ToList();
        if (pool is not null)
            Interlocked.Add(ref pool._consumed, used.Sum(b => (long)b.Triples.Count));

        var material = new JobMaterial(count, bitCount);
        try
        {
            material.Fill(used);
            int offset = material.Pooled, bitOffset = material.PooledBits;
            if (pool is not null)
                Interlocked.Add(ref pool._consumedBits, bitOffset);
            if (offset < count)
            {
                var fresh = await new Dn07TripleSource<T>(context).GenerateAsync(count - offset, cancellationToken).ConfigureAwait(false);
                fresh.A.Span.CopyTo(material.A[offset..]);
                fresh.B.Span.CopyTo(material.B[offset..]);
                fresh.C.Span.CopyTo(material.C[offset..]);
            }
            if (bitOffset < bitCount)
            {
                var fresh = await new RandomBitSource<T>(context).GenerateAsync(bitCount - bitOffset, cancellationToken).ConfigureAwait(false);
                fresh.CopyTo(material.BitsToFill[bitOffset..]);
            }
            return material;
        }
        catch
        {
            material.Dispose();
            throw;
        }
    }

    /// <summary>A job's triples and random bits, in arrays rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    /// <remarks>
    /// A 100-copy AES job takes 640,000 triples: three fresh 5 MB arrays a job cost the node page faults and
    /// gen-2 collections (measured 10–15 ms before the first round); rented arrays are warm after the first job.
    /// They hold only this node's own shares, so handing them to the next job uncleared reveals nothing; and the pool is
    /// per element type, so no byte buffer that leaves the node (Kestrel, the links) can be handed one of them.
    /// </remarks>
    internal sealed class JobMaterial : IDisposable
    {
        private T[]? _a, _b, _c, _bits;

        internal JobMaterial(int count, int bitCount)
        {
            (_a, _b, _c, _bits) = (Rent(count), Rent(count), Rent(count), Rent(bitCount));
            Triples = new TripleBatch<T>(_a.AsMemory(0, count), _b.AsMemory(0, count), _c.AsMemory(0, count));
            Bits = _bits.AsMemory(0, bitCount);

            static T[] Rent(int length) => length == 0 ? [] : ArrayPool<T>.Shared.Rent(length);
        }

        /// <summary>Copies the agreed batches' triples and bits to the front, setting <see cref="Pooled"/> and <see cref="PooledBits"/>.</summary>
        internal void Fill(List<Batch> used)
        {
            int offset = 0, bitOffset = 0;
            foreach (var batch in used)
            {
                int take = Math.Min(batch.Triples.Count, Triples.Count - offset);
                batch.Triples.A.Span[..take].CopyTo(A[offset..]);
                batch.Triples.B.Span[..take].CopyTo(B[offset..]);
                batch.Triples.C.Span[..take].CopyTo(C[offset..]);
                offset += take;
                int takeBits = Math.Min(batch.Bits.Length, Bits.Length - bitOffset);
                batch.Bits.Span[..takeBits].CopyTo(BitsToFill[bitOffset..]);
                bitOffset += takeBits;
            }
            (Pooled, PooledBits) = (offset, bitOffset);
        }

        internal Span<T> A => _a.AsSpan(0, Triples.Count);

        internal Span<T> B => _b.AsSpan(0, Triples.Count);

        internal Span<T> C => _c.AsSpan(0, Triples.Count);

        internal Span<T> BitsToFill => _bits.AsSpan(0, Bits.Length);

        /// <summary>Exactly the triples asked for.</summary>
        public TripleBatch<T> Triples { get; }

        /// <summary>Exactly the random bits asked for.</summary>
        public ReadOnlyMemory<T> Bits { get; }

        /// <summary>How many of the triples came from the pool (the rest were generated for the job).</summary>
        public int Pooled { get; private set; }

        /// <summary>How many of the bits came from the pool.</summary>
        public int PooledBits { get; private set; }

        /// <summary>Returns the arrays; the engine must be done with <see cref="Triples"/> and <see cref="Bits"/>.</summary>
        public void Dispose()
        {
            foreach (var array in new[] { _a, _b, _c, _bits })
                if (array is { Length: > 0 })
                    ArrayPool<T>.Shared.Return(array);
            _a = _b = _c = _bits = null;
        }
    }

    /// <summary>The session of batch <paramref name="k"/> of <paramref name="epoch"/>.</summary>
    internal static ulong SessionOf(uint epoch, uint k) => SessionBit | ((ulong)(epoch & 0x3FFF_FFFF) << 32) | k;

    private List<Batch> Reserve(int count, int bitCount)
    {
        var reserved = new List<Batch>();
        lock (_gate)
        {
            int triples = 0;
            long bits = 0;
            // Batches carry bits only when PoolBatchBits > 0: then reserve until both needs are covered.
            while ((triples < count || (bits < bitCount && _batchBits > 0)) && _stock.Count > 0)
            {
                var batch = _stock[0];
                _stock.RemoveAt(0);
                reserved.Add(batch);
                triples += batch.Triples.Count;
                bits += batch.Bits.Length;
            }
            Interlocked.Add(ref _level, -triples);
        }
        return reserved;
    }

    private void OnNotice(int peer, ReadOnlyMemory<byte> notice)
    {
        // Only the leader announces; anything else is ignored rather than trusted.
        if (peer == 0 && notice.Length == sizeof(ulong))
            _announced.Writer.TryWrite(BinaryPrimitives.ReadUInt64LittleEndian(notice.Span));
    }

    private async Task LeadAsync()
    {
        var token = _stopping.Token;
        uint epoch = NewEpoch(), k = 0;
        var backoff = TimeSpan.FromMilliseconds(50);
        var running = new Queue<(ulong Session, Task Added)>(BatchesInFlight);
        Task previous = Task.CompletedTask;
        while (!token.IsCancellationRequested)
        {
            int stocked;
            lock (_gate)
                stocked = _stock.Count + running.Count;
            bool full = stocked >= _targetBatches || Volatile.Read(ref _holds) != 0;
            if (running.Count > 0 && (full || running.Count == BatchesInFlight))
            {
                // Wait for the oldest batch; a failure drops it and restarts with a fresh epoch.
                var (oldest, added) = running.Dequeue();
                try
                {
                    await added.ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(50);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    await RecoverAsync(oldest, e).ConfigureAwait(false);
                }
                continue;
            }
            if (full)
            {
                await WaitQuietlyAsync(_wake.WaitAsync(Idle, token)).ConfigureAwait(false);
                continue;
            }
            ulong session = SessionOf(epoch, k++);
            try
            {
                await _transport.WaitForPeersAsync(token).ConfigureAwait(false);
                var notice = new byte[sizeof(ulong)];
                BinaryPrimitives.WriteUInt64LittleEndian(notice, session);
                foreach (int peer in Enumerable.Range(1, _transport.Parties - 1))
                    await _transport.SendControlAsync(peer, notice, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not announced (a peer is down): the batch is not started here.
                await RecoverAsync(session, e).ConfigureAwait(false);
                continue;
            }
            previous = GenerateAsync(session, previous, token);
            running.Enqueue((session, previous));
        }

        async Task RecoverAsync(ulong session, Exception e)
        {
            // Whatever failed, the loop must survive it: the pool retries rather than wedging.
            _log.PoolBatchFailed(session, e.Message);
            // A fresh epoch: followers that still hold parts of the old one can never confuse them.
            (epoch, k) = (NewEpoch(), 0);
            await WaitQuietlyAsync(Task.Delay(backoff, token)).ConfigureAwait(false);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    private async Task FollowAsync()
    {
        var token = _stopping.Token;
        var running = new Queue<(ulong Session, Task Added)>(BatchesInFlight);
        Task previous = Task.CompletedTask;
        try
        {
            await foreach (ulong session in _announced.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                if ((session & SessionBit) == 0 || (session >> 63) != 0)
                    continue;
                if (running.Count == BatchesInFlight)
                    await ObserveAsync(running.Dequeue()).ConfigureAwait(false);
                // The leader announces once its own job is done, while this node may still be recording the same job's outcome
                // or replying to its client: joining now would take the CPU from that tail. The leader's first messages wait here.
                while (Volatile.Read(ref _jobHolds) != 0)
                {
                    await WaitQuietlyAsync(_wake.WaitAsync(Idle, token)).ConfigureAwait(false);
                    // A node stopping with a job still held: the wait returns at once from now on, so leave instead of spinning.
                    token.ThrowIfCancellationRequested();
                }
                previous = GenerateAsync(session, previous, token);
                running.Enqueue((session, previous));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        while (running.Count > 0)
            await ObserveAsync(running.Dequeue()).ConfigureAwait(false);

        async Task ObserveAsync((ulong Session, Task Added) batch)
        {
            try
            {
                await batch.Added.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.PoolBatchFailed(batch.Session, e.Message);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            lock (_gate)
            {
                // The leader counts only its own stock; a follower that lost agreement on old batches
                // must not grow without bound, so its oldest (least likely agreed) batches go first.
                while (_stock.Count > 2 * _targetBatches + 1)
                {
                    Interlocked.Add(ref _level, -_stock[0].Triples.Count);
                    _stock.RemoveAt(0);
                }
            }
        }
    }

    /// <summary>Generates one batch and stocks it once <paramref name="previous"/> (the batch announced before it) is stocked or failed.</summary>
    private async Task GenerateAsync(ulong session, Task previous, CancellationToken token)
    {
        Interlocked.Increment(ref _generating);
        try
        {
            var context = new ProtocolContext<T>(_transport, _threshold, session);
            var triples = await new Dn07TripleSource<T>(context).GenerateAsync(_batchSize, token).ConfigureAwait(false);
            T[] bits = _batchBits == 0 ? [] : await new RandomBitSource<T>(context).GenerateAsync(_batchBits, token).ConfigureAwait(false);
            // Announcement order, whatever order the batches finished in: the stock must list them alike on every node.
            await WaitQuietlyAsync(previous).ConfigureAwait(false);
            lock (_gate)
            {
                _stock.Add(new Batch(session, triples, bits));
                Interlocked.Add(ref _level, triples.Count);
            }
        }
        catch
        {
            _transport.DiscardSession(session);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _generating);
        }
    }

    private static uint NewEpoch() => (uint)RandomNumberGenerator.GetInt32(1, 1 << 30);

    private static async Task WaitQuietlyAsync(Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop checks the token.
        }
        catch (Exception) when (wait.IsFaulted)
        {
            // A previous batch that failed: its owner logs it; the batches after it are still stocked.
        }
    }

    /// <summary>Stops the background generation, waiting briefly for the batch in flight.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        _announced.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
        _wake.Dispose();
    }

    private sealed class Resume(PreprocessingPool<T> pool, bool job) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
                return;
            if (job) Interlocked.Decrement(ref pool._jobHolds);
            Interlocked.Decrement(ref pool._holds);
            // Wake the leader (a job took triples or a pause ended, and the refill it deferred can start now) or a follower
            // that holds an announced batch back until its job is done.
            try
            {
                // One pending release is enough (every waiter re-checks the counters), so the count cannot grow job after job
                // on a follower that never waits.
                if (pool._wake.CurrentCount == 0)
                    pool._wake.Release();
            }
            catch (ObjectDisposedException)
            {
                // The pool stopped first (node shutdown): nothing to wake.
            }
        }
    }

    internal sealed record Batch(ulong Id, TripleBatch<T> Triples, ReadOnlyMemory<T> Bits);
}
