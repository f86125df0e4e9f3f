using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Cli.Commands;

/// <summary>A job's result as an app reads it from chain: <c>getResult</c> plus the outputs of its <c>ResultPosted</c> event.</summary>
/// <param name="JobId">The chain job id.</param>
/// <param name="Result">The stored result (posted flag, outputs hash, output commitment).</param>
/// <param name="Posted">The event (outputs, signer bitmap, fee share, transaction), null when nothing was posted.</param>
internal sealed record OnChainResult(ulong JobId, ResultInfo Result, ResultPostedEvent? Posted)
{
    /// <summary>The outputs as unsigned integers (32-byte big-endian words), empty when nothing was posted.</summary>
    public IReadOnlyList<BigInteger> Outputs => Posted?.Outputs.Select(w => new BigInteger(w, isUnsigned: true, isBigEndian: true)).ToList() ?? [];

    /// <summary>True when the result is stored and the event's outputs hash to the stored hash.</summary>
    public bool Consistent => Result.Posted && Posted is not null && Result.OutputsHash.AsSpan().SequenceEqual(Posted.OutputsHash);
}

/// <summary><c>mpc chain deploy|status|result</c>: deploy <c>SecretContracts</c>, summarise its state, read a job's result.</summary>
internal static class ChainCommand
{
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    public static Command Create() => new("chain", "Deploy SecretContracts, register nodes and clusters, bind circuits, inspect state.")
    {
        Deploy(), Register(), CreateCluster(), Bind(), Status(), Result(),
    };

