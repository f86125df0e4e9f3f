using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Support;

/// <summary>
/// A deterministic test-only byte source that replays scripted bytes, so a test can force what a scheme draws
/// (polynomial coefficients, rejection-sampling paths). Without <c>seed</c> it is strict: drawing past the
/// script fails, so a test learns when code draws more than it scripted. With a seed, a pseudo-random stream follows.
/// Fp31 draws one byte per coefficient (values ≥ 31 are rejected, so feed canonical values).
/// </summary>
public sealed class ScriptedRandom(byte[] script, int? seed = null) : IRandomSource
{
    private readonly Random? _rest = seed is int s ? new Random(s) : null;
    private int _position;

    /// <summary>Bytes handed out so far.</summary>
    public int BytesServed { get; private set; }

    public void Fill(Span<byte> destination)
    {
        BytesServed += destination.Length;
        int fromScript = Math.Min(script.Length - _position, destination.Length);
        script.AsSpan(_position, fromScript).CopyTo(destination);
        _position += fromScript;
        if (fromScript == destination.Length) return;
        if (_rest is null)
            throw new InvalidOperationException($"Drew {destination.Length - fromScript} byte(s) past the {script.Length}-byte script.");
        _rest.NextBytes(destination[fromScript..]);
    }
}
