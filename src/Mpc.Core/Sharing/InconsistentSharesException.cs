namespace Mpc.Core.Sharing;

/// <summary>
/// The shares of an opening do not lie on one polynomial of the expected degree: some party sent a
/// wrong share (malicious behaviour or a fault). The message names the degree and the first failing
/// party and element index, never a share value.
/// </summary>
public sealed class InconsistentSharesException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="party">The first party (0-based) whose share disagrees with the interpolated polynomial.</param>
    /// <param name="index">The element index within the batch at which the disagreement was found.</param>
    /// <param name="degree">The degree the shares were expected to lie on.</param>
    public InconsistentSharesException(int party, int index, int degree)
        : base($"Shares are inconsistent: the share of party {party} at element {index} does not lie on the degree-{degree} polynomial through the other shares.")
    {
        Party = party;
        Index = index;
        Degree = degree;
    }

    /// <summary>The first party whose share disagrees (0-based).</summary>
    public int Party { get; }

    /// <summary>The element index within the batch.</summary>
    public int Index { get; }

    /// <summary>The expected degree.</summary>
    public int Degree { get; }
}
