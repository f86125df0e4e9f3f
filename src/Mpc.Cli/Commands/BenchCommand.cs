using System.CommandLine;
using System.Text.Json;
using Mpc.Client;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Network;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc bench mul …</c>: macro benchmarks of the protocols, with machine-readable output.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure protocol throughput (use --json for one JSON object on stdout).");
        bench.Add(CreateMul());
        bench.Add(BenchBristolCommand.Create());
        return bench;
    }

    private static Command CreateMul()
    {
        var count = new Option<int>("--n") { Description = "Number of multiplications (and triples).", DefaultValueFactory = _ => 1_000_000 };
        var transport = new Option<string>("--transport")
        {
            Description = "memory: parties as tasks in this process; grpc: a local cluster of node processes (mutual TLS on loopback).",
            DefaultValueFactory = _ => "grpc",
        };
        transport.AcceptOnlyFromAmong("memory", "grpc");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var field = FieldOption.Create();
        var party = new PartyOptions();
        var command = new Command("mul", "Dealer-free triple generation, then one layer of n independent Beaver multiplications.")
        {
            count, transport, json, field,
        };
        party.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var (n, t) = party.Read(parse);
            int m = parse.GetValue(count);
            if (m < MultiplicationBenchmark.CheckedProducts)
                throw new CliException($"--n {m}: measure at least {MultiplicationBenchmark.CheckedProducts} multiplications.");
            var result = parse.GetValue(transport) == "grpc"
                ? await GrpcBenchAsync(n, t, m, parse.GetValue(field)!, ct)
                : await FieldOption.Dispatch(parse.GetValue(field)!, new MulTask(n, t, m, ct));
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
            };
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else
            {
                Console.WriteLine($"{m:N0} multiplications, {n} parties (t = {t}), {report.field}, {(report.transport == "grpc" ? "gRPC node processes" : "in-memory transport")}");
                Console.WriteLine($"  preprocessing  {report.preprocessing_s:F3} s   {report.triples_per_s / 1e6:F2} M triples/s");
                Console.WriteLine($"  online         {report.online_s:F3} s   {report.mults_per_s / 1e6:F2} M mults/s, 1 round");
                Console.WriteLine($"  sent           {report.bytes_sent:N0} bytes ({report.bytes_per_mult:F1} bytes/mult){(report.messages is long k ? $" in {k} messages" : "")}");
                if (report.round_trip_us is double rt) Console.WriteLine($"  round trip     {rt:F0} µs (one opening)");
            }
            return 0;
        }));
        return command;
    }

    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    private sealed record MulResult(TimeSpan Preprocessing, TimeSpan Online, long Bytes, long? Messages, TimeSpan? RoundTrip = null);

    // A throw-away cluster of real node processes; the nodes run the benchmark job type over the Client service.
    private static async Task<MulResult> GrpcBenchAsync(int n, int t, int m, string field, CancellationToken ct)
    {
        // The node processes inherit this environment. A benchmark node lives for seconds, so under tiered
        // compilation it measures tier-0 code and background tier-1 re-JIT competing for the cores; fully
        // optimised JIT from the first call is what a long-running node reaches. An explicit setting wins.
        if (Environment.GetEnvironmentVariable(TieredCompilationVariable) is null)
            Environment.SetEnvironmentVariable(TieredCompilationVariable, "0");
        string directory = Directory.CreateTempSubdirectory("mpc-bench-").FullName;
        try
        {
            var cluster = await ClusterCommand.UpAsync(directory, n, t, field, ct);
            try
            {
                using var client = MpcClient.Open(cluster, out var identity);
                using var _ = identity;
                var result = await client.BenchmarkAsync(m, roundTrips: 200, ct);
                return new MulResult(result.Preprocessing, result.Online, result.OnlineBytesSent, null, result.RoundTrip);
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
