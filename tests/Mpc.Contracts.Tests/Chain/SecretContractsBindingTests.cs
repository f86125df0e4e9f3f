using System.Numerics;
using System.Text.Json;
using Mpc.Contracts.Artifacts;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>The client's ABI binding is derived from the artifact and agrees with solc; reverts decode to named errors.</summary>
public sealed class SecretContractsBindingTests
{
    [Fact]
    public void EveryFunctionSelector_MatchesTheOneSolcComputed()
    {
        foreach ((string signature, string selector) in ContractArtifacts.SecretContracts.MethodIdentifiers)
        {
            AbiFunction function = SecretContractsAbi.Function(signature[..signature.IndexOf('(')]);
            Assert.Equal(signature, function.Signature);
            Assert.Equal(selector, Convert.ToHexStringLower(function.Selector));
        }
    }

    [Fact]
    public void RevertDecoder_KnowsEveryCustomErrorOfTheAbi()
    {
        using JsonDocument abi = ContractArtifacts.SecretContracts.ParseAbi();
        string[] abiErrors = abi.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "error")
            .Select(e => e.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(33, abiErrors.Length); // docs/contract.md, "Custom errors"
        Assert.Equal(abiErrors, SecretContractsClient.RevertDecoder.CustomErrors.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RevertException_NamesTheErrorAndDecodesItsArguments()
    {
        byte[] data = [.. Abi.FunctionSelector("JobNotOpen(uint256,uint8)"), .. Abi.Encode("uint256,uint8", 12, 2)];

        SecretContractsRevertException e = SecretContractsRevertException.From("postResult", data, new InvalidOperationException("rpc"));

        Assert.Equal("JobNotOpen", e.ErrorName);
        Assert.Equal([new BigInteger(12), new BigInteger(2)], e.ErrorArguments);
        Assert.Equal("SecretContracts.postResult reverted: JobNotOpen(12, 2)", e.Message);
    }

    [Fact]
    public void RevertException_OfUnknownData_HasNoErrorName()
    {
        SecretContractsRevertException e = SecretContractsRevertException.From("refund", [0xde, 0xad, 0xbe, 0xef], new InvalidOperationException("rpc"));

        Assert.Null(e.ErrorName);
        Assert.Empty(e.ErrorArguments);
        Assert.Contains("0xdeadbeef", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_ValidatesArgumentsBeforeTouchingTheChain()
    {
        using var rpc = new EthereumRpcClient(new Uri("http://127.0.0.1:9/"));
        var readOnly = new SecretContractsClient(rpc, EthAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

        await Assert.ThrowsAsync<ArgumentException>(() => readOnly.RegisterNodeAsync("https://a.test", new byte[31], 1));
        await Assert.ThrowsAsync<ArgumentException>(() => readOnly.RegisterNodeAsync(string.Empty, new byte[32], 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => readOnly.CreateJobAsync(1, DateTimeOffset.UnixEpoch.AddDays(1), TimeSpan.FromMilliseconds(1500), 1));
        await Assert.ThrowsAsync<ArgumentException>(() => readOnly.PostResultAsync(1, [new byte[32]], new byte[33], Array.Empty<byte[]>()));
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => readOnly.RefundAsync(1));
        Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultPostedEvent_SignerIndices_ReadsTheBitmapFromBitOne()
    {
        var log = new LogEntry(EthAddress.Zero, [], [], 0, new byte[32], 0, false);
        var posted = new ResultPostedEvent(1, new byte[32], new byte[32], (BigInteger.One << 1) | (BigInteger.One << 3) | (BigInteger.One << 255), 0, [], log);

        Assert.Equal([0, 2, 254], posted.SignerIndices());
    }
}
