using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Fields;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc job run|submit|result</c>: a job on a running cluster (off chain), or a client's inputs to an on-chain job and its result.</summary>
internal static class JobCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A circuit: the IR text form (.ir) or a program (.circ)." };
        var clusterDir = new Option<DirectoryInfo>("--cluster") { Description = "The cluster directory (holding cluster.json).", DefaultValueFactory = _ => new DirectoryInfo(ClusterCommand.DefaultDirectory) };
        var inputs = InputAssignment.CreateOption();
        var jobId = new Option<string?>("--job-id") { Description = "The job id (default: random)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the job.", DefaultValueFactory = _ => 120 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var run = new Command("run", "Share the inputs, send share i to node i only, run the job on the cluster and print its outputs.")
        {
            file, clusterDir, inputs, jobId, timeout, json,
        };
        run.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = CircuitLoader.LoadContract(parse.GetValue(file)!);
            var circuit = loaded.Circuit;
            var values = InputAssignment.ParseAll(parse.GetValue(inputs) ?? [], loaded.Interface);
            var cluster = ClusterDescription.Load(Path.Combine(parse.GetValue(clusterDir)!.FullName, ClusterCommand.FileName));
            using var client = MpcClient.Open(cluster, out var identity);
            using var _ = identity;
            var task = new JobTask(client, circuit, loaded.Interface, values, parse.GetValue(jobId), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
            JobReport report = await FieldOption.Dispatch(cluster.Field.ToLowerInvariant(), task);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    job_id = report.JobId,
                    circuit = circuit.Name,
                    circuit_id = circuit.Id.ToString(),
                    field = cluster.Field,
                    parties = cluster.Nodes.Count,
                    threshold = cluster.Threshold,
                    outputs = report.Outputs.ToDictionary(o => o.Name, o => o.Value.ToString()),
                    elapsed_s = report.Elapsed.TotalSeconds,
                }));
            }
            else
            {
                Console.WriteLine($"{circuit.Name} ({circuit.Id}) job {report.JobId} on {cluster.Nodes.Count} nodes, t = {cluster.Threshold}, {cluster.Field}, semi-honest");
                foreach (var output in report.Outputs) Console.WriteLine($"  {output.Line}");
                Console.WriteLine($"job finished in {report.Elapsed.TotalMilliseconds:F1} ms (submit, preprocessing, evaluation, output delivery)");
            }
            return 0;
        }));
        return new Command("job", "Run jobs on a cluster, or submit inputs to on-chain jobs and read their results, as a client.") { run, Submit(), Result() };
    }

    private static Command Submit()
    {
        var file = new Argument<FileInfo>("file") { Description = "The circuit of the secret contract: the IR text form (.ir) or a program (.circ)." };
        var rpc = ChainAccess.RpcOption();
        var keyFile = ChainAccess.KeyFileOption();
        var address = ChainAccess.ContractOption();
        var secretContract = new Option<ulong?>("--secret-contract") { Description = "Create a new job of this secret contract id (paying --fee)." };
        var existing = new Option<ulong?>("--job") { Description = "Submit to this existing chain job instead of creating one." };
        var window = new Option<int>("--input-window") { Description = "Seconds from now to the new job's input deadline.", DefaultValueFactory = _ => 30 };
        var resultTimeout = new Option<int>("--result-timeout") { Description = "Seconds after the input deadline the nodes have to post (then the fee is refundable).", DefaultValueFactory = _ => 600 };
        var fee = new Option<string>("--fee") { Description = "Fee of a new job in wei, escrowed and paid to the signing nodes.", DefaultValueFactory = _ => "0" };
        var inputs = InputAssignment.CreateOption();
        var identityDir = new Option<DirectoryInfo>("--identity") { Description = "Directory with the client's TLS identity (client.crt, client.key; created if missing). The nodes must list its fingerprint in allowedClients.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".mpc", "client")) };
        var field = FieldOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var submit = new Command("submit", "Create an on-chain job (or join one), commit keccak256(share ‖ salt) per node on chain and send each node its share.")
        {
            file, rpc, keyFile, address, secretContract, existing, window, resultTimeout, fee, inputs, identityDir, field, json,
        };
        submit.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var loaded = CircuitLoader.LoadContract(parse.GetValue(file)!);
            var circuit = loaded.Circuit;
            var values = InputAssignment.ParseAll(parse.GetValue(inputs) ?? [], loaded.Interface);
            // The chain keeps one commitment vector per account and job, so one account commits one input.
            if (values.Count > 1)
                throw new CliException($"--input: {values.Count} inputs given, but an account commits one input per job; submit each input with its own --key-file");
            if (parse.GetValue(secretContract) is null == parse.GetValue(existing) is null)
                throw new CliException("give exactly one of --secret-contract (create a job) and --job (join an existing one)");
            if (!BigInteger.TryParse(parse.GetValue(fee), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var feeWei))
                throw new CliException($"--fee '{parse.GetValue(fee)}' is not a whole number of wei");
            using var chain = await ChainAccess.OpenAsync(parse.GetValue(rpc), parse.GetValue(keyFile), needKey: true, ct);
            var contract = chain.Contract(ChainAccess.ParseContract(parse.GetValue(address)));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            bool created = false;
            ulong jobId;
            if (parse.GetValue(secretContract) is { } contractId)
            {
                await RequireCircuitAsync(contract, contractId, circuit, ct);
                var deadline = await contract.GetDeadlineClockAsync(ct) + TimeSpan.FromSeconds(parse.GetValue(window));
                jobId = await contract.CreateJobAsync(contractId, deadline, TimeSpan.FromSeconds(parse.GetValue(resultTimeout)), feeWei, ct);
                created = true;
            }
            else
            {
                jobId = parse.GetValue(existing)!.Value;
                await RequireCircuitAsync(contract, (await contract.GetJobAsync(jobId, ct)).ContractId, circuit, ct);
            }
            var (cluster, nodes) = await ChainInputs.ClusterOfJobAsync(contract, jobId, ct);
            var dir = parse.GetValue(identityDir)!.FullName;
            using var identity = TlsIdentity.LoadOrCreate(Path.Combine(dir, "client.crt"), Path.Combine(dir, "client.key"), "client");
            using var client = new MpcClient(nodes, cluster.Threshold, identity);
            var task = new SubmitTask(client, contract, circuit, values, jobId, ct);
            var (inputName, receipt) = await FieldOption.Dispatch(FieldOption.Read(parse, field, circuit), task);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    job_id = jobId,
                    created,
                    input = inputName,
                    commit_tx = receipt is null ? null : Hex.Encode(receipt.TransactionHash),
                    gas_commit = receipt?.GasUsed,
                    cluster = cluster.Id,
                    client_fingerprint = identity.Fingerprint,
                    elapsed_s = Math.Round(clock.Elapsed.TotalSeconds, 2),
                }));
            }
            else
            {
                Console.WriteLine(!created ? $"job {jobId} (cluster {cluster.Id})" : $"created job {jobId} (cluster {cluster.Id})");
                if (receipt is not null)
                    Console.WriteLine($"  {inputName}: committed in tx {Hex.Encode(receipt.TransactionHash)} (gas {receipt.GasUsed}); shares sent to {nodes.Count} nodes");
                Console.WriteLine($"read the result with: mpc job result --contract {contract.Address} --job {jobId}");
            }
            return 0;
        }));
        return submit;
    }

    private static async Task RequireCircuitAsync(SecretContractsClient contract, ulong contractId, Circuit circuit, CancellationToken ct)
    {
        var info = await contract.GetContractAsync(contractId, ct);
        if (!info.CircuitId.AsSpan().SequenceEqual(circuit.Id.Bytes))
            throw new CliException($"secret contract {contractId} runs circuit {Hex.Encode(info.CircuitId)}, but '{circuit.Name}' compiles to {circuit.Id}");
    }

    private sealed class SubmitTask(MpcClient client, SecretContractsClient contract, Circuit circuit, Dictionary<string, BigInteger> values, ulong jobId, CancellationToken ct)
        : IFieldTask<Task<(string? Input, TransactionReceipt? Receipt)>>
    {
        public async Task<(string? Input, TransactionReceipt? Receipt)> Run<T>() where T : struct, IField<T>
        {
            // Registering with the encoding serves nodes whose circuits directory lacks the circuit; it is idempotent.
            await client.StartJobAsync<T>(jobId.ToString(System.Globalization.CultureInfo.InvariantCulture), circuit, ct);
            if (values.Count == 0)
                return (null, null);
            var (name, value) = values.Single();
            if (!circuit.TryGetInput(name, out var input))
                throw new CliException($"circuit '{circuit.Name}' has no input '{name}'; its inputs are {string.Join(", ", circuit.Inputs.Select(i => i.QualifiedName))}");
            var receipt = await ChainInputs.CommitAndSendAsync(contract, client, jobId, input.QualifiedName, FieldIntegers.FromSigned<T>(value, input.QualifiedName), ct);
            return (input.QualifiedName, receipt);
        }
    }

    private static Command Result()
    {
        var rpc = ChainAccess.RpcOption();
        var address = ChainAccess.ContractOption();
        var job = new Option<ulong>("--job") { Description = "The chain job id.", Required = true };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the result to be posted (0: read once).", DefaultValueFactory = _ => 120 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var result = new Command("result", "Wait for an on-chain job's result and print it as an app reads it; exit 1 if none is posted in time.") { rpc, address, job, wait, json };
        result.SetAction((parse, ct) => CliErrors.RunAsync(() =>
            ChainCommand.PrintResultAsync(parse.GetValue(rpc), parse.GetValue(address), parse.GetValue(job), TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(wait))), parse.GetValue(json), ct)));
        return result;
    }

    private sealed record JobReport(string JobId, IReadOnlyList<(string Name, string Line, BigInteger Value)> Outputs, TimeSpan Elapsed);

    private sealed class JobTask(MpcClient client, Circuit circuit, ContractInterface? contract, Dictionary<string, BigInteger> inputs, string? jobId, TimeSpan timeout, CancellationToken ct)
        : IFieldTask<Task<JobReport>>
    {
        public async Task<JobReport> Run<T>() where T : struct, IField<T>
        {
            var result = await client.RunJobAsync<T>(circuit, inputs, jobId, timeout, ct);
            return new JobReport(result.JobId, OutputText.Describe(result.Outputs, contract), result.Elapsed);
        }
    }
}
