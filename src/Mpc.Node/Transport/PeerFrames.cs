using System.Buffers.Binary;
using Mpc.Core.Network;

namespace Mpc.Node.Transport;

/// <summary>A peer broke the framing rules (or its buffering budget); its link is closed and the reason logged.</summary>
internal sealed class FrameException(string message) : Exception(message);

/// <summary>The peer link's wire format: each message is one frame, a fixed 20-byte header followed by the payload.</summary>
/// <remarks>
/// <para>Header, little-endian: payload length (uint32), session (uint64), sequence (uint64). A message is never split:
/// TLS already cuts the byte stream into records, so chunking on top would only add a reassembly copy, and the receiver
/// reads the payload straight into the array it hands to the protocol. The length is checked against
/// <see cref="NodeOptions.MaxMessageBytes"/> before anything is allocated.</para>
/// <para>The three highest sessions are the link's own: <see cref="HelloSession"/> (the acceptor's index, 4 bytes, sent once
/// when it accepts), <see cref="RefusalSession"/> (a UTF-8 reason, sent instead of hello, then the acceptor closes) and
/// <see cref="PingSession"/> (empty, sent every <see cref="NodeOptions.KeepAliveInterval"/> so a silent peer is noticed).</para>
/// </remarks>
internal static class PeerFrames
{
    /// <summary>Bytes of the header in front of every payload.</summary>
    public const int HeaderBytes = 20;

    /// <summary>Session of the keep-alive frame (no payload).</summary>
    public const ulong PingSession = ulong.MaxValue;

    /// <summary>Session of the acceptor's greeting: its index as a little-endian int32.</summary>
    public const ulong HelloSession = ulong.MaxValue - 1;

    /// <summary>Session of the acceptor's refusal: a UTF-8 reason.</summary>
    public const ulong RefusalSession = ulong.MaxValue - 2;

    /// <summary>The lowest session the link reserves for itself; protocol messages use sessions below it.</summary>
    public const ulong FirstReservedSession = RefusalSession;

    /// <summary>Writes the header of a frame carrying <paramref name="length"/> payload bytes for <paramref name="tag"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int length, MessageTag tag)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, checked((uint)length));
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], tag.Session);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[12..], tag.Sequence);
    }

    /// <summary>Reads a header: the payload length (not yet checked against any limit) and the tag.</summary>
    public static (uint Length, MessageTag Tag) ReadHeader(ReadOnlySpan<byte> header) =>
        (BinaryPrimitives.ReadUInt32LittleEndian(header),
         new MessageTag(BinaryPrimitives.ReadUInt64LittleEndian(header[4..]), BinaryPrimitives.ReadUInt64LittleEndian(header[12..])));
}
