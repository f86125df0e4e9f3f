using Mpc.Node.Transport;

namespace Mpc.Node.Tests.Transport;

/// <summary>The write gatherer under the peer links' TLS: what reaches the socket, and when.</summary>
public sealed class CoalescingStreamTests
{
    /// <summary>Records each write that reaches the "socket" as one chunk.</summary>
    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public byte[] ToArray() => [.. Writes.SelectMany(w => w)];

        public override void Write(ReadOnlySpan<byte> buffer) => Writes.Add(buffer.ToArray());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static byte[] Bytes(int count, int seed) => Enumerable.Range(0, count).Select(i => (byte)(i * 31 + seed)).ToArray();

    [Fact]
    public async Task WritesPassThroughUntilCoalescingIsOn()
    {
        var socket = new RecordingStream();
        var wire = new CoalescingStream(socket, 64);
        await wire.WriteAsync(Bytes(10, 1));
        wire.Write(Bytes(5, 2));
        Assert.Equal([10, 5], socket.Writes.Select(w => w.Length));
    }

    [Fact]
    public async Task RecordsOfOneFrameLeaveInOneWriteAtTheFlush_InOrder()
    {
        var socket = new RecordingStream();
        var wire = new CoalescingStream(socket, 64) { Coalescing = true };
        byte[] a = Bytes(20, 1), b = Bytes(30, 2);
        await wire.WriteAsync(a);
        await wire.WriteAsync(b);
        Assert.Empty(socket.Writes);
        await wire.FlushAsync();
        Assert.Equal([.. a, .. b], Assert.Single(socket.Writes));
        await wire.FlushAsync(); // nothing gathered: nothing written
        Assert.Single(socket.Writes);
    }

    [Fact]
    public async Task AFullBufferIsSentFirst_AndAWriteLargerThanTheBufferGoesStraightThrough()
    {
        var socket = new RecordingStream();
        var wire = new CoalescingStream(socket, 64) { Coalescing = true };
        byte[] a = Bytes(40, 1), b = Bytes(40, 2), big = Bytes(100, 3), tail = Bytes(3, 4);
        await wire.WriteAsync(a);
        await wire.WriteAsync(b);   // does not fit beside a: a leaves first
        await wire.WriteAsync(big); // over the capacity: b leaves, then big itself
        wire.Write(tail);
        wire.Flush();
        Assert.Equal([a, b, big, tail], socket.Writes);
        Assert.Equal([.. a, .. b, .. big, .. tail], socket.ToArray());
    }

    [Fact]
    public async Task ReadsPassThrough()
    {
        var data = Bytes(50, 7);
        var wire = new CoalescingStream(new MemoryStream(data), 16) { Coalescing = true };
        var read = new byte[50];
        await wire.ReadExactlyAsync(read);
        Assert.Equal(data, read);
    }
}
