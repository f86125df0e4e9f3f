using Mpc.Core.Network;

namespace Mpc.Core.Tests.Support;

/// <summary>Passes every call to <c>inner</c> and keeps a copy of each sent message with its receiver and tag.</summary>
public sealed class RecordingTransport(ITransport inner) : ITransport
{
    private readonly List<(int Peer, MessageTag Tag, ReadOnlyMemory<byte> Payload)> _sent = [];

    /// <summary>The messages sent so far, in sending order.</summary>
    public IReadOnlyList<(int Peer, MessageTag Tag, ReadOnlyMemory<byte> Payload)> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public int Party => inner.Party;

    public int Parties => inner.Parties;

    public ValueTask SendAsync(int peer, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        lock (_sent) _sent.Add((peer, tag, payload.ToArray()));
        return inner.SendAsync(peer, tag, payload, cancellationToken);
    }

    public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(int peer, MessageTag tag, CancellationToken cancellationToken = default) =>
        inner.ReceiveAsync(peer, tag, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
