using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A <c>SecretContracts</c> call or transaction reverted; the message and <see cref="ErrorName"/> name the contract's custom error.</summary>
/// <remarks>
/// Raised for reverts found by <c>eth_call</c>, by gas estimation (the usual case: a transaction that would revert is
/// never broadcast) and for transactions mined with status 0 (the call is replayed at that block to recover the data).
/// The custom errors and their arguments are listed in docs/contract.md, "Custom errors".
/// </remarks>
public sealed class SecretContractsRevertException : Exception
{
    /// <summary>Creates the exception for <paramref name="function"/> from the decoded revert data.</summary>
    public SecretContractsRevertException(
        string function,
        string? errorName,
        IReadOnlyList<object?> errorArguments,
        byte[] revertData,
        string reason,
        Exception? inner)
        : base($"SecretContracts.{function} reverted: {reason}", inner)
    {
        Function = function;
        ErrorName = errorName;
        ErrorArguments = errorArguments;
        RevertData = revertData;
        Reason = reason;
    }

    /// <summary>The contract function that reverted, e.g. <c>postResult</c>.</summary>
    public string Function { get; }

    /// <summary>The custom error's name, e.g. <c>NotEnoughSignatures</c>; null for <c>Error(string)</c>, <c>Panic</c> or unknown data.</summary>
    public string? ErrorName { get; }

    /// <summary>The custom error's decoded arguments in declaration order (empty when <see cref="ErrorName"/> is null).</summary>
    public IReadOnlyList<object?> ErrorArguments { get; }

    /// <summary>The raw revert data (selector and ABI-encoded arguments).</summary>
    public byte[] RevertData { get; }

    /// <summary>The decoded reason, e.g. <c>NotEnoughSignatures(1, 2)</c>.</summary>
    public string Reason { get; }

    /// <summary>Decodes <paramref name="revertData"/> with every custom error of the contract's ABI.</summary>
    internal static SecretContractsRevertException From(string function, byte[] revertData, Exception inner)
    {
        DecodedRevert decoded = SecretContractsAbi.RevertDecoder.Decode(revertData);
        return new SecretContractsRevertException(function, decoded.CustomError?.Name, decoded.Arguments, revertData, decoded.Reason, inner);
    }
}
