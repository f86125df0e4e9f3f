namespace Mpc.Contracts.Chain;

/// <summary>A cluster as nodes and clients find it in the registry: members in order, each with its registered endpoint and TLS fingerprint.</summary>
/// <param name="Id">The cluster id.</param>
/// <param name="Threshold">t.</param>
/// <param name="Members">Member <c>i</c> (0-based) evaluates at point <c>i + 1</c>; its <see cref="NodeInfo"/> as <c>getNode</c> returns it.</param>
public sealed record RegisteredCluster(ulong Id, int Threshold, IReadOnlyList<NodeInfo> Members)
{
    /// <summary>The member index of <paramref name="operatorAddress"/>, or −1 when it is not a member.</summary>
    public int IndexOf(Ethereum.EthAddress operatorAddress)
    {
        for (int i = 0; i < Members.Count; i++)
        {
            if (Members[i].Operator == operatorAddress)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The fingerprint of member <paramref name="index"/> as 64 lower-case hex digits (the form node configs and clients pin).</summary>
    public string FingerprintHex(int index) => Convert.ToHexStringLower(Members[index].TlsFingerprint);
}
