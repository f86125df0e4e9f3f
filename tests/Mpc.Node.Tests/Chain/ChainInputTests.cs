using System.Numerics;
using Grpc.Core;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using Mpc.Node.Chain;

namespace Mpc.Node.Tests.Chain;

/// <summary>Node-side chain integration: on-chain jobs on anvil with in-process nodes.</summary>
public sealed class ChainInputTests
{
    [Fact]
    public async Task ShareNotMatchingItsOnChainCommitmentIsRejectedWithAReason()
    {
        await using var chain = await ChainSetup.StartAsync();
        var (anvil, contract, cluster, circuit) = (chain.Anvil, chain.Contract, chain.Cluster, chain.Circuit);
        ulong jobId = await chain.CreateJobAsync(TimeSpan.FromMinutes(5));
        string job = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var client = JobTests.Client(cluster);
        await client.StartJobAsync<Fp61>(job, circuit);
        // Commitments cover one share per input: a job with copies > 1 has nothing to check its packed shares against.
        var batched = await Assert.ThrowsAsync<MpcClientException>(() => client.StartJobAsync<Fp61>(job + "-copies", circuit, 2));
        Assert.Equal(StatusCode.FailedPrecondition, batched.Status);
        Assert.Contains("bound to a chain", batched.Message, StringComparison.Ordinal);

        var shares = new ShamirScheme<Fp61>(3, 1).Share(Fp61.FromUInt64(80), CryptoRandom.Shared).Select(s =>
        {
            var bytes = new byte[Fp61.ByteLength];
            s.Write(bytes);
            return bytes;
        }).ToArray();
        var salts = Enumerable.Range(0, 3).Select(_ => InputCommitment.NewSalt()).ToArray();
        using var clientKey = AnvilNode.DevAccount(4);
        using var clientSender = new TransactionSender(anvil.Rpc, clientKey);
        await contract.WithSender(clientSender).CommitInputsAsync(jobId, shares.Select((s, i) => InputCommitment.Compute(s, salts[i])).ToList());

        // Node 1 gets a share other than the one committed to (a valid field element, so only the commitment can catch it).
        var sent = shares.Select(s => (byte[])s.Clone()).ToArray();
        sent[1][0] ^= 1;
        var refused = await Assert.ThrowsAsync<MpcClientException>(() => client.SubmitSharesAsync(job, "alice.v", sent, salts));
        Assert.Equal(StatusCode.PermissionDenied, refused.Status);
        Assert.Contains("node 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not match any on-chain commitment", refused.Message, StringComparison.Ordinal);

        var rejection = Assert.Single(cluster[1].Jobs.Chain!.Rejections);
        Assert.Equal((job, "alice.v"), (rejection.JobId, rejection.InputName));
        Assert.Contains($"job {jobId}", rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(cluster[1].Store.GetInputShares(job));
        // The members that got the committed share accepted it.
        Assert.Single(cluster[0].Store.GetInputShares(job));
        Assert.Single(cluster[2].Store.GetInputShares(job));
        Assert.Empty(cluster[0].Jobs.Chain!.Rejections);

        // The right share then goes through at node 1, and a job id that is no chain job is refused outright.
        await client.SubmitSharesAsync(job, "alice.v", shares, salts);
        Assert.Single(cluster[1].Store.GetInputShares(job));
        await client.StartJobAsync<Fp61>("off-chain", circuit);
        var offChain = await Assert.ThrowsAsync<MpcClientException>(() => client.SubmitSharesAsync("off-chain", "alice.v", shares, salts));
        Assert.Contains("is not a SecretContracts job id", offChain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputWordIsTheBigEndianValue()
    {
        var element = new byte[Fp61.ByteLength];
        Fp61.FromUInt64(0x0102).Write(element);
        byte[] word = NodeChain.OutputWord(element);
        Assert.Equal(32, word.Length);
        Assert.Equal(new BigInteger(0x0102), new BigInteger(word, isUnsigned: true, isBigEndian: true));
        Assert.Equal(0x01, word[30]);
        Assert.Equal(0x02, word[31]);
    }

    [Fact]
    public void ChainSettingsAreValidatedByName()
    {
        var options = new NodeOptions
        {
            NodeIndex = 0,
            DataDirectory = "/tmp/x",
            Threshold = 1,
            Peers = [.. Enumerable.Range(0, 3).Select(i => new PeerOptions { Index = i, Endpoint = $"https://127.0.0.1:{7400 + i}", Fingerprint = new string((char)('a' + i), 64) })],
            Chain = new ChainOptions { RpcUrl = "ftp://x", ContractAddress = "0x12", OperatorKeyFile = "/nonexistent/operator.key" },
        };
        var e = Assert.Throws<NodeOptionsException>(options.Validate);
        Assert.Contains(e.Errors, m => m.StartsWith("Chain.RpcUrl:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Chain.ContractAddress:", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Chain.OperatorKeyFile:", StringComparison.Ordinal));
    }
}
