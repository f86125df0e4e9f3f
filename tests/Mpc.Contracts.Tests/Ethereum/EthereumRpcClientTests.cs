using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

public class EthereumRpcClientTests
{
    [Fact]
    public async Task ErrorWithRevertData_BecomesExceptionWithDecodedReason()
    {
        string revert = Hex.Encode(Abi.EncodeCall("Error(string)", "only members"));
        using EthereumRpcClient client = Client($$$"""{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: only members","data":"{{{revert}}}"}}""", out _);

        var ex = await Assert.ThrowsAsync<EthereumRpcException>(() => client.CallAsync(new CallRequest { To = EthAddress.Zero }));

        Assert.Equal("eth_call", ex.Method);
        Assert.Equal(3, ex.Code);
        Assert.Equal("only members", ex.RevertReason);
        Assert.Contains("only members", ex.Message);
    }

    [Fact]
    public async Task ErrorWithNestedData_IsDecoded()
    {
        string revert = Hex.Encode(Abi.EncodeCall("Error(string)", "nested"));
        string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"reverted\",\"data\":{\"data\":\"" + revert + "\"}}}";
        using EthereumRpcClient client = Client(body, out _);

        var ex = await Assert.ThrowsAsync<EthereumRpcException>(() => client.EstimateGasAsync(new CallRequest()));

        Assert.Equal("nested", ex.RevertReason);
    }

    [Fact]
    public async Task Request_IsJsonRpc20WithHexParameters()
    {
        using EthereumRpcClient client = Client("""{"jsonrpc":"2.0","id":1,"result":"0x1bc16d674ec80000"}""", out Recorder recorder);
        EthAddress address = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        System.Numerics.BigInteger balance = await client.GetBalanceAsync(address, BlockParameter.Number(26));

        JsonNode request = JsonNode.Parse(recorder.Body!)!;
        Assert.Equal("2.0", (string?)request["jsonrpc"]);
        Assert.Equal("eth_getBalance", (string?)request["method"]);
        Assert.Equal(address.ToString(), (string?)request["params"]![0]);
        Assert.Equal("0x1a", (string?)request["params"]![1]);
        Assert.Equal(System.Numerics.BigInteger.Parse("2000000000000000000", System.Globalization.CultureInfo.InvariantCulture), balance);
    }

    [Fact]
    public async Task MalformedResult_NamesMethod()
    {
        using EthereumRpcClient client = Client("""{"jsonrpc":"2.0","id":1,"result":12}""", out _);

        var ex = await Assert.ThrowsAsync<EthereumRpcException>(() => client.GetChainIdAsync());

        Assert.Contains("eth_chainId", ex.Message);
        Assert.Contains("malformed", ex.Message);
    }

    [Fact]
    public async Task UnreachableEndpoint_IsRpcExceptionWithoutCode()
    {
        using var client = new EthereumRpcClient(new Uri("http://127.0.0.1:1/"));

        var ex = await Assert.ThrowsAsync<EthereumRpcException>(() => client.GetBlockNumberAsync());

        Assert.Null(ex.Code);
        Assert.Contains("cannot reach", ex.Message);
    }

    private static EthereumRpcClient Client(string response, out Recorder recorder)
    {
        recorder = new Recorder(response);
        return new EthereumRpcClient(new HttpClient(recorder), new Uri("http://rpc.test/"));
    }

    private sealed class Recorder(string response) : HttpMessageHandler
    {
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(response, Encoding.UTF8, "application/json") };
        }
    }
}
