using System.Text.Json;
using Mpc.Cli.Commands;

namespace Mpc.Cli.Tests;

/// <summary>The runtime settings <c>mpc</c> runs with (docs/operator.md §9).</summary>
public sealed class RuntimeTuningTests
{
    [Fact]
    public void The_shipped_runtime_config_turns_thread_pool_spinning_off()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mpc.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    [Fact]
    public void A_benchmark_child_runs_without_tiering_and_without_ReadyToRun_code_unless_the_environment_chose()
    {
        var start = BenchCommand.IsolatedStartInfo(["bench", "mul"]);

        Assert.Equal("0", start.Environment["DOTNET_TieredCompilation"]);
        // Tiering off alone would keep the framework's precompiled code for the whole run (operator.md §9).
        Assert.Equal(Environment.GetEnvironmentVariable("DOTNET_ReadyToRun") ?? "0", start.Environment["DOTNET_ReadyToRun"]);
        Assert.Equal(["bench", "mul"], start.ArgumentList.TakeLast(2));
    }
}
