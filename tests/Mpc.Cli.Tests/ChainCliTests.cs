using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Node;
using Mpc.Node.Chain;
using Mpc.Node.Hosting;

namespace Mpc.Cli.Tests;

/// <summary>
/// Operators and clients through the real <c>mpc</c>: <c>chain deploy|register|create-cluster|bind</c>, node processes whose
/// cluster comes from the on-chain registry, five <c>job submit</c> clients, <c>job result</c> and <c>chain status</c>, all against anvil.
/// </summary>
public sealed class ChainCliTests
{
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    [Fact]
    public async Task RegistryClusterOfNodeProcessesRunsAJobSubmittedByFiveCliClients()
    {
        await using var anvil = await AnvilNode.StartAsync();
        string root = Directory.CreateTempSubdirectory("mpc-chain-cli-").FullName;
        string rpc = anvil.RpcUrl.ToString();
        var nodes = new List<Process>();
        try
        {
            // mpc chain deploy, with the deployer's key in a key file that must never show up in the output.
            string deployerKey = KeyFile(root, "deployer", 0);
            var deploy = MpcProcess.Run("chain", "deploy", "--rpc", rpc, "--key-file", deployerKey, "--min-stake", (Ether / 10).ToString(), "--json");
            Assert.True(deploy.ExitCode == 0, deploy.Stderr);
            Assert.DoesNotContain(File.ReadAllText(deployerKey)[2..], deploy.Stdout + deploy.Stderr, StringComparison.OrdinalIgnoreCase);
            using var deployed = JsonDocument.Parse(deploy.Stdout);
            string address = deployed.RootElement.GetProperty("contract").GetString()!;
            Assert.Matches("^0x[0-9a-f]{64}$", deployed.RootElement.GetProperty("tx").GetString()!);
            Assert.True(deployed.RootElement.GetProperty("gas").GetInt64() > 1_000_000);

            // Operators (dev accounts 1-3) register identities and ports with mpc chain register; the cluster exists on chain only.
            var contract = new SecretContractsClient(anvil.Rpc, EthAddress.Parse(address));
            int[] ports = LoopbackPorts.Reserve(3);
            using var client = TlsIdentity.Create("client");
            string clientDir = Path.Combine(root, "client");
            client.Save(Path.Combine(clientDir, "client.crt"), Path.Combine(clientDir, "client.key"));
            var operators = new EthAddress[3];
            var registrations = new List<Task<(int ExitCode, string Stdout, string Stderr)>>();
            for (int i = 0; i < 3; i++)
            {
                string nodeDir = Path.Combine(root, $"node{i}");
                using var identity = TlsIdentity.Create($"node{i}");
                identity.Save(Path.Combine(nodeDir, "node.crt"), Path.Combine(nodeDir, "node.key"));
                using var key = AnvilNode.DevAccount(i + 1);
                operators[i] = key.Address;
                registrations.Add(MpcProcess.RunAsync("chain", "register", "--rpc", rpc, "--contract", address, "--key-file", KeyFile(nodeDir, "operator", i + 1),
                    "--endpoint", $"https://127.0.0.1:{ports[i]}", "--cert", Path.Combine(nodeDir, "node.crt"), "--json"));
            }
            Assert.All(await Task.WhenAll(registrations), r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));
            var created = MpcProcess.Run("chain", "create-cluster", "--rpc", rpc, "--contract", address, "--key-file", deployerKey,
                "--members", string.Join(",", operators.Select(o => o.ToString())), "--threshold", "1", "--json");
            Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);
            ulong clusterId = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("cluster_id").GetUInt64();
            string circuitFile = Path.Combine(MpcProcess.RepoRoot, "circuits", "sum_of_squares.ir");
            var bound = MpcProcess.Run("chain", "bind", "--rpc", rpc, "--contract", address, "--key-file", deployerKey, "--circuit", circuitFile, "--cluster", clusterId.ToString(), "--json");
            Assert.True(bound.ExitCode == 0, bound.Stdout + bound.Stderr);
            ulong contractId = JsonDocument.Parse(bound.Stdout).RootElement.GetProperty("contract_id").GetUInt64();

            // node.json names the cluster id instead of peers: index, t, endpoints and fingerprints come from the registry.
            for (int i = 0; i < 3; i++)
            {
                string nodeDir = Path.Combine(root, $"node{i}");
                new NodeOptions
                {
                    ListenPort = ports[i],
                    DataDirectory = nodeDir,
                    AllowedClients = [client.Fingerprint],
                    KeepAliveInterval = TimeSpan.FromSeconds(2),
                    Chain = new ChainOptions
                    {
                        RpcUrl = rpc,
                        ContractAddress = address,
                        OperatorKeyFile = KeyFile(nodeDir, "operator", i + 1),
                        ClusterId = clusterId,
                        CircuitsDirectory = Path.GetDirectoryName(circuitFile),
                        PollInterval = TimeSpan.FromMilliseconds(200),
                    },
                }.Save(Path.Combine(nodeDir, "node.json"));
                nodes.Add(MpcProcess.Start("node", "start", "--config", Path.Combine(nodeDir, "node.json"), "--log-file", Path.Combine(nodeDir, "node.log")));
            }
            var registered = await contract.GetRegisteredClusterAsync(clusterId);
            using (var probe = new MpcClient(registered.Members.Select((m, i) => new NodeEndpoint { Index = i, Endpoint = m.Endpoint, Fingerprint = registered.FingerprintHex(i) }).ToList(), 1, client))
                await probe.WaitUntilReachableAsync(TimeSpan.FromSeconds(30));
            Assert.Contains($"Cluster {clusterId} read from the registry: this node is member 2 of 3", File.ReadAllText(Path.Combine(root, "node2", "node.log")), StringComparison.Ordinal);

