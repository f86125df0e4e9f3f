using Mpc.Contracts.DevChain;

namespace Mpc.Contracts.Tests.DevChain;

/// <summary>One anvil per test class: starting it costs ~100 ms plus process spawn, so tests share it.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private AnvilNode? _node;

    public AnvilNode Node => _node ?? throw new InvalidOperationException("anvil is not started.");

    public async Task InitializeAsync() => _node = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
