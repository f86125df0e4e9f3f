using System.Numerics;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A node's registration as <c>getNode(address)</c> returns it.</summary>
/// <param name="Operator">The operator address (the node's signing key).</param>
/// <param name="Endpoint">The gRPC endpoint the node announced; empty when never registered.</param>
/// <param name="TlsFingerprint">The 32-byte fingerprint of the node's TLS certificate, which peers and clients pin.</param>
/// <param name="Stake">Locked stake in wei; 0 after withdrawal or slashing.</param>
/// <param name="WithdrawableAt">When the stake can be withdrawn; null until <c>requestDeregister</c>.</param>
/// <param name="Status">The registration's life-cycle state.</param>
public sealed record NodeInfo(
    EthAddress Operator,
    string Endpoint,
    byte[] TlsFingerprint,
    BigInteger Stake,
    DateTimeOffset? WithdrawableAt,
    NodeStatus Status);
