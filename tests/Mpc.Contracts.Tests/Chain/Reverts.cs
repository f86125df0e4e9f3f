using Mpc.Contracts.Chain;

namespace Mpc.Contracts.Tests.Chain;

internal static class Reverts
{
    /// <summary>Asserts that <paramref name="action"/> reverts with the contract's custom error <paramref name="errorName"/>, named in the message.</summary>
    public static async Task<SecretContractsRevertException> AssertAsync(string errorName, Func<Task> action)
    {
        SecretContractsRevertException e = await Assert.ThrowsAsync<SecretContractsRevertException>(action);
        Assert.Equal(errorName, e.ErrorName);
        Assert.Contains(errorName + "(", e.Message, StringComparison.Ordinal);
        return e;
    }
}
