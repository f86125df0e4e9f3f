using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A cluster as <c>getCluster(uint256)</c> returns it.</summary>
/// <param name="Id">The cluster id (1-based counter).</param>
/// <param name="Members">Member operators; member <c>i</c> (0-based) evaluates shares at point <c>i + 1</c>.</param>
/// <param name="Threshold">t: any t members learn nothing; t + 1 signatures accept a result. n ≥ 2t + 1.</param>
public sealed record ClusterInfo(ulong Id, IReadOnlyList<EthAddress> Members, int Threshold)
{
    /// <summary>n, the number of members.</summary>
    public int Size => Members.Count;

    /// <summary>The number of member signatures <c>postResult</c> requires, t + 1.</summary>
    public int Quorum => Threshold + 1;
}