    private static Command Register()
    {
        var rpc = ChainAccess.RpcOption();
        var keyFile = ChainAccess.KeyFileOption();
        var address = ChainAccess.ContractOption();
        var endpoint = new Option<string>("--endpoint") { Description = "The node's gRPC endpoint peers and clients dial, https://host:port.", Required = true };
        var cert = new Option<FileInfo>("--cert") { Description = "The node's TLS certificate (node.crt); its SHA-256 fingerprint is registered and pinned by everyone.", Required = true };
        var stake = new Option<string?>("--stake") { Description = "Wei to lock (default: the contract's minimum stake)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var register = new Command("register", "Register the key's account as a node operator with endpoint and TLS fingerprint, locking the stake.") { rpc, keyFile, address, endpoint, cert, stake, json };
        register.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(endpoint), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                throw new CliException($"--endpoint '{parse.GetValue(endpoint)}' is not an https://host:port URL");
            string fingerprint = CertificateFingerprint(parse.GetValue(cert)!);
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), parse.GetValue(keyFile), needKey: true, ct);
            var contract = chain.Contract(ChainAccess.ParseContract(parse.GetValue(address)));
            BigInteger wei = parse.GetValue(stake) is { } text
                ? BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new CliException($"--stake '{text}' is not a whole number of wei")
                : await contract.MinStakeAsync(ct);
            var receipt = await contract.RegisterNodeAsync(parse.GetValue(endpoint)!, Fingerprints.Parse(fingerprint), wei, ct);
            Report(parse.GetValue(json), $"node {chain.Sender!.Address} registered at {parse.GetValue(endpoint)}, fingerprint {fingerprint}, stake {wei} wei", receipt,
                new { @operator = chain.Sender!.Address.ToString(), endpoint = parse.GetValue(endpoint), fingerprint, stake_wei = wei.ToString(CultureInfo.InvariantCulture) });
            return 0;
        }));
        return register;
    }

    private static Command CreateCluster()
    {
        var rpc = ChainAccess.RpcOption();
        var keyFile = ChainAccess.KeyFileOption();
        var address = ChainAccess.ContractOption();
        var members = new Option<string>("--members") { Description = "Operator addresses in party order, comma-separated (member i evaluates at i + 1).", Required = true };
        var threshold = new Option<int>("--threshold", "-t") { Description = "t: any t members learn nothing; n ≥ 2t + 1.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var create = new Command("create-cluster", "Group registered, active nodes into a cluster with threshold t; prints the cluster id.") { rpc, keyFile, address, members, threshold, json };
        create.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var operators = parse.GetValue(members)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m =>
            {
                try
                {
                    return EthAddress.Parse(m);
                }
                catch (FormatException e)
                {
                    throw new CliException($"--members: {e.Message}");
                }
            }).ToList();
            int t = parse.GetValue(threshold);
            if (t < 1 || operators.Count < 2 * t + 1)
                throw new CliException($"--threshold {t} needs 1 ≤ t and n ≥ 2t + 1 with n = {operators.Count} members");
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), parse.GetValue(keyFile), needKey: true, ct);
            ulong id = await chain.Contract(ChainAccess.ParseContract(parse.GetValue(address))).CreateClusterAsync(operators, t, ct);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { cluster_id = id, threshold = t, members = operators.Select(o => o.ToString()) }));
            else
                Console.WriteLine($"cluster {id}: t = {t}, members {string.Join(", ", operators)}");
            return 0;
        }));
        return create;
    }

    private static Command Bind()
    {
        var rpc = ChainAccess.RpcOption();
        var keyFile = ChainAccess.KeyFileOption();
        var address = ChainAccess.ContractOption();
        var circuitFile = new Option<FileInfo>("--circuit") { Description = "The circuit (.ir); its id (Keccak-256 of the compiled encoding) is bound.", Required = true };
        var cluster = new Option<ulong>("--cluster") { Description = "The cluster that evaluates it.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var bind = new Command("bind", "Deploy a secret contract: bind a circuit's id to a cluster; prints the secret contract id jobs are created for.") { rpc, keyFile, address, circuitFile, cluster, json };
        bind.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var circuit = CircuitLoader.Load(parse.GetValue(circuitFile)!);
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), parse.GetValue(keyFile), needKey: true, ct);
            ulong id = await chain.Contract(ChainAccess.ParseContract(parse.GetValue(address))).DeployContractAsync(circuit.Id.Bytes.ToArray(), parse.GetValue(cluster), ct);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { contract_id = id, circuit = circuit.Name, circuit_id = circuit.Id.ToString(), cluster = parse.GetValue(cluster) }));
            else
                Console.WriteLine($"secret contract {id}: {circuit.Name} ({circuit.Id}) on cluster {parse.GetValue(cluster)}");
            return 0;
        }));
        return bind;
    }

    private static string CertificateFingerprint(FileInfo file)
    {
        if (!file.Exists)
            throw new CliException($"--cert '{file.FullName}' does not exist");
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(file.FullName));
            return TlsIdentity.ComputeFingerprint(certificate);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new CliException($"--cert '{file.FullName}' is not a PEM certificate: {e.Message}");
        }
    }

    private static void Report(bool json, string text, TransactionReceipt receipt, object fields)
    {
        if (json)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(fields))!.AsObject();
            node["tx"] = Hex.Encode(receipt.TransactionHash);
            node["gas"] = receipt.GasUsed;
            Console.WriteLine(node.ToJsonString());
        }
        else
        {
            Console.WriteLine(text);
            Console.WriteLine($"  tx {Hex.Encode(receipt.TransactionHash)}  gas {receipt.GasUsed}");
        }
    }

    private static Command Deploy()
    {
        var rpc = ChainAccess.RpcOption();
        var keyFile = ChainAccess.KeyFileOption();
        var minStake = new Option<string>("--min-stake") { Description = "Stake a node must lock, in wei (default 0.1 ETH).", DefaultValueFactory = _ => (Ether / 10).ToString() };
        var exitDelay = new Option<long>("--exit-delay") { Description = "Seconds between requestDeregister and withdrawStake (default 1 day).", DefaultValueFactory = _ => 86_400 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var deploy = new Command("deploy", "Deploy SecretContracts from the key's account; print its address, the tx hash and gas.") { rpc, keyFile, minStake, exitDelay, json };
        deploy.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (!BigInteger.TryParse(parse.GetValue(minStake), NumberStyles.None, CultureInfo.InvariantCulture, out var stake))
                throw new CliException($"--min-stake '{parse.GetValue(minStake)}' is not a whole number of wei");
            if (parse.GetValue(exitDelay) < 0)
                throw new CliException($"--exit-delay {parse.GetValue(exitDelay)} must not be negative");
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), parse.GetValue(keyFile), needKey: true, ct);
            var (contract, receipt) = await SecretContractsClient.DeployAsync(chain.Rpc, chain.Sender!, stake, TimeSpan.FromSeconds(parse.GetValue(exitDelay)), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    contract = contract.Address.ToString(),
                    chain_id = chain.ChainId.ToString(CultureInfo.InvariantCulture),
                    deployer = chain.Sender!.Address.ToString(),
                    tx = Hex.Encode(receipt.TransactionHash),
                    block = receipt.BlockNumber,
                    gas = receipt.GasUsed,
                }));
            }
            else
            {
                Console.WriteLine($"SecretContracts deployed at {contract.Address} on chain {chain.ChainId} by {chain.Sender!.Address}");
                Console.WriteLine($"  tx {Hex.Encode(receipt.TransactionHash)}  block {receipt.BlockNumber}  gas {receipt.GasUsed}");
            }
            return 0;
        }));
        return deploy;
    }

    private static Command Status()
    {
        var rpc = ChainAccess.RpcOption();
        var address = ChainAccess.ContractOption();
        var recent = new Option<int>("--jobs") { Description = "How many of the latest jobs to list.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var status = new Command("status", "Summarise a SecretContracts deployment: parameters, nodes, clusters, jobs.") { rpc, address, recent, json };
        status.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), null, needKey: false, ct);
            var contract = chain.Contract(ChainAccess.ParseContract(parse.GetValue(address)));
            var report = await ReadStatusAsync(contract, Math.Max(0, parse.GetValue(recent)), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    contract = contract.Address.ToString(),
                    chain_id = chain.ChainId.ToString(CultureInfo.InvariantCulture),
                    block = report.Block,
                    deployment_block = report.DeploymentBlock,
                    min_stake_wei = report.MinStake.ToString(CultureInfo.InvariantCulture),
                    exit_delay_s = (long)report.ExitDelay.TotalSeconds,
                    nodes = report.Nodes.Select(n => new { @operator = n.Operator.ToString(), endpoint = n.Endpoint, fingerprint = Convert.ToHexStringLower(n.TlsFingerprint), status = n.Status.ToString(), stake_wei = n.Stake.ToString(CultureInfo.InvariantCulture) }),
                    clusters = report.Clusters.Select(c => new { id = c.Id, threshold = c.Threshold, members = c.Members.Select(m => m.ToString()) }),
                    contracts = report.Contracts,
                    jobs = new { total = report.JobCount, by_status = report.JobsByStatus, recent = report.RecentJobs.Select(j => new { id = j.Job.Id, contract = j.Job.ContractId, cluster = j.Job.ClusterId, status = j.Job.Status.ToString(), result_posted = j.Posted, input_deadline = j.Job.InputDeadline.ToUnixTimeSeconds() }) },
                }));
                return 0;
            }
            Console.WriteLine($"SecretContracts {contract.Address} on chain {chain.ChainId}, block {report.Block} (deployed in block {report.DeploymentBlock})");
            Console.WriteLine($"  min stake {report.MinStake} wei, exit delay {report.ExitDelay}");
            Console.WriteLine($"nodes: {report.Nodes.Count}");
            foreach (var n in report.Nodes)
                Console.WriteLine($"  {n.Operator}  {n.Status,-9} {n.Endpoint}  tls {Convert.ToHexStringLower(n.TlsFingerprint)[..16]}…  stake {n.Stake} wei");
            Console.WriteLine($"clusters: {report.Clusters.Count}");
            foreach (var c in report.Clusters)
                Console.WriteLine($"  {c.Id}: t = {c.Threshold}, members {string.Join(", ", c.Members)}");
            Console.WriteLine($"secret contracts: {report.Contracts}");
            Console.WriteLine($"jobs: {report.JobCount} ({string.Join(", ", report.JobsByStatus.Select(kv => $"{kv.Value} {kv.Key.ToLowerInvariant()}"))})");
            foreach (var (job, posted) in report.RecentJobs)
                Console.WriteLine($"  job {job.Id}: contract {job.ContractId}, cluster {job.ClusterId}, {job.Status.ToString().ToLowerInvariant()}{(posted ? ", result posted" : "")}, input deadline {job.InputDeadline:u}");
            return 0;
        }));
        return status;
    }

    private sealed record StatusReport(long Block, long DeploymentBlock, BigInteger MinStake, TimeSpan ExitDelay, IReadOnlyList<NodeInfo> Nodes,
        IReadOnlyList<ClusterInfo> Clusters, ulong Contracts, ulong JobCount, IReadOnlyDictionary<string, int> JobsByStatus, IReadOnlyList<(JobInfo Job, bool Posted)> RecentJobs);

    private static async Task<StatusReport> ReadStatusAsync(SecretContractsClient contract, int recent, CancellationToken ct)
    {
        long block = await contract.Rpc.GetBlockNumberAsync(ct);
        long deployed = await contract.FindDeploymentBlockAsync(ct);
        var operators = await contract.GetRegisteredOperatorsAsync(BlockParameter.Number(deployed), BlockParameter.Number(block), ct);
        var nodes = await Task.WhenAll(operators.Select(o => contract.GetNodeAsync(o, ct)));
        var clusters = await ReadAllAsync(await contract.ClusterCountAsync(ct), id => contract.GetClusterAsync(id, ct));
        ulong jobCount = await contract.JobCountAsync(ct);
        var all = await ReadAllAsync(jobCount, id => contract.GetJobAsync(id, ct));
        var byStatus = new SortedDictionary<string, int>(all.CountBy(j => j.Status.ToString()).ToDictionary(), StringComparer.Ordinal);
        var latest = all.AsEnumerable().Reverse().Take(recent).ToList();
        var posted = await Task.WhenAll(latest.Select(async j => (await contract.GetResultAsync(j.Id, ct)).Posted));
        var jobs = latest.Zip(posted).ToList();
        return new StatusReport(block, deployed, await contract.MinStakeAsync(ct), await contract.ExitDelayAsync(ct), nodes, clusters,
            await contract.ContractCountAsync(ct), jobCount, byStatus, jobs);
    }

    // Items 1..count, read a batch at a time: one round trip per batch, not per item, without flooding a public endpoint.
    private static async Task<List<T>> ReadAllAsync<T>(ulong count, Func<ulong, Task<T>> read)
    {
        const ulong batch = 32;
        var items = new List<T>();
        for (ulong first = 1; first <= count; first += batch)
        {
            ulong last = Math.Min(count, first + batch - 1);
            var ids = new List<ulong>();
            for (ulong id = first; id <= last; id++)
                ids.Add(id);
            items.AddRange(await Task.WhenAll(ids.Select(read)));
        }
        return items;
    }

    private static Command Result()
    {
        var rpc = ChainAccess.RpcOption();
        var address = ChainAccess.ContractOption();
        var job = new Option<ulong>("--job") { Description = "The chain job id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var result = new Command("result", "Read a job's posted result (getResult and the ResultPosted outputs) as an app would; exit 1 while none is posted.") { rpc, address, job, json };
        result.SetAction((parse, ct) => CliErrors.RunAsync(() =>
            PrintResultAsync(parse.GetValue(rpc), parse.GetValue(address), parse.GetValue(job), TimeSpan.Zero, parse.GetValue(json), ct)));
        return result;
    }

    /// <summary>Reads (waiting up to <paramref name="wait"/> for it to be posted) and prints a job's result; 0 when posted, 1 when not.</summary>
    public static async Task<int> PrintResultAsync(string? rpcUrl, string? contractAddress, ulong jobId, TimeSpan wait, bool json, CancellationToken ct)
    {
        var address = ChainAccess.ParseContract(contractAddress);
        // Only the endpoint's authority is shown: a provider URL's path may carry an API key.
        string url = ChainAccess.ParseRpc(rpcUrl).GetLeftPart(UriPartial.Authority) + "/";
        OnChainResult read;
        try
        {
            using var chain = await ChainAccess.OpenAsync(rpcUrl, null, needKey: false, ct);
            var contract = chain.Contract(address);
            var giveUp = DateTime.UtcNow + wait;
            read = await ReadResultAsync(contract, jobId, ct);
            while (!read.Result.Posted && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(250, ct);
                read = await ReadResultAsync(contract, jobId, ct);
            }
        }
        catch (Exception e) when (e is EthereumRpcException or HttpRequestException or SecretContractsRevertException or InvalidDataException)
        {
            throw new CliException($"cannot read job {jobId} from {url}: {e.Message}");
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                job_id = read.JobId,
                posted = read.Result.Posted,
                consistent = read.Consistent,
                outputs_hash = Hex.Encode(read.Result.OutputsHash),
                outputs = read.Outputs.Select(o => o.ToString()).ToArray(),
                signers = read.Posted?.SignerIndices(),
                tx = read.Posted is { } p ? Hex.Encode(p.Log.TransactionHash) : null,
            }));
        }
        else if (!read.Result.Posted)
        {
            Console.WriteLine($"job {read.JobId}: no result posted yet");
        }
        else
        {
            Console.WriteLine($"job {read.JobId}: outputs [{string.Join(", ", read.Outputs)}], signed by members {string.Join(", ", read.Posted?.SignerIndices() ?? [])}, " +
                $"tx {(read.Posted is { } p ? Hex.Encode(p.Log.TransactionHash) : "?")}{(read.Consistent ? "" : " (INCONSISTENT with getResult)")}");
        }
        return read.Result.Posted ? 0 : 1;
    }

    /// <summary>Reads <paramref name="jobId"/>'s stored result and its <c>ResultPosted</c> event (whose outputs the client checks against the stored hash).</summary>
    public static async Task<OnChainResult> ReadResultAsync(SecretContractsClient contract, ulong jobId, CancellationToken ct)
    {
        var result = await contract.GetResultAsync(jobId, ct);
        var posted = result.Posted ? await contract.FindResultPostedAsync(jobId, cancellationToken: ct) : null;
        return new OnChainResult(jobId, result, posted);
    }
}
