using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using Mpc.Client;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc job run &lt;file&gt; --cluster DIR --input owner.name=value …</c>: runs a circuit as a job on a running cluster.</summary>
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
            var values = InputAssignment.ParseFor(loaded, parse.GetValue(inputs) ?? []);
            var cluster = ClusterDescription.Load(Path.Combine(parse.GetValue(clusterDir)!.FullName, ClusterCommand.FileName));
            using var client = MpcClient.Open(cluster, out var identity);
            using var _ = identity;
            var task = new JobTask(client, circuit, values, parse.GetValue(jobId), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
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
        return new Command("job", "Run jobs on a cluster as a client.") { run };
    }

    private sealed record JobReport(string JobId, IReadOnlyList<(string Name, string Line, BigInteger Value)> Outputs, TimeSpan Elapsed);

    private sealed class JobTask(MpcClient client, Circuit circuit, Dictionary<string, BigInteger> inputs, string? jobId, TimeSpan timeout, CancellationToken ct)
        : IFieldTask<Task<JobReport>>
    {
        public async Task<JobReport> Run<T>() where T : struct, IField<T>
        {
            var result = await client.RunJobAsync<T>(circuit, inputs, jobId, timeout, ct);
            var outputs = result.Outputs
                .Select(o => (o.Name, OutputText.Describe(o), o.Signed))
                .ToList();
            return new JobReport(result.JobId, outputs, result.Elapsed);
        }
    }
}
