namespace Mpc.Core.Network;

/// <summary>Labels a message so that messages of different jobs or rounds can never be confused.</summary>
/// <param name="Session">The job (or preprocessing batch) the message belongs to; all parties agree on it.</param>
/// <param name="Sequence">
/// The exchange within the session. Every party runs the same deterministic schedule, so the k-th
/// exchange of a session has the same sequence number on every party.
/// </param>
public readonly record struct MessageTag(ulong Session, ulong Sequence)
{
    /// <inheritdoc />
    public override string ToString() => $"{Session}/{Sequence}";
}

/// <summary>Point-to-point authenticated channels from one party to each of the others.</summary>
/// <remarks>
/// Parties are numbered 0..n−1; party i evaluates Shamir polynomials at x = i + 1.
/// Payloads are handed over, not copied: after <see cref="SendAsync"/> the caller must not modify the
/// payload's memory again, and a received payload is owned read-only by the receiver. This lets the
/// in-memory transport pass buffers between parties without copying.
/// Implementations: <see cref="InMemoryNetwork"/> (one process, for tests and the local engine) and the
/// node's gRPC transport (mutual TLS, one stream per peer).
/// </remarks>
public interface ITransport : IAsyncDisposable
{
    /// <summary>This party's index, 0-based.</summary>
    int Party { get; }

    /// <summary>The number of parties n.</summary>
    int Parties { get; }

    /// <summary>Queues a message to <paramref name="peer"/>.</summary>
    /// <exception cref="TransportException">The peer is unreachable or the channel has failed.</exception>
    ValueTask SendAsync(int peer, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Waits for the message with <paramref name="tag"/> from <paramref name="peer"/>.</summary>
    /// <exception cref="TransportException">The peer failed or disconnected before the message arrived.</exception>
    ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(int peer, MessageTag tag, CancellationToken cancellationToken = default);
}

/// <summary>A channel to a peer failed; the message names the peer and the reason, never a payload.</summary>
public sealed class TransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="peer">The peer index, or −1 when not tied to one peer.</param>
    /// <param name="message">A human-readable reason.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public TransportException(int peer, string message, Exception? inner = null) : base(message, inner) => Peer = peer;

    /// <summary>The peer whose channel failed, or −1.</summary>
    public int Peer { get; }
}
