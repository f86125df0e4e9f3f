using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Node.Hosting;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc bench bristol --circuit FILE --parties N [--copies K] --json</c>: one evaluation of K side-by-side copies of a Bristol circuit.</summary>
internal static class BenchBristolCommand
{
    public static Command Create()
    {
        var circuit = new Option<FileInfo>("--circuit") { Description = "A Bristol Fashion circuit, e.g. circuits/bristol/aes_shaped.txt.", Required = true };
        var copies = new Option<int>("--copies") { Description = "Independent copies with their own random inputs, evaluated side by side (the rounds of one).", DefaultValueFactory = _ => 1 };
        var repeat = new Option<int>("--repeat") { Description = "Measured evaluations after the warm-up; the median is reported.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured evaluations first (fresh nodes take about ten jobs to reach their steady speed).", DefaultValueFactory = _ => 10 };
        var transport = BenchCommand.TransportOption("memory");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var party = new PartyOptions();
        var command = new Command("bristol", "Dealer-free triples for every AND, then one evaluation of K copies of a Bristol circuit over GF(2^64); results are checked against plaintext.")
        {
            circuit, copies, repeat, warmup, transport, json,
        };
        party.AddTo(command);
        BenchCommand.SetMeasurement(command, async (parse, ct) =>
        {
            var (n, t) = party.Read(parse);
            int k = parse.GetValue(copies);
            if (k < 1) throw new CliException($"--copies {k}: at least one copy.");
            var file = parse.GetValue(circuit)!;
            var c = BristolCommand.Load(file);

            int r = parse.GetValue(repeat), w = parse.GetValue(warmup);
            if (r < 1) throw new CliException($"--repeat {r}: at least one measured evaluation.");
            if (w < 0) throw new CliException($"--warmup {w}: not a number of evaluations.");

            bool grpc = parse.GetValue(transport) == "grpc";
            var runs = grpc ? await GrpcRunsAsync(c, k, n, t, r, w, ct) : await MemoryRunsAsync(c, k, n, t, r, w, ct);
            var online = BenchCommand.Median(runs.Select(x => x.Online));
            var preprocessing = BenchCommand.Median(runs.Select(x => x.Preprocessing));
            var first = runs[0];

            var report = new
            {
                benchmark = "bristol",
                transport = parse.GetValue(transport),
                field = "Gf2k64",
                circuit = file.Name,
                parties = n,
                threshold = t,
                copies = k,
                and_gates = c.AndCount,
                rounds = first.Rounds,
                repeat = r,
                warmup = w,
                online_s = online.TotalSeconds,
                preprocessing_s = preprocessing.TotalSeconds,
                evals_per_s = k / online.TotalSeconds,
                ands_per_s = first.AndGates / online.TotalSeconds,
                triples_per_s = first.AndGates / preprocessing.TotalSeconds,
                bytes_sent = first.OnlineBytesSent,
                online_s_runs = runs.Select(x => x.Online.TotalSeconds).ToArray(),
            };
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else
            {
                Console.WriteLine($"{file.Name}: {k} cop{(k == 1 ? "y" : "ies")} of {c.AndCount:N0} ANDs, {first.Rounds} AND layers, {n} parties (t = {t}), Gf2k64, {(grpc ? "gRPC node processes" : "in-memory transport")}");
                Console.WriteLine($"  median of {r} run{(r == 1 ? "" : "s")} after {w} warm-up{(w == 1 ? "" : "s")}");
                Console.WriteLine($"  preprocessing  {report.preprocessing_s:F3} s   {report.triples_per_s / 1e6:F2} M triples/s");
                Console.WriteLine($"  online         {report.online_s * 1e3:F2} ms  {report.evals_per_s:F0} evaluations/s, {report.ands_per_s / 1e6:F2} M ANDs/s");
                Console.WriteLine($"  sent           {report.bytes_sent:N0} bytes; outputs checked against plaintext");
            }
            return 0;
        });
        return command;
    }

    private static Task<List<BristolRunResult>> MemoryRunsAsync(BristolCircuit c, int k, int n, int t, int repeat, int warmups, CancellationToken ct) =>
        BenchCommand.WarmedRunsAsync(repeat, async () =>
        {
            var inputs = RandomInputs(c, k);
            var run = await BristolRunner.RunAsync(c, inputs, n, t, ct);
            Check(c, inputs, run.Outputs);
            return run;
        }, warmups);

    private static bool[][][] RandomInputs(BristolCircuit c, int k)
    {
        var inputs = new bool[k][][];
        for (int copy = 0; copy < k; copy++)
            inputs[copy] = c.InputSizes.Select(size => RandomBits(size)).ToArray();
        return inputs;
    }

    /// <summary>Each copy's outputs must equal plaintext evaluation: a benchmark that computes wrong answers measures nothing.</summary>
    private static void Check(BristolCircuit c, bool[][][] inputs, IReadOnlyList<bool[][]> outputs)
    {
        for (int copy = 0; copy < inputs.Length; copy++)
        {
            var expected = c.Evaluate(inputs[copy]);
            for (int o = 0; o < expected.Length; o++)
                if (!expected[o].AsSpan().SequenceEqual(outputs[copy][o]))
                    throw new InvalidOperationException($"Copy {copy}, output {o}: the MPC result differs from plaintext evaluation.");
        }
    }

