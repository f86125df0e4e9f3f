using System.Diagnostics;
using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Sends EIP-1559 transactions from one key: fills nonce, fees and gas, signs, sends and waits for the receipt.</summary>
/// <remarks>
/// Fees: maxPriorityFeePerGas from <c>eth_maxPriorityFeePerGas</c> (fallback from options), maxFeePerGas = 2 × latest
/// base fee + tip, which survives six consecutive full blocks of +12.5 % base-fee growth (EIP-1559 §Rationale).
/// Sends from one instance are serialised and the nonce is tracked locally (max of the local counter and the pending
/// count), so concurrent callers never reuse a nonce. A mined revert is replayed with <c>eth_call</c> at its block
/// to recover the reason and revert data, and thrown as <see cref="TransactionFailedException"/>.
/// </remarks>
public sealed class TransactionSender : IDisposable
{
    private readonly IEthereumRpc _rpc;
    private readonly EthKey _key;
    private readonly TransactionSenderOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private BigInteger? _chainId;
    private ulong? _nextNonce;

    /// <summary>Creates a sender for <paramref name="key"/> on <paramref name="rpc"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TransactionSender(IEthereumRpc rpc, EthKey key, TransactionSenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(key);
        _options = options ?? new TransactionSenderOptions();
        _options.Validate();
        _rpc = rpc;
        _key = key;
    }

    /// <summary>The sending account.</summary>
    public EthAddress Address => _key.Address;

    /// <summary>The RPC this sender uses.</summary>
    public IEthereumRpc Rpc => _rpc;

    /// <summary>Sends <paramref name="request"/> and waits for a successful receipt.</summary>
    /// <exception cref="EthereumRpcException">The node rejected the transaction or gas estimation reverted (with the decoded reason).</exception>
    /// <exception cref="TransactionFailedException">The transaction was mined but reverted.</exception>
    /// <exception cref="TimeoutException">No receipt within <see cref="TransactionSenderOptions.ReceiptTimeout"/>.</exception>
    public async Task<TransactionReceipt> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] hash = await SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        TransactionReceipt receipt = await WaitForReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded)
        {
            (string reason, byte[]? revertData) = await ReplayAsync(request, receipt, cancellationToken).ConfigureAwait(false);
            throw new TransactionFailedException(receipt, reason, revertData);
        }

        return receipt;
    }

    /// <summary>Fills, signs and broadcasts <paramref name="request"/> without waiting; returns the transaction hash.</summary>
    public async Task<byte[]> SubmitAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Eip1559Transaction tx = await FillAsync(request, cancellationToken).ConfigureAwait(false);
            SignedTransaction signed = tx.Sign(_key);
            try
            {
                await _rpc.SendRawTransactionAsync(signed.Raw, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The node may or may not have taken the nonce; re-read it next time.
                _nextNonce = null;
                throw;
            }

            _nextNonce = tx.Nonce + 1;
            return signed.Hash;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Transfers <paramref name="wei"/> to <paramref name="to"/>.</summary>
    public Task<TransactionReceipt> TransferAsync(EthAddress to, BigInteger wei, CancellationToken cancellationToken = default) =>
        SendAsync(new TransactionRequest { To = to, Value = wei }, cancellationToken);

    /// <summary>Deploys <paramref name="initCode"/> (constructor arguments already appended) and returns the new contract's address.</summary>
    /// <exception cref="TransactionFailedException">The constructor reverted.</exception>
    public async Task<(EthAddress Address, TransactionReceipt Receipt)> DeployAsync(ReadOnlyMemory<byte> initCode, CancellationToken cancellationToken = default)
    {
        TransactionReceipt receipt = await SendAsync(new TransactionRequest { Data = initCode }, cancellationToken).ConfigureAwait(false);
        EthAddress address = receipt.ContractAddress
            ?? throw new EthereumRpcException("eth_getTransactionReceipt", null, $"creation receipt {Hex.Encode(receipt.TransactionHash)} has no contractAddress", null, null);
        return (address, receipt);
    }

    /// <summary>Polls for the receipt of <paramref name="transactionHash"/> until it exists or the timeout passes.</summary>
    /// <exception cref="TimeoutException">No receipt within <see cref="TransactionSenderOptions.ReceiptTimeout"/>.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(byte[] transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactionHash);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            TransactionReceipt? receipt = await _rpc.GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null)
            {
                return receipt;
            }

            if (clock.Elapsed >= _options.ReceiptTimeout)
            {
                throw new TimeoutException(
                    $"Transaction {Hex.Encode(transactionHash)} from {Address} was not mined within {_options.ReceiptTimeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the send lock.</summary>
    public void Dispose() => _sendLock.Dispose();

    private async Task<Eip1559Transaction> FillAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        // The lookups are independent: issue them together, one round trip of latency instead of five.
        Task<BigInteger> chainId = _chainId is { } known ? Task.FromResult(known) : _rpc.GetChainIdAsync(cancellationToken);
        Task<ulong> pending = _rpc.GetTransactionCountAsync(Address, BlockParameter.Pending, cancellationToken);
        Task<BlockHeader?> latest = _rpc.GetBlockAsync(BlockParameter.Latest, cancellationToken);
        Task<BigInteger> tip = PriorityFeeAsync(cancellationToken);
        Task<ulong> gas = request.GasLimit is { } limit ? Task.FromResult(limit) : EstimateAsync(request, cancellationToken);
        // The estimate first: when several fail, its revert reason is the most useful error to surface.
        await Task.WhenAll(gas, chainId, pending, latest, tip).ConfigureAwait(false);

        _chainId = chainId.Result;
        BlockHeader block = latest.Result
            ?? throw new EthereumRpcException("eth_getBlockByNumber", null, "the node returned no latest block", null, null);
        return new Eip1559Transaction
        {
            ChainId = chainId.Result,
            Nonce = Math.Max(pending.Result, _nextNonce ?? 0),
            MaxPriorityFeePerGas = tip.Result,
            MaxFeePerGas = (2 * block.BaseFeePerGas) + tip.Result,
            GasLimit = gas.Result,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
        };
    }

    private async Task<BigInteger> PriorityFeeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.GetMaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EthereumRpcException e) when (e.Code is not null && e.RevertData is null)
        {
            // The node answered but does not offer eth_maxPriorityFeePerGas.
            return _options.FallbackPriorityFeePerGas;
        }
    }

    private async Task<ulong> EstimateAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        ulong estimate = await _rpc.EstimateGasAsync(ToCall(request), cancellationToken).ConfigureAwait(false);
        return estimate + (estimate * (ulong)_options.GasMarginPercent / 100);
    }

    private async Task<(string Reason, byte[]? RevertData)> ReplayAsync(TransactionRequest request, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            await _rpc.CallAsync(ToCall(request), BlockParameter.Number(receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
            return ("the call succeeds when replayed, so the revert depended on state at inclusion (e.g. out of gas)", null);
        }
        catch (EthereumRpcException e)
        {
            return (e.RevertReason ?? e.RpcMessage, e.RevertData);
        }
    }

    private CallRequest ToCall(TransactionRequest request) =>
        new() { From = Address, To = request.To, Data = request.Data, Value = request.Value };
}
