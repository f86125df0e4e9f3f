using System.Numerics;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A decoded <c>JobCreated</c> log: nodes watch these to learn about jobs of their clusters.</summary>
/// <param name="JobId">The new job.</param>
/// <param name="ContractId">The secret contract it runs.</param>
/// <param name="Requester">Who paid the fee.</param>
/// <param name="Fee">Escrowed fee in wei.</param>
/// <param name="InputDeadline">End of the input phase.</param>
/// <param name="ResultDeadline">End of the result window.</param>
/// <param name="Log">The raw log (block, transaction, index).</param>
public sealed record JobCreatedEvent(
    ulong JobId,
    ulong ContractId,
    EthAddress Requester,
    BigInteger Fee,
    DateTimeOffset InputDeadline,
    DateTimeOffset ResultDeadline,
    LogEntry Log);
