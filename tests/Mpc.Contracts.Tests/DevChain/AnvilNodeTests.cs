using System.Diagnostics;
using System.Numerics;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.DevChain;

/// <summary>The Ethereum client against a real anvil: chain id, EIP-1559 transfers, deployment, calls, logs and reverts.</summary>
public class AnvilNodeTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private static readonly BigInteger OneEther = BigInteger.Pow(10, 18);

    private AnvilNode Node => fixture.Node;

    [Fact]
    public async Task Start_ReportsChainIdAndTheFundedDevAccounts()
    {
        BigInteger chainId = await Node.Rpc.GetChainIdAsync();
        IReadOnlyList<EthAddress> accounts = await Node.Rpc.GetAccountsAsync();

        Assert.Equal(31337, chainId);
        Assert.Equal(Node.ChainId, chainId);
        Assert.Equal("127.0.0.1", Node.RpcUrl.Host);
        for (int i = 0; i < DevAccounts.PrivateKeys.Count; i++)
        {
            using EthKey key = DevAccounts.Key(i);
            Assert.Equal(accounts[i], key.Address);
        }

        Assert.True(await Node.Rpc.GetBalanceAsync(accounts[0]) > 1000 * OneEther);
    }

    [Fact]
    public async Task Transfer_Eip1559_MovesValueAndChargesExactlyTheFee()
    {
        using EthKey from = DevAccounts.Key(1);
        using EthKey to = EthKey.Generate();
        using var sender = new TransactionSender(Node.Rpc, from);
        BigInteger before = await Node.Rpc.GetBalanceAsync(from.Address);

        TransactionReceipt receipt = await sender.TransferAsync(to.Address, 3 * OneEther);

        Assert.True(receipt.Succeeded);
        Assert.Equal(21_000, receipt.GasUsed);
        Assert.Equal(from.Address, receipt.From);
        Assert.Equal(to.Address, receipt.To);
        Assert.Equal(3 * OneEther, await Node.Rpc.GetBalanceAsync(to.Address));
        Assert.Equal(before - (3 * OneEther) - receipt.FeePaid, await Node.Rpc.GetBalanceAsync(from.Address));
        Assert.True(receipt.EffectiveGasPrice > 0);
    }

    [Fact]
    public async Task ConcurrentSends_FromOneSender_UseDistinctNonces()
    {
        using EthKey from = DevAccounts.Key(2);
        using var sender = new TransactionSender(Node.Rpc, from);
        ulong nonceBefore = await Node.Rpc.GetTransactionCountAsync(from.Address);
        EthAddress sink = EthAddress.Parse("0x000000000000000000000000000000000000dEaD");

        TransactionReceipt[] receipts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sender.TransferAsync(sink, 1)));

        Assert.All(receipts, r => Assert.True(r.Succeeded));
        Assert.Equal(nonceBefore + 5, await Node.Rpc.GetTransactionCountAsync(from.Address));
    }

    [Fact]
    public async Task DeployedContract_AnswersCalls_EmitsQueryableLogs_AndRevertsWithReasons()
    {
        using EthKey deployerKey = DevAccounts.Key(3);
        using var sender = new TransactionSender(Node.Rpc, deployerKey);
        ulong nonce = await Node.Rpc.GetTransactionCountAsync(deployerKey.Address);

        (EthAddress address, TransactionReceipt deployment) = await sender.DeployAsync(ProbeContract.InitCode());
        var probe = new ContractClient(Node.Rpc, address, sender);

        Assert.Equal(EthAddress.ForCreate(deployerKey.Address, nonce), address);
        Assert.NotEmpty(await Node.Rpc.GetCodeAsync(address));
        Assert.Equal(ProbeContract.ConstantValue, await probe.CallSingleAsync<BigInteger>(ProbeContract.Value));

        TransactionReceipt ping = await probe.SendAsync(ProbeContract.Ping, 7);
        IReadOnlyList<DecodedLog> events = await probe.GetEventsAsync(ProbeContract.PingedEvent, deployment.BlockNumber, BlockParameter.Latest);
        IReadOnlyList<DecodedLog> filteredOut = await probe.GetEventsAsync(
            ProbeContract.PingedEvent, deployment.BlockNumber, BlockParameter.Latest, [Abi.Encode("address", EthAddress.Zero)]);

        Assert.Single(ping.Logs);
        DecodedLog pinged = Assert.Single(events);
        Assert.Equal(deployerKey.Address, pinged.Values[0]);
        Assert.Equal((BigInteger)7, pinged.Values[1]);
        Assert.Equal(ping.TransactionHash, pinged.Log.TransactionHash);
        Assert.Empty(filteredOut);

        var callRevert = await Assert.ThrowsAsync<EthereumRpcException>(() => probe.CallAsync(ProbeContract.Fail));
        Assert.Equal(ProbeContract.FailMessage, callRevert.RevertReason);
        var estimateRevert = await Assert.ThrowsAsync<EthereumRpcException>(() => probe.SendAsync(ProbeContract.Fail));
        Assert.Equal("eth_estimateGas", estimateRevert.Method);
        Assert.Equal(ProbeContract.FailMessage, estimateRevert.RevertReason);

        // With a fixed gas limit the revert is mined; the sender replays it to recover the reason.
        var mined = await Assert.ThrowsAsync<TransactionFailedException>(() => sender.SendAsync(
            new TransactionRequest { To = address, Data = Abi.EncodeCall(ProbeContract.Fail), GasLimit = 100_000 }));
        Assert.False(mined.Receipt.Succeeded);
        Assert.Equal(ProbeContract.FailMessage, mined.Reason);
        Assert.Equal(ProbeContract.FailMessage, RevertDecoder.Default.Describe(mined.RevertData));

        using var decodingRpc = new EthereumRpcClient(Node.RpcUrl, new RevertDecoder(ProbeContract.NotAllowedError));
        var custom = await Assert.ThrowsAsync<EthereumRpcException>(
            () => new ContractClient(decodingRpc, address, sender).CallAsync(ProbeContract.FailCustom));
        Assert.Equal($"NotAllowed({deployerKey.Address})", custom.RevertReason);
    }

    [Fact]
    public async Task DevHelpers_MoveTimeAndSetBalances()
    {
        BlockHeader before = (await Node.Rpc.GetBlockAsync())!;
        EthAddress fresh = EthKey.Generate().Address;

        await Node.Rpc.IncreaseTimeAsync(3600);
        await Node.Rpc.MineAsync();
        await Node.Rpc.SetBalanceAsync(fresh, 12345);
        BlockHeader after = (await Node.Rpc.GetBlockAsync())!;

        Assert.Equal(before.Number + 1, after.Number);
        Assert.True(after.Timestamp >= before.Timestamp + 3600, $"timestamp moved {after.Timestamp - before.Timestamp} s");
        Assert.True(after.BaseFeePerGas > 0);
        Assert.Equal(12345, await Node.Rpc.GetBalanceAsync(fresh));
        Assert.Equal(after.Number, await Node.Rpc.GetBlockNumberAsync());
    }

    [Fact]
    public async Task WaitForReceipt_OfUnknownTransaction_TimesOutNamingTheHash()
    {
        using EthKey key = EthKey.Generate();
        using var sender = new TransactionSender(Node.Rpc, key, new TransactionSenderOptions
        {
            ReceiptTimeout = TimeSpan.FromMilliseconds(200),
            PollInterval = TimeSpan.FromMilliseconds(50),
        });
        byte[] hash = Keccak256.Hash("never sent");

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => sender.WaitForReceiptAsync(hash));

        Assert.Contains(Hex.Encode(hash), ex.Message);
    }

    [Fact]
    public async Task SendRawTransaction_WithWrongChainId_IsRejectedWithCode()
    {
        using EthKey key = DevAccounts.Key(4);
        var tx = new Eip1559Transaction
        {
            ChainId = 1,
            Nonce = await Node.Rpc.GetTransactionCountAsync(key.Address),
            MaxPriorityFeePerGas = 1,
            MaxFeePerGas = 10_000_000_000,
            GasLimit = 21_000,
            To = key.Address,
        };

        var ex = await Assert.ThrowsAsync<EthereumRpcException>(() => Node.Rpc.SendRawTransactionAsync(tx.Sign(key).Raw));

        Assert.NotNull(ex.Code);
    }
}

public class AnvilNodeStartTests
{
    [Fact]
    public async Task Start_WithMissingBinary_SaysWhere()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(
            () => AnvilNode.StartAsync(new AnvilOptions { BinaryPath = "/nonexistent/anvil" }));

        Assert.Contains("/nonexistent/anvil", ex.Message);
    }

    [Fact]
    public void Options_RejectBadSettings() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnvilOptions { ChainId = 0 }.Validate());

    [Fact]
    public void LocateBinary_FindsThePackageUnderTheRepositoryRoot()
    {
        string path = AnvilNode.LocateBinary();

        Assert.True(File.Exists(path), path);
    }
}
