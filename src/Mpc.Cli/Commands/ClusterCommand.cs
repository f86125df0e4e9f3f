using System.CommandLine;
using System.Diagnostics;
using Mpc.Client;
using Mpc.Node;
using Mpc.Node.Hosting;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc cluster up|down</c>: a local development cluster of node processes on loopback.</summary>
internal static class ClusterCommand
{
    public const string DefaultDirectory = ".mpc/cluster";
    public const string FileName = "cluster.json";

    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Cluster directory (keys, configs, databases, logs, cluster.json).", DefaultValueFactory = _ => new DirectoryInfo(DefaultDirectory) };
        var field = FieldOption.Create();
        var party = new PartyOptions();
        var up = new Command("up", "Generate keys and node configs (plus a client identity), start N node processes on free loopback ports and wait until all answer.") { dir, field };
        party.AddTo(up);
        up.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var (n, t) = party.Read(parse);
            var cluster = await UpAsync(parse.GetValue(dir)!.FullName, n, t, parse.GetValue(field)!, ct);
            foreach (var node in cluster.Nodes)
                Console.WriteLine($"node {node.Index}  {node.Endpoint}  pid {node.Pid}  {node.Fingerprint}");
            Console.WriteLine($"cluster of {n} nodes (t = {t}, {cluster.Field}) is up; {Path.Combine(parse.GetValue(dir)!.FullName, FileName)}");
            return 0;
        }));
        var down = new Command("down", "Stop the node processes `mpc cluster up` started (their data stays in the directory).") { dir };
        down.SetAction(parse => CliErrors.Run(() =>
        {
            int stopped = Down(parse.GetValue(dir)!.FullName);
            Console.WriteLine($"stopped {stopped} node process(es)");
            return 0;
        }));
        return new Command("cluster", "Run a local development cluster.") { up, down };
    }

    /// <summary>Creates (or reuses) the directory's identities and configs, starts one process per node and waits until every node answers a client call.</summary>
    public static async Task<ClusterDescription> UpAsync(string directory, int n, int t, string field, CancellationToken ct, Action<int, NodeOptions>? configure = null)
    {
        string file = Path.Combine(directory, FileName);
        if (File.Exists(file) && ClusterDescription.Load(file).Nodes.Any(IsRunning))
            throw new CliException($"a cluster is already running from {directory}; run `mpc cluster down --dir {directory}` first.");
        Directory.CreateDirectory(directory);
        string fieldName = field switch { "fp127" => "Fp127", "gf2k64" => "Gf2k64", _ => "Fp61" };
        string clientCert = Path.Combine(directory, "client", "client.crt"), clientKey = Path.Combine(directory, "client", "client.key");
        using var client = TlsIdentity.LoadOrCreate(clientCert, clientKey, "client");
        var identities = new TlsIdentity[n];
        try
        {
            for (int i = 0; i < n; i++)
            {
                string nodeDir = Path.Combine(directory, $"node{i}");
                identities[i] = TlsIdentity.LoadOrCreate(Path.Combine(nodeDir, "node.crt"), Path.Combine(nodeDir, "node.key"), $"node{i}");
            }
            int[] ports = LoopbackPorts.Reserve(n);
            var peers = Enumerable.Range(0, n).Select(i => new PeerOptions { Index = i, Endpoint = $"https://127.0.0.1:{ports[i]}", Fingerprint = identities[i].Fingerprint }).ToList();
            var cluster = new ClusterDescription { Threshold = t, Field = fieldName, ClientCertificate = Path.Combine("client", "client.crt"), ClientKey = Path.Combine("client", "client.key") };
            try
            {
                for (int i = 0; i < n; i++)
                {
                    string nodeDir = Path.Combine(directory, $"node{i}");
                    string config = Path.Combine(nodeDir, "node.json");
                    var options = new NodeOptions
                    {
                        NodeIndex = i,
                        ListenPort = ports[i],
                        DataDirectory = nodeDir,
                        Threshold = t,
                        Field = fieldName,
                        Peers = peers,
                        AllowedClients = [client.Fingerprint],
                        PeerConnectTimeout = TimeSpan.FromSeconds(20),
                        RoundTimeout = TimeSpan.FromSeconds(60),
                        KeepAliveInterval = TimeSpan.FromSeconds(2),
                    };
                    configure?.Invoke(i, options);
                    options.Validate();
                    options.Save(config);
                    var (pid, started) = Launch(config, Path.Combine(nodeDir, "node.log"));
                    cluster.Nodes.Add(new NodeEndpoint { Index = i, Endpoint = peers[i].Endpoint, Fingerprint = peers[i].Fingerprint, Pid = pid, Started = started, Config = config });
                    cluster.Save(file); // after every start: `Down` (below, or `mpc cluster down`) stops what this file lists
                }
                using var mpc = new MpcClient(cluster.Nodes, t, client);
                await mpc.WaitUntilReachableAsync(TimeSpan.FromSeconds(30), ct);
            }
            catch (Exception e)
            {
                // A node that failed to start or never answered, or Ctrl+C meanwhile: what was started must not outlive the command.
                if (cluster.Nodes.Count > 0)
                    Down(directory);
                if (e is MpcClientException)
                    throw new CliException($"the cluster did not come up: {e.Message} (see {directory}/node*/node.log)");
                throw;
            }
            return ClusterDescription.Load(file);
        }
        finally
        {
            foreach (var identity in identities)
                identity?.Dispose();
        }
    }

    /// <summary>Kills the node processes listed in the directory's cluster.json (SQLite's WAL keeps committed data) and clears their pids.</summary>
    public static int Down(string directory)
    {
        string file = Path.Combine(directory, FileName);
        var cluster = ClusterDescription.Load(file);
        int stopped = 0;
        foreach (var node in cluster.Nodes)
        {
            if (Ours(node) is { } process)
            {
                using (process)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
                stopped++;
            }
            node.Pid = null;
            node.Started = null;
        }
        cluster.Save(file);
        return stopped;
    }

    private static bool IsRunning(NodeEndpoint node)
    {
        using var process = Ours(node);
        return process is not null;
    }

    // Pids are recycled: the process is ours only if it still has the pid and the start time recorded at launch.
    private static Process? Ours(NodeEndpoint node)
    {
        if (node.Pid is not int id || node.Started is not DateTime started)
            return null;
        Process? process = null;
        try
        {
            process = Process.GetProcessById(id);
            // Tolerance: the start time is derived from clock ticks and serialised through cluster.json.
            if (!process.HasExited && (process.StartTime.ToUniversalTime() - started).Duration() < TimeSpan.FromSeconds(1))
                return process;
        }
        catch (ArgumentException)
        {
            // No process with that id any more.
        }
        process?.Dispose();
        return null;
    }

    private static (int Pid, DateTime Started) Launch(string config, string log)
    {
        var start = SelfProcess.StartInfo(["node", "start", "--config", config, "--log-file", log]);
        // Redirected (and closed below) so the daemons do not hold this process's stdout open; they log to the file.
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new CliException($"could not start a node process for {config}");
        process.StandardInput.Close();
        process.StandardOutput.Close();
        process.StandardError.Close();
        return (process.Id, process.StartTime.ToUniversalTime());
    }
}
