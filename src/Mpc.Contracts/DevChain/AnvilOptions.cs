namespace Mpc.Contracts.DevChain;

/// <summary>Settings of <see cref="AnvilNode"/>.</summary>
public sealed record AnvilOptions
{
    /// <summary>The anvil executable; when null, <c>MPC_ANVIL_PATH</c> and then the npm package under the repository root are tried.</summary>
    public string? BinaryPath { get; init; }

    /// <summary>The chain id anvil reports. Default 31337 (anvil's own default).</summary>
    public long ChainId { get; init; } = 31337;

    /// <summary>Seconds between blocks; null (the default) mines one block per transaction immediately.</summary>
    public int? BlockTimeSeconds { get; init; }

    /// <summary>How long to wait for anvil to listen and answer <c>eth_chainId</c>. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks every setting and names the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (ChainId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ChainId), ChainId, "ChainId must be positive.");
        }

        if (BlockTimeSeconds is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockTimeSeconds), BlockTimeSeconds, "BlockTimeSeconds must be positive when set.");
        }

        if (StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StartTimeout), StartTimeout, "StartTimeout must be positive.");
        }
    }
}
