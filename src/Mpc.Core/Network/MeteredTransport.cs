namespace Mpc.Core.Network;

/// <summary>Counts what a party sends, for benchmarks and job statistics; forwards everything unchanged.</summary>
public sealed class MeteredTransport : ITransport
{
    private readonly ITransport _inner;
    private long _bytesSent, _messagesSent;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public MeteredTransport(ITransport inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Payload bytes sent so far (framing excluded).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Messages sent so far.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <inheritdoc />
    public int Party => _inner.Party;

    /// <inheritdoc />
    public int Parties => _inner.Parties;

    /// <inheritdoc />
    public ValueTask SendAsync(int peer, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _bytesSent, payload.Length);
        Interlocked.Increment(ref _messagesSent);
        return _inner.SendAsync(peer, tag, payload, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(int peer, MessageTag tag, CancellationToken cancellationToken = default) =>
        _inner.ReceiveAsync(peer, tag, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
