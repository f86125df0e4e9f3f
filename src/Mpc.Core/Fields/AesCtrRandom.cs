using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Mpc.Core.Fields;

/// <summary>
/// A fast cryptographically secure pseudo-random byte stream: AES-128 in counter mode under a key drawn
/// from the operating system's CSPRNG. Use it where a pipeline draws many field elements, especially in
/// small pieces (one element, one polynomial); use <see cref="CryptoRandom"/> for keys and one-off values.
/// </summary>
/// <remarks>
/// <para>
/// The stream is AES_k(c) ‖ AES_k(c + 1) ‖ … with a 128-bit big-endian counter c starting at zero, as in
/// NIST SP 800-38A §6.5 (CTR); the keystream is the output. Counter blocks are encrypted in chunks with
/// <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>, which uses
/// AES-NI where the platform has it. Security rests on AES being a pseudo-random permutation: output is
/// indistinguishable from random up to the birthday bound on blocks, so the generator re-keys from the
/// OS CSPRNG every 2^32 blocks (64 GiB), keeping the distinguishing advantage below 2^-64.
/// </para>
/// <para>
/// Measured (bench/Mpc.Benchmarks/Fields): for megabyte fills it runs at the OS generator's speed (both
/// several GB/s with AES-NI); for 16-byte draws it is tens of times faster, because it serves them from a
/// 4 KiB keystream buffer instead of making one OS/OpenSSL call per draw.
/// </para>
/// <para>
/// Not thread-safe: each thread or pipeline stage owns its instance (creating one costs a key draw and an
/// AES key schedule). Dispose it to clear the key.
/// </para>
/// </remarks>
[SkipLocalsInit]
public sealed class AesCtrRandom : IRandomSource, IDisposable
{
    private const int BlockSize = 16;

    /// <summary>Keystream bytes produced per AES call; large enough to amortise the call, small enough for L1.</summary>
    private const int ChunkSize = 4096;

    /// <summary>Blocks under one key before re-keying (2^32 blocks = 64 GiB).</summary>
    private const ulong DefaultRekeyBlocks = 1UL << 32;

    private readonly Aes _aes;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly bool _rekey;
    private readonly ulong _rekeyBlocks = DefaultRekeyBlocks;
    private int _position = ChunkSize; // unread keystream starts here; ChunkSize means empty
    private UInt128 _counter;
    private ulong _blocksUnderKey;
    private bool _disposed;

    /// <summary>Creates a generator keyed from the operating system's CSPRNG.</summary>
    public AesCtrRandom()
        : this(DefaultRekeyBlocks)
    {
    }

    /// <summary>A CSPRNG-keyed generator with a shorter re-key interval, so tests can reach re-keying.</summary>
    internal AesCtrRandom(ulong rekeyBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rekeyBlocks);
        _aes = Aes.Create();
        _rekey = true;
        _rekeyBlocks = rekeyBlocks;
        Rekey();
    }

    /// <summary>
    /// A generator with a fixed key and initial counter block, for known-answer tests only (internal, so no
    /// node configuration can reach it). It never re-keys, so the output is exactly AES-CTR.
    /// </summary>
    internal AesCtrRandom(ReadOnlySpan<byte> key, ReadOnlySpan<byte> initialCounter)
    {
        if (key.Length != 16) throw new ArgumentException($"AES-128 needs a 16-byte key, got {key.Length}.", nameof(key));
        if (initialCounter.Length != BlockSize) throw new ArgumentException($"The counter block is 16 bytes, got {initialCounter.Length}.", nameof(initialCounter));
        _aes = Aes.Create();
        _aes.SetKey(key);
        _counter = BinaryPrimitives.ReadUInt128BigEndian(initialCounter);
    }

    /// <inheritdoc />
    public void Fill(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Drain what is left of the current chunk, so the output is one contiguous keystream.
        int buffered = Math.Min(ChunkSize - _position, destination.Length);
        _chunk.AsSpan(_position, buffered).CopyTo(destination);
        _position += buffered;
        destination = destination[buffered..];

        // A large request goes straight into the destination: its whole blocks are encrypted in place in
        // one AES call (per-call overhead dominates below a few KiB). Smaller requests and the last partial
        // block are served from the chunk buffer below.
        if (destination.Length >= ChunkSize)
        {
            int whole = destination.Length & ~(BlockSize - 1);
            Generate(destination[..whole]);
            destination = destination[whole..];
        }

        if (!destination.IsEmpty)
        {
            Generate(_chunk);
            _chunk.AsSpan(0, destination.Length).CopyTo(destination);
            _position = destination.Length;
        }
    }

    /// <summary>Overwrites <paramref name="output"/> (a whole number of blocks) with the next keystream blocks.</summary>
    private void Generate(Span<byte> output)
    {
        while (!output.IsEmpty)
        {
            // Never draw more than the re-key interval under one key; split the request where it falls.
            if (BlocksLeftUnderKey() == 0) Rekey();
            int blocks = (int)Math.Min((ulong)(output.Length / BlockSize), BlocksLeftUnderKey());
            Span<byte> part = output[..(blocks * BlockSize)];
            for (int i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt128BigEndian(part.Slice(i * BlockSize, BlockSize), _counter);
                _counter++;
            }
            // ECB over distinct counter blocks is CTR's keystream; in-place encryption is supported.
            _aes.EncryptEcb(part, part, PaddingMode.None);
            _blocksUnderKey += (ulong)blocks;
            output = output[part.Length..];
        }
    }

    /// <summary>Blocks that may still be drawn under the current key (unbounded for the fixed-key test constructor).</summary>
    private ulong BlocksLeftUnderKey() => _rekey ? _rekeyBlocks - _blocksUnderKey : ulong.MaxValue;

    /// <summary>Keys used so far, the first included (for tests: re-keying must actually happen).</summary>
    internal long Keys { get; private set; }

    private void Rekey()
    {
        Keys++;
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        _aes.SetKey(key);
        CryptographicOperations.ZeroMemory(key);
        _counter = 0;
        _blocksUnderKey = 0;
    }

    /// <summary>Clears the buffered keystream and releases the AES key.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_chunk);
        _aes.Dispose();
    }
}
