using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

public sealed class AesCtrRandomTests
{
    [Fact]
    public void MatchesNistSp800_38aCtrAes128Vector()
    {
        // NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt: ciphertext = plaintext ⊕ keystream.
        var key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        var counter = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        var plaintext = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" +
            "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        var expected = Convert.FromHexString(
            "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff" +
            "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
        using var random = new AesCtrRandom(key, counter);
        var keystream = new byte[64];

        random.Fill(keystream);

        Assert.Equal(expected, plaintext.Zip(keystream, (p, k) => (byte)(p ^ k)).ToArray());
    }

    [Theory]
    // Keystreams from an independent AES-CTR implementation (Python `cryptography`), key 00 01 … 0f:
    // the 128-bit big-endian counter must carry across the 64-bit half and wrap at 2^128.
    [InlineData("0000000000000000ffffffffffffffff",
        "39a7ef0a0a5852a8bfd2032344bf941213189a6ae4ab07ae70a3aabd30be99de8f9429444c8f4b3599421235b510df3d")]
    [InlineData("ffffffffffffffffffffffffffffffff",
        "3c441f32ce07822364d7a2990e50bb13c6a13b37878f5b826f4f8162a1c8d879")]
    public void CounterCarriesAcrossAllBits(string counterHex, string keystreamHex)
    {
        var expected = Convert.FromHexString(keystreamHex);
        using var random = new AesCtrRandom(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(), Convert.FromHexString(counterHex));
        var actual = new byte[expected.Length];

        random.Fill(actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PiecewiseFillsFormOneContiguousStream()
    {
        // Sizes straddle the 16-byte block and the internal 4096-byte chunk in every way.
        int[] sizes = [1, 15, 17, 0, 4096, 3, 8192 + 5, 4095, 1, 40_000, 16];
        var key = new byte[16];
        var counter = new byte[16];
        using var whole = new AesCtrRandom(key, counter);
        using var pieces = new AesCtrRandom(key, counter);
        var expected = new byte[sizes.Sum()];
        whole.Fill(expected);

        var actual = new byte[expected.Length];
        int offset = 0;
        foreach (int size in sizes)
        {
            pieces.Fill(actual.AsSpan(offset, size));
            offset += size;
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void FreshInstancesAreIndependentlyKeyed()
    {
        using var a = new AesCtrRandom();
        using var b = new AesCtrRandom();
        byte[] x = new byte[32], y = new byte[32];

        a.Fill(x);
        b.Fill(y);

        Assert.NotEqual(x, y);
        Assert.NotEqual(new byte[32], x);
    }

    [Fact]
    public void RejectsUseAfterDisposeAndBadTestKeys()
    {
        var random = new AesCtrRandom();
        random.Dispose();
        Assert.Throws<ObjectDisposedException>(() => random.Fill(new byte[1]));
        Assert.Throws<ArgumentException>(() => new AesCtrRandom(new byte[15], new byte[16]));
        Assert.Throws<ArgumentException>(() => new AesCtrRandom(new byte[16], new byte[8]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(300)]
    public void RekeyingContinuesWithFreshBlocks(int rekeyBlocks)
    {
        // Both the chunk path (small fills) and the direct path (large fills) cross re-key points. After a
        // re-key the counter restarts at zero, so a re-key that kept the old key would repeat blocks.
        using var random = new AesCtrRandom((ulong)rekeyBlocks);
        var output = new byte[3 * 16 + 5 + 20_000];
        random.Fill(output.AsSpan(0, 3 * 16 + 5));
        random.Fill(output.AsSpan(3 * 16 + 5));

        var blocks = Enumerable.Range(0, output.Length / 16).Select(i => Convert.ToHexString(output, i * 16, 16));
        Assert.Equal(output.Length / 16, blocks.Distinct().Count());
        // Distinct blocks alone would also pass if re-keying never happened: every key serves at most rekeyBlocks blocks.
        Assert.True(random.Keys >= (output.Length / 16) / rekeyBlocks, $"{random.Keys} key(s) for {output.Length / 16} blocks at {rekeyBlocks} per key");
    }
}
