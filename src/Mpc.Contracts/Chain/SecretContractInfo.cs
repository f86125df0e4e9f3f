using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A secret contract (a circuit bound to a cluster) as <c>getContract(uint256)</c> returns it.</summary>
/// <param name="Id">The contract id (1-based counter).</param>
/// <param name="CircuitId">The 32-byte circuit id: Keccak-256 of the compiled circuit's canonical encoding.</param>
/// <param name="ClusterId">The cluster that evaluates it.</param>
/// <param name="Owner">The address that deployed it.</param>
public sealed record SecretContractInfo(ulong Id, byte[] CircuitId, ulong ClusterId, EthAddress Owner);
