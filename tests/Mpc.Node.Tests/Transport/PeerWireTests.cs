using System.Buffers;
using FsCheck;
using FsCheck.Xunit;
using Google.Protobuf;
using Grpc.Core;
using Mpc.Core.Network;
using Mpc.Node.Protos;
using Mpc.Node.Transport;

namespace Mpc.Node.Tests.Transport;

/// <summary>The hand-written <see cref="PeerWire"/> marshaller against Google.Protobuf's own encoding of <see cref="PeerFrame"/>.</summary>
public sealed class PeerWireTests
{
    /// <summary>Spreads FsCheck's small integers over the whole range, so multi-byte varints and fixed64 high bytes occur.</summary>
    private static ulong Wide(ulong x, byte shift) => x << (shift % 64);

    private static PeerFrame Generated(ulong session, ulong sequence, uint chunk, bool last, ulong length, byte[] payload) =>
        new() { Session = session, Sequence = sequence, Chunk = chunk, Last = last, MessageLength = length, Payload = ByteString.CopyFrom(payload) };

    private static byte[] Encode(PeerChunk frame)
    {
        var output = new ArrayBufferWriter<byte>();
        PeerWire.Write(frame, output);
        Assert.Equal(PeerWire.Size(frame), output.WrittenCount);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The bytes as a sequence of segments of <paramref name="segment"/> bytes, as a pipe hands a frame over.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segment)
    {
        if (bytes.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        Segment first = new(bytes.AsMemory(0, Math.Min(segment, bytes.Length)), 0), last = first;
        for (int at = segment; at < bytes.Length; at += segment)
            last = last.Append(bytes.AsMemory(at, Math.Min(segment, bytes.Length - at)));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index) => (Memory, RunningIndex) = (memory, index);

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private static void AssertSame(PeerFrame expected, PeerChunk actual)
    {
        Assert.Equal(expected.Session, actual.Session);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Chunk, actual.Chunk);
        Assert.Equal(expected.Last, actual.Last);
        Assert.Equal(expected.MessageLength, actual.MessageLength);
        Assert.True(expected.Payload.Span.SequenceEqual(actual.Payload.Span));
    }

    [Property(MaxTest = 300)]
    public void Encoding_IsGoogleProtobufs_ByteForByte(ulong session, byte s1, ulong sequence, byte s2, uint chunk, bool last, ulong length, byte s3, byte[] payload)
    {
        payload ??= [];
        var expected = Generated(Wide(session, s1), Wide(sequence, s2), chunk * 2654435761u, last, Wide(length, s3), payload);
        var frame = new PeerChunk
        {
            Session = expected.Session, Sequence = expected.Sequence, Chunk = expected.Chunk, Last = last,
            MessageLength = expected.MessageLength, Payload = payload,
        };
        var bytes = Encode(frame);
        Assert.Equal(expected.ToByteArray(), bytes);
        Assert.Equal(expected, PeerFrame.Parser.ParseFrom(bytes));
    }

    [Property(MaxTest = 300)]
    public void Decoding_GoogleProtobufsEncoding_InAnySegmentation_GivesTheFrame(ulong session, byte s1, ulong sequence, uint chunk, bool last, ulong length, byte[] payload, PositiveInt segment)
    {
        payload ??= [];
        var expected = Generated(Wide(session, s1), sequence, chunk, last, length, payload);
        var frame = PeerWire.Read(Segmented(expected.ToByteArray(), segment.Get));
        AssertSame(expected, frame);
        // Only a single-chunk message's payload owns its array (it becomes the message); other chunks are staged in a pooled buffer.
        Assert.Equal(payload.Length != 0 && !(chunk == 0 && last), frame.Rented is not null);
        frame.Release();
        Assert.Null(frame.Rented);
    }

