using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A decoded <c>InputsCommitted</c> log: one client's commitments to the shares it sent, in member order.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Client">The committing client.</param>
/// <param name="Commitments">One 32-byte <see cref="InputCommitment"/> per cluster member.</param>
/// <param name="Log">The raw log.</param>
public sealed record InputsCommittedEvent(ulong JobId, EthAddress Client, IReadOnlyList<byte[]> Commitments, LogEntry Log);
