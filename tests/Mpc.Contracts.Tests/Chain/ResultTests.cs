using System.Numerics;
using System.Text.Json.Nodes;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Xunit.Abstractions;
using static Mpc.Contracts.Tests.Chain.SecretContractsFixture;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>Signed results against a real anvil: quorum, signature rules, fee split and withdrawal, slashing, digests and gas.</summary>
public sealed class ResultTests(SecretContractsFixture fixture, ITestOutputHelper output) : IClassFixture<SecretContractsFixture>
{
    private static readonly byte[][] Outputs = [Word("output 0")];
    private static readonly byte[] Commitment = Word("output commitment");

    private SecretContractsClient Deployment => fixture.Client;

    [Fact]
    public async Task LocalDomainSeparatorAndDigest_EqualTheContracts()
    {
        ResultSigning signing = await Deployment.CreateResultSigningAsync();
        byte[] outputsHash = ResultSigning.OutputsHash([Word("a"), Word("b")]);

        byte[] onChainSeparator = await Deployment.DomainSeparatorAsync();
        byte[] onChainDigest = await Deployment.ResultDigestAsync(42, outputsHash, Commitment);

        Assert.Equal(onChainSeparator, signing.DomainSeparator.ToArray());
        Assert.Equal(onChainDigest, signing.Digest(42, outputsHash, Commitment));
        Assert.NotEqual(onChainDigest, signing.Digest(43, outputsHash, Commitment));
    }

    [Fact]
    public async Task PostResult_WithTSignatures_RevertsWithNotEnoughSignatures()
    {
        TestCluster cluster = await fixture.NewClusterAsync(5, 2);
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, 1000);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();

        SecretContractsRevertException e = await Reverts.AssertAsync(
            "NotEnoughSignatures",
            () => Deployment.PostResultAsync(jobId, Outputs, Commitment, Sign(signing, jobId, cluster.Members[..2])));

