using System.Buffers.Binary;
using System.Security.Cryptography;
using Mpc.Core.Fields;

namespace Mpc.Core.Sharing;

/// <summary>
/// A pseudo-random generator: the AES-128 keystream of a 16-byte key in counter mode. Two instances with the
/// same key produce the same byte stream, so two parties holding a common seed derive the same field elements.
/// </summary>
/// <remarks>
/// <para>Block i of the stream is AES_k(i) with i a 128-bit little-endian counter starting at 0, computed as
/// one <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/> call over the
/// counter blocks written into the destination (in place, so AES-NI pipelines the whole request). AES as a
/// PRF makes the stream indistinguishable from uniform bytes to anyone without the key (NIST SP 800-38A,
/// counter mode); a key must never be used for two streams, which the dealing guarantees by drawing a fresh
/// seed per dealing (<c>RandomSharingSource</c>).</para>
/// <para>Each <see cref="Fill"/> starts at a fresh block: a request of b bytes consumes ⌈b / 16⌉ blocks and
/// drops the tail of the last one. Both holders of a seed make the same sequence of requests, so they stay in
/// step; field elements are then sampled from the stream by the field's own rejection sampler
/// (<see cref="IField{T}.RandomFill"/>), which is unbiased and deterministic in its input bytes.</para>
/// <para>Not thread-safe: one instance belongs to one dealing.</para>
/// </remarks>
public sealed class AesCounterRandom : IRandomSource, IDisposable
{
    /// <summary>Key (seed) length in bytes: AES-128.</summary>
    public const int KeyLength = 16;

    private const int BlockLength = 16;

    private readonly Aes _aes;
    private ulong _counter;

    /// <summary>Creates the generator of <paramref name="key"/>; the key bytes are copied.</summary>
    /// <exception cref="ArgumentException">The key is not <see cref="KeyLength"/> bytes.</exception>
    public AesCounterRandom(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
            throw new ArgumentException($"An AES-128 counter-mode key is {KeyLength} bytes; {key.Length} given.", nameof(key));
        _aes = Aes.Create();
        byte[] copy = key.ToArray();
        _aes.Key = copy;
        CryptographicOperations.ZeroMemory(copy);
    }

    /// <summary>A generator under a fresh key drawn from <paramref name="random"/>.</summary>
    public static AesCounterRandom FromRandom(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> key = stackalloc byte[KeyLength];
        random.Fill(key);
        var generator = new AesCounterRandom(key);
        CryptographicOperations.ZeroMemory(key);
        return generator;
    }

    /// <inheritdoc />
    public void Fill(Span<byte> destination)
    {
        int whole = destination.Length / BlockLength * BlockLength;
        if (whole > 0)
        {
            Span<byte> blocks = destination[..whole];
            for (int offset = 0; offset < whole; offset += BlockLength) WriteCounter(blocks.Slice(offset, BlockLength));
            int written = _aes.EncryptEcb(blocks, blocks, PaddingMode.None);
            if (written != whole) throw new CryptographicException($"AES produced {written} bytes of keystream; {whole} expected.");
        }
        if (whole < destination.Length)
        {
            Span<byte> last = stackalloc byte[BlockLength];
            WriteCounter(last);
            _aes.EncryptEcb(last, last, PaddingMode.None);
            last[..(destination.Length - whole)].CopyTo(destination[whole..]);
            CryptographicOperations.ZeroMemory(last);
        }
    }

    /// <summary>Forgets the key.</summary>
    public void Dispose() => _aes.Dispose();

    private void WriteCounter(Span<byte> block)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(block, _counter++);
        BinaryPrimitives.WriteUInt64LittleEndian(block[8..], 0);
    }
}
