using Mpc.Contracts.Artifacts;

namespace Mpc.Contracts.Tests.Artifacts;

/// <summary>The committed artifacts are what the pinned solc makes of the committed sources.</summary>
public sealed class ArtifactsUpToDateTests
{
    private const string Regenerate = "node src/Mpc.Contracts/scripts/compile.js";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task CommittedArtifactsMatchAFreshCompilation()
    {
        var result = await NodeScript.RunAsync("compile.js", ["--check"], Timeout);

        Assert.True(
            result.ExitCode == 0,
            $"src/Mpc.Contracts/compiled is stale or the contracts do not compile cleanly. " +
            $"Regenerate with '{Regenerate}' from the repository root and commit the result.\n{result}");
    }

    [Fact]
    public async Task CheckModeReportsATamperedArtifactWithTheRegenerateCommand()
    {
        // Arrange: a copy of the artifacts with one byte of bytecode changed.
        var dir = Directory.CreateTempSubdirectory("mpc-artifacts-");
        try
        {
            foreach (var file in Directory.GetFiles(NodeScript.ArtifactsDir, "*.json"))
            {
                File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            }

            var target = Path.Combine(dir.FullName, "SecretContracts.json");
            var text = await File.ReadAllTextAsync(target);
            var at = text.IndexOf("\"bytecode\": \"0x", StringComparison.Ordinal) + "\"bytecode\": \"0x".Length;
            var flipped = text[at] == '6' ? '7' : '6';
            await File.WriteAllTextAsync(target, text[..at] + flipped + text[(at + 1)..]);

            // Act
            var result = await NodeScript.RunAsync("compile.js", ["--check", "--out", dir.FullName], Timeout);

            // Assert
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("SecretContracts.json differs", result.StdErr, StringComparison.Ordinal);
            Assert.Contains(Regenerate, result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EmbeddedArtifactIsTheCommittedFile()
    {
        var onDisk = ContractArtifact.Parse(
            await File.ReadAllBytesAsync(Path.Combine(NodeScript.ArtifactsDir, "SecretContracts.json")), "disk");
        var embedded = ContractArtifacts.SecretContracts;

        Assert.Equal(onDisk.AbiJson, embedded.AbiJson);
        Assert.True(onDisk.Bytecode.SequenceEqual(embedded.Bytecode), "embedded bytecode differs: rebuild Mpc.Contracts");
        Assert.Equal(onDisk.CompilerVersion, embedded.CompilerVersion);
    }

    [Fact]
    public async Task ArtifactRecordsTheSolcVersionPinnedInPackageJson()
    {
        using var package = System.Text.Json.JsonDocument.Parse(
            await File.ReadAllTextAsync(Path.Combine(NodeScript.RepoRoot, "package.json")));
        var pinned = package.RootElement.GetProperty("devDependencies").GetProperty("solc").GetString()!;

        Assert.StartsWith(pinned + "+commit.", ContractArtifacts.SecretContracts.CompilerVersion, StringComparison.Ordinal);
    }
}
