namespace Mpc.Contracts.Tests.Chain;

/// <summary>Gas budgets from issue #6 and docs/contract.md, "Gas": one figure, asserted through the C# client and through devchain-check.js.</summary>
internal static class GasBudget
{
    /// <summary><c>postResult</c> with 3 signers and one 32-byte output.</summary>
    public const int PostResult = 120_000;
}
