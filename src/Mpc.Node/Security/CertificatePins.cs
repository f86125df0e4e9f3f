using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mpc.Client;

namespace Mpc.Node.Security;

/// <summary>Who a presented certificate belongs to, according to the pinned fingerprints.</summary>
/// <param name="Kind">Cluster member, allowed client, or nobody.</param>
/// <param name="PeerIndex">The member's index when <paramref name="Kind"/> is <see cref="PinKind.Peer"/>, otherwise −1.</param>
/// <param name="Fingerprint">The certificate's fingerprint (lowercase hex), empty when there was no certificate.</param>
public readonly record struct PinMatch(PinKind Kind, int PeerIndex, string Fingerprint);

/// <summary>The role of a pinned certificate.</summary>
public enum PinKind
{
    /// <summary>Not pinned: the connection must be refused.</summary>
    Unknown,
    /// <summary>A cluster member.</summary>
    Peer,
    /// <summary>A client allowed to submit inputs and fetch outputs.</summary>
    Client,
}

/// <summary>The set of certificate fingerprints a node accepts, each with its role.</summary>
/// <remarks>
/// Replaces CA validation: a certificate is accepted if and only if the SHA-256 of its DER encoding
/// equals a pinned fingerprint. Comparison is constant-time (<see cref="CryptographicOperations.FixedTimeEquals"/>)
/// and always scans every pin, so timing does not reveal which pin, if any, was close.
/// </remarks>
public sealed class CertificatePins
{
    private readonly byte[][] _fingerprints;
    private readonly PinKind[] _kinds;
    private readonly int[] _peers;

    /// <summary>Builds the pin set.</summary>
    /// <param name="peers">Cluster members: index → fingerprint (hex, 64 digits, case and ':' separators ignored).</param>
    /// <param name="clients">Allowed client fingerprints.</param>
    public CertificatePins(IEnumerable<KeyValuePair<int, string>> peers, IEnumerable<string> clients)
    {
        var fingerprints = new List<byte[]>();
        var kinds = new List<PinKind>();
        var indices = new List<int>();
        foreach (var (index, fingerprint) in peers)
        {
            fingerprints.Add(ParseFingerprint(fingerprint));
            kinds.Add(PinKind.Peer);
            indices.Add(index);
        }
        foreach (var fingerprint in clients)
        {
            fingerprints.Add(ParseFingerprint(fingerprint));
            kinds.Add(PinKind.Client);
            indices.Add(-1);
        }
        _fingerprints = [.. fingerprints];
        _kinds = [.. kinds];
        _peers = [.. indices];
    }

    /// <summary>Looks up a certificate; <see cref="PinKind.Unknown"/> when it is null or not pinned.</summary>
    public PinMatch Match(X509Certificate? certificate)
    {
        if (certificate is null)
            return new PinMatch(PinKind.Unknown, -1, "");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.GetRawCertData(), hash);
        int found = -1;
        for (int i = 0; i < _fingerprints.Length; i++)
        {
            bool equal = CryptographicOperations.FixedTimeEquals(hash, _fingerprints[i]);
            found = equal && found < 0 ? i : found;
        }
        string hex = Convert.ToHexStringLower(hash);
        return found < 0 ? new PinMatch(PinKind.Unknown, -1, hex) : new PinMatch(_kinds[found], _peers[found], hex);
    }

    /// <summary>True when <paramref name="certificate"/> is exactly the one pinned by <paramref name="fingerprint"/>.</summary>
    public static bool Matches(X509Certificate? certificate, ReadOnlySpan<byte> fingerprint) => Fingerprints.Matches(certificate, fingerprint);

    /// <summary>Parses a fingerprint written as 64 hex digits, optionally with ':' separators.</summary>
    /// <exception cref="FormatException">It is not 32 bytes of hex.</exception>
    public static byte[] ParseFingerprint(string fingerprint) => Fingerprints.Parse(fingerprint);
}
