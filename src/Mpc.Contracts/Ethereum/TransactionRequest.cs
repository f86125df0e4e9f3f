using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>What to send; <see cref="TransactionSender"/> fills nonce, fees and gas.</summary>
public sealed record TransactionRequest
{
    /// <summary>The recipient, or null to create a contract from <see cref="Data"/>.</summary>
    public EthAddress? To { get; init; }

    /// <summary>Wei to transfer.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Call data or init code.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Gas limit; estimated with a margin when null.</summary>
    public ulong? GasLimit { get; init; }
}
