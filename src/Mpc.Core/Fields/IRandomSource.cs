namespace Mpc.Core.Fields;

/// <summary>A source of random bytes for sampling field elements and polynomials.</summary>
/// <remarks>
/// Nodes use <see cref="CryptoRandom"/> (the operating system's CSPRNG). Deterministic sources exist only
/// in the test projects, so no node configuration can select one.
/// </remarks>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}
