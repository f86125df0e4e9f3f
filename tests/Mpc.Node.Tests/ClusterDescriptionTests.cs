using Mpc.Client;

namespace Mpc.Node.Tests;

public sealed class ClusterDescriptionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mpc-cluster-json-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void LoadThenSave_KeepsClientPathsRelative_SoTheDirectoryCanMove()
    {
        string first = Path.Combine(_root, "a"), moved = Path.Combine(_root, "b");
        Directory.CreateDirectory(first);
        new ClusterDescription
        {
            Threshold = 1,
            Nodes = [new NodeEndpoint { Index = 0, Endpoint = "https://127.0.0.1:7400", Fingerprint = new string('a', 64) }],
            ClientCertificate = Path.Combine("client", "client.crt"),
            ClientKey = Path.Combine("client", "client.key"),
        }.Save(Path.Combine(first, "cluster.json"));

        var loaded = ClusterDescription.Load(Path.Combine(first, "cluster.json"));
        Assert.Equal(Path.Combine(first, "client", "client.crt"), loaded.ClientCertificate); // absolute once loaded
        loaded.Save(Path.Combine(first, "cluster.json")); // e.g. `mpc cluster down` clearing pids
        Assert.Equal(Path.Combine(first, "client", "client.crt"), loaded.ClientCertificate); // saving does not change the object
        Directory.Move(first, moved);

        var again = ClusterDescription.Load(Path.Combine(moved, "cluster.json"));
        Assert.Equal(Path.Combine(moved, "client", "client.crt"), again.ClientCertificate);
        Assert.Equal(Path.Combine(moved, "client", "client.key"), again.ClientKey);
    }
}
