using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

/// <summary>
/// A deterministic test-only byte source: first the scripted bytes, then a seeded pseudo-random stream.
/// Lets a test force rejection-sampling paths (e.g. script the encoding of p first).
/// </summary>
internal sealed class ScriptedRandom(byte[] script, int seed = 1) : IRandomSource
{
    private readonly Random _rest = new(seed);
    private int _position;

    public int BytesServed { get; private set; }

    public void Fill(Span<byte> destination)
    {
        BytesServed += destination.Length;
        int fromScript = Math.Min(script.Length - _position, destination.Length);
        script.AsSpan(_position, fromScript).CopyTo(destination);
        _position += fromScript;
        _rest.NextBytes(destination[fromScript..]);
    }
}
