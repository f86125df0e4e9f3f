using System.Collections.Concurrent;
using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Calls, transactions and event queries on one deployed contract, addressed by human-readable ABI signatures.</summary>
/// <remarks>Parsed signatures are cached per instance, so repeated calls do not re-parse or re-hash them.</remarks>
public sealed class ContractClient
{
    private readonly IEthereumRpc _rpc;
    private readonly TransactionSender? _sender;
    private readonly ConcurrentDictionary<string, AbiFunction> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AbiEvent> _events = new(StringComparer.Ordinal);

    /// <summary>Creates a client for the contract at <paramref name="address"/>; without a <paramref name="sender"/> it is read-only.</summary>
    public ContractClient(IEthereumRpc rpc, EthAddress address, TransactionSender? sender = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
        _sender = sender;
        Address = address;
    }

    /// <summary>The contract address.</summary>
    public EthAddress Address { get; }

    /// <summary>Calls a view function, e.g. <c>CallAsync("balanceOf(address) returns (uint256)", owner)</c>, and decodes its outputs.</summary>
    /// <exception cref="EthereumRpcException">The call reverted; the exception carries the decoded reason.</exception>
    public Task<object?[]> CallAsync(string signature, params object?[] args) => CallAsync(signature, args, CancellationToken.None);

    /// <summary>Calls a view function and decodes its outputs.</summary>
    public async Task<object?[]> CallAsync(string signature, IReadOnlyList<object?> args, CancellationToken cancellationToken, BlockParameter block = default)
    {
        AbiFunction function = Function(signature);
        byte[] result = await _rpc.CallAsync(
            new CallRequest { From = _sender?.Address, To = Address, Data = function.EncodeCall([.. args]) },
            block,
            cancellationToken).ConfigureAwait(false);
        return function.DecodeOutput(result);
    }

    /// <summary>Calls a view function with one output and returns that output as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The output is not a <typeparamref name="T"/>; the message names the function.</exception>
    public async Task<T> CallSingleAsync<T>(string signature, params object?[] args)
    {
        object?[] outputs = await CallAsync(signature, args, CancellationToken.None).ConfigureAwait(false);
        if (outputs.Length != 1 || outputs[0] is not T value)
        {
            throw new InvalidCastException($"{signature} returned {outputs.Length} values; expected one {typeof(T).Name}.");
        }

        return value;
    }

    /// <summary>Sends a transaction calling <paramref name="signature"/> and waits for its receipt.</summary>
    /// <exception cref="InvalidOperationException">The client was created without a sender.</exception>
    /// <exception cref="EthereumRpcException">Gas estimation reverted; the exception carries the decoded reason.</exception>
    /// <exception cref="TransactionFailedException">The transaction was mined but reverted.</exception>
    public Task<TransactionReceipt> SendAsync(string signature, params object?[] args) =>
        SendAsync(signature, args, BigInteger.Zero, CancellationToken.None);

    /// <summary>Sends a transaction with <paramref name="value"/> wei attached and waits for its receipt.</summary>
    public Task<TransactionReceipt> SendAsync(string signature, IReadOnlyList<object?> args, BigInteger value, CancellationToken cancellationToken)
    {
        TransactionSender sender = _sender
            ?? throw new InvalidOperationException($"ContractClient for {Address} has no TransactionSender, so it cannot send {signature}.");
        byte[] data = Function(signature).EncodeCall([.. args]);
        return sender.SendAsync(new TransactionRequest { To = Address, Data = data, Value = value }, cancellationToken);
    }

    /// <summary>Fetches and decodes this contract's <paramref name="eventSignature"/> logs in a block range.</summary>
    /// <param name="eventSignature">E.g. <c>"Transfer(address indexed from, address indexed to, uint256 value)"</c>.</param>
    /// <param name="fromBlock">First block, inclusive.</param>
    /// <param name="toBlock">Last block, inclusive.</param>
    /// <param name="indexedFilters">Optional topic words for topics 1..3 by position (null = any).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public Task<IReadOnlyList<DecodedLog>> GetEventsAsync(
        string eventSignature,
        BlockParameter fromBlock,
        BlockParameter toBlock,
        IReadOnlyList<byte[]?>? indexedFilters = null,
        CancellationToken cancellationToken = default) =>
        GetEventsAsync(_events.GetOrAdd(eventSignature, AbiEvent.Parse), fromBlock, toBlock, indexedFilters, cancellationToken);

    /// <summary>Fetches and decodes this contract's logs of an already parsed <paramref name="abiEvent"/> in a block range.</summary>
    /// <param name="abiEvent">The event, e.g. from a contract's parsed ABI.</param>
    /// <param name="fromBlock">First block, inclusive.</param>
    /// <param name="toBlock">Last block, inclusive.</param>
    /// <param name="indexedFilters">Optional topic words for topics 1..3 by position (null = any).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<DecodedLog>> GetEventsAsync(
        AbiEvent abiEvent,
        BlockParameter fromBlock,
        BlockParameter toBlock,
        IReadOnlyList<byte[]?>? indexedFilters = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(abiEvent);
        var topics = new List<IReadOnlyList<byte[]>?> { new[] { abiEvent.Topic.ToArray() } };
        foreach (byte[]? filter in indexedFilters ?? [])
        {
            topics.Add(filter is null ? null : new[] { filter });
        }

        IReadOnlyList<LogEntry> logs = await _rpc.GetLogsAsync(
            new LogFilter { Addresses = [Address], Topics = topics, FromBlock = fromBlock, ToBlock = toBlock },
            cancellationToken).ConfigureAwait(false);
        var decoded = new List<DecodedLog>(logs.Count);
        foreach (LogEntry log in logs)
        {
            if (abiEvent.Matches(log))
            {
                decoded.Add(new DecodedLog(log, abiEvent.Decode(log)));
            }
        }

        return decoded;
    }

    private AbiFunction Function(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return _functions.GetOrAdd(signature, AbiFunction.Parse);
    }
}
