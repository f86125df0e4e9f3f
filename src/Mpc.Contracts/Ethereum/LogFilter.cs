namespace Mpc.Contracts.Ethereum;

/// <summary>The filter of <c>eth_getLogs</c>.</summary>
/// <remarks>
/// Topics match by position: a null position matches anything, a list matches any of its words (OR); positions
/// combine with AND. Nodes cap the block range of one query, so callers scanning history should page by range.
/// </remarks>
public sealed record LogFilter
{
    /// <summary>Contracts to include; all when empty.</summary>
    public IReadOnlyList<EthAddress> Addresses { get; init; } = [];

    /// <summary>Topic constraints by position.</summary>
    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];

    /// <summary>First block, inclusive.</summary>
    public BlockParameter FromBlock { get; init; } = BlockParameter.Earliest;

    /// <summary>Last block, inclusive.</summary>
    public BlockParameter ToBlock { get; init; } = BlockParameter.Latest;
}
