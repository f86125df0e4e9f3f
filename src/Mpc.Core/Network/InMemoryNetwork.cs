namespace Mpc.Core.Network;

/// <summary>
/// Connects n parties inside one process: for tests, benchmarks and the local engine (<c>mpc run</c>).
/// </summary>
/// <remarks>
/// Each party has one mailbox keyed by (sender, tag). A message that arrives before its receive is
/// parked; a receive that comes first parks a waiter that the send completes. Payloads are handed
/// over by reference (no copy), as <see cref="ITransport"/> allows. A second message with the same
/// (sender, tag) while the first is still unread is an error, as is a second concurrent receive for it.
/// When a party is disposed or <see cref="InMemoryTransport.Abort"/>ed, every pending and future
/// receive from it (of a message not already delivered) throws <see cref="TransportException"/> at once.
/// </remarks>
public static partial class InMemoryNetwork
{
    /// <summary>Creates a fully connected network of <paramref name="parties"/> transports; element i is party i.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one party.</exception>
    public static InMemoryTransport[] Create(int parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 1);
        var hub = new Hub(parties);
        var transports = new InMemoryTransport[parties];
        for (int i = 0; i < parties; i++) transports[i] = new InMemoryTransport(hub, i);
        return transports;
    }

    /// <summary>The shared state of one in-memory network: a mailbox per party and who has left.</summary>
    internal sealed class Hub
    {
        private readonly Mailbox[] _mailboxes;
        private readonly string?[] _failed;

        public Hub(int parties)
        {
            Parties = parties;
            _mailboxes = new Mailbox[parties];
            for (int i = 0; i < parties; i++) _mailboxes[i] = new Mailbox();
            _failed = new string?[parties];
        }

        public int Parties { get; }

        public bool HasFailed(int party) => Volatile.Read(ref _failed[party]) is not null;

        public void Deliver(int from, int to, MessageTag tag, ReadOnlyMemory<byte> payload)
        {
            if (Volatile.Read(ref _failed[to]) is { } reason)
                throw new TransportException(to, $"Party {from} cannot send {tag} to party {to}: party {to} has left ({reason}).");
            Waiter? waiter = null;
            Mailbox box = _mailboxes[to];
            lock (box)
            {
                if (box.Entries.Remove((from, tag), out Entry entry))
                {
                    if (entry.Waiter is null)
                    {
                        box.Entries.Add((from, tag), entry); // keep the first message; the duplicate is refused
                        throw new TransportException(to, $"Party {from} sent message {tag} to party {to} twice.");
                    }
                    waiter = entry.Waiter;
                }
                else
                {
                    box.Entries.Add((from, tag), new Entry(payload, null));
                }
            }
            // Complete outside the lock; continuations run asynchronously so the receiver's protocol
            // code never runs on (and blocks) the sender's thread.
            waiter?.Deliver(payload);
        }

        public ValueTask<ReadOnlyMemory<byte>> Take(int to, int from, MessageTag tag, CancellationToken cancellationToken)
        {
            Mailbox box = _mailboxes[to];
            Waiter waiter;
            lock (box)
            {
                if (box.Entries.TryGetValue((from, tag), out Entry entry))
                {
                    if (entry.Waiter is not null)
                        throw new TransportException(from, $"Party {to} is already waiting for message {tag} from party {from}.");
                    box.Entries.Remove((from, tag));
                    return new ValueTask<ReadOnlyMemory<byte>>(entry.Payload);
                }
                if (Volatile.Read(ref _failed[from]) is { } reason)
                    return ValueTask.FromException<ReadOnlyMemory<byte>>(PeerLeft(to, from, tag, reason));
                if (Volatile.Read(ref _failed[to]) is { } own)
                    return ValueTask.FromException<ReadOnlyMemory<byte>>(new TransportException(-1, $"Party {to} has left ({own}) and cannot receive {tag}."));
                if (cancellationToken.IsCancellationRequested)
                    return ValueTask.FromCanceled<ReadOnlyMemory<byte>>(cancellationToken);
                waiter = new Waiter(from, tag);
                box.Entries.Add((from, tag), new Entry(default, waiter));
            }
            if (cancellationToken.CanBeCanceled)
                waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var (box, waiter) = ((Mailbox, Waiter))state!;
                    lock (box)
                    {
                        if (box.Entries.TryGetValue((waiter.From, waiter.Tag), out Entry e) && e.Waiter == waiter)
                            box.Entries.Remove((waiter.From, waiter.Tag));
                    }
                    waiter.TrySetCanceled(token);
                }, (box, waiter));
            return new ValueTask<ReadOnlyMemory<byte>>(waiter.Task);
        }

        public void Fail(int party, string reason)
        {
            if (Interlocked.CompareExchange(ref _failed[party], reason, null) is not null) return;
            var orphans = new List<(Waiter Waiter, int To)>();
            for (int to = 0; to < _mailboxes.Length; to++)
            {
                Mailbox box = _mailboxes[to];
                lock (box)
                {
                    int first = orphans.Count;
                    foreach (var (key, entry) in box.Entries)
                        if (entry.Waiter is not null && (key.From == party || to == party))
                            orphans.Add((entry.Waiter, to));
                    for (int k = first; k < orphans.Count; k++)
                        box.Entries.Remove((orphans[k].Waiter.From, orphans[k].Waiter.Tag));
                }
            }
            foreach (var (waiter, to) in orphans)
                waiter.Fail(to == party
                    ? new TransportException(-1, $"Party {to} has left ({reason}) while waiting for {waiter.Tag} from party {waiter.From}.")
                    : PeerLeft(to, waiter.From, waiter.Tag, reason));
        }

        private static TransportException PeerLeft(int to, int from, MessageTag tag, string reason) =>
            new(from, $"Party {to} cannot receive {tag} from party {from}: party {from} has left ({reason}).");
    }

    private sealed class Mailbox
    {
        public readonly Dictionary<(int From, MessageTag Tag), Entry> Entries = new();
    }

    private readonly record struct Entry(ReadOnlyMemory<byte> Payload, Waiter? Waiter);

    private sealed class Waiter(int from, MessageTag tag)
        : TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int From { get; } = from;
        public MessageTag Tag { get; } = tag;
        public CancellationTokenRegistration Registration { get; set; }

        public void Deliver(ReadOnlyMemory<byte> payload)
        {
            Registration.Unregister();
            TrySetResult(payload);
        }

        public void Fail(Exception error)
        {
            Registration.Unregister();
            TrySetException(error);
        }
    }
}

