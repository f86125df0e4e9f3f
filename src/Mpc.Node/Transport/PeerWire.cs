using System.Buffers;
using System.Buffers.Binary;
using Grpc.Core;

namespace Mpc.Node.Transport;

/// <summary>One frame of the <c>Peer.Exchange</c> stream: the fields of <c>mpc.peer.v1.PeerFrame</c> without Google.Protobuf.</summary>
/// <remarks>
/// A sender fills one instance per link and reuses it for every frame (writes are serialised by the link's lock and a
/// frame is fully encoded before its write completes). A received frame is fresh; its payload lives either in an array
/// of its own (<see cref="Rented"/> null: a single-chunk message, handed to the receiver as is) or in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>, which <see cref="Release"/> returns once the chunk has been copied into its message.
/// </remarks>
internal sealed class PeerChunk
{
    /// <summary>Field 1 (fixed64): the session of the message.</summary>
    public ulong Session;

    /// <summary>Field 2 (fixed64): the exchange within the session.</summary>
    public ulong Sequence;

    /// <summary>Field 3 (uint32): 0 for the first chunk of a message.</summary>
    public uint Chunk;

    /// <summary>Field 4 (bool): true on the final chunk of a message.</summary>
    public bool Last;

    /// <summary>Field 5 (uint64): the whole message's length, set on chunk 0.</summary>
    public ulong MessageLength;

    /// <summary>Field 6 (bytes): this chunk's slice of the message.</summary>
    public ReadOnlyMemory<byte> Payload;

    /// <summary>The pooled buffer <see cref="Payload"/> lives in, or null when the payload owns its array.</summary>
    public byte[]? Rented;

