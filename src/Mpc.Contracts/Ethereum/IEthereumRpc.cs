using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>The Ethereum JSON-RPC methods this project uses (execution-API names in each summary).</summary>
/// <remarks>Every method throws <see cref="EthereumRpcException"/> for node errors, carrying the code, message and decoded revert reason.</remarks>
public interface IEthereumRpc
{
    /// <summary><c>eth_chainId</c>.</summary>
    Task<BigInteger> GetChainIdAsync(CancellationToken cancellationToken = default);

    /// <summary><c>eth_blockNumber</c>.</summary>
    Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default);

    /// <summary><c>eth_getBalance</c> in wei.</summary>
    Task<BigInteger> GetBalanceAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default);

    /// <summary><c>eth_getTransactionCount</c> (the next nonce at <paramref name="block"/>).</summary>
    Task<ulong> GetTransactionCountAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default);

    /// <summary><c>eth_getCode</c>: the runtime bytecode at <paramref name="address"/>.</summary>
    Task<byte[]> GetCodeAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default);

    /// <summary><c>eth_gasPrice</c> in wei.</summary>
    Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default);

    /// <summary><c>eth_maxPriorityFeePerGas</c> in wei.</summary>
    Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default);

    /// <summary><c>eth_getBlockByNumber</c> without transactions; null when the block does not exist.</summary>
    Task<BlockHeader?> GetBlockAsync(BlockParameter block = default, CancellationToken cancellationToken = default);

    /// <summary><c>eth_estimateGas</c>; a revert surfaces as <see cref="EthereumRpcException"/> with the decoded reason.</summary>
    Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default);

    /// <summary><c>eth_call</c>: the return data; a revert surfaces as <see cref="EthereumRpcException"/> with the decoded reason.</summary>
    Task<byte[]> CallAsync(CallRequest call, BlockParameter block = default, CancellationToken cancellationToken = default);

    /// <summary><c>eth_sendRawTransaction</c>: the transaction hash.</summary>
    Task<byte[]> SendRawTransactionAsync(ReadOnlyMemory<byte> signedTransaction, CancellationToken cancellationToken = default);

    /// <summary><c>eth_getTransactionReceipt</c>; null while the transaction is not mined.</summary>
    Task<TransactionReceipt?> GetTransactionReceiptAsync(ReadOnlyMemory<byte> transactionHash, CancellationToken cancellationToken = default);

    /// <summary><c>eth_getLogs</c>.</summary>
    Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default);
}
