using System.Text;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class Keccak256Tests
{
    [Theory]
    // Published Keccak-256 (original padding) digests; SHA3-256("") would be a7ffc6f8…, which must not appear.
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void Hash_MatchesPublishedVectors(string input, string expected)
    {
        byte[] digest = Keccak256.Hash(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_OfTwoParts_EqualsHashOfConcatenation()
    {
        byte[] a = Encoding.ASCII.GetBytes("The quick brown fox ");
        byte[] b = Encoding.ASCII.GetBytes("jumps over the lazy dog");

        Assert.Equal(Keccak256.Hash([.. a, .. b]), Keccak256.HashConcatenated(a, b));
    }

    [Fact]
    public void Hash_IntoShortDestination_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));

        Assert.Contains("32-byte", ex.Message);
    }
}
