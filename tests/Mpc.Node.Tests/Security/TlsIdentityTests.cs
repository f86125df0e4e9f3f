using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mpc.Client;
using Mpc.Node.Security;

namespace Mpc.Node.Tests.Security;

public sealed class TlsIdentityTests
{
    [Fact]
    public void SaveAndLoad_RoundTripsKeyAndFingerprint()
    {
        string directory = Directory.CreateTempSubdirectory("mpc-identity-test-").FullName;
        try
        {
            using var identity = TlsIdentity.Create("node7");
            string cert = Path.Combine(directory, "node.crt"), key = Path.Combine(directory, "node.key");
            identity.Save(cert, key);

            using var loaded = TlsIdentity.Load(cert, key);

            Assert.Equal(identity.Fingerprint, loaded.Fingerprint);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(loaded.Certificate.RawData)), loaded.Fingerprint);
            Assert.True(loaded.Certificate.HasPrivateKey);
            using var ecdsa = loaded.Certificate.GetECDsaPublicKey()!;
            Assert.Equal(256, ecdsa.KeySize);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            // The private key in the file signs what the certificate's public key verifies.
            using var privateKey = loaded.Certificate.GetECDsaPrivateKey()!;
            byte[] signature = privateKey.SignData("hello"u8, HashAlgorithmName.SHA256);
            Assert.True(ecdsa.VerifyData("hello"u8, signature, HashAlgorithmName.SHA256));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => TlsIdentity.Load("/nonexistent/node.crt", "/nonexistent/node.key"));
        Assert.Contains("/nonexistent/node.crt", e.Message);
    }

    [Fact]
    public void Pins_MatchOnlyPinnedCertificates_WithTheirRole()
    {
        using var peer0 = TlsIdentity.Create();
        using var peer1 = TlsIdentity.Create();
        using var client = TlsIdentity.Create();
        using var stranger = TlsIdentity.Create();
        // Upper case with ':' separators parses the same as lowercase hex.
        string separated = string.Join(":", Enumerable.Range(0, 32).Select(i => peer1.Fingerprint.Substring(2 * i, 2).ToUpperInvariant()));
        var pins = new CertificatePins([new(0, peer0.Fingerprint), new(1, separated)], [client.Fingerprint]);

        Assert.Equal(new PinMatch(PinKind.Peer, 0, peer0.Fingerprint), pins.Match(peer0.Certificate));
        Assert.Equal(new PinMatch(PinKind.Peer, 1, peer1.Fingerprint), pins.Match(peer1.Certificate));
        Assert.Equal(new PinMatch(PinKind.Client, -1, client.Fingerprint), pins.Match(client.Certificate));
        Assert.Equal(PinKind.Unknown, pins.Match(stranger.Certificate).Kind);
        Assert.Equal(PinKind.Unknown, pins.Match(null).Kind);
        Assert.False(CertificatePins.Matches(stranger.Certificate, CertificatePins.ParseFingerprint(peer0.Fingerprint)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    public void ParseFingerprint_RejectsNonSha256Hex(string fingerprint) =>
        Assert.Throws<FormatException>(() => CertificatePins.ParseFingerprint(fingerprint));
}
