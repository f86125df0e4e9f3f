using System.Security.Cryptography;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;

namespace Mpc.Core.Tests.Sharing;

public class AesCounterRandomTests
{
    private static readonly byte[] Key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");

    [Fact]
    public void The_stream_is_AES_of_the_little_endian_block_counter()
    {
        // Reference: counter block i = i as 128-bit little-endian, encrypted with the key (FIPS 197 AES-128).
        using var aes = Aes.Create();
        aes.Key = Key;
        var counters = new byte[48];
        for (int i = 0; i < 3; i++) counters[16 * i] = (byte)i;
        byte[] expected = aes.EncryptEcb(counters, PaddingMode.None);

        var stream = new byte[48];
        using (var prg = new AesCounterRandom(Key)) prg.Fill(stream);

        Assert.Equal(expected, stream);
    }

    [Fact]
    public void Requests_start_at_a_fresh_block_so_holders_that_make_the_same_requests_agree()
    {
        using var aes = Aes.Create();
        aes.Key = Key;
        var counters = new byte[32];
        counters[16] = 1;
        byte[] blocks = aes.EncryptEcb(counters, PaddingMode.None);

        var first = new byte[5];
        var second = new byte[16];
        using var prg = new AesCounterRandom(Key);
        prg.Fill(first);
        prg.Fill(second);

        Assert.Equal(blocks[..5], first);     // the tail of block 0 is dropped…
        Assert.Equal(blocks[16..], second);   // …and the next request starts at block 1
    }

    [Fact]
    public void Equal_keys_give_equal_field_elements_and_other_keys_other_elements()
    {
        Fp61[] Sample(byte[] key)
        {
            var values = new Fp61[1000];
            using var prg = new AesCounterRandom(key);
            Fp61.RandomFill(prg, values);
            return values;
        }
        byte[] other = (byte[])Key.Clone();
        other[15] ^= 1;

        Assert.Equal(Sample(Key), Sample(Key));
        Assert.NotEqual(Sample(Key), Sample(other));
        Assert.Equal(1000, Sample(Key).Distinct().Count());
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_refused() =>
        Assert.Throws<ArgumentException>(() => new AesCounterRandom(new byte[15]));
}
