using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Circuits;
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

/// <summary><c>mpc demo</c>: the whole secret-contract life cycle on a local anvil chain and a 3-node cluster of real node processes.</summary>
/// <remarks>
/// Steps: start anvil, deploy <c>SecretContracts</c>, fund one operator key per node, start the nodes (as
/// <c>mpc cluster up</c>, with chain settings in every node.json), register them with endpoint and TLS
/// fingerprint, create the cluster (t = 1), deploy the circuit id, create a job with a fee and an input
/// deadline, commit keccak(share ‖ salt) per node on chain (one client account per input) and send shares and
/// salts to the nodes. The nodes check each share against its commitment, compute, sign the EIP-712 result;
/// member 0 posts it. The demo then reads the result back as an app would (getResult + ResultPosted) and
/// compares it with the plaintext evaluation. Anvil and the nodes are stopped also on failure.
/// </remarks>
internal static class DemoCommand
{
    private const int Parties = 3, Threshold = 1;
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    public static Command Create()
    {
        var circuitFile = new Option<FileInfo>("--circuit") { Description = "The circuit (.ir); inputs come from its .expect.json when present, else random.", DefaultValueFactory = _ => new FileInfo(Path.Combine("circuits", "weighted_average.ir")) };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Working directory for keys, configs and node logs (default: a fresh temporary directory)." };
        var deadline = new Option<int>("--input-window") { Description = "Seconds from job creation to the input deadline (postResult is accepted only after it).", DefaultValueFactory = _ => 6 };
        var json = new Option<bool>("--json") { Description = "End with one JSON object (result_matches, gas_post_result, total_s, tx hashes)." };
        var demo = new Command("demo", "Run a secret contract end to end on a local chain (anvil) and a 3-node cluster, and check the on-chain result.") { circuitFile, dir, deadline, json };
        demo.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var circuit = CircuitLoader.Load(parse.GetValue(circuitFile)!);
            var inputs = DemoInputs(parse.GetValue(circuitFile)!, circuit);
            string? kept = parse.GetValue(dir)?.FullName;
            string directory = kept ?? Path.Combine(Path.GetTempPath(), "mpc-demo-" + Guid.NewGuid().ToString("N")[..8]);
            DemoReport report;
            try
            {
                report = await RunAsync(circuit, inputs, directory, TimeSpan.FromSeconds(parse.GetValue(deadline)), Console.WriteLine, ct);
            }
            finally
            {
                // A temporary directory holds only throw-away dev keys; a --dir is left for inspection (node logs).
                if (kept is null && Directory.Exists(directory))
                    Directory.Delete(directory, recursive: true);
            }
            Console.WriteLine(report.ResultMatches
                ? $"on-chain outputs equal the plaintext evaluation; postResult used {report.GasPostResult} gas; {report.TotalSeconds:F1} s in total"
                : "MISMATCH: the on-chain outputs differ from the plaintext evaluation");
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
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

    /// <summary>The inputs of <c>&lt;circuit&gt;.expect.json</c> when it exists, otherwise a random value 1..100 per input.</summary>
    public static Dictionary<string, BigInteger> DemoInputs(FileInfo circuitFile, Circuit circuit)
    {
        string expect = Path.ChangeExtension(circuitFile.FullName, ".expect.json");
        var values = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        if (File.Exists(expect))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(expect));
            foreach (var property in document.RootElement.GetProperty("inputs").EnumerateObject())
            {
                // The expectation format allows numbers and decimal strings (for values beyond JSON's safe integers).
                string text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                if (!BigInteger.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    throw new CliException($"{expect}: input '{property.Name}' = {property.Value.GetRawText()} is not an integer");
                values[property.Name] = value;
            }
            return values;
        }
        foreach (var input in circuit.Inputs)
            values[input.QualifiedName] = Random.Shared.Next(1, 101);
        return values;
    }

