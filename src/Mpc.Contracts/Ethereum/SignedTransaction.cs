namespace Mpc.Contracts.Ethereum;

/// <summary>A signed transaction envelope and its hash.</summary>
/// <param name="Raw">The bytes for <c>eth_sendRawTransaction</c>.</param>
/// <param name="Hash">keccak256 of <paramref name="Raw"/>, the transaction hash.</param>
public sealed record SignedTransaction(byte[] Raw, byte[] Hash);
