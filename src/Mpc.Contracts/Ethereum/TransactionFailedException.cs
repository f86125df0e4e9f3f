namespace Mpc.Contracts.Ethereum;

/// <summary>A transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="receipt"/> with the reason found by replaying the call.</summary>
    public TransactionFailedException(TransactionReceipt receipt, string reason)
        : base($"Transaction {Hex.Encode(receipt.TransactionHash)} reverted in block {receipt.BlockNumber}: {reason}")
    {
        Receipt = receipt;
        Reason = reason;
    }

    /// <summary>The receipt with status 0.</summary>
    public TransactionReceipt Receipt { get; }

    /// <summary>The decoded revert reason, or a note that it could not be reproduced.</summary>
    public string Reason { get; }
}
