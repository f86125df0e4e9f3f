using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Engine;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc bench bristol --circuit FILE --parties N [--copies K] --json</c>: one evaluation of K side-by-side copies of a Bristol circuit.</summary>
internal static class BenchBristolCommand
{
    public static Command Create()
    {
        var circuit = new Option<FileInfo>("--circuit") { Description = "A Bristol Fashion circuit, e.g. circuits/bristol/aes_shaped.txt.", Required = true };
        var copies = new Option<int>("--copies") { Description = "Independent copies with their own random inputs, evaluated side by side (the rounds of one).", DefaultValueFactory = _ => 1 };
        var repeat = new Option<int>("--repeat") { Description = "Measured evaluations after one warm-up; the median is reported.", DefaultValueFactory = _ => 5 };
        var transport = new Option<string>("--transport")
        {
            Description = "memory: parties as tasks in this process.",
            DefaultValueFactory = _ => "memory",
        };
        transport.AcceptOnlyFromAmong("memory");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var party = new PartyOptions();
        var command = new Command("bristol", "Dealer-free triples for every AND, then one evaluation of K copies of a Bristol circuit over GF(2^64); results are checked against plaintext.")
        {
            circuit, copies, repeat, transport, json,
        };
        party.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var (n, t) = party.Read(parse);
            int k = parse.GetValue(copies);
            if (k < 1) throw new CliException($"--copies {k}: at least one copy.");
            var file = parse.GetValue(circuit)!;
            var c = BristolCommand.Load(file);

            int r = parse.GetValue(repeat);
            if (r < 1) throw new CliException($"--repeat {r}: at least one measured evaluation.");

            // One warm-up so the JIT has compiled the hot paths, then r measured runs; the median is reported.
            var runs = new List<BristolRunResult>(r);
            for (int i = 0; i <= r; i++)
            {
                var run = await RunCheckedAsync(c, k, n, t, ct);
                if (i > 0) runs.Add(run);
            }
            var online = Median(runs.Select(x => x.Online));
            var preprocessing = Median(runs.Select(x => x.Preprocessing));
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
                online_s = online.TotalSeconds,
                preprocessing_s = preprocessing.TotalSeconds,
                evals_per_s = k / online.TotalSeconds,
                ands_per_s = first.AndGates / online.TotalSeconds,
                triples_per_s = first.AndGates / preprocessing.TotalSeconds,
                bytes_sent = first.OnlineBytesSent,
            };
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report));
            else
            {
                Console.WriteLine($"{file.Name}: {k} cop{(k == 1 ? "y" : "ies")} of {c.AndCount:N0} ANDs, {first.Rounds} AND layers, {n} parties (t = {t}), Gf2k64, in-memory transport");
                Console.WriteLine($"  median of {r} runs after one warm-up");
                Console.WriteLine($"  preprocessing  {report.preprocessing_s:F3} s   {report.triples_per_s / 1e6:F2} M triples/s");
                Console.WriteLine($"  online         {report.online_s * 1e3:F2} ms  {report.evals_per_s:F0} evaluations/s, {report.ands_per_s / 1e6:F2} M ANDs/s");
                Console.WriteLine($"  sent           {report.bytes_sent:N0} bytes; outputs checked against plaintext");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>One evaluation of k copies on fresh random inputs, each copy's outputs checked against plaintext.</summary>
    private static async Task<BristolRunResult> RunCheckedAsync(BristolCircuit c, int k, int n, int t, CancellationToken ct)
    {
        var inputs = new bool[k][][];
        for (int copy = 0; copy < k; copy++)
            inputs[copy] = c.InputSizes.Select(size => RandomBits(size)).ToArray();
        var run = await BristolRunner.RunAsync(c, inputs, n, t, ct);
        for (int copy = 0; copy < k; copy++)
        {
            var expected = c.Evaluate(inputs[copy]);
            for (int o = 0; o < expected.Length; o++)
                if (!expected[o].AsSpan().SequenceEqual(run.Outputs[copy][o]))
                    throw new InvalidOperationException($"Copy {copy}, output {o}: the MPC result differs from plaintext evaluation.");
        }
        return run;
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static bool[] RandomBits(int count)
    {
        var bytes = RandomNumberGenerator.GetBytes(count);
        return Array.ConvertAll(bytes, b => (b & 1) != 0);
    }
}
