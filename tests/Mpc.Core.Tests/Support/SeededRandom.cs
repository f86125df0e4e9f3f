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

/// <summary>
/// A source that replays fixed bytes, so a test can force the polynomial coefficients a scheme draws.
/// Fp31 draws one byte per coefficient (values ≥ 31 are rejected, so feed canonical values).
/// </summary>
public sealed class ScriptedRandom(params byte[] bytes) : IRandomSource
{
    private int _next;

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = bytes[_next++];
    }
}
