using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Node;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc bench mul|cmp …</c>: macro benchmarks of the protocols, with machine-readable output.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure protocol throughput (use --json for one JSON object on stdout).");
        bench.Add(CreateMul());
        bench.Add(CreateCmp());
        bench.Add(BenchBristolCommand.Create());
        return bench;
    }

    private static Command CreateMul()
    {
        var count = new Option<int>("--n") { Description = "Number of multiplications (and triples).", DefaultValueFactory = _ => 1_000_000 };
        var repeat = new Option<int>("--repeat") { Description = "Measured runs after one warm-up; each figure is the median of its runs.", DefaultValueFactory = _ => 3 };
        var transport = TransportOption("grpc");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var field = FieldOption.Create();
        var party = new PartyOptions();
        var command = new Command("mul", "Dealer-free triple generation, then one layer of n independent Beaver multiplications.")
        {
            count, repeat, transport, json, field,
        };
        party.AddTo(command);
        SetMeasurement(command, async (parse, ct) =>
        {
            var (n, t) = party.Read(parse);
            int m = parse.GetValue(count);
            if (m < MultiplicationBenchmark.CheckedProducts)
                throw new CliException($"--n {m}: measure at least {MultiplicationBenchmark.CheckedProducts} multiplications.");
            int r = parse.GetValue(repeat);
            if (r < 1) throw new CliException($"--repeat {r}: at least one measured run.");
            var runs = parse.GetValue(transport) == "grpc"
                ? await GrpcBenchAsync(n, t, m, r, parse.GetValue(field)!, ct)
                : await WarmedRunsAsync(r, () => FieldOption.Dispatch(parse.GetValue(field)!, new MulTask(n, t, m, ct)));
            // Each figure is its own median: a slow preprocessing run says nothing about that run's online layer.
            var result = new MulResult(Median(runs.Select(x => x.Preprocessing)), Median(runs.Select(x => x.Online)), runs[0].Bytes, runs[0].Messages,
                runs[0].RoundTrip is null ? null : Median(runs.Select(x => x.RoundTrip!.Value)));
            var report = new
            {
                benchmark = "mul",
                transport = parse.GetValue(transport),
                field = parse.GetValue(field),
                parties = n,
                threshold = t,
                n = m,
                mults_per_s = m / result.Online.TotalSeconds,
                triples_per_s = m / result.Preprocessing.TotalSeconds,
                online_s = result.Online.TotalSeconds,
                preprocessing_s = result.Preprocessing.TotalSeconds,
                rounds = 1,
                bytes_sent = result.Bytes,
                bytes_per_mult = (double)result.Bytes / m,
                messages = result.Messages,
                round_trip_us = result.RoundTrip?.TotalMicroseconds,
                repeat = r,
                online_s_runs = runs.Select(x => x.Online.TotalSeconds).ToArray(),
                preprocessing_s_runs = runs.Select(x => x.Preprocessing.TotalSeconds).ToArray(),
            };
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else
            {
                Console.WriteLine($"{m:N0} multiplications, {n} parties (t = {t}), {report.field}, {(report.transport == "grpc" ? "gRPC node processes" : "in-memory transport")}");
                Console.WriteLine($"  median of {r} run{(r == 1 ? "" : "s")} after one warm-up");
                Console.WriteLine($"  preprocessing  {report.preprocessing_s:F3} s   {report.triples_per_s / 1e6:F2} M triples/s");
                Console.WriteLine($"  online         {report.online_s:F3} s   {report.mults_per_s / 1e6:F2} M mults/s, 1 round");
                Console.WriteLine($"  sent           {report.bytes_sent:N0} bytes ({report.bytes_per_mult:F1} bytes/mult){(report.messages is long k ? $" in {k} messages" : "")}");
                if (report.round_trip_us is double rt) Console.WriteLine($"  round trip     {rt:F0} µs (one opening)");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--transport memory|grpc</c> option every benchmark takes.</summary>
    internal static Option<string> TransportOption(string defaultValue)
    {
        var transport = new Option<string>("--transport")
        {
            Description = "memory: parties as tasks in this process; grpc: a local cluster of node processes (mutual TLS on loopback).",
            DefaultValueFactory = _ => defaultValue,
        };
        transport.AcceptOnlyFromAmong("memory", "grpc");
        return transport;
    }

    private static Command CreateCmp()
    {
        var count = new Option<int>("--n") { Description = "Number of comparisons (one batched call).", DefaultValueFactory = _ => 10_000 };
        var bits = new Option<int>("--bits") { Description = "k, the bit length of the signed operands.", DefaultValueFactory = _ => 32 };
        var transport = TransportOption("memory");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var security = RunCommand.SecurityOption();
        var party = new PartyOptions();
        var command = new Command("cmp", "Dealer-free masks and triples, then n secure k-bit comparisons [x < y] in one batch (Catrina–de Hoogh 2010, Fp127).")
        {
            count, bits, transport, json, security,
        };
        party.AddTo(command);
        SetMeasurement(command, async (parse, ct) =>
        {
            var (n, t) = party.Read(parse);
            int m = parse.GetValue(count), k = parse.GetValue(bits), kappa = RunCommand.ReadSecurity(parse, security);
            if (m < ComparisonBenchmark.CheckedComparisons)
                throw new CliException($"--n {m}: measure at least {ComparisonBenchmark.CheckedComparisons} comparisons.");
            if (k < 1 || k > 64)
                throw new CliException($"--bits {k}: the operands are signed integers of 1 to 64 bits.");
            string via = parse.GetValue(transport)!;
            var result = via == "grpc"
                ? await ComparisonClusterBench.RunAsync(n, t, m, k, kappa, ct)
                : await InMemoryCmpAsync(n, t, m, k, kappa, ct);
            var report = new
            {
                benchmark = "cmp",
                transport = via,
                field = "fp127",
                parties = n,
                threshold = t,
                n = m,
                bits = k,
                security_bits = kappa,
                cmps_per_s = m / result.Online.TotalSeconds,
                rounds = result.Rounds,
                online_s = result.Online.TotalSeconds,
                preprocessing_s = result.Preprocessing.TotalSeconds,
                bits_per_cmp = result.RandomBitsPerCmp,
                triples_per_cmp = result.TriplesPerCmp,
                bytes_sent = result.Bytes,
                bytes_per_cmp = (double)result.Bytes / m,
            };
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else
            {
                Console.WriteLine($"{m:N0} comparisons of {k}-bit integers, {n} parties (t = {t}), fp127, κ = {kappa}, {(via == "grpc" ? "gRPC node processes" : "in-memory transport")}");
                Console.WriteLine($"  preprocessing  {report.preprocessing_s:F3} s   {report.bits_per_cmp} random bits + {report.triples_per_cmp} triples per comparison");
                Console.WriteLine($"  online         {report.online_s:F3} s   {report.cmps_per_s:N0} comparisons/s, {report.rounds} rounds");
                Console.WriteLine($"  sent           {report.bytes_sent:N0} bytes ({report.bytes_per_cmp:F1} bytes/comparison, all parties)");
            }
            return 0;
        });
        return command;
    }

    /// <summary>What <c>bench cmp</c> reports, from either transport.</summary>
    internal sealed record CmpResult(TimeSpan Preprocessing, TimeSpan Online, long Bytes, int Rounds, int RandomBitsPerCmp, int TriplesPerCmp);

    private static async Task<CmpResult> InMemoryCmpAsync(int n, int t, int count, int bits, int security, CancellationToken ct)
    {
        var transports = InMemoryNetwork.Create(n);
        try
        {
            var parties = await Task.WhenAll(transports.Select(tr =>
                Task.Run(() => ComparisonBenchmark.RunPartyAsync<Fp127>(tr, t, count, bits, security, ct), ct)));
            // The slowest party decides when a phase is over.
            var first = parties[0];
            return new CmpResult(parties.Max(p => p.Preprocessing), parties.Max(p => p.Online), parties.Sum(p => p.OnlineBytesSent),
                first.Rounds, first.RandomBits, first.Triples);
        }
        finally
        {
            foreach (var tr in transports) await tr.DisposeAsync();
        }
    }

    /// <summary><c>bench cmp --transport grpc</c>: the node-side comparison benchmark on a throw-away Fp127 cluster.</summary>
    private static class ComparisonClusterBench
    {
        public static Task<CmpResult> RunAsync(int n, int t, int count, int bits, int security, CancellationToken ct) =>
            WithClusterAsync(n, t, "fp127", async client =>
            {
                var r = await client.BenchmarkComparisonsAsync(count, bits, security, ct);
                return new CmpResult(r.Preprocessing, r.Online, r.OnlineBytesSent, r.Rounds, r.RandomBits, r.Triples);
            }, ct);
    }

    private const string TieredCompilationVariable = "DOTNET_TieredCompilation", ReadyToRunVariable = "DOTNET_ReadyToRun";

    /// <summary>
    /// Sets a benchmark's action. The measurement runs in a child <c>mpc</c> process with tiered compilation and the
    /// framework's precompiled code off, as BenchmarkDotNet runs each benchmark in a process of its own, and the node
    /// processes it starts inherit both settings.
    /// </summary>
    /// <remarks>
    /// A benchmark process lives for seconds. Under tiered compilation it measures tier-0 code, and its background
    /// compiler re-JITs hot methods during the measured runs: on this 2-core machine the measuring client's tier-up
    /// took 17 % of all CPU samples inside the measured windows of <c>bench bristol --copies 100</c>, beside three nodes.
    /// Fully optimised code from the first call is what a long-running node and client reach. Tiering off alone does not
    /// give that: the runtime then keeps the framework's ReadyToRun code (sockets, TLS, Kestrel, HTTP/2) for good, where a
    /// long-running process replaces its hot methods with tier-1 code. So ReadyToRun is off too, unless the environment sets
    /// <c>DOTNET_ReadyToRun</c>. Costs one process start (about 0.3 s) and the JIT of what the framework had precompiled.
    /// An explicit <c>DOTNET_TieredCompilation</c> wins: the command then runs in this process as it is.
    /// </remarks>
    internal static void SetMeasurement(Command command, Func<ParseResult, CancellationToken, Task<int>> measure) =>
        command.SetAction((parse, ct) => Environment.GetEnvironmentVariable(TieredCompilationVariable) is null
            ? CliErrors.RunAsync(() => RunIsolatedAsync(ct))
            : CliErrors.RunAsync(() => measure(parse, ct)));

    /// <summary>This executable with <paramref name="arguments"/>, without tiered compilation and, unless this environment sets it, ReadyToRun code.</summary>
    internal static ProcessStartInfo IsolatedStartInfo(IEnumerable<string> arguments)
    {
        var start = SelfProcess.StartInfo(arguments);
        start.Environment[TieredCompilationVariable] = "0";
        start.Environment.TryAdd(ReadyToRunVariable, "0"); // the child's environment starts as a copy of this one
        return start;
    }

    /// <summary>Runs this command line again in a child process (<see cref="IsolatedStartInfo"/>); its exit code.</summary>
    private static async Task<int> RunIsolatedAsync(CancellationToken ct)
    {
        var start = IsolatedStartInfo(Environment.GetCommandLineArgs().Skip(1));
        using var child = Process.Start(start) ?? throw new CliException("could not start the benchmark process");
        try
        {
            await child.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM reached this process: pass it on, so that the child stops the nodes it started.
            SelfProcess.Terminate(child);
            await child.WaitForExitAsync(CancellationToken.None);
        }
        return child.ExitCode;
    }

    private sealed record MulResult(TimeSpan Preprocessing, TimeSpan Online, long Bytes, long? Messages, TimeSpan? RoundTrip = null);

    // A throw-away cluster of real node processes; the nodes run the benchmark job type over the Client service,
    // once to warm up (JIT, connections, the runtime's first large allocations) and then `repeat` measured times.
    private static Task<List<MulResult>> GrpcBenchAsync(int n, int t, int m, int repeat, string field, CancellationToken ct) =>
        WithClusterAsync(n, t, field, client => WarmedRunsAsync(repeat, async () =>
        {
            var result = await client.BenchmarkAsync(m, roundTrips: 200, ct);
            return new MulResult(result.Preprocessing, result.Online, result.OnlineBytesSent, null, result.RoundTrip);
        }), ct);

    /// <summary>Runs <paramref name="run"/> <paramref name="warmups"/> times to warm up, then <paramref name="repeat"/> measured times; the measured results.</summary>
    internal static async Task<List<T>> WarmedRunsAsync<T>(int repeat, Func<Task<T>> run, int warmups = 1)
    {
        var runs = new List<T>(repeat);
        for (int i = 0; i < warmups + repeat; i++)
        {
            var result = await run();
            if (i >= warmups) runs.Add(result);
        }
        return runs;
    }

    /// <summary>The median (the upper one for an even count).</summary>
    internal static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Starts a local cluster of node processes, runs <paramref name="measure"/> against it, and tears it down.</summary>
    /// <param name="n">Nodes.</param>
    /// <param name="t">Threshold.</param>
    /// <param name="field">The nodes' field (<c>fp61</c>, <c>fp127</c>, <c>gf2k64</c>).</param>
    /// <param name="measure">The measurement, given a client of the cluster.</param>
    /// <param name="ct">Cancels start-up and the measurement.</param>
    /// <param name="configure">Adjusts each node's options before it starts (e.g. a metrics endpoint, pool sizes).</param>
    internal static async Task<TResult> WithClusterAsync<TResult>(int n, int t, string field, Func<MpcClient, Task<TResult>> measure, CancellationToken ct,
        Action<int, NodeOptions>? configure = null)
    {
        // The node processes inherit this process's environment, so they run with its JIT setting (see SetMeasurement).
        string directory = Directory.CreateTempSubdirectory("mpc-bench-").FullName;
        try
        {
            var cluster = await ClusterCommand.UpAsync(directory, n, t, field, ct, configure);
            try
            {
                using var client = MpcClient.Open(cluster, out var identity);
                using var _ = identity;
                return await measure(client);
            }
            finally
            {
                ClusterCommand.Down(directory);
            }
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* best effort: a node may still hold its database open */ }
        }
    }

    private sealed class MulTask(int n, int t, int count, CancellationToken ct) : IFieldTask<Task<MulResult>>
    {
        public async Task<MulResult> Run<T>() where T : struct, IField<T>
        {
            var transports = InMemoryNetwork.Create(n);
            try
            {
                var parties = await Task.WhenAll(transports.Select(tr =>
                    Task.Run(() => MultiplicationBenchmark.RunPartyAsync<T>(tr, t, count, ct), ct)));
                // The slowest party decides when a phase is over.
                return new MulResult(parties.Max(p => p.Preprocessing), parties.Max(p => p.Online),
                    parties.Sum(p => p.OnlineBytesSent), parties.Sum(p => p.OnlineMessagesSent));
            }
            finally
            {
                foreach (var tr in transports) await tr.DisposeAsync();
            }
        }
    }
}