            // Five clients (dev accounts 4-8): the first creates the job, the others join it, each commits and sends one input.
            // The window leaves room for four CLI processes starting at once on a loaded 2-core machine.
            string[] Submit(string input, int account, params string[] job) =>
                ["job", "submit", circuitFile, "--rpc", rpc, "--contract", address, "--key-file", KeyFile(clientDir, $"client{account}", account),
                 "--identity", clientDir, "--input", input, "--json", .. job];
            var first = MpcProcess.Run(Submit("alice.x=3", 4, "--secret-contract", contractId.ToString(), "--input-window", "16", "--fee", "1000"));
            Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
            using var firstJson = JsonDocument.Parse(first.Stdout);
            string jobId = firstJson.RootElement.GetProperty("job_id").GetUInt64().ToString();
            Assert.True(firstJson.RootElement.GetProperty("created").GetBoolean());
            var others = await Task.WhenAll(new[] { "bob.x=1", "carol.x=4", "dave.x=1", "erin.x=5" }.Select((input, k) => MpcProcess.RunAsync(Submit(input, 5 + k, "--job", jobId))));
            Assert.All(others, r => Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr));

            var result = MpcProcess.Run("job", "result", "--rpc", rpc, "--contract", address, "--job", jobId, "--wait", "60", "--json");
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            using var read = JsonDocument.Parse(result.Stdout);
            Assert.Equal(["52"], read.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
            Assert.Equal([0, 1, 2], read.RootElement.GetProperty("signers").EnumerateArray().Select(o => o.GetInt32()));
            Assert.True(read.RootElement.GetProperty("consistent").GetBoolean());

            var status = MpcProcess.Run("chain", "status", "--rpc", rpc, "--contract", address, "--json");
            Assert.True(status.ExitCode == 0, status.Stderr);
            using var summary = JsonDocument.Parse(status.Stdout);
            Assert.Equal(3, summary.RootElement.GetProperty("nodes").GetArrayLength());
            // The three registrations ran concurrently, so the registry lists them in whatever order they were mined.
            Assert.Equal(ports.Select(p => $"https://127.0.0.1:{p}").Order(),
                summary.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("endpoint").GetString()).Order());
            Assert.Equal(clusterId, summary.RootElement.GetProperty("clusters")[0].GetProperty("id").GetUInt64());
            Assert.Equal(1UL, summary.RootElement.GetProperty("jobs").GetProperty("total").GetUInt64());
            Assert.Equal(1, summary.RootElement.GetProperty("jobs").GetProperty("by_status").GetProperty("Completed").GetInt32());
            Assert.True(summary.RootElement.GetProperty("jobs").GetProperty("recent")[0].GetProperty("result_posted").GetBoolean());
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill(entireProcessTree: true);
                node.WaitForExit(10_000);
                node.Dispose();
            }
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ChainCommandsRefuseMissingKeysAndSecondInputsClearly()
    {
        // Any chain but a local anvil (chain id 31337) needs an explicit key file.
        await using var anvil = await AnvilNode.StartAsync(new AnvilOptions { ChainId = 1337 });
        var deploy = MpcProcess.Run("chain", "deploy", "--rpc", anvil.RpcUrl.ToString());
        Assert.Equal(2, deploy.ExitCode);
        Assert.Contains("--key-file is required on chain id 1337", deploy.Stderr, StringComparison.Ordinal);

        string bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, "not-a-key-but-secret-text");
            var refused = MpcProcess.Run("chain", "deploy", "--rpc", anvil.RpcUrl.ToString(), "--key-file", bad);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("not a secp256k1 private key", refused.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-text", refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }

        var twoInputs = MpcProcess.Run("job", "submit", "circuits/sum_of_squares.ir", "--contract", "0x0000000000000000000000000000000000000001", "--job", "1",
            "--input", "alice.x=1", "--input", "bob.x=2");
        Assert.Equal(2, twoInputs.ExitCode);
        Assert.Contains("an account commits one input per job", twoInputs.Stderr, StringComparison.Ordinal);
    }

    private static string KeyFile(string directory, string name, int devAccount)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".key");
        using var key = AnvilNode.DevAccount(devAccount);
        TlsIdentity.WriteSecretFile(path, key.ExportPrivateKeyHex());
        return path;
    }
}