    /// <summary>
    /// A throw-away Gf2k64 cluster of node processes. Each run is one job with copies = k of the one-copy IR, each copy
    /// with its own random inputs: the nodes evaluate it with <see cref="BatchedPartyEngine{T}"/>. Every input but one
    /// is submitted first (one bulk call per node), the pool is given time to hold the job's triples, then the clock
    /// runs from sending the last input's k shares (which starts the job on every node) until all outputs are back.
    /// Preprocessing is the time the nodes' background pool took to regenerate the triples one run consumed (read from their /metrics).
    /// </summary>
    private static async Task<List<BristolRunResult>> GrpcRunsAsync(BristolCircuit c, int k, int n, int t, int repeat, int warmups, CancellationToken ct)
    {
        Circuit ir = c.ToCircuit("bristol");
        int needed = checked(ir.Stats.Multiplications * k);
        const int batch = 1 << 12;
        int target = Math.Max(batch, (needed + batch - 1) / batch * batch);
        int[] metricsPorts = LoopbackPorts.Reserve(n);
        return await BenchCommand.WithClusterAsync(n, t, "gf2k64", async client =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await WaitForPoolAsync(http, metricsPorts, target, ct);
            return await BenchCommand.WarmedRunsAsync(repeat, async () =>
            {
                var inputs = RandomInputs(c, k);
                var values = Values(c, inputs);
                var (lastKey, lastValues) = values.Last();
                values.Remove(lastKey);
                string jobId = "bench-bristol-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                await client.StartJobAsync<Gf2k64>(jobId, ir, k, ct);
                await client.SubmitInputsAsync(jobId, values, ct);

                var clock = Stopwatch.StartNew();
                await client.SubmitInputsAsync(jobId, new Dictionary<string, Gf2k64[]> { [lastKey] = lastValues }, ct);
                var outputs = await client.AwaitOutputsAsync<Gf2k64>(jobId, ir, k, TimeSpan.FromMinutes(5), ct);
                var online = clock.Elapsed;
                Check(c, inputs, Decode(c, k, outputs));

                var refill = await WaitForPoolAsync(http, metricsPorts, target, ct);
                return new BristolRunResult([], ir, k, refill, online, 0);
            }, warmups);
        }, ct, (i, options) =>
        {
            options.MetricsUrl = $"http://127.0.0.1:{metricsPorts[i]}";
            options.PoolTargetTriples = target;
            options.PoolBatchSize = batch;
        });
    }

    /// <summary>Per IR input (copy 0's names, <see cref="BristolCircuit.InputKey"/>), its bit in each of the k copies as 0 or 1, in wire order.</summary>
    private static Dictionary<string, Gf2k64[]> Values(BristolCircuit c, bool[][][] inputs)
    {
        var values = new Dictionary<string, Gf2k64[]>(c.InputWireCount, StringComparer.Ordinal);
        for (int v = 0; v < c.InputSizes.Length; v++)
            for (int bit = 0; bit < c.InputSizes[v]; bit++)
                values.Add(BristolCircuit.InputKey(0, v, bit), Array.ConvertAll(inputs, copy => copy[v][bit] ? Gf2k64.One : Gf2k64.Zero));
        return values;
    }

    private static bool[][][] Decode(BristolCircuit c, int k, IReadOnlyList<OutputCopies<Gf2k64>> outputs)
    {
        var byName = outputs.ToDictionary(o => o.Name, o => o.Values, StringComparer.Ordinal);
        var result = new bool[k][][];
        for (int copy = 0; copy < k; copy++)
            result[copy] = c.OutputSizes.Select((size, v) => Enumerable.Range(0, size)
                .Select(bit => byName[BristolCircuit.OutputName(0, v, bit)][copy] == Gf2k64.One).ToArray()).ToArray();
        return result;
    }

    /// <summary>Polls every node's <c>mpc_node_pool_level</c> until each holds <paramref name="target"/> triples; returns the wait.</summary>
    private static async Task<TimeSpan> WaitForPoolAsync(HttpClient http, int[] ports, int target, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(5);
        while (true)
        {
            long lowest = long.MaxValue;
            foreach (int port in ports)
            {
                string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), ct);
                string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith("mpc_node_pool_level", StringComparison.Ordinal));
                long level = line is null ? 0 : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                lowest = Math.Min(lowest, level);
            }
            if (lowest >= target) return clock.Elapsed;
            if (clock.Elapsed > deadline)
                throw new CliException($"the nodes' preprocessing pools reached only {lowest} of {target} triples in {deadline.TotalMinutes} minutes.");
            await Task.Delay(5, ct);
        }
    }

    private static bool[] RandomBits(int count)
    {
        var bytes = RandomNumberGenerator.GetBytes(count);
        return Array.ConvertAll(bytes, b => (b & 1) != 0);
    }
}
