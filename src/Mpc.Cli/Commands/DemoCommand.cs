using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using Mpc.Node.Chain;
using Mpc.Node.Security;

namespace Mpc.Cli.Commands;

/// <summary>What <c>mpc demo</c> measured; <see cref="ResultMatches"/> decides the exit code.</summary>
internal sealed record DemoReport(
    ulong JobId,
    bool ResultMatches,
    IReadOnlyDictionary<string, string> OnChainOutputs,
    IReadOnlyDictionary<string, string> ExpectedOutputs,
    long GasPostResult,
    string PostResultTx,
    IReadOnlyDictionary<string, string> Transactions,
    double TotalSeconds);

/// <summary><c>mpc demo</c>: the whole secret-contract life cycle on a chain (a local anvil, or <c>--rpc</c>) and a 3-node cluster of real node processes.</summary>
/// <remarks>
/// Steps: start anvil (or connect), deploy <c>SecretContracts</c>, fund one operator key per node and one client key per
/// input, start the nodes (as <c>mpc cluster up</c>, each node.json with a chain section: they watch the contract and
/// load circuits from the circuit's directory), register them with endpoint and TLS fingerprint, create the cluster
/// (t = 1), deploy the circuit id and create a job with a fee and an input deadline. Each client then reads the
/// cluster's endpoints and fingerprints from the registry, commits keccak(share ‖ salt) per node on chain and sends
/// shares and salts. The nodes create the job from its event, check each share against its commitment, evaluate once
/// chain time passes the deadline, exchange EIP-712 signatures; member 0 posts. The demo then reads the result back as
/// an app would (getResult + ResultPosted) and compares it with the plaintext evaluation. Nodes and anvil are stopped
/// also on failure.
/// </remarks>
internal static class DemoCommand
{
    private const int Parties = 3, Threshold = 1;
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    // Small amounts, so that --rpc on a public test chain costs little: stake, operator gas money, client gas money, fee.
    private static readonly BigInteger MinStake = Ether / 100, OperatorFunds = Ether / 20, ClientFunds = Ether / 200, Fee = Ether / 1000;

    /// <summary>The demo's default circuit: the sealed-bid second-price auction, five bidders with one secret bid each, public winner and price.</summary>
    /// <remarks>
    /// <c>circuits/auction.ir</c> rather than <c>sealed_bid_auction.circ</c>: the language example has 64 bidders (64 client
    /// accounts and commitments), the IR one the five the demo is about, built with one layer of comparisons.
    /// </remarks>
    public const string DefaultCircuit = "circuits/auction.ir";

