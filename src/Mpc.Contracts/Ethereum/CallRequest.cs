using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>The message of <c>eth_call</c> and <c>eth_estimateGas</c>.</summary>
public sealed record CallRequest
{
    /// <summary>The sender (matters for <c>msg.sender</c> checks); omitted when null.</summary>
    public EthAddress? From { get; init; }

    /// <summary>The contract, or null to simulate a creation.</summary>
    public EthAddress? To { get; init; }

    /// <summary>Call data.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Gas limit; the node's default when null.</summary>
    public ulong? Gas { get; init; }
}
