using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mpc.Client;

/// <summary>A node's or client's TLS identity: an ECDSA P-256 key and a self-signed certificate.</summary>
/// <remarks>
/// Nodes do not trust a certificate authority. Each party publishes the SHA-256 fingerprint of its
/// DER-encoded certificate (in the cluster config, later in the chain registry) and every peer pins it;
/// see <see cref="Fingerprints"/>. The key never leaves the key file, which is written owner-only.
/// </remarks>
public sealed class TlsIdentity : IDisposable
{
    private TlsIdentity(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Fingerprint = ComputeFingerprint(certificate);
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the DER certificate, lowercase hex (64 characters).</summary>
    public string Fingerprint { get; }

    /// <summary>Generates a fresh key and a self-signed certificate valid for <paramref name="validity"/> (default 10 years).</summary>
    /// <param name="commonName">The subject CN; informational only, since peers pin fingerprints, not names.</param>
    /// <param name="validity">How long the certificate is valid from now.</param>
    public static TlsIdentity Create(string commonName = "mpc", TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Both roles: a node is a TLS server to its higher-indexed peers and a client to the lower ones.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var certificate = request.CreateSelfSigned(notBefore, notBefore + (validity ?? TimeSpan.FromDays(3650)));
        return new TlsIdentity(Reimport(certificate));
    }

    /// <summary>Loads a certificate and its private key from PEM files.</summary>
    /// <exception cref="InvalidDataException">A file is missing or is not a matching PEM certificate/key.</exception>
    public static TlsIdentity Load(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath))
            throw new InvalidDataException($"certificate file '{certificatePath}' does not exist");
        if (!File.Exists(keyPath))
            throw new InvalidDataException($"key file '{keyPath}' does not exist");
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return new TlsIdentity(Reimport(certificate));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"'{certificatePath}' / '{keyPath}' are not a PEM certificate and its private key: {e.Message}", e);
        }
    }

    /// <summary>Loads the identity if both files exist, otherwise creates one and saves it there.</summary>
    public static TlsIdentity LoadOrCreate(string certificatePath, string keyPath, string commonName = "mpc")
    {
        if (File.Exists(certificatePath) || File.Exists(keyPath))
            return Load(certificatePath, keyPath);
        var identity = Create(commonName);
        identity.Save(certificatePath, keyPath);
        return identity;
    }

    /// <summary>Writes the certificate and the PKCS#8 private key as PEM; the key file is made owner-only on Unix.</summary>
    public void Save(string certificatePath, string keyPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath))!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyPath))!);
        File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
        using var key = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("the identity has no ECDSA private key");
        WriteSecretFile(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes a secret (a private key) to a file that is owner-only from the moment it exists.</summary>
    /// <remarks>The mode is set at creation: chmod after writing would leave a window in which others can read it.</remarks>
    public static void WriteSecretFile(string path, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(secret);
    }

    /// <summary>
    /// An HTTP handler for mutual TLS with pinning (<see cref="CreatePinnedClientOptions"/>): the one place every gRPC channel
    /// of the project (client SDK, tests) gets its TLS from; callers tune timeouts and windows.
    /// </summary>
    /// <param name="serverFingerprint">64 hex digits, optionally with ':' separators.</param>
    /// <exception cref="FormatException">The fingerprint is not a SHA-256 hex string.</exception>
    /// <remarks>The identity must stay alive while the handler is used.</remarks>
    public SocketsHttpHandler CreatePinnedHandler(string serverFingerprint) =>
        new() { SslOptions = CreatePinnedClientOptions(serverFingerprint) };

    /// <summary>
    /// Client-side TLS options for mutual TLS with pinning: they present this identity's certificate and accept the server only
    /// if its certificate's SHA-256 is <paramref name="serverFingerprint"/>. Pinning replaces CA validation. Used by
    /// <see cref="CreatePinnedHandler"/> and by nodes dialling their peers; callers add the target host and protocol settings.
    /// </summary>
    /// <param name="serverFingerprint">64 hex digits, optionally with ':' separators.</param>
    /// <exception cref="FormatException">The fingerprint is not a SHA-256 hex string.</exception>
    public SslClientAuthenticationOptions CreatePinnedClientOptions(string serverFingerprint)
    {
        byte[] pin = Fingerprints.Parse(serverFingerprint);
        var certificate = Certificate;
        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, serverCertificate, _, _) => Fingerprints.Matches(serverCertificate, pin),
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            ClientCertificates = [certificate],
        };
    }

    /// <summary>SHA-256 of the certificate's DER encoding as lowercase hex.</summary>
    public static string ComputeFingerprint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    // CreateSelfSigned / CreateFromPemFile give an ephemeral key; a PKCS#12 round trip yields a
    // certificate that SslStream can use as a server or client certificate on every platform.
    private static X509Certificate2 Reimport(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}

/// <summary>Certificate pinning helpers shared by nodes and clients.</summary>
public static class Fingerprints
{
    /// <summary>True when <paramref name="certificate"/> is exactly the one pinned by <paramref name="fingerprint"/> (constant-time comparison).</summary>
    public static bool Matches(X509Certificate? certificate, ReadOnlySpan<byte> fingerprint)
    {
        if (certificate is null)
            return false;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.GetRawCertData(), hash);
        return CryptographicOperations.FixedTimeEquals(hash, fingerprint);
    }

    /// <summary>Parses a fingerprint written as 64 hex digits, optionally with ':' separators.</summary>
    /// <exception cref="FormatException">It is not 32 bytes of hex.</exception>
    public static byte[] Parse(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        string hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 2 * SHA256.HashSizeInBytes || !hex.All(char.IsAsciiHexDigit))
            throw new FormatException($"fingerprint '{fingerprint}' is not a SHA-256 hex string (64 hex digits)");
        return Convert.FromHexString(hex);
    }
}
