using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Network;

public class FieldCodecTests
{
    private static readonly MessageTag Tag = new(4, 2);

    [Fact]
    public void Fp61RoundTripsWithoutCopy()
    {
        Assert.True(FieldCodec<Fp61>.IsDirect);
        var values = new[] { Fp61.FromUInt64(1), Fp61.FromUInt64(Fp61.P - 1), Fp61.FromUInt64(0x0123456789) };
        ReadOnlyMemory<byte> payload = FieldCodec<Fp61>.Encode(values);

        Assert.Equal(24, payload.Length);
        Span<byte> expected = stackalloc byte[8];
        values[1].Write(expected);
        Assert.True(payload.Span.Slice(8, 8).SequenceEqual(expected)); // wire format = IField.Write
        ReadOnlyMemory<Fp61> decoded = FieldCodec<Fp61>.Decode(payload, 3, peer: 1, Tag);
        Assert.Equal(values, decoded.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(decoded, out ArraySegment<Fp61> segment));
        Assert.Same(values, segment.Array);
    }

    [Fact]
    public void ForeignBytesDecodeToElements()
    {
        var bytes = new byte[16];
        Fp61.FromUInt64(77).Write(bytes);
        Fp61.FromUInt64(5).Write(bytes.AsSpan(8));
        Assert.Equal(new[] { Fp61.FromUInt64(77), Fp61.FromUInt64(5) }, FieldCodec<Fp61>.Decode(bytes, 2, 0, Tag).ToArray());
    }

    [Fact]
    public void NonCanonicalOrMisSizedPayloadsAreRejected()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(8), Fp61.P); // p itself is not canonical
        var error = Assert.Throws<TransportException>(() => FieldCodec<Fp61>.Decode(bytes, 2, 3, Tag));
        Assert.Contains("index 1", error.Message);
        Assert.Equal(3, error.Peer);
        Assert.Contains("bytes", Assert.Throws<TransportException>(() => FieldCodec<Fp61>.Decode(bytes, 3, 3, Tag)).Message);
        Assert.Throws<TransportException>(() => FieldCodec<Fp31>.Decode(new byte[] { 31 }, 1, 0, Tag));
    }

    [Fact]
    public void NonBlittableLayoutsFallBackToWrite()
    {
        Assert.False(FieldCodec<Fp31>.IsDirect); // 4-byte struct, 1-byte wire format
        var values = new[] { Fp31.FromUInt64(30), Fp31.FromUInt64(7) };
        ReadOnlyMemory<byte> payload = FieldCodec<Fp31>.Encode(values);
        Assert.Equal(new byte[] { 30, 7 }, payload.ToArray());
        Assert.Equal(values, FieldCodec<Fp31>.Decode(payload, 2, 0, Tag).ToArray());
    }
}
