namespace Mpc.Node.Tests;

public sealed class NodeOptionsTests
{
    private const string Fingerprint0 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    internal static NodeOptions Valid() => new()
    {
        NodeIndex = 1,
        DataDirectory = "/tmp/node1",
        Threshold = 1,
        Peers = [.. Enumerable.Range(0, 3).Select(i => new PeerOptions { Index = i, Endpoint = $"https://127.0.0.1:{7400 + i}", Fingerprint = Fingerprint0[..62] + $"{i:x2}" })],
        AllowedClients = ["ff" + Fingerprint0[2..]],
    };

    [Fact]
    public void ValidOptions_Pass() => Valid().Validate();

    public static TheoryData<string, string> Mutations => new()
    {
        { "NodeIndex", nameof(NodeOptions.NodeIndex) },
        { "Threshold", nameof(NodeOptions.Threshold) },
        { "ThresholdTooHigh", nameof(NodeOptions.Threshold) },
        { "Field", nameof(NodeOptions.Field) },
        { "ListenAddress", nameof(NodeOptions.ListenAddress) },
        { "ListenPort", nameof(NodeOptions.ListenPort) },
        { "DataDirectory", nameof(NodeOptions.DataDirectory) },
        { "RoundTimeout", nameof(NodeOptions.RoundTimeout) },
        { "PeerConnectTimeout", nameof(NodeOptions.PeerConnectTimeout) },
        { "MaxMessageBytes", nameof(NodeOptions.MaxMessageBytes) },
        { "MaxBufferedBytesPerPeer", nameof(NodeOptions.MaxBufferedBytesPerPeer) },
        { "MetricsUrl", nameof(NodeOptions.MetricsUrl) },
        { "PeerEndpoint", "Peers[2].Endpoint" },
        { "PeerFingerprint", "Peers[1].Fingerprint" },
        { "PeerPort", "Peers[1].PeerPort" },
        { "PeerPortIsTheEndpoint", "Peers[0].PeerPort" },
        { "DefaultPeerPortPastTheLast", "Peers[2].PeerPort" },
        { "DuplicateIndex", "Peers[2].Index" },
        { "DuplicateFingerprint", "Peers[2].Fingerprint" },
        { "ClientFingerprint", "AllowedClients[0]" },
        { "ClientIsPeer", "AllowedClients[0]" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void InvalidSetting_IsNamedInTheMessage(string mutation, string setting)
    {
        var options = Valid();
        switch (mutation)
        {
            case "NodeIndex": options.NodeIndex = 3; break;
            case "Threshold": options.Threshold = 0; break;
            case "ThresholdTooHigh": options.Threshold = 2; break;
            case "Field": options.Field = "Fp13"; break;
            case "ListenAddress": options.ListenAddress = "localhost:80"; break;
            case "ListenPort": options.ListenPort = 70000; break;
            case "DataDirectory": options.DataDirectory = " "; break;
            case "RoundTimeout": options.RoundTimeout = TimeSpan.Zero; break;
            case "PeerConnectTimeout": options.PeerConnectTimeout = TimeSpan.FromSeconds(-1); break;
            case "MaxMessageBytes": options.MaxMessageBytes = 10; break;
            case "MaxBufferedBytesPerPeer": options.MaxBufferedBytesPerPeer = options.MaxMessageBytes - 1; break;
            case "MetricsUrl": options.MetricsUrl = "https://127.0.0.1:9464"; break;
            case "PeerEndpoint": options.Peers[2].Endpoint = "http://127.0.0.1:7402"; break;
            case "PeerFingerprint": options.Peers[1].Fingerprint = "abc"; break;
            case "PeerPort": options.Peers[1].PeerPort = 0; break;
            case "PeerPortIsTheEndpoint": options.Peers[0].PeerPort = new Uri(options.Peers[0].Endpoint).Port; break;
            case "DefaultPeerPortPastTheLast": options.Peers[2].Endpoint = "https://127.0.0.1:65535"; break;
            case "DuplicateIndex": options.Peers[2].Index = 0; break;
            case "DuplicateFingerprint": options.Peers[2].Fingerprint = options.Peers[0].Fingerprint.ToUpperInvariant(); break;
            case "ClientFingerprint": options.AllowedClients[0] = "zz"; break;
            case "ClientIsPeer": options.AllowedClients[0] = options.Peers[1].Fingerprint; break;
        }
        var e = Assert.Throws<NodeOptionsException>(options.Validate);
        Assert.Contains(e.Errors, line => line.StartsWith(setting + ":", StringComparison.Ordinal));
        Assert.Contains(setting, e.Message);
    }

    [Fact]
    public void Load_ReadsJsonAndResolvesPathsAgainstTheFile()
    {
        string directory = Directory.CreateTempSubdirectory("mpc-options-test-").FullName;
        try
        {
            var options = Valid();
            options.DataDirectory = "data";
            options.KeyPath = "keys/node.key";
            options.RoundTimeout = TimeSpan.FromSeconds(7);
            string path = Path.Combine(directory, "node.json");
            options.Save(path);

            var loaded = NodeOptions.Load(path);

            loaded.Validate();
            Assert.Equal(Path.Combine(directory, "data"), loaded.DataDirectory);
            Assert.Equal(Path.Combine(directory, "keys", "node.key"), loaded.ResolvedKeyPath);
            Assert.Equal(Path.Combine(directory, "data", "node.crt"), loaded.ResolvedCertificatePath);
            Assert.Equal(TimeSpan.FromSeconds(7), loaded.RoundTimeout);
            Assert.Equal(3, loaded.Peers.Count);
            Assert.Equal(options.Peers[2].Fingerprint, loaded.Peers[2].Fingerprint);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_BadJson_NamesFileAndPath()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mpc-options-test-").FullName, "node.json");
        File.WriteAllText(path, """{ "nodeIndex": "one" }""");
        var e = Assert.Throws<InvalidDataException>(() => NodeOptions.Load(path));
        Assert.Contains("node.json", e.Message);
        Assert.Contains("nodeIndex", e.Message);
    }
}
