using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Support;

/// <summary>A deterministic <see cref="IRandomSource"/> for reproducible tests. Never available to nodes (test project only).</summary>
public sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination)
    {
        lock (_random) _random.NextBytes(destination);
    }
}
