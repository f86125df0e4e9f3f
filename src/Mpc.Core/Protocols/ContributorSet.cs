using Mpc.Core.Fields;
using Mpc.Core.Sharing;

namespace Mpc.Core.Protocols;

/// <summary>
/// The parties that send their shares when a sharing is opened from some of them (a party's own window of
/// d + 1 parties starting at itself, all n parties for a checked opening, or the d + 1 parties starting at a
/// king), or that reshare their degree-2t shares in a triple's degree reduction (2t + 1 parties from the tag's
/// rotation, <c>RandomSharingSource.ReshareAsync</c>), seen from one party.
/// </summary>
/// <remarks>
/// Obtained from <see cref="ProtocolContext{T}.Contributors"/>, which builds each set once, so an opening per
/// round costs no allocation and no Lagrange lookup for its bookkeeping. The set starting at this party is its
/// <i>window</i> in an unchecked all-to-all opening: it reconstructs from <see cref="Parties"/> (itself first) and
/// sends its own share to <see cref="Readers"/>, the parties whose windows contain it.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
internal sealed class ContributorSet<T> where T : struct, IField<T>
{
    /// <summary>Builds the set of <paramref name="count"/> parties <paramref name="first"/>, first + 1, … (mod n), as seen by <paramref name="me"/>.</summary>
    public ContributorSet(ShamirScheme<T> scheme, int me, int first, int count)
    {
        int n = scheme.Parties;
        var parties = new int[count];
        for (int k = 0; k < count; k++) parties[k] = (first + k) % n;
        Parties = parties;
        Position = Array.IndexOf(parties, me);
        Lambdas = scheme.LagrangeCoefficients(parties).ToArray();
        Peers = Array.FindAll(parties, p => p != me);
        // Party j's window of `count` is j, j + 1, …, j + count − 1 (mod n): it contains me iff j = me − k, 0 ≤ k < count.
        var readers = new int[count - 1];
        for (int k = 1; k < count; k++) readers[k - 1] = (me - k + n) % n;
        Readers = readers;
    }

    /// <summary>The contributors, in the order of <see cref="Lambdas"/> (ascending from the first, modulo n).</summary>
    public int[] Parties { get; }

    /// <summary>The Lagrange coefficients that interpolate the secret from the contributors' shares.</summary>
    public T[] Lambdas { get; }

    /// <summary>This party's index in <see cref="Parties"/>, or −1 when it does not contribute.</summary>
    public int Position { get; }

    /// <summary>The contributors other than this party, in the same order: whom to receive from.</summary>
    public int[] Peers { get; }

    /// <summary>
    /// The <see cref="Parties"/>.Length − 1 other parties j whose own window j, j + 1, … of as many parties contains this
    /// party: to whom it sends its share in an all-to-all opening (every other party when the sets hold all n).
    /// Independent of the set's first party.
    /// </summary>
    public int[] Readers { get; }
}
