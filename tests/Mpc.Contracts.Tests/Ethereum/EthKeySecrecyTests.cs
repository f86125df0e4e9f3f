using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class EthKeySecrecyTests
{
    [Theory]
    [InlineData("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8")]   // odd length
    [InlineData("zc0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]  // not hex
    public void A_malformed_private_key_is_never_quoted_in_the_error(string text)
    {
        var error = Assert.Throws<FormatException>(() => EthKey.FromHex(text));

        Assert.DoesNotContain("c0974bec39a17e36", error.Message);
        Assert.Null(error.InnerException);
    }
}
