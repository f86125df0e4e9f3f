using Grpc.Net.Client;
using Mpc.Client;
using Mpc.Node.Hosting;

namespace Mpc.Node.Tests;

/// <summary>Builds cluster configurations with real identities on free loopback ports, and runs nodes in-process.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mpc-node-test-").FullName;

    public TestCluster(int parties, Action<NodeOptions>? configure = null)
    {
        Identities = Enumerable.Range(0, parties).Select(i => TlsIdentity.Create($"node{i}")).ToArray();
        Client = TlsIdentity.Create("client");
        var ports = FreePorts(parties);
        Options = new NodeOptions[parties];
        for (int i = 0; i < parties; i++)
        {
            var options = new NodeOptions
            {
                NodeIndex = i,
                ListenAddress = "127.0.0.1",
                ListenPort = ports[i],
                DataDirectory = Path.Combine(_root, $"node{i}"),
                Threshold = (parties - 1) / 2,
                Peers = [.. Enumerable.Range(0, parties).Select(j => new PeerOptions { Index = j, Endpoint = $"https://127.0.0.1:{ports[j]}", Fingerprint = Identities[j].Fingerprint })],
                AllowedClients = [Client.Fingerprint],
                PeerConnectTimeout = TimeSpan.FromSeconds(10),
                RoundTimeout = TimeSpan.FromSeconds(20),
                KeepAliveInterval = TimeSpan.FromSeconds(1),
            };
            configure?.Invoke(options);
            Identities[i].Save(options.ResolvedCertificatePath, options.ResolvedKeyPath);
            Options[i] = options;
        }
        Hosts = new NodeHost?[parties];
    }

    public TlsIdentity[] Identities { get; }
    public TlsIdentity Client { get; }
    public NodeOptions[] Options { get; }
    public NodeHost?[] Hosts { get; }

    public NodeHost this[int index] => Hosts[index] ?? throw new InvalidOperationException($"node {index} is not running");

    /// <summary>A cluster whose nodes are all started and linked to each other; disposed again if that fails.</summary>
    public static async Task<TestCluster> StartConnectedAsync(int parties, Action<NodeOptions>? configure = null)
    {
        var cluster = new TestCluster(parties, configure);
        try
        {
            await cluster.StartAsync();
            await cluster.ConnectedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(params int[] nodes)
    {
        if (nodes.Length == 0)
            nodes = [.. Enumerable.Range(0, Options.Length)];
        var started = await Task.WhenAll(nodes.Select(i => NodeHost.StartAsync(Options[i])));
        for (int k = 0; k < nodes.Length; k++)
            Hosts[nodes[k]] = started[k];
    }

    public async Task ConnectedAsync(params int[] nodes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        foreach (int i in nodes.Length == 0 ? Enumerable.Range(0, Options.Length) : nodes)
            await this[i].Transport.WaitForPeersAsync(timeout.Token);
    }

    public async Task StopAsync(int node)
    {
        if (Hosts[node] is { } host)
        {
            Hosts[node] = null;
            await host.StopAsync();
        }
    }

    /// <summary>A gRPC channel to node <paramref name="node"/> presenting <paramref name="identity"/>, pinning <paramref name="serverFingerprint"/> (default: the node's).</summary>
    public GrpcChannel Channel(int node, TlsIdentity identity, string? serverFingerprint = null)
    {
        var handler = identity.CreatePinnedHandler(serverFingerprint ?? Identities[node].Fingerprint);
        return GrpcChannel.ForAddress(Options[node].Peers[node].Endpoint, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, MaxSendMessageSize = null });
    }

    public static int[] FreePorts(int count) => LoopbackPorts.Reserve(count);

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Hosts.Length; i++)
            await StopAsync(i);
        foreach (var identity in Identities)
            identity.Dispose();
        Client.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a lingering SQLite handle on a slow file system must not fail the test.
        }
    }
}
