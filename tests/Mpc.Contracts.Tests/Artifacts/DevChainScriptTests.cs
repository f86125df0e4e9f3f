using System.Text.Json;
using Mpc.Contracts.Tests.Chain;

namespace Mpc.Contracts.Tests.Artifacts;

/// <summary>
/// Runs scripts/devchain-check.js: deploys the committed artifact on a real anvil (from node_modules),
/// drives every entry point through JSON-RPC with anvil's EIP-712 signatures, and reports gas.
/// </summary>
public sealed class DevChainScriptTests
{
    [Fact]
    public async Task ContractBehavesOnAnvilAndPostResultStaysWithinItsGasBudget()
    {
        var result = await NodeScript.RunAsync("devchain-check.js", [], TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, $"devchain-check.js failed:\n{result}");
        using var figures = JsonDocument.Parse(result.StdOut);
        var postResult = figures.RootElement.GetProperty("post_result_3_signers_1_output_gas").GetInt32();
        var secondJob = figures.RootElement.GetProperty("post_result_3_signers_1_output_second_job_gas").GetInt32();
        Assert.InRange(postResult, 50_000, GasBudget.PostResult);
        Assert.InRange(secondJob, 50_000, GasBudget.PostResult);
    }
}
