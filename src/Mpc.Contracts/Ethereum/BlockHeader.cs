using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>The header fields of <c>eth_getBlockByNumber</c> this client uses.</summary>
/// <param name="Number">Block number.</param>
/// <param name="Hash">Block hash.</param>
/// <param name="Timestamp">Unix time in seconds.</param>
/// <param name="BaseFeePerGas">EIP-1559 base fee in wei; zero on pre-London chains.</param>
/// <param name="GasLimit">Block gas limit.</param>
public sealed record BlockHeader(long Number, byte[] Hash, long Timestamp, BigInteger BaseFeePerGas, long GasLimit)
{
    /// <summary>The timestamp as a UTC time.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Timestamp);
}
