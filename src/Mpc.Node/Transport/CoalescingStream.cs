namespace Mpc.Node.Transport;

/// <summary>
/// Sits between a link's <see cref="System.Net.Security.SslStream"/> and its socket and, once <see cref="Coalescing"/> is on,
/// gathers the TLS records of one frame so that <see cref="FlushAsync(CancellationToken)"/> sends them in one write. Reads pass through.
/// </summary>
/// <remarks>
/// <para>SslStream writes a large message as one 16 KiB record after another, each with its own socket write. On loopback
/// every write runs the receiver's TCP path and may wake its reader, so a 171 KB Beaver round (100 copies of an AES layer)
/// cost eleven sends and as many wake-ups on each side; gathered, the receiver finds the whole frame in its socket
/// buffer and reads it without waiting.</para>
/// <para>Off during the handshake, whose flights SslStream writes without flushing. Writes come from one writer at a time
/// (the link's write lock), as SslStream requires anyway.</para>
/// </remarks>
internal sealed class CoalescingStream(Stream inner, int capacity) : Stream
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _count;

    /// <summary>Whether writes are gathered until a flush (false: written through).</summary>
    public bool Coalescing { get; set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Coalescing || buffer.Length > _buffer.Length - _count)
        {
            Drain();
            if (!Coalescing || buffer.Length > _buffer.Length)
            {
                inner.Write(buffer);
                return;
            }
        }
        buffer.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Coalescing || buffer.Length > _buffer.Length - _count)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            if (!Coalescing || buffer.Length > _buffer.Length)
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        buffer.Span.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
    }

    public override void Flush()
    {
        Drain();
        inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Drain()
    {
        if (_count == 0)
            return;
        int count = _count;
        _count = 0;
        inner.Write(_buffer, 0, count);
    }

    private ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_count == 0)
            return ValueTask.CompletedTask;
        int count = _count;
        _count = 0;
        return inner.WriteAsync(_buffer.AsMemory(0, count), cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
