using System.Security.Cryptography.X509Certificates;
using Mpc.Client;

namespace Mpc.Node.Security;

/// <summary>A node's (or client's) TLS identity: an ECDSA P-256 key and a self-signed certificate.</summary>
/// <remarks>
/// A node-flavoured view of <see cref="TlsIdentity"/> (which clients use directly): nodes do not trust a
/// certificate authority; every party publishes the SHA-256 fingerprint of its DER certificate and peers
/// pin it (see <see cref="CertificatePins"/>).
/// </remarks>
public sealed class NodeIdentity : IDisposable
{
    private readonly TlsIdentity _identity;

    private NodeIdentity(TlsIdentity identity) => _identity = identity;

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate => _identity.Certificate;

    /// <summary>SHA-256 of the DER certificate, lowercase hex (64 characters).</summary>
    public string Fingerprint => _identity.Fingerprint;

    /// <summary>The same identity as the client SDK's type (a client identity created with this class can drive an <see cref="MpcClient"/>).</summary>
    public TlsIdentity AsTlsIdentity() => _identity;

    /// <summary>Generates a fresh key and a self-signed certificate valid for <paramref name="validity"/> (default 10 years).</summary>
    /// <param name="commonName">The subject CN; informational only, since peers pin fingerprints, not names.</param>
    /// <param name="validity">How long the certificate is valid from now.</param>
    public static NodeIdentity Create(string commonName = "mpc-node", TimeSpan? validity = null) => new(TlsIdentity.Create(commonName, validity));

    /// <summary>Loads a certificate and its private key from PEM files.</summary>
    /// <exception cref="InvalidDataException">A file is missing or is not a matching PEM certificate/key.</exception>
    public static NodeIdentity Load(string certificatePath, string keyPath) => new(TlsIdentity.Load(certificatePath, keyPath));

    /// <summary>Loads the identity if both files exist, otherwise creates one and saves it there.</summary>
    public static NodeIdentity LoadOrCreate(string certificatePath, string keyPath, string commonName = "mpc-node") =>
        new(TlsIdentity.LoadOrCreate(certificatePath, keyPath, commonName));

    /// <summary>Writes the certificate and the PKCS#8 private key as PEM; the key file is made owner-only on Unix.</summary>
    public void Save(string certificatePath, string keyPath) => _identity.Save(certificatePath, keyPath);

    /// <summary>SHA-256 of the certificate's DER encoding as lowercase hex.</summary>
    public static string ComputeFingerprint(X509Certificate certificate) => TlsIdentity.ComputeFingerprint(certificate);

    /// <inheritdoc />
    public void Dispose() => _identity.Dispose();
}