/// <summary>One party's endpoint of an <see cref="InMemoryNetwork"/>.</summary>
public sealed class InMemoryTransport : ITransport
{
    private readonly InMemoryNetwork.Hub _hub;

    internal InMemoryTransport(InMemoryNetwork.Hub hub, int party)
    {
        _hub = hub;
        Party = party;
    }

    /// <inheritdoc />
    public int Party { get; }

    /// <inheritdoc />
    public int Parties => _hub.Parties;

    /// <inheritdoc />
    public ValueTask SendAsync(int peer, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        CheckPeer(peer);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        ObjectDisposedException.ThrowIf(_hub.HasFailed(Party), this);
        _hub.Deliver(Party, peer, tag, payload);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(int peer, MessageTag tag, CancellationToken cancellationToken = default)
    {
        CheckPeer(peer);
        return _hub.Take(Party, peer, tag, cancellationToken);
    }

    /// <summary>
    /// Simulates a crash: this party leaves the network, and every pending or future receive of
    /// another party from it (of a message not yet delivered) fails with <see cref="TransportException"/>.
    /// </summary>
    /// <param name="reason">Why the party left; appears in the other parties' exceptions.</param>
    public void Abort(string reason) => _hub.Fail(Party, reason);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _hub.Fail(Party, "transport disposed");
        return ValueTask.CompletedTask;
    }

    private void CheckPeer(int peer)
    {
        if ((uint)peer >= (uint)Parties || peer == Party)
            throw new ArgumentOutOfRangeException(nameof(peer), peer, $"Peer must be another party in [0, {Parties}); this is party {Party}.");
    }
}
