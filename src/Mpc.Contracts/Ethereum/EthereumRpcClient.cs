using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mpc.Contracts.Ethereum;

/// <summary>Ethereum JSON-RPC 2.0 over HTTP with System.Net.Http and System.Text.Json.</summary>
/// <remarks>
/// One POST per call. Error objects become <see cref="EthereumRpcException"/>; when the error carries revert data
/// (geth and anvil put it in <c>error.data</c> as hex, some nodes nest it one level deeper) it is decoded with the
/// configured <see cref="RevertDecoder"/>. Transport failures become an <see cref="EthereumRpcException"/> with no code.
/// The dev-only methods of <see cref="IEthereumDevRpc"/> are implemented too; they fail on nodes without them.
/// </remarks>
public sealed class EthereumRpcClient : IEthereumDevRpc, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly string _displayEndpoint;
    private long _nextId;

    /// <summary>Creates a client that owns its <see cref="HttpClient"/>.</summary>
    public EthereumRpcClient(Uri endpoint, RevertDecoder? revertDecoder = null)
        : this(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, endpoint, revertDecoder, ownsHttp: true)
    {
    }

    /// <summary>Creates a client on a caller-owned <see cref="HttpClient"/>.</summary>
    public EthereumRpcClient(HttpClient http, Uri endpoint, RevertDecoder? revertDecoder = null)
        : this(http, endpoint, revertDecoder, ownsHttp: false)
    {
    }

    private EthereumRpcClient(HttpClient http, Uri endpoint, RevertDecoder? revertDecoder, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"RPC endpoint '{endpoint}' must be http or https.", nameof(endpoint));
        }

        _http = http;
        _endpoint = endpoint;
        // Hosted RPC providers put API keys in the path or query: messages show only scheme, host and port.
        _displayEndpoint = endpoint.GetLeftPart(UriPartial.Authority);
        _ownsHttp = ownsHttp;
        RevertDecoder = revertDecoder ?? RevertDecoder.Default;
    }

    /// <summary>The endpoint URL.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Decodes revert data in errors.</summary>
    public RevertDecoder RevertDecoder { get; }

    /// <inheritdoc />
    public async Task<BigInteger> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false), "eth_chainId");

    /// <inheritdoc />
    public async Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        (long)Quantity(await SendAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false), "eth_blockNumber");

    /// <inheritdoc />
    public async Task<BigInteger> GetBalanceAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_getBalance", [address.ToString(), block.ToString()], cancellationToken).ConfigureAwait(false), "eth_getBalance");

    /// <inheritdoc />
    public async Task<ulong> GetTransactionCountAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        (ulong)Quantity(await SendAsync("eth_getTransactionCount", [address.ToString(), block.ToString()], cancellationToken).ConfigureAwait(false), "eth_getTransactionCount");

    /// <inheritdoc />
    public async Task<byte[]> GetCodeAsync(EthAddress address, BlockParameter block = default, CancellationToken cancellationToken = default) =>
        Data(await SendAsync("eth_getCode", [address.ToString(), block.ToString()], cancellationToken).ConfigureAwait(false), "eth_getCode");

    /// <inheritdoc />
    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false), "eth_gasPrice");

    /// <inheritdoc />
    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        Quantity(await SendAsync("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false), "eth_maxPriorityFeePerGas");

    /// <inheritdoc />
    public async Task<BlockHeader?> GetBlockAsync(BlockParameter block = default, CancellationToken cancellationToken = default)
    {
        JsonNode? result = await SendAsync("eth_getBlockByNumber", [block.ToString(), false], cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return null;
        }

        const string method = "eth_getBlockByNumber";
        JsonNode? baseFee = result["baseFeePerGas"];
        return new BlockHeader(
            (long)Quantity(result["number"], method),
            Data(result["hash"], method),
            (long)Quantity(result["timestamp"], method),
            baseFee is null ? BigInteger.Zero : Quantity(baseFee, method),
            (long)Quantity(result["gasLimit"], method));
    }

    /// <inheritdoc />
    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return (ulong)Quantity(await SendAsync("eth_estimateGas", [CallObject(call)], cancellationToken).ConfigureAwait(false), "eth_estimateGas");
    }

    /// <inheritdoc />
    public async Task<byte[]> CallAsync(CallRequest call, BlockParameter block = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Data(await SendAsync("eth_call", [CallObject(call), block.ToString()], cancellationToken).ConfigureAwait(false), "eth_call");
    }

    /// <inheritdoc />
    public async Task<byte[]> SendRawTransactionAsync(ReadOnlyMemory<byte> signedTransaction, CancellationToken cancellationToken = default) =>
        Data(await SendAsync("eth_sendRawTransaction", [Hex.Encode(signedTransaction.Span)], cancellationToken).ConfigureAwait(false), "eth_sendRawTransaction");

    /// <inheritdoc />
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(ReadOnlyMemory<byte> transactionHash, CancellationToken cancellationToken = default)
    {
        const string method = "eth_getTransactionReceipt";
        JsonNode? r = await SendAsync(method, [Hex.Encode(transactionHash.Span)], cancellationToken).ConfigureAwait(false);
        if (r is null)
        {
            return null;
        }

        JsonArray logs = r["logs"] as JsonArray ?? [];
        var parsedLogs = new LogEntry[logs.Count];
        for (int i = 0; i < parsedLogs.Length; i++)
        {
            parsedLogs[i] = ParseLog(logs[i], method);
        }

        return new TransactionReceipt(
            Data(r["transactionHash"], method),
            (long)Quantity(r["blockNumber"], method),
            Address(r["from"], method) ?? throw Malformed(method, "receipt without 'from'"),
            Address(r["to"], method),
            Quantity(r["status"], method) == BigInteger.One,
            (long)Quantity(r["gasUsed"], method),
            r["effectiveGasPrice"] is { } price ? Quantity(price, method) : BigInteger.Zero,
            Address(r["contractAddress"], method),
            parsedLogs);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new JsonObject
        {
            ["fromBlock"] = filter.FromBlock.ToString(),
            ["toBlock"] = filter.ToBlock.ToString(),
        };
        if (filter.Addresses.Count > 0)
        {
            query["address"] = new JsonArray(filter.Addresses.Select(static a => (JsonNode?)JsonValue.Create(a.ToString())).ToArray());
        }

        if (filter.Topics.Count > 0)
        {
            query["topics"] = new JsonArray(filter.Topics.Select(static position => position is null
                ? null
                : (JsonNode)new JsonArray(position.Select(static t => (JsonNode?)JsonValue.Create(Hex.Encode(t))).ToArray())).ToArray());
        }

        JsonNode? result = await SendAsync("eth_getLogs", [query], cancellationToken).ConfigureAwait(false);
        JsonArray array = result as JsonArray ?? throw Malformed("eth_getLogs", "result is not an array");
        var logs = new LogEntry[array.Count];
        for (int i = 0; i < logs.Length; i++)
        {
            logs[i] = ParseLog(array[i], "eth_getLogs");
        }

        return logs;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EthAddress>> GetAccountsAsync(CancellationToken cancellationToken = default)
    {
        JsonArray array = await SendAsync("eth_accounts", [], cancellationToken).ConfigureAwait(false) as JsonArray
            ?? throw Malformed("eth_accounts", "result is not an array");
        return array.Select(a => Address(a, "eth_accounts") ?? throw Malformed("eth_accounts", "null account")).ToArray();
    }

    /// <inheritdoc />
    public Task IncreaseTimeAsync(long seconds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        return SendAsync("evm_increaseTime", [seconds], cancellationToken);
    }

    /// <inheritdoc />
    public Task MineAsync(CancellationToken cancellationToken = default) => SendAsync("evm_mine", [], cancellationToken);

    /// <inheritdoc />
    public Task SetBalanceAsync(EthAddress address, BigInteger wei, CancellationToken cancellationToken = default) =>
        SendAsync("anvil_setBalance", [address.ToString(), Hex.EncodeQuantity(wei)], cancellationToken);

    /// <summary>Sends one raw JSON-RPC request and returns its <c>result</c> (null for JSON null).</summary>
    /// <exception cref="EthereumRpcException">The node returned an error or could not be reached.</exception>
    public async Task<JsonNode?> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(parameters);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        JsonNode? response;
        try
        {
            using HttpResponseMessage message = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
            string body = await message.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                response = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                throw new EthereumRpcException(method, null, $"HTTP {(int)message.StatusCode} from {_displayEndpoint} with a non-JSON body", null, null);
            }
        }
        catch (HttpRequestException e)
        {
            throw new EthereumRpcException(method, null, $"cannot reach {_displayEndpoint}: {e.Message}", null, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EthereumRpcException(method, null, $"{_displayEndpoint} did not answer within {_http.Timeout.TotalSeconds:0} s", null, null, e);
        }

        if (response is not JsonObject responseObject)
        {
            throw Malformed(method, "response is not a JSON object");
        }

        if (responseObject["error"] is JsonObject error)
        {
            throw ToException(method, error);
        }

        if (!responseObject.ContainsKey("result"))
        {
            throw Malformed(method, "response has neither result nor error");
        }

        return responseObject["result"];
    }

    /// <summary>Disposes the <see cref="HttpClient"/> if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private EthereumRpcException ToException(string method, JsonObject error)
    {
        int? code = error["code"] is JsonValue c && c.TryGetValue(out int parsed) ? parsed : null;
        string message = error["message"]?.ToString() ?? "(no message)";
        // geth/anvil: "data": "0x…"; some nodes: "data": { "data": "0x…" } or { "result": "0x…" }.
        JsonNode? data = error["data"];
        string? hex = data switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o => (o["data"] ?? o["result"])?.ToString(),
            _ => null,
        };
        byte[]? revertData = null;
        if (hex is not null && hex.StartsWith("0x", StringComparison.Ordinal))
        {
            try
            {
                revertData = Hex.Decode(hex);
            }
            catch (FormatException)
            {
                revertData = null;
            }
        }

        string? reason = revertData is not null ? RevertDecoder.Describe(revertData) : null;
        return new EthereumRpcException(method, code, message, revertData, reason);
    }

    private static JsonObject CallObject(CallRequest call)
    {
        var o = new JsonObject();
        if (call.From is { } from)
        {
            o["from"] = from.ToString();
        }

        if (call.To is { } to)
        {
            o["to"] = to.ToString();
        }

        if (!call.Data.IsEmpty)
        {
            // Both names: older nodes read "data", the execution-API spec names it "input".
            o["input"] = Hex.Encode(call.Data.Span);
            o["data"] = Hex.Encode(call.Data.Span);
        }

        if (!call.Value.IsZero)
        {
            o["value"] = Hex.EncodeQuantity(call.Value);
        }

        if (call.Gas is { } gas)
        {
            o["gas"] = Hex.EncodeQuantity(gas);
        }

        return o;
    }

    private static LogEntry ParseLog(JsonNode? log, string method)
    {
        if (log is not JsonObject o)
        {
            throw Malformed(method, "log is not an object");
        }

        JsonArray topics = o["topics"] as JsonArray ?? [];
        return new LogEntry(
            Address(o["address"], method) ?? throw Malformed(method, "log without address"),
            topics.Select(t => Data(t, method)).ToArray(),
            Data(o["data"], method),
            o["blockNumber"] is { } block ? (long)Quantity(block, method) : -1,
            o["transactionHash"] is { } tx ? Data(tx, method) : [],
            o["logIndex"] is { } index ? (long)Quantity(index, method) : -1,
            o["removed"] is JsonValue removed && removed.TryGetValue(out bool r) && r);
    }

    private static BigInteger Quantity(JsonNode? node, string method)
    {
        string text = node is JsonValue v && v.TryGetValue(out string? s) ? s : throw Malformed(method, $"expected a hex quantity, got {node?.ToJsonString() ?? "null"}");
        try
        {
            return Hex.DecodeQuantity(text);
        }
        catch (FormatException e)
        {
            throw Malformed(method, e.Message);
        }
    }

    private static byte[] Data(JsonNode? node, string method)
    {
        string text = node is JsonValue v && v.TryGetValue(out string? s) ? s : throw Malformed(method, $"expected hex data, got {node?.ToJsonString() ?? "null"}");
        try
        {
            return Hex.Decode(text);
        }
        catch (FormatException e)
        {
            throw Malformed(method, e.Message);
        }
    }

    private static EthAddress? Address(JsonNode? node, string method)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return new EthAddress(Data(node, method));
        }
        catch (ArgumentException e)
        {
            throw Malformed(method, e.Message);
        }
    }

    private static EthereumRpcException Malformed(string method, string detail) =>
        new(method, null, $"malformed response: {detail}", null, null);
}
