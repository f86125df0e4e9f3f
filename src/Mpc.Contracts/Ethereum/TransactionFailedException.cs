namespace Mpc.Contracts.Ethereum;

/// <summary>A transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="receipt"/> with the reason (and raw revert data) found by replaying the call.</summary>
    public TransactionFailedException(TransactionReceipt receipt, string reason, byte[]? revertData = null)
        : base($"Transaction {Hex.Encode(receipt.TransactionHash)} reverted in block {receipt.BlockNumber}: {reason}")
    {
        Receipt = receipt;
        Reason = reason;
        RevertData = revertData;
    }

    /// <summary>The receipt with status 0.</summary>
    public TransactionReceipt Receipt { get; }

    /// <summary>The decoded revert reason, or a note that it could not be reproduced.</summary>
    public string Reason { get; }

    /// <summary>The raw revert data of the replayed call, so callers can decode their own errors without replaying again; null when the replay gave none.</summary>
    public byte[]? RevertData { get; }
}
