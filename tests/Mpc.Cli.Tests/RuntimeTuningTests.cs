using System.Text.Json;

namespace Mpc.Cli.Tests;

/// <summary>The runtime settings <c>mpc</c> runs with (docs/operator.md §9): no thread-pool spinning, inline socket completions.</summary>
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
    public void Inline_socket_completions_are_turned_on_unless_the_environment_chose()
    {
        string name = Program.InlineCompletionsVariable;
        string? original = Environment.GetEnvironmentVariable(name);
        try
        {
            Environment.SetEnvironmentVariable(name, null);
            Program.InlineSocketCompletions();
            Assert.Equal("1", Environment.GetEnvironmentVariable(name));

            Environment.SetEnvironmentVariable(name, "0"); // an operator's explicit choice wins
            Program.InlineSocketCompletions();
            Assert.Equal("0", Environment.GetEnvironmentVariable(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, original);
        }
    }
}
