namespace Mpc.Contracts.Ethereum;

/// <summary>An event log as returned by <c>eth_getLogs</c> or in a receipt.</summary>
/// <param name="Address">The emitting contract.</param>
/// <param name="Topics">Topic words; topic 0 is the event signature hash for non-anonymous events.</param>
/// <param name="Data">The ABI-encoded non-indexed parameters.</param>
/// <param name="BlockNumber">The block that contains the log.</param>
/// <param name="TransactionHash">The transaction that emitted the log.</param>
/// <param name="LogIndex">Position of the log in the block.</param>
/// <param name="Removed">Whether a reorganisation removed the log.</param>
public sealed record LogEntry(
    EthAddress Address,
    IReadOnlyList<byte[]> Topics,
    byte[] Data,
    long BlockNumber,
    byte[] TransactionHash,
    long LogIndex,
    bool Removed);
