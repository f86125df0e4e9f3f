using System.Text;
using Mpc.Contracts.Artifacts;

namespace Mpc.Contracts.Tests.Artifacts;

/// <summary>The artifact loader: embedded lookup, parsing and its error messages.</summary>
public sealed class ContractArtifactTests
{
    private const string Minimal = """
        {
          "contractName": "C",
          "sourceName": "contracts/C.sol",
          "compiler": { "name": "solc", "version": "0.8.37+commit.f401782d", "settings": { "evmVersion": "cancun" } },
          "abi": [],
          "methodIdentifiers": { "f()": "26121ff0" },
          "bytecode": "0x6001",
          "deployedBytecode": "0x00"
        }
        """;

    [Fact]
    public void SecretContractsIsEmbeddedAndListed()
    {
        var artifact = ContractArtifacts.SecretContracts;

        Assert.Contains("SecretContracts", ContractArtifacts.Names);
        Assert.Equal("SecretContracts", artifact.ContractName);
        Assert.Equal("contracts/SecretContracts.sol", artifact.SourceName);
        Assert.Contains("\"evmVersion\":\"cancun\"", artifact.CompilerSettingsJson.Replace(" ", string.Empty), StringComparison.Ordinal);
        Assert.Same(artifact, ContractArtifacts.Get("SecretContracts"));
    }

    [Fact]
    public void BytecodeIsCreationCodeThatEmbedsTheRuntimeCode()
    {
        var artifact = ContractArtifacts.SecretContracts;

        // A creation transaction's code copies the runtime code out of itself, so it contains it.
        Assert.True(artifact.Bytecode.Length > artifact.DeployedBytecode.Length);
        Assert.True(artifact.Bytecode.IndexOf(artifact.DeployedBytecode) > 0);
        Assert.True(artifact.DeployedBytecode.Length <= 24_576, "runtime code exceeds the EIP-170 limit");
        Assert.StartsWith("0x", artifact.BytecodeHex, StringComparison.Ordinal);
        Assert.Equal(artifact.Bytecode.Length * 2 + 2, artifact.BytecodeHex.Length);
    }

    [Fact]
    public void DeploymentDataAppendsTheConstructorArguments()
    {
        var artifact = ContractArtifacts.SecretContracts;
        var args = new byte[64];
        args[31] = 1;
        args[63] = 2;

        var data = artifact.DeploymentData(args);

        Assert.True(data.AsSpan(0, artifact.Bytecode.Length).SequenceEqual(artifact.Bytecode));
        Assert.True(data.AsSpan(artifact.Bytecode.Length).SequenceEqual(args));
    }

    [Fact]
    public void UnknownContractNamesTheKnownOnes()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ContractArtifacts.Get("NoSuchContract"));

        Assert.Contains("NoSuchContract", e.Message, StringComparison.Ordinal);
        Assert.Contains("SecretContracts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSelectorNamesTheSignature()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ContractArtifacts.SecretContracts.Selector("nope(uint256)"));

        Assert.Contains("nope(uint256)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsesAMinimalArtifact()
    {
        var artifact = ContractArtifact.Parse(Encoding.UTF8.GetBytes(Minimal), "test");

        Assert.Equal("C", artifact.ContractName);
        Assert.Equal([0x60, 0x01], artifact.Bytecode.ToArray());
        Assert.Equal([0x26, 0x12, 0x1f, 0xf0], artifact.Selector("f()"));
        Assert.Equal("[]", artifact.AbiJson);
    }

    [Theory]
    [InlineData("\"bytecode\": \"0x6001\"", "\"bytecode\": \"0x600\"", "'bytecode'")]
    [InlineData("\"bytecode\": \"0x6001\"", "\"bytecode\": \"0x\"", "'bytecode'")]
    [InlineData("\"bytecode\": \"0x6001\"", "\"bytecode\": \"0xzz\"", "'bytecode'")]
    [InlineData("\"abi\": []", "\"abi\": {}", "'abi'")]
    [InlineData("\"contractName\": \"C\"", "\"contractName\": \"\"", "'contractName'")]
    [InlineData("\"26121ff0\"", "\"2612\"", "methodIdentifiers['f()']")]
    [InlineData("\"deployedBytecode\": \"0x00\"", "\"other\": 1", "'deployedBytecode'")]
    public void MalformedArtifactNamesTheField(string replace, string with, string field)
    {
        var json = Minimal.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Minimal, json);

        var e = Assert.Throws<InvalidDataException>(() => ContractArtifact.Parse(Encoding.UTF8.GetBytes(json), "origin.json"));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains("origin.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidJsonIsReportedWithItsOrigin()
    {
        var e = Assert.Throws<InvalidDataException>(() => ContractArtifact.Parse("{"u8, "origin.json"));

        Assert.Contains("origin.json", e.Message, StringComparison.Ordinal);
    }
}
