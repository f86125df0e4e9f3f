using System.Text.Json;

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
}