    /// <summary>Returns the pooled payload buffer, if any; the payload must not be read afterwards.</summary>
    public void Release()
    {
        if (Rented is { } rented)
        {
            Rented = null;
            Payload = default;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>A received frame is not a valid protobuf encoding of <c>PeerFrame</c>.</summary>
internal sealed class PeerWireException(string message) : Exception(message);

/// <summary>The <c>Peer.Exchange</c> method with a hand-written marshaller producing and parsing the protobuf encoding of <c>PeerFrame</c>.</summary>
/// <remarks>
/// <para>Wire-compatible with the <c>Peer</c> service of <c>protos/peer.proto</c> as protoc compiles it (same method path, same bytes;
/// the tests hold it to the generated code, which the node itself does not compile): the encoder
/// writes fields in number order and omits proto3 defaults exactly as Google.Protobuf does; the decoder accepts any
/// valid encoding (fields in any order, repeated scalars last-wins, unknown fields skipped, as protobuf parsers must).</para>
/// <para>Why not the generated marshaller: it allocates a <c>PeerFrame</c>, a <c>ByteString</c> and a fresh payload
/// array per received frame (a 64 KiB gen-0 array per chunk of a big round, which the allocator zeroes), and a
/// <c>PeerFrame</c> per sent frame. Here a sent payload is copied once, straight from the caller's memory into
/// gRPC's output buffer, and a received chunk is copied once out of gRPC's input buffer: into an exact-size array
/// that becomes the message itself for a single-chunk message, or into a pooled buffer that the assembler copies
/// into the message buffer and returns.</para>
/// </remarks>
internal static class PeerWire
{
    private const byte SessionKey = (1 << 3) | 1, SequenceKey = (2 << 3) | 1, ChunkKey = 3 << 3, LastKey = 4 << 3, LengthKey = 5 << 3, PayloadKey = (6 << 3) | 2;

    /// <summary>The header's largest encoding: two fixed64 fields, two varints (≤ 10 bytes each), a bool and the payload's key and length.</summary>
    private const int MaxHeaderBytes = 9 + 9 + 11 + 2 + 11 + 1 + 5;

    /// <summary>The marshaller of <see cref="PeerChunk"/> in both directions.</summary>
    public static readonly Marshaller<PeerChunk> Marshaller = Marshallers.Create<PeerChunk>(Serialize, Deserialize);

    /// <summary><c>/mpc.peer.v1.Peer/Exchange</c>, bidirectional streaming, as declared in <c>protos/peer.proto</c>.</summary>
    public static readonly Method<PeerChunk, PeerChunk> Exchange = new(MethodType.DuplexStreaming, "mpc.peer.v1.Peer", "Exchange", Marshaller, Marshaller);

    /// <summary>The encoded size of <paramref name="frame"/> in bytes.</summary>
    public static int Size(PeerChunk frame)
    {
        int payload = frame.Payload.Length;
        return (frame.Session != 0 ? 9 : 0) + (frame.Sequence != 0 ? 9 : 0)
            + (frame.Chunk != 0 ? 1 + VarintSize(frame.Chunk) : 0) + (frame.Last ? 2 : 0)
            + (frame.MessageLength != 0 ? 1 + VarintSize(frame.MessageLength) : 0)
            + (payload != 0 ? 1 + VarintSize((ulong)payload) + payload : 0);
    }

    /// <summary>Writes the protobuf encoding of <paramref name="frame"/> to <paramref name="output"/>.</summary>
    public static void Write(PeerChunk frame, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(MaxHeaderBytes);
        int at = 0;
        if (frame.Session != 0)
        {
            span[at] = SessionKey;
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 1)..], frame.Session);
            at += 9;
        }
        if (frame.Sequence != 0)
        {
            span[at] = SequenceKey;
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 1)..], frame.Sequence);
            at += 9;
        }
        if (frame.Chunk != 0)
        {
            span[at++] = ChunkKey;
            at += WriteVarint(span[at..], frame.Chunk);
        }
        if (frame.Last)
        {
            span[at++] = LastKey;
            span[at++] = 1;
        }
        if (frame.MessageLength != 0)
        {
            span[at++] = LengthKey;
            at += WriteVarint(span[at..], frame.MessageLength);
        }
        var payload = frame.Payload.Span;
        if (payload.Length != 0)
        {
            span[at++] = PayloadKey;
            at += WriteVarint(span[at..], (ulong)payload.Length);
        }
        output.Advance(at);
        while (payload.Length != 0)
        {
            var target = output.GetSpan();
            int n = Math.Min(target.Length, payload.Length);
            payload[..n].CopyTo(target);
            output.Advance(n);
            payload = payload[n..];
        }
    }

    /// <summary>Parses one encoded frame.</summary>
    /// <exception cref="PeerWireException">The bytes are not a valid encoding of <c>PeerFrame</c>; the message says where.</exception>
    public static PeerChunk Read(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        var frame = new PeerChunk();
        try
        {
            while (!reader.End)
            {
                long at = reader.Consumed;
                ulong key = ReadVarint(ref reader, at);
                switch (key)
                {
                    case SessionKey:
                        frame.Session = ReadFixed64(ref reader, at);
                        break;
                    case SequenceKey:
                        frame.Sequence = ReadFixed64(ref reader, at);
                        break;
                    case ChunkKey:
                        frame.Chunk = (uint)ReadVarint(ref reader, at); // protobuf truncates a wider varint for a uint32 field
                        break;
                    case LastKey:
                        frame.Last = ReadVarint(ref reader, at) != 0;
                        break;
                    case LengthKey:
                        frame.MessageLength = ReadVarint(ref reader, at);
                        break;
                    case PayloadKey:
                        ReadPayload(ref reader, frame, at);
                        break;
                    default:
                        Skip(ref reader, key, at);
                        break;
                }
            }
        }
        catch
        {
            frame.Release();
            throw;
        }
        return frame;
    }

    private static void Serialize(PeerChunk frame, SerializationContext context)
    {
        // A known length lets gRPC write the message prefix first and hand out its own output buffer: one copy of the payload.
        context.SetPayloadLength(Size(frame));
        Write(frame, context.GetBufferWriter());
        context.Complete();
    }

    private static PeerChunk Deserialize(DeserializationContext context) => Read(context.PayloadAsReadOnlySequence());

    private static void ReadPayload(ref SequenceReader<byte> reader, PeerChunk frame, long at)
    {
        ulong length = ReadVarint(ref reader, at);
        if (length > (ulong)reader.Remaining)
            throw new PeerWireException($"PeerFrame field payload at byte {at} declares {length} bytes but only {reader.Remaining} follow");
        frame.Release(); // a repeated field: the last occurrence wins
        int n = (int)length;
        if (n == 0)
        {
            frame.Payload = default;
            return;
        }
        // gRPC has already bounded n by the method's receive limit. A single-chunk message (as far as the fields read so far
        // tell) gets an array of its own that becomes the message; other chunks are staged in a pooled buffer.
        byte[] target;
        if (frame.Chunk == 0 && frame.Last)
            target = GC.AllocateUninitializedArray<byte>(n);
        else
            frame.Rented = target = ArrayPool<byte>.Shared.Rent(n);
        reader.TryCopyTo(target.AsSpan(0, n));
        reader.Advance(n);
        frame.Payload = new ReadOnlyMemory<byte>(target, 0, n);
    }

    private static void Skip(ref SequenceReader<byte> reader, ulong key, long at)
    {
        if (key >> 3 == 0)
            throw new PeerWireException($"PeerFrame has field number 0 at byte {at}");
        switch ((int)(key & 7))
        {
            case 0:
                ReadVarint(ref reader, at);
                break;
            case 1:
                SkipBytes(ref reader, 8, at);
                break;
            case 2:
                SkipBytes(ref reader, ReadVarint(ref reader, at), at);
                break;
            case 5:
                SkipBytes(ref reader, 4, at);
                break;
            default:
                // Groups (3, 4) are a proto2 construct PeerFrame never had; 6 and 7 are not wire types.
                throw new PeerWireException($"PeerFrame field {key >> 3} at byte {at} has unsupported wire type {key & 7}");
        }
    }

    private static void SkipBytes(ref SequenceReader<byte> reader, ulong count, long at)
    {
        if (count > (ulong)reader.Remaining)
            throw new PeerWireException($"PeerFrame field at byte {at} is truncated: it needs {count} bytes, {reader.Remaining} remain");
        reader.Advance((long)count);
    }

    private static ulong ReadFixed64(ref SequenceReader<byte> reader, long at)
    {
        if (!reader.TryReadLittleEndian(out long value))
            throw new PeerWireException($"PeerFrame fixed64 field at byte {at} is truncated");
        return (ulong)value;
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader, long at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (!reader.TryRead(out byte b))
                throw new PeerWireException($"PeerFrame varint at byte {at} is truncated");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new PeerWireException($"PeerFrame varint at byte {at} is longer than 10 bytes");
    }

    private static int VarintSize(ulong value) => (70 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7;

    private static int WriteVarint(Span<byte> target, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            target[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        target[i++] = (byte)value;
        return i;
    }
}
