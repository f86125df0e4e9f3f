using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mpc.Core.Fields;

namespace Mpc.Core.Network;

/// <summary>
/// Packs vectors of field elements into message payloads (fixed-width little-endian, as
/// <see cref="IField{T}.Write"/>) and unpacks them, without copying when the in-memory layout of
/// <typeparamref name="T"/> already is the wire format.
/// </summary>
/// <remarks>
/// The direct (zero-copy) path is taken when <c>sizeof(T) == ByteLength</c>, the machine is
/// little-endian and a probe element's memory equals its <see cref="IField{T}.Write"/> encoding
/// (true for <c>Fp61</c>, a blittable 8-byte struct). Decoding always checks the length, and that
/// every element of bytes from outside the process is canonical (<see cref="IField{T}.TryRead"/>),
/// so a tampered frame cannot smuggle a non-reduced value into the arithmetic.
/// </remarks>
public static class FieldCodec<T> where T : struct, IField<T>
{
    /// <summary>Whether payloads alias element memory (no copy in either direction).</summary>
    public static bool IsDirect { get; } = ProbeDirect();

    /// <summary>Payload size for <paramref name="count"/> elements.</summary>
    public static int ByteCount(int count) => checked(count * T.ByteLength);

    /// <summary>
    /// A payload holding <paramref name="values"/>. On the direct path it aliases them, so the caller
    /// hands the memory over with the message and must not modify it afterwards.
    /// </summary>
    public static ReadOnlyMemory<byte> Encode(ReadOnlyMemory<T> values)
    {
        if (IsDirect)
            return values.IsEmpty ? ReadOnlyMemory<byte>.Empty : new CastMemoryManager<T, byte>(MemoryMarshal.AsMemory(values)).Memory;
        var bytes = new byte[ByteCount(values.Length)];
        ReadOnlySpan<T> source = values.Span;
        int width = T.ByteLength;
        for (int i = 0; i < source.Length; i++) source[i].Write(bytes.AsSpan(i * width, width));
        return bytes;
    }

    /// <summary>Unpacks a payload of exactly <paramref name="count"/> canonical elements.</summary>
    /// <param name="payload">The received payload.</param>
    /// <param name="count">The number of elements the protocol expects.</param>
    /// <param name="peer">The sender, named in the error.</param>
    /// <param name="tag">The message tag, named in the error.</param>
    /// <exception cref="TransportException">Wrong length or a non-canonical element.</exception>
    public static ReadOnlyMemory<T> Decode(ReadOnlyMemory<byte> payload, int count, int peer, MessageTag tag)
    {
        int width = T.ByteLength;
        if (payload.Length != ByteCount(count))
            throw new TransportException(peer, $"Message {tag} from party {peer} has {payload.Length} bytes; {count} {T.Name} elements ({ByteCount(count)} bytes) expected.");
        if (count == 0) return ReadOnlyMemory<T>.Empty;
        ReadOnlySpan<byte> bytes = payload.Span;
        if (IsDirect)
        {
            // An in-process sender's Encode wrapped an element array: those values were produced by the
            // field's own arithmetic, so they are canonical by the type's invariant. Hand the memory back.
            if (MemoryMarshal.TryGetMemoryManager(payload, out CastMemoryManager<T, byte>? manager, out int start, out int length)
                && start == 0 && length == payload.Length)
                return manager.Source;
            int bad = T.IndexOfNonCanonical(bytes);
            if (bad >= 0)
                throw new TransportException(peer, $"Message {tag} from party {peer} holds a non-canonical {T.Name} element at index {bad}.");
            return new CastMemoryManager<byte, T>(MemoryMarshal.AsMemory(payload)).Memory;
        }
        var values = new T[count];
        for (int i = 0; i < count; i++)
            if (!T.TryRead(bytes.Slice(i * width, width), out values[i]))
                throw new TransportException(peer, $"Message {tag} from party {peer} holds a non-canonical {T.Name} element at index {i}.");
        return values;
    }

    private static bool ProbeDirect()
    {
        if (!BitConverter.IsLittleEndian || RuntimeHelpers.IsReferenceOrContainsReferences<T>()) return false;
        if (Unsafe.SizeOf<T>() != T.ByteLength) return false;
        // A value with distinct bytes, to catch any reordering between memory and wire layouts.
        T probe = T.FromUInt64(0x0102030405060708UL) * T.FromUInt64(0x1122334455667788UL);
        Span<byte> written = stackalloc byte[T.ByteLength];
        probe.Write(written);
        return written.SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in probe)));
    }
}

/// <summary>Views a <see cref="Memory{T}"/> of one blittable type as memory of another, without copying.</summary>
internal sealed class CastMemoryManager<TFrom, TTo>(Memory<TFrom> source) : MemoryManager<TTo>
    where TFrom : struct
    where TTo : struct
{
    public Memory<TFrom> Source { get; } = source;

    public override Span<TTo> GetSpan() => MemoryMarshal.Cast<TFrom, TTo>(Source.Span);

    private Stack<MemoryHandle>? _pins;

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        // Pin the underlying memory and remember its handle; our handle's Dispose calls Unpin, which releases it.
        MemoryHandle inner = Source.Pin();
        lock (this) (_pins ??= new()).Push(inner);
        return new MemoryHandle((byte*)inner.Pointer + (long)elementIndex * Unsafe.SizeOf<TTo>(), default, this);
    }

    public override void Unpin()
    {
        MemoryHandle inner;
        lock (this) inner = _pins!.Pop();
        inner.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
    }
}
