using System.Text;
using System.Text.Json;
using Mpc.Contracts.Artifacts;
using Org.BouncyCastle.Crypto.Digests;

namespace Mpc.Contracts.Tests.Artifacts;

/// <summary>The SecretContracts ABI has every function, event and error apps and nodes rely on (docs/contract.md).</summary>
public sealed class SecretContractsAbiTests
{
    public static TheoryData<string, string> Functions => new()
    {
        { "registerNode(string,bytes32)", "payable" },
        { "requestDeregister()", "nonpayable" },
        { "withdrawStake()", "nonpayable" },
        { "createCluster(address[],uint8)", "nonpayable" },
        { "deployContract(bytes32,uint256)", "nonpayable" },
        { "createJob(uint256,uint64,uint64)", "payable" },
        { "commitInputs(uint256,bytes32[])", "nonpayable" },
        { "postResult(uint256,bytes32[],bytes32,bytes[])", "nonpayable" },
        { "refund(uint256)", "nonpayable" },
        { "withdrawFees(uint256)", "nonpayable" },
        { "slash(uint256,address,bytes32,bytes32,bytes,bytes32,bytes32,bytes)", "nonpayable" },
        { "getNode(address)", "view" },
        { "getCluster(uint256)", "view" },
        { "getContract(uint256)", "view" },
        { "getJob(uint256)", "view" },
        { "getCommitments(uint256,address)", "view" },
        { "getResult(uint256)", "view" },
        { "pendingFees(uint256,address)", "view" },
        { "domainSeparator()", "view" },
        { "resultDigest(uint256,bytes32,bytes32)", "view" },
        { "minStake()", "view" },
        { "exitDelay()", "view" },
    };

    public static TheoryData<string> Events => new()
    {
        "NodeRegistered(address,string,bytes32,uint256)",
        "DeregistrationRequested(address,uint64)",
        "StakeWithdrawn(address,uint256)",
        "ClusterCreated(uint256,address[],uint8)",
        "ContractDeployed(uint256,bytes32,uint256,address)",
        "JobCreated(uint256,uint256,address,uint256,uint64,uint64)",
        "InputsCommitted(uint256,address,bytes32[])",
        "ResultPosted(uint256,bytes32,bytes32,uint256,uint256,bytes32[])",
        "FeesWithdrawn(address,uint256,uint256)",
        "JobRefunded(uint256,address,uint256)",
        "NodeSlashed(uint256,address,address,uint256,uint256)",
    };

    public static TheoryData<string> Errors => new()
    {
        "StakeTooLow(uint256,uint256)",
        "AlreadyRegistered(address)",
        "InvalidThreshold(uint256,uint8)",
        "DuplicateMember(address)",
        "InputDeadlinePassed(uint256,uint64)",
        "InputPhaseNotOver(uint256,uint64)",
        "ResultWindowClosed(uint256,uint64)",
        "NotEnoughSignatures(uint256,uint256)",
        "InvalidSignature(uint256)",
        "NotClusterMember(uint256,address)",
        "DuplicateSigner(address)",
        "RefundNotYetAvailable(uint256,uint64)",
        "ResultsDoNotConflict()",
        "WrongSigner(address,address)",
        "NothingToSlash(address)",
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void HasFunction(string signature, string stateMutability)
    {
        var entry = FindEntry("function", signature);

        Assert.Equal(stateMutability, entry.GetProperty("stateMutability").GetString());
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void HasEvent(string signature) => FindEntry("event", signature);

    [Theory]
    [MemberData(nameof(Errors))]
    public void HasError(string signature) => FindEntry("error", signature);

    [Fact]
    public void ConstructorTakesMinimumStakeAndExitDelay()
    {
        using var abi = ContractArtifacts.SecretContracts.ParseAbi();
        var constructor = abi.RootElement.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "constructor");

        Assert.Equal("(uint256,uint64)", "(" + InputTypes(constructor) + ")");
    }

    [Fact]
    public void EverySelectorIsTheKeccakOfItsSignature()
    {
        var artifact = ContractArtifacts.SecretContracts;
        using var abi = artifact.ParseAbi();
        var functions = abi.RootElement.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "function").ToList();

        Assert.Equal(functions.Count, artifact.MethodIdentifiers.Count);
        foreach (var (signature, selector) in artifact.MethodIdentifiers)
        {
            Assert.Equal(Convert.ToHexStringLower(Keccak256(signature).AsSpan(0, 4)), selector);
            Assert.Equal(Convert.FromHexString(selector), artifact.Selector(signature));
        }
    }

    private static JsonElement FindEntry(string type, string signature)
    {
        using var abi = ContractArtifacts.SecretContracts.ParseAbi();
        var found = new List<string>();
        foreach (var entry in abi.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("type").GetString() != type)
            {
                continue;
            }

            var actual = $"{entry.GetProperty("name").GetString()}({InputTypes(entry)})";
            if (actual == signature)
            {
                return entry.Clone();
            }

            found.Add(actual);
        }

        Assert.Fail($"ABI has no {type} {signature}; it has: {string.Join(", ", found)}");
        return default;
    }

    private static string InputTypes(JsonElement entry) =>
        string.Join(",", entry.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()));

    private static byte[] Keccak256(string text)
    {
        var digest = new KeccakDigest(256);
        var input = Encoding.ASCII.GetBytes(text);
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