    /// <summary>Runs the demo flow in <paramref name="directory"/>, reporting each step through <paramref name="step"/>.</summary>
    public static async Task<DemoReport> RunAsync(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs, string directory, TimeSpan inputWindow,
        Action<string> step, CancellationToken ct)
    {
        if (circuit.Inputs.Length + 1 > DevAccounts.PrivateKeys.Count)
            throw new CliException($"the demo commits each input from its own dev account; circuit '{circuit.Name}' has {circuit.Inputs.Length} inputs, at most {DevAccounts.PrivateKeys.Count - 1} are possible");
        var clock = Stopwatch.StartNew();
        var txs = new Dictionary<string, string>(StringComparer.Ordinal);
        void Tx(string what, TransactionReceipt receipt)
        {
            txs[what] = Hex.Encode(receipt.TransactionHash);
            step($"  {what,-22} tx {Hex.Encode(receipt.TransactionHash)}  gas {receipt.GasUsed}");
        }

        step("starting anvil");
        await using var anvil = await AnvilNode.StartAsync(cancellationToken: ct);
        bool clusterUp = false;
        var operators = new EthKey[Parties];
        try
        {
            step($"  anvil at {anvil.RpcUrl} (chain id {anvil.ChainId})");
            using var deployerKey = AnvilNode.DevAccount(0);
            using var deployer = new TransactionSender(anvil.Rpc, deployerKey);
            step("deploying SecretContracts");
            var (contract, deployReceipt) = await SecretContractsClient.DeployAsync(anvil.Rpc, deployer, minStake: Ether / 10, exitDelay: TimeSpan.FromDays(1), ct);
            Tx("deploy", deployReceipt);

            step("funding one operator key per node");
            Directory.CreateDirectory(directory);
            for (int i = 0; i < Parties; i++)
            {
                operators[i] = EthKey.Generate();
                Tx($"fund operator {i}", await deployer.TransferAsync(operators[i].Address, Ether, ct));
            }

            step($"starting {Parties} node processes (t = {Threshold}) in {directory}");
            var cluster = await ClusterCommand.UpAsync(directory, Parties, Threshold, "fp61", ct, (i, options) =>
            {
                string keyFile = Path.Combine(directory, $"node{i}", "operator.key");
                Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
                TlsIdentity.WriteSecretFile(keyFile, operators[i].ExportPrivateKeyHex());
                options.Chain = new ChainOptions { RpcUrl = anvil.RpcUrl.ToString(), ContractAddress = contract.Address.ToString(), OperatorKeyFile = keyFile };
            });
            clusterUp = true;

            step("registering the nodes (endpoint + TLS fingerprint, staked)");
            BigInteger stake = await contract.MinStakeAsync(ct);
            for (int i = 0; i < Parties; i++)
            {
                using var sender = new TransactionSender(anvil.Rpc, operators[i]);
                var node = cluster.Nodes[i];
                Tx($"registerNode {i}", await contract.WithSender(sender).RegisterNodeAsync(node.Endpoint, CertificatePins.ParseFingerprint(node.Fingerprint), stake, ct));
            }
            ulong clusterId = await contract.CreateClusterAsync(operators.Select(o => o.Address).ToList(), Threshold, ct);
            ulong contractId = await contract.DeployContractAsync(circuit.Id.Bytes.ToArray(), clusterId, ct);
            step($"  cluster {clusterId}, secret contract {contractId} for circuit {circuit.Id}");
            var deadline = (await contract.GetChainTimeAsync(ct)) + inputWindow;
            ulong jobId = await contract.CreateJobAsync(contractId, deadline, TimeSpan.FromMinutes(10), Ether / 100, ct);
            step($"  job {jobId}, fee 0.01 ETH, input deadline {deadline:HH:mm:ss}");

            using var client = MpcClient.Open(cluster, out var identity);
            using var _ = identity;
            string nodeJob = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await client.StartJobAsync<Fp61>(nodeJob, circuit, ct);

            step("clients commit keccak256(share ‖ salt) per node on chain, then send shares + salts");
            var scheme = new ShamirScheme<Fp61>(Parties, Threshold);
            var plain = CircuitInputs.ToField<Fp61>(circuit, inputs);
            var submissions = new List<Task>();
            int account = 1;
            foreach (var input in circuit.Inputs)
            {
                var secret = plain[input.QualifiedName];
                var shares = scheme.Share(secret, CryptoRandom.Shared).Select(Bytes).ToArray();
                var salts = Enumerable.Range(0, Parties).Select(_ => InputCommitment.NewSalt()).ToArray();
                using var committerKey = AnvilNode.DevAccount(account++);
                using var committer = new TransactionSender(anvil.Rpc, committerKey);
                Tx($"commitInputs {input.QualifiedName}", await contract.WithSender(committer)
                    .CommitInputsAsync(jobId, shares.Select((s, i) => InputCommitment.Compute(s, salts[i])).ToList(), ct));
                submissions.Add(client.SubmitSharesAsync(nodeJob, input.QualifiedName, shares, salts, ct));
            }
            await Task.WhenAll(submissions);

            step("nodes verified the shares and compute; member 0 collects signatures and posts after the input deadline");
            await client.AwaitOutputsAsync<Fp61>(nodeJob, circuit, TimeSpan.FromMinutes(2), ct);

            step("reading the result back from chain");
            var read = await ChainCommand.ReadResultAsync(contract, jobId, ct);
            var posted = read.Posted ?? throw new CliException($"no ResultPosted event for job {jobId}");
            var postReceipt = await anvil.Rpc.GetTransactionReceiptAsync(posted.Log.TransactionHash, ct)
                ?? throw new CliException("the postResult receipt is missing");
            Tx("postResult", postReceipt);
            step($"  getResult: posted = {read.Result.Posted}, outputsHash {Hex.Encode(read.Result.OutputsHash)}, signers {string.Join(", ", posted.SignerIndices())}");

            var expected = CircuitEvaluator.Evaluate(circuit, plain);
            var publicOutputs = circuit.Outputs.Where(o => o.Visibility == OutputVisibility.Public).ToList();
            var onChain = new Dictionary<string, string>(StringComparer.Ordinal);
            var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
            bool matches = read.Consistent && read.Outputs.Count == publicOutputs.Count;
            for (int i = 0; i < publicOutputs.Count; i++)
            {
                string name = publicOutputs[i].Name;
                BigInteger want = expected[name].ToBigInteger();
                wanted[name] = want.ToString();
                if (i < read.Outputs.Count)
                {
                    onChain[name] = read.Outputs[i].ToString();
                    matches &= read.Outputs[i] == want;
                }
                step($"  {name} = {onChain.GetValueOrDefault(name, "(missing)")} on chain, {want} expected");
            }
            return new DemoReport(jobId, matches, onChain, wanted, postReceipt.GasUsed, Hex.Encode(postReceipt.TransactionHash), txs, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (clusterUp)
                ClusterCommand.Down(directory);
            foreach (var key in operators)
                key?.Dispose();
            step("stopped the nodes and anvil");
        }
    }

    private static byte[] Bytes(Fp61 value)
    {
        var bytes = new byte[Fp61.ByteLength];
        value.Write(bytes);
        return bytes;
    }
}