    public static Command Create()
    {
        var circuitFile = new Option<FileInfo>("--circuit") { Description = "The circuit (.ir or .circ); inputs come from its expectation (x.expect.json, x.circ.expect.json) when present, else random distinct values. Each input is committed by its own client.", DefaultValueFactory = _ => new FileInfo(DefaultCircuit) };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Working directory for keys, configs and node logs (default: a fresh temporary directory)." };
        var deadline = new Option<int>("--input-window") { Description = "Seconds from job creation to the input deadline (the nodes compute after it).", DefaultValueFactory = _ => 5 };
        var rpc = new Option<string?>("--rpc") { Description = "Use this chain (JSON-RPC URL) instead of starting anvil; needs --key-file." };
        var keyFile = ChainAccess.KeyFileOption();
        var json = new Option<bool>("--json") { Description = "End with one JSON object (result_matches, gas_post_result, total_s, tx hashes)." };
        var demo = new Command("demo", "Run a secret contract end to end on a local chain (anvil) and a 3-node cluster, and check the on-chain result.") { circuitFile, dir, deadline, rpc, keyFile, json };
        demo.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var file = parse.GetValue(circuitFile)!;
            var loaded = CircuitLoader.LoadContract(file);
            var inputs = DemoInputs(file, loaded);
            if (parse.GetValue(rpc) is null && parse.GetValue(keyFile) is not null)
                throw new CliException("--key-file is for --rpc chains; the local anvil uses its dev account 0");
            string? kept = parse.GetValue(dir)?.FullName;
            string directory = kept ?? Path.Combine(Path.GetTempPath(), "mpc-demo-" + Guid.NewGuid().ToString("N")[..8]);
            // Nodes read circuits as IR text from a directory; a .circ program reaches them as its compiled IR, written into the work directory.
            bool language = CircuitLoader.IsLanguage(file.Name);
            var circuit = loaded.Circuit;
            var settings = new DemoSettings(circuit, inputs, language ? null : file.DirectoryName!, directory,
                TimeSpan.FromSeconds(parse.GetValue(deadline)), parse.GetValue(rpc), parse.GetValue(keyFile));
            var display = new StepDisplay();
            DemoReport report;
            try
            {
                report = await RunAsync(settings, display, ct);
            }
            finally
            {
                // A temporary directory holds only throw-away keys; a --dir is left for inspection (node logs).
                if (kept is null && Directory.Exists(directory))
                    Directory.Delete(directory, recursive: true);
            }
            display.Line(report.ResultMatches
                ? $"on-chain outputs equal the plaintext evaluation; postResult used {report.GasPostResult} gas; {report.TotalSeconds:F1} s in total"
                : "MISMATCH: the on-chain outputs differ from the plaintext evaluation");
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    circuit = settings.Circuit.Name,
                    field = FieldOption.For(settings.Circuit),
                    job_id = report.JobId,
                    result_matches = report.ResultMatches,
                    outputs = report.OnChainOutputs,
                    expected = report.ExpectedOutputs,
                    gas_post_result = report.GasPostResult,
                    post_result_tx = report.PostResultTx,
                    transactions = report.Transactions,
                    total_s = Math.Round(report.TotalSeconds, 2),
                }));
            }
            return report.ResultMatches ? 0 : 1;
        }));
        return demo;
    }

    /// <summary>The expectation file of a circuit: <c>x.expect.json</c> for <c>x.ir</c>, <c>x.circ.expect.json</c> for <c>x.circ</c>.</summary>
    public static string ExpectationPath(FileInfo circuitFile) => CircuitLoader.IsLanguage(circuitFile.Name)
        ? circuitFile.FullName + ".expect.json"
        : Path.ChangeExtension(circuitFile.FullName, ".expect.json");

    /// <summary>
    /// The inputs of the circuit's expectation file when it exists, parsed as <c>mpc run --input</c> parses them
    /// (typed, arrays spread over their elements, for a <c>.circ</c>); otherwise random distinct values per IR input.
    /// </summary>
    /// <returns>Raw values keyed by IR input name (<c>owner.name</c>, <c>owner.name_i</c> for array elements).</returns>
    /// <exception cref="CliException">The expectation has no <c>inputs</c> object or a value that is not a number, bool, string or array of them.</exception>
    public static Dictionary<string, BigInteger> DemoInputs(FileInfo circuitFile, LoadedCircuit loaded)
    {
        string expect = ExpectationPath(circuitFile);
        if (File.Exists(expect))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(expect));
            if (!document.RootElement.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
                throw new CliException($"{expect}: no \"inputs\" object");
            // The expectation's values written as --input arguments, so that they go through mpc run's parser.
            var arguments = inputs.EnumerateObject().Select(p => $"{p.Name}={ArgumentText(p.Value, expect, p.Name)}").ToList();
            try
            {
                return InputAssignment.ParseAll(arguments, loaded.Interface);
            }
            catch (FormatException e)
            {
                throw new CliException($"{expect}: {e.Message}");
            }
        }
        return RandomInputs(loaded);
    }

    // A JSON input value as the text of an --input argument: numbers and decimal strings (for values beyond JSON's safe integers), bools, arrays.
    private static string ArgumentText(JsonElement value, string file, string name) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => "[" + string.Join(",", value.EnumerateArray().Select(v => ArgumentText(v, file, name))) + "]",
        _ => throw new CliException($"{file}: input '{name}' = {value.GetRawText()} is not a number, bool or array"),
    };

    // No expectation: distinct integers 1..100 (bids of an auction must differ for its winner to be unique), bools 0/1, fixed 1..100 scaled.
    private static Dictionary<string, BigInteger> RandomInputs(LoadedCircuit loaded)
    {
        var kinds = loaded.Interface?.Inputs.SelectMany(i => i.IrNames.Select(n => (Name: n, i.Kind))).ToDictionary(x => x.Name, x => x.Kind)
            ?? new Dictionary<string, ScalarKind>();
        var pool = Enumerable.Range(1, 100).ToArray();
        Random.Shared.Shuffle(pool);
        var values = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        var circuit = loaded.Circuit;
        for (int i = 0; i < circuit.Inputs.Length; i++)
        {
            string name = circuit.Inputs[i].QualifiedName;
            int value = pool[i % pool.Length];
            values[name] = kinds.GetValueOrDefault(name) switch
            {
                ScalarKind.Bool => value & 1,
                ScalarKind.Fixed => (BigInteger)value << 16,
                _ => value,
            };
        }
        return values;
    }

    // The circuit's IR text alone in a fresh directory, for the nodes' circuit catalog.
    private static string WriteCircuit(string directory, Circuit circuit)
    {
        string circuits = Path.Combine(directory, "circuits");
        Directory.CreateDirectory(circuits);
        File.WriteAllText(Path.Combine(circuits, circuit.Name + ".ir"), CircuitText.Print(circuit));
        return circuits;
    }

    /// <summary>What one demo run uses; <see cref="CircuitsDirectory"/> null means "write the circuit's IR into <see cref="Directory"/>/circuits".</summary>
    public sealed record DemoSettings(Circuit Circuit, IReadOnlyDictionary<string, BigInteger> Inputs, string? CircuitsDirectory, string Directory,
        TimeSpan InputWindow, string? RpcUrl, FileInfo? KeyFile);

    /// <summary>Runs the demo flow in the circuit's field (<see cref="FieldOption.For"/>), showing each step on <paramref name="display"/>.</summary>
    public static Task<DemoReport> RunAsync(DemoSettings settings, StepDisplay display, CancellationToken ct) =>
        FieldOption.Dispatch(FieldOption.For(settings.Circuit), new DemoRun(settings, display, ct));

    private sealed class DemoRun(DemoSettings settings, StepDisplay display, CancellationToken ct) : IFieldTask<Task<DemoReport>>
    {
        public Task<DemoReport> Run<T>() where T : struct, IField<T> => RunAsync<T>(settings, display, ct);
    }

    private static async Task<DemoReport> RunAsync<T>(DemoSettings settings, StepDisplay display, CancellationToken ct) where T : struct, IField<T>
    {
        var circuit = settings.Circuit;
        string directory = settings.Directory;
        string field = FieldOption.For(circuit);
        // Checked before anything starts: a value outside the field's signed range is the user's error, not a node failure.
        Dictionary<string, T> plain;
        try
        {
            plain = CircuitInputs.ToField<T>(circuit, settings.Inputs);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{circuit.Name}: {e.Message}");
        }
        var clock = Stopwatch.StartNew();
        var txs = new Dictionary<string, string>(StringComparer.Ordinal);
        void Tx(Action<string> report, string what, TransactionReceipt receipt)
        {
            lock (txs)
                txs[what] = Hex.Encode(receipt.TransactionHash);
            report($"{what,-24} tx {Hex.Encode(receipt.TransactionHash)}  gas {receipt.GasUsed}");
        }

        AnvilNode? anvil = null;
        ChainAccess? chain = null;
        bool clusterUp = false;
        var operators = new EthKey[Parties];
        var clients = new EthKey[circuit.Inputs.Length];
        try
        {
            chain = await display.RunAsync(settings.RpcUrl is null ? "start anvil" : "connect to the chain", async report =>
            {
                if (settings.RpcUrl is not null)
                {
                    var access = await ChainAccess.OpenAsync(settings.RpcUrl, settings.KeyFile, needKey: true, ct);
                    var url = ChainAccess.ParseRpc(settings.RpcUrl);
                    report($"{url.Scheme}://{url.Authority} (chain id {access.ChainId}), sending from {access.Sender!.Address}");
                    return access;
                }
                anvil = await AnvilNode.StartAsync(cancellationToken: ct);
                report($"anvil at {anvil.RpcUrl} (chain id {anvil.ChainId})");
                return await ChainAccess.OpenAsync(anvil.RpcUrl.ToString(), null, needKey: true, ct);
            });
            var deployer = chain.Sender!;

            var contract = await display.RunAsync("deploy SecretContracts", async report =>
            {
                var (deployed, receipt) = await SecretContractsClient.DeployAsync(chain.Rpc, deployer, MinStake, TimeSpan.FromDays(1), ct);
                Tx(report, "deploy", receipt);
                report($"contract {deployed.Address}");
                return deployed;
            });

            await display.RunAsync($"fund {Parties} operator and {clients.Length} client accounts", async report =>
            {
                for (int i = 0; i < Parties; i++)
                    operators[i] = EthKey.Generate();
                for (int i = 0; i < clients.Length; i++)
                    clients[i] = EthKey.Generate();
                // The sender numbers the transactions locally, so they can all be in flight at once.
                var receipts = await Task.WhenAll(
                    operators.Select(o => deployer.TransferAsync(o.Address, OperatorFunds + MinStake, ct))
                    .Concat(clients.Select(c => deployer.TransferAsync(c.Address, ClientFunds, ct))));
                report($"{receipts.Length} transfers, {receipts.Sum(r => r.GasUsed)} gas");
            });

            var cluster = await display.RunAsync($"start {Parties} node processes (t = {Threshold}, {T.Name})", async report =>
            {
                string circuits = settings.CircuitsDirectory ?? WriteCircuit(directory, circuit);
                var started = await ClusterCommand.UpAsync(directory, Parties, Threshold, field, ct, (i, options) =>
                {
                    string keyFile = Path.Combine(directory, $"node{i}", "operator.key");
                    Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
                    TlsIdentity.WriteSecretFile(keyFile, operators[i].ExportPrivateKeyHex());
                    options.Chain = new ChainOptions
                    {
                        RpcUrl = chain.Rpc.Endpoint.ToString(),
                        ContractAddress = contract.Address.ToString(),
                        OperatorKeyFile = keyFile,
                        CircuitsDirectory = circuits,
                        PollInterval = TimeSpan.FromMilliseconds(250),
                        FallbackPostDelay = TimeSpan.FromSeconds(5),
                    };
                });
                clusterUp = true;
                foreach (var node in started.Nodes)
                    report($"node {node.Index} {node.Endpoint} pid {node.Pid}");
                report($"configs and logs in {directory}; circuits from {circuits}");
                return started;
            });

            ulong jobId = await display.RunAsync("register nodes, create cluster, secret contract and job", async report =>
            {
                var registrations = await Task.WhenAll(Enumerable.Range(0, Parties).Select(async i =>
                {
                    using var sender = new TransactionSender(chain.Rpc, operators[i]);
                    var node = cluster.Nodes[i];
                    return await contract.WithSender(sender).RegisterNodeAsync(node.Endpoint, Fingerprints.Parse(node.Fingerprint), MinStake, ct);
                }));
                for (int i = 0; i < Parties; i++)
                    Tx(report, $"registerNode {i}", registrations[i]);
                ulong clusterId = await contract.CreateClusterAsync(operators.Select(o => o.Address).ToList(), Threshold, ct);
                ulong contractId = await contract.DeployContractAsync(circuit.Id.Bytes.ToArray(), clusterId, ct);
                report($"cluster {clusterId}, secret contract {contractId} for {circuit.Name} ({circuit.Id})");
                var deadline = await contract.GetDeadlineClockAsync(ct) + settings.InputWindow;
                ulong id = await contract.CreateJobAsync(contractId, deadline, TimeSpan.FromMinutes(10), Fee, ct);
                report($"job {id}, fee {Fee} wei, input deadline {deadline:HH:mm:ss}");
                return id;
            });

            await display.RunAsync($"{clients.Length} clients commit keccak256(share ‖ salt) per node and send their shares", async report =>
            {
                // As any client would: the cluster's endpoints and TLS fingerprints come from the registry.
                var (registered, nodes) = await ChainInputs.ClusterOfJobAsync(contract, jobId, ct);
                using var identity = TlsIdentity.Load(cluster.ClientCertificate, cluster.ClientKey);
                using var client = new MpcClient(nodes, registered.Threshold, identity);
                var receipts = await Task.WhenAll(circuit.Inputs.Select(async (input, k) =>
                {
                    using var sender = new TransactionSender(chain.Rpc, clients[k]);
                    return await ChainInputs.CommitAndSendAsync(contract.WithSender(sender), client, jobId, input.QualifiedName, plain[input.QualifiedName], ct);
                }));
                for (int k = 0; k < receipts.Length; k++)
                {
                    string name = circuit.Inputs[k].QualifiedName;
                    report($"client {clients[k].Address} holds secret {name} = {FieldIntegers.ToSigned(plain[name])}");
                    Tx(report, $"commitInputs {name}", receipts[k]);
                }
            });

            var read = await display.RunAsync("nodes compute after the input deadline, sign, member 0 posts", async report =>
            {
                var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                while (!(await contract.GetResultAsync(jobId, ct)).Posted)
                {
                    if (DateTime.UtcNow > giveUp)
                        throw new CliException($"no result for job {jobId} on chain after 2 minutes (see {directory}/node*/node.log with --dir)");
                    await Task.Delay(200, ct);
                }
                var result = await ChainCommand.ReadResultAsync(contract, jobId, ct);
                var posted = result.Posted ?? throw new CliException($"no ResultPosted event for job {jobId}");
                var receipt = await chain.Rpc.GetTransactionReceiptAsync(posted.Log.TransactionHash, ct) ?? throw new CliException("the postResult receipt is missing");
                Tx(report, "postResult", receipt);
                report($"posted by {receipt.From}, signed by members {string.Join(", ", posted.SignerIndices())}");
                return (Result: result, Receipt: receipt);
            });

            return await display.RunAsync("read the result back from chain as an app", report =>
            {
                report($"getResult: posted = {read.Result.Result.Posted}, outputsHash {Hex.Encode(read.Result.Result.OutputsHash)}");
                var expected = CircuitEvaluator.Evaluate(circuit, plain);
                var publicOutputs = circuit.Outputs.Where(o => o.Visibility == OutputVisibility.Public).ToList();
                var onChain = new Dictionary<string, string>(StringComparer.Ordinal);
                var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
                var words = read.Result.Outputs;
                bool matches = read.Result.Consistent && words.Count == publicOutputs.Count;
                for (int i = 0; i < publicOutputs.Count; i++)
                {
                    string name = publicOutputs[i].Name;
                    // Both sides as the signed integer the field element encodes (a word ≥ p is no element: a mismatch).
                    BigInteger want = FieldIntegers.ToSigned(expected[name]);
                    wanted[name] = want.ToString(CultureInfo.InvariantCulture);
                    if (i < words.Count)
                    {
                        bool element = words[i] < T.Modulus;
                        onChain[name] = element ? FieldIntegers.ToSigned(T.FromBigInteger(words[i])).ToString(CultureInfo.InvariantCulture) : $"{words[i]} (not an element of {T.Name})";
                        matches &= element && T.FromBigInteger(words[i]) == expected[name];
                    }
                    report($"{name} = {onChain.GetValueOrDefault(name, "(missing)")} on chain, {want} expected");
                }
                return Task.FromResult(new DemoReport(jobId, matches, onChain, wanted, read.Receipt.GasUsed, Hex.Encode(read.Receipt.TransactionHash), txs, clock.Elapsed.TotalSeconds));
            });
        }
        finally
        {
            if (clusterUp)
                ClusterCommand.Down(directory);
            foreach (var key in operators.Concat(clients))
                key?.Dispose();
            chain?.Dispose();
            if (anvil is not null)
                await anvil.DisposeAsync();
            display.Line(anvil is not null ? "stopped the nodes and anvil" : "stopped the nodes");
        }
    }
}