    [Fact]
    public void Decoding_AcceptsWhatAnyProtobufWriterMayProduce()
    {
        // Fields out of order, a field repeated (last wins), unknown fields of every skippable wire type.
        var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        writer.WriteTag(6, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFrom(9, 9, 9, 9));
        writer.WriteTag(99, WireFormat.WireType.Varint);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteTag(4, WireFormat.WireType.Varint);
        writer.WriteBool(true);
        writer.WriteTag(100, WireFormat.WireType.Fixed32);
        writer.WriteFixed32(7);
        writer.WriteTag(2, WireFormat.WireType.Fixed64);
        writer.WriteFixed64(5);
        writer.WriteTag(101, WireFormat.WireType.LengthDelimited);
        writer.WriteString("ignored");
        writer.WriteTag(102, WireFormat.WireType.Fixed64);
        writer.WriteFixed64(1);
        writer.WriteTag(1, WireFormat.WireType.Fixed64);
        writer.WriteFixed64(3);
        writer.WriteTag(6, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFrom(1, 2, 3));
        writer.WriteTag(5, WireFormat.WireType.Varint);
        writer.WriteUInt64(3);
        writer.Flush();
        var bytes = output.ToArray();

        var expected = PeerFrame.Parser.ParseFrom(bytes);
        var known = new PeerFrame { Session = expected.Session, Sequence = expected.Sequence, Chunk = expected.Chunk, Last = expected.Last, MessageLength = expected.MessageLength, Payload = expected.Payload };
        Assert.Equal(new PeerFrame { Session = 3, Sequence = 5, Last = true, MessageLength = 3, Payload = ByteString.CopyFrom(1, 2, 3) }, known);
        var frame = PeerWire.Read(new ReadOnlySequence<byte>(bytes));
        AssertSame(expected, frame);

        // A single-chunk message decoded this way is still a well-formed message for the assembler.
        Assert.True(new MessageAssembler(1 << 20).Add(frame, out var tag, out var message));
        Assert.Equal(new MessageTag(3, 5), tag);
        frame.Release();
        Assert.Equal(new byte[] { 1, 2, 3 }, message.ToArray());
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "truncated varint", [0x18, 0x80], "varint at byte 0 is truncated" },
        { "overlong varint", [0x28, .. Enumerable.Repeat((byte)0xFF, 10), 0x01], "varint at byte 0 is longer than 10 bytes" },
        { "truncated fixed64", [0x09, 1, 2, 3], "fixed64 field at byte 0 is truncated" },
        { "payload past the end", [0x20, 0x01, 0x32, 0x05, 1, 2], "payload at byte 2 declares 5 bytes but only 2 follow" },
        { "truncated unknown field", [0x3A, 0x04, 1], "field at byte 0 is truncated" },
        { "group wire type", [0x3B], "field 7 at byte 0 has unsupported wire type 3" },
        { "field number 0", [0x00, 0x01], "field number 0 at byte 0" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBytes_AreRefused_NamingWhatAndWhere(string what, byte[] bytes, string expected)
    {
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => PeerFrame.Parser.ParseFrom(bytes)); // Google.Protobuf refuses them too
        var e = Assert.Throws<PeerWireException>(() => PeerWire.Read(new ReadOnlySequence<byte>(bytes)));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public async Task UndecodableFrame_ClosesTheStreamWithInvalidArgument()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(1);
        using var channel = cluster.Channel(1, cluster.Identities[0]);
        var raw = Marshallers.Create<byte[]>((bytes, context) => context.Complete(bytes), context => context.PayloadAsNewBuffer());
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, PeerWire.Exchange.ServiceName, PeerWire.Exchange.Name, raw, raw);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions());
        await call.ResponseHeadersAsync;
        try
        {
            await call.RequestStream.WriteAsync([0x09, 1, 2, 3]);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The server may reset the stream first; the status is what counts.
        }
        var status = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("fixed64 field at byte 0 is truncated", status.Status.Detail, StringComparison.Ordinal);
    }
}