        Assert.Equal([new BigInteger(2), new BigInteger(3)], e.ErrorArguments);
        Assert.False((await Deployment.GetResultAsync(jobId)).Posted);
    }

    [Fact]
    public async Task PostResult_WithTPlusOneSignatures_StoresTheResult_AndPublishesTheOutputs()
    {
        TestCluster cluster = await fixture.NewClusterAsync(5, 2);
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, 1000);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();
        byte[][] outputs = [Word("x"), Word("y")];
        byte[] outputsHash = ResultSigning.OutputsHash(outputs);
        // Members 4, 1, 2 (0-based) sign; order of signatures is free.
        Member[] signers = [cluster.Members[4], cluster.Members[1], cluster.Members[2]];
        EthSignature[] signatures = signers.Select(m => signing.Sign(m.Key, jobId, outputsHash, Commitment)).ToArray();

        (_, SecretContractsClient relayer) = await fixture.NewAccountAsync();
        await relayer.PostResultAsync(jobId, outputs, Commitment, signatures);

        ResultInfo result = await Deployment.GetResultAsync(jobId);
        Assert.True(result.Posted);
        Assert.Equal(outputsHash, result.OutputsHash);
        Assert.Equal(Commitment, result.OutputCommitment);
        Assert.Equal(JobStatus.Completed, (await Deployment.GetJobAsync(jobId)).Status);
        ResultPostedEvent? posted = await Deployment.FindResultPostedAsync(jobId);
        Assert.NotNull(posted);
        Assert.Equal(outputs, posted.Outputs);
        Assert.Equal([1, 2, 4], posted.SignerIndices());
        Assert.Null(await Deployment.FindResultPostedAsync(jobId + 1000));
        await Reverts.AssertAsync("JobNotOpen", () => relayer.PostResultAsync(jobId, outputs, Commitment, signatures));
    }

    [Fact]
    public async Task PostResult_BeforeTheInputDeadline_RevertsWithInputPhaseNotOver()
    {
        (TestCluster cluster, ulong jobId, ResultSigning signing) = await JobInInputPhaseAsync();

        await Reverts.AssertAsync("InputPhaseNotOver", () => Deployment.PostResultAsync(jobId, Outputs, Commitment, Sign(signing, jobId, cluster.Members)));
    }

    public enum BadSignature
    {
        DuplicateSigner,
        NonMember,
        Malleated,
        WrongJob,
        WrongOutputs,
    }

    public static TheoryData<BadSignature, string> BadSignatures => new()
    {
        { BadSignature.DuplicateSigner, "DuplicateSigner" },
        { BadSignature.NonMember, "NotClusterMember" },
        { BadSignature.Malleated, "InvalidSignature" },
        // A signature over other data recovers to an unrelated address (docs/contract.md, "Custom errors").
        { BadSignature.WrongJob, "NotClusterMember" },
        { BadSignature.WrongOutputs, "NotClusterMember" },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task PostResult_WithOneBadSignatureAmongAQuorum_RevertsNamingIt(BadSignature kind, string error)
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, 1000);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();
        byte[] outputsHash = ResultSigning.OutputsHash(Outputs);
        byte[] good = signing.Sign(cluster.Members[0].Key, jobId, outputsHash, Commitment).ToBytes();
        using EthKey outsider = EthKey.Generate();
        byte[] bad = kind switch
        {
            BadSignature.DuplicateSigner => good,
            BadSignature.NonMember => signing.Sign(outsider, jobId, outputsHash, Commitment).ToBytes(),
            BadSignature.Malleated => Malleate(signing.Sign(cluster.Members[1].Key, jobId, outputsHash, Commitment)),
            BadSignature.WrongJob => signing.Sign(cluster.Members[1].Key, jobId + 1, outputsHash, Commitment).ToBytes(),
            BadSignature.WrongOutputs => signing.Sign(cluster.Members[1].Key, jobId, ResultSigning.OutputsHash([Word("other")]), Commitment).ToBytes(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        SecretContractsRevertException e = await Reverts.AssertAsync(error, () => Deployment.PostResultAsync(jobId, Outputs, Commitment, [good, bad]));

        Assert.False((await Deployment.GetResultAsync(jobId)).Posted);
        if (kind == BadSignature.NonMember)
        {
            Assert.Equal([new BigInteger(cluster.ClusterId), outsider.Address], e.ErrorArguments);
        }

        if (kind == BadSignature.Malleated)
        {
            Assert.Equal([BigInteger.One], e.ErrorArguments);
        }
    }

    [Fact]
    public async Task PostResult_SplitsTheFeeAmongSigners_AndWithdrawalPaysEachExactly()
    {
        TestCluster cluster = await fixture.NewClusterAsync(5, 2);
        BigInteger fee = (3 * OneEther) + 2; // not divisible by 3: the lowest-index signer gets the 2 wei remainder
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, fee);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();
        Member[] signers = [cluster.Members[3], cluster.Members[1], cluster.Members[4]];

        await Deployment.PostResultAsync(jobId, Outputs, Commitment, Sign(signing, jobId, signers));

        BigInteger share = fee / 3;
        Assert.Equal(share + 2, await Deployment.PendingFeesAsync(cluster.ClusterId, cluster.Members[1].Address));
        Assert.Equal(share, await Deployment.PendingFeesAsync(cluster.ClusterId, cluster.Members[3].Address));
        Assert.Equal(share, await Deployment.PendingFeesAsync(cluster.ClusterId, cluster.Members[4].Address));
        Assert.Equal(BigInteger.Zero, await Deployment.PendingFeesAsync(cluster.ClusterId, cluster.Members[0].Address));
        foreach (Member signer in signers)
        {
            BigInteger pending = await Deployment.PendingFeesAsync(cluster.ClusterId, signer.Address);
            BigInteger before = await fixture.Node.Rpc.GetBalanceAsync(signer.Address);
            TransactionReceipt receipt = await signer.Client.WithdrawFeesAsync(cluster.ClusterId);
            Assert.Equal(before + pending - receipt.FeePaid, await fixture.Node.Rpc.GetBalanceAsync(signer.Address));
            Assert.Equal(BigInteger.Zero, await Deployment.PendingFeesAsync(cluster.ClusterId, signer.Address));
        }

        await Reverts.AssertAsync("NothingToWithdraw", () => cluster.Members[0].Client.WithdrawFeesAsync(cluster.ClusterId));
    }

    [Fact]
    public async Task PostResult_ThreeSignersOneOutput_StaysWithinTheGasBudget()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, OneEther);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();

        TransactionReceipt receipt = await Deployment.PostResultAsync(jobId, Outputs, Commitment, Sign(signing, jobId, cluster.Members));

        output.WriteLine($"postResult gas (3 signers, one 32-byte output): {receipt.GasUsed}");
        Assert.InRange(receipt.GasUsed, 21_000 + (3 * 3_000), GasBudget.PostResult);
    }

    [Fact]
    public async Task Slash_TwoConflictingSignedResults_PaysTheReporterAndMarksTheNodeSlashed()
    {
        (TestCluster cluster, ulong jobId, ResultSigning signing) = await JobInInputPhaseAsync();
        Member cheater = cluster.Members[2];
        SignedResult first = SignResult(signing, cheater.Key, jobId, ResultSigning.OutputsHash(Outputs), Commitment);
        SignedResult second = SignResult(signing, cheater.Key, jobId, ResultSigning.OutputsHash([Word("forged")]), Commitment);
        (EthKey reporterKey, SecretContractsClient reporter) = await fixture.NewAccountAsync();
        BigInteger burnedBefore = await Deployment.BurnedStakeAsync();
        BigInteger before = await fixture.Node.Rpc.GetBalanceAsync(reporterKey.Address);

        TransactionReceipt receipt = await reporter.SlashAsync(jobId, cheater.Address, first, second);

        BigInteger reward = MinStake / 2; // SLASH_REWARD_BPS = 5000
        Assert.Equal(before + reward - receipt.FeePaid, await fixture.Node.Rpc.GetBalanceAsync(reporterKey.Address));
        NodeInfo node = await Deployment.GetNodeAsync(cheater.Address);
        Assert.Equal(NodeStatus.Slashed, node.Status);
        Assert.Equal(BigInteger.Zero, node.Stake);
        Assert.Equal(burnedBefore + (MinStake - reward), await Deployment.BurnedStakeAsync());
        await Reverts.AssertAsync("NothingToSlash", () => reporter.SlashAsync(jobId, cheater.Address, first, second));
    }

    [Fact]
    public async Task Slash_NonConflictingOrForeignEvidence_Reverts()
    {
        (TestCluster cluster, ulong jobId, ResultSigning signing) = await JobInInputPhaseAsync();
        Member honest = cluster.Members[0];
        byte[] outputsHash = ResultSigning.OutputsHash(Outputs);
        SignedResult once = SignResult(signing, honest.Key, jobId, outputsHash, Commitment);
        SignedResult byOther = SignResult(signing, cluster.Members[1].Key, jobId, outputsHash, Word("other commitment"));
        (_, SecretContractsClient reporter) = await fixture.NewAccountAsync();

        await Reverts.AssertAsync("ResultsDoNotConflict", () => reporter.SlashAsync(jobId, honest.Address, once, once));
        SecretContractsRevertException e = await Reverts.AssertAsync("WrongSigner", () => reporter.SlashAsync(jobId, honest.Address, once, byOther));

        Assert.Equal([honest.Address, cluster.Members[1].Address], e.ErrorArguments);
        Assert.Equal(NodeStatus.Active, (await Deployment.GetNodeAsync(honest.Address)).Status);
    }

    [Fact]
    public async Task PostResult_MinedAfterTheResultWindowClosed_RevertsOnChain_AndStillNamesTheError()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.JobInResultPhaseAsync(cluster, 1000);
        ResultSigning signing = await Deployment.CreateResultSigningAsync();
        (EthKey relayerKey, SecretContractsClient relayer) = await fixture.NewAccountAsync();

        // The estimate passes inside the window; the block that includes the transaction is past it, so the
        // transaction is mined with status 0 and the client must replay it to name the error.
        await fixture.Node.Rpc.SendAsync("evm_setAutomine", new JsonArray { false });
        Task<TransactionReceipt> post;
        try
        {
            post = relayer.PostResultAsync(jobId, Outputs, Commitment, Sign(signing, jobId, cluster.Members));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (await fixture.Node.Rpc.GetTransactionCountAsync(relayerKey.Address, BlockParameter.Pending) == 0)
            {
                Assert.False(post.IsCompleted, $"postResult finished before it was mined: {post.Exception}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the postResult transaction never reached the pool");
                await Task.Delay(10);
            }

            await fixture.AdvanceAsync(TimeSpan.FromHours(2));
        }
        finally
        {
            await fixture.Node.Rpc.SendAsync("evm_setAutomine", new JsonArray { true });
        }

        SecretContractsRevertException e = await Reverts.AssertAsync("ResultWindowClosed", () => post);
        TransactionFailedException mined = Assert.IsType<TransactionFailedException>(e.InnerException);
        Assert.False(mined.Receipt.Succeeded);
        Assert.Equal(JobStatus.Open, (await Deployment.GetJobAsync(jobId)).Status);
    }

    private async Task<(TestCluster Cluster, ulong JobId, ResultSigning Signing)> JobInInputPhaseAsync()
    {
        TestCluster cluster = await fixture.NewClusterAsync(3, 1);
        ulong jobId = await fixture.NewJobAsync(cluster, 1000, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        return (cluster, jobId, await Deployment.CreateResultSigningAsync());
    }

    private static EthSignature[] Sign(ResultSigning signing, ulong jobId, IEnumerable<Member> members)
    {
        byte[] outputsHash = ResultSigning.OutputsHash(Outputs);
        return members.Select(m => signing.Sign(m.Key, jobId, outputsHash, Commitment)).ToArray();
    }

    private static SignedResult SignResult(ResultSigning signing, EthKey key, ulong jobId, byte[] outputsHash, byte[] commitment) =>
        new(outputsHash, commitment, signing.Sign(key, jobId, outputsHash, commitment).ToBytes());

    /// <summary>The malleated twin (r, n − s, v ^ 1) of a signature: valid ECDSA for the same key, rejected by EIP-2.</summary>
    internal static byte[] Malleate(EthSignature signature) =>
        new EthSignature(signature.R, Mpc.Contracts.Ethereum.Secp256k1.N - signature.S, (byte)(signature.RecoveryId ^ 1)).ToBytes();
}
