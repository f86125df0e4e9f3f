using System.Numerics;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A job as <c>getJob(uint256)</c> returns it.</summary>
/// <param name="Id">The job id (1-based counter).</param>
/// <param name="ContractId">The secret contract it runs.</param>
/// <param name="ClusterId">The cluster that evaluates it (copied from the contract at creation).</param>
/// <param name="Requester">Who paid the fee and receives a refund.</param>
/// <param name="Fee">Escrowed fee in wei.</param>
/// <param name="InputDeadline">Commitments are accepted strictly before this time; results from it on.</param>
/// <param name="ResultDeadline">Results are accepted strictly before this time; refunds from it on.</param>
/// <param name="Status">The job's life-cycle state.</param>
public sealed record JobInfo(
    ulong Id,
    ulong ContractId,
    ulong ClusterId,
    EthAddress Requester,
    BigInteger Fee,
    DateTimeOffset InputDeadline,
    DateTimeOffset ResultDeadline,
    JobStatus Status);
