using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Settings of <see cref="TransactionSender"/>.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>How long to wait for a receipt before giving up. Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay between receipt polls. Default 100 ms (anvil mines instantly; public chains take seconds).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Percent added to <c>eth_estimateGas</c>, because state can change between estimate and inclusion. Default 20.</summary>
    public int GasMarginPercent { get; init; } = 20;

    /// <summary>Tip per gas in wei when the node does not implement <c>eth_maxPriorityFeePerGas</c>. Default 1 gwei.</summary>
    public BigInteger FallbackPriorityFeePerGas { get; init; } = 1_000_000_000;

    /// <summary>Checks every setting and names the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (ReceiptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiptTimeout), ReceiptTimeout, "ReceiptTimeout must be positive.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > ReceiptTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "PollInterval must be positive and at most ReceiptTimeout.");
        }

        if (GasMarginPercent is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(GasMarginPercent), GasMarginPercent, "GasMarginPercent must be in [0, 1000].");
        }

        if (FallbackPriorityFeePerGas.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FallbackPriorityFeePerGas), FallbackPriorityFeePerGas, "FallbackPriorityFeePerGas cannot be negative.");
        }
    }
}
