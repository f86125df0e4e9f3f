using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>The receipt of a mined transaction.</summary>
/// <param name="TransactionHash">The transaction hash.</param>
/// <param name="BlockNumber">The block that includes it.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient; null for a contract creation.</param>
/// <param name="Succeeded">Status 1 (true) or 0 (reverted).</param>
/// <param name="GasUsed">Gas consumed by this transaction.</param>
/// <param name="EffectiveGasPrice">Wei paid per gas (base fee + tip).</param>
/// <param name="ContractAddress">The created contract, for a creation.</param>
/// <param name="Logs">Logs emitted, in order.</param>
public sealed record TransactionReceipt(
    byte[] TransactionHash,
    long BlockNumber,
    EthAddress From,
    EthAddress? To,
    bool Succeeded,
    long GasUsed,
    BigInteger EffectiveGasPrice,
    EthAddress? ContractAddress,
    IReadOnlyList<LogEntry> Logs)
{
    /// <summary>Wei paid for gas: <see cref="GasUsed"/> × <see cref="EffectiveGasPrice"/>.</summary>
    public BigInteger FeePaid => GasUsed * EffectiveGasPrice;
}
