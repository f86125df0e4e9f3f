using Grpc.Core;
using Mpc.Core.Network;

namespace Mpc.Node.Transport;

/// <summary>A peer broke the framing rules; the stream is closed with <see cref="Code"/>.</summary>
internal sealed class FrameException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;
}

/// <summary>Reassembles the chunks read from one peer stream into messages, enforcing the framing rules.</summary>
/// <remarks>
/// Rules (see <c>protos/peer.proto</c>): chunks of a message arrive consecutively with indices 0, 1, …;
/// chunk 0 declares the total length, which must not exceed the limit; no chunk may overrun the declared
/// length; the last chunk completes it exactly; only the last chunk may be empty. A single-chunk message
/// is handed over without copying when its payload owns its array (<see cref="PeerChunk.Rented"/> null, as
/// <see cref="PeerWire"/> decodes one); longer ones are copied once into a buffer allocated at the declared size.
/// The caller releases each chunk's pooled buffer after <see cref="Add"/>.
/// One assembler per stream, used by that stream's reading loop only.
/// </remarks>
internal sealed class MessageAssembler(int maxMessageBytes)
{
    private MessageTag _tag;
    private byte[]? _buffer;
    private int _filled;
    private uint _next;

    /// <summary>Adds a chunk; true with the message when it completes one.</summary>
    /// <exception cref="FrameException">The chunk breaks the framing rules.</exception>
    public bool Add(PeerChunk frame, out MessageTag tag, out ReadOnlyMemory<byte> message)
    {
        tag = new MessageTag(frame.Session, frame.Sequence);
        message = default;
        var payload = frame.Payload;
        if (_buffer is null)
        {
            if (frame.Chunk != 0)
                throw new FrameException(StatusCode.InvalidArgument, $"chunk {frame.Chunk} of message {tag} arrived without chunk 0");
            if (frame.MessageLength > (ulong)maxMessageBytes)
                throw new FrameException(StatusCode.ResourceExhausted, $"message {tag} declares {frame.MessageLength} bytes, over the limit of {maxMessageBytes}");
            int total = (int)frame.MessageLength;
            if (payload.Length > total)
                throw new FrameException(StatusCode.InvalidArgument, $"chunk 0 of message {tag} carries {payload.Length} bytes, more than the declared {total}");
            if (frame.Last)
            {
                if (payload.Length != total)
                    throw new FrameException(StatusCode.InvalidArgument, $"message {tag} declares {total} bytes but its only chunk carries {payload.Length}");
                message = frame.Rented is null ? payload : payload.ToArray();
                return true;
            }
            if (payload.Length == 0)
                throw new FrameException(StatusCode.InvalidArgument, $"chunk 0 of message {tag} is empty but not the last");
            _buffer = GC.AllocateUninitializedArray<byte>(total);
            payload.Span.CopyTo(_buffer);
            _filled = payload.Length;
            _tag = tag;
            _next = 1;
            return false;
        }
        if (tag != _tag)
            throw new FrameException(StatusCode.InvalidArgument, $"a chunk of message {tag} interleaves unfinished message {_tag}");
        if (frame.Chunk != _next)
            throw new FrameException(StatusCode.InvalidArgument, $"chunk {frame.Chunk} of message {tag} is out of order (expected {_next})");
        if (payload.Length > _buffer.Length - _filled)
            throw new FrameException(StatusCode.InvalidArgument, $"chunk {frame.Chunk} of message {tag} overruns the declared {_buffer.Length} bytes");
        if (payload.Length == 0 && !frame.Last)
            throw new FrameException(StatusCode.InvalidArgument, $"chunk {frame.Chunk} of message {tag} is empty but not the last");
        payload.Span.CopyTo(_buffer.AsSpan(_filled));
        _filled += payload.Length;
        _next++;
        if (!frame.Last)
            return false;
        if (_filled != _buffer.Length)
            throw new FrameException(StatusCode.InvalidArgument, $"message {tag} ended after {_filled} of its declared {_buffer.Length} bytes");
        message = _buffer;
        _buffer = null;
        return true;
    }
}
