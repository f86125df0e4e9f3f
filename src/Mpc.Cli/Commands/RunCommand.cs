using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc run &lt;file&gt; --parties N --input owner.name=value …</c>: evaluates a circuit with in-process parties.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A circuit: the IR text form (.ir) or a program (.circ)." };
        var inputs = InputAssignment.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var field = FieldOption.Create();
        var security = SecurityOption();
        var plaintext = new Option<bool>("--plaintext") { Description = "For a .circ program: run the language's plaintext interpreter instead of MPC (for debugging a contract)." };
        var party = new PartyOptions();
        var command = new Command("run", "Run a circuit with N in-process parties (real protocol, in-memory network) and print its outputs.")
        {
            file, inputs, json, field, security, plaintext,
        };
        party.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var (n, t) = party.Read(parse);
            var loaded = CircuitLoader.LoadContract(parse.GetValue(file)!);
            var circuit = loaded.Circuit;
            var values = InputAssignment.ParseAll(parse.GetValue(inputs) ?? [], loaded.Interface);
            int kappa = ReadSecurity(parse, security);
            var task = new RunTask(circuit, loaded.Interface, values, n, t, kappa, ct);
            // Integer gates need k + κ + 1 < log2 p: a circuit with them runs in fp127 unless --field says otherwise.
            string fieldName = FieldOption.Read(parse, field, circuit);
            if (parse.GetValue(plaintext))
                return CircuitLoader.RunPlaintext(loaded, values, fieldName, parse.GetValue(json));
            var report = await FieldOption.Dispatch(fieldName, task);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report.ToJson()));
            else report.Print();
            return 0;
        }));
        return command;
    }

    /// <summary>The <c>--security</c> option: κ for the integer gates (also used by <c>mpc bench cmp</c>).</summary>
    internal static Option<int> SecurityOption()
    {
        var option = new Option<int>("--security")
        {
            Description = "κ, statistical security of comparisons and truncations in bits (k + κ + 1 < log2 p must hold).",
            DefaultValueFactory = _ => SignedEncoding.DefaultStatisticalSecurity,
        };
        return option;
    }

    /// <summary>κ from <paramref name="option"/>; a value outside 1..120 is a user error (exit 2, one line).</summary>
    internal static int ReadSecurity(ParseResult parse, Option<int> option)
    {
        int value = parse.GetValue(option);
        if (value is < 1 or > 120) throw new CliException($"--security {value}: κ must be between 1 and 120 bits.");
        return value;
    }

    private sealed record RunReport(Circuit Circuit, string Field, int Parties, int Threshold, IReadOnlyList<(string Name, string Line, BigInteger Value)> Outputs,
        TimeSpan Preprocessing, TimeSpan Online, long Bytes, int Rounds)
    {
        public void Print()
        {
            Console.WriteLine($"{Circuit.Name} ({Circuit.Id}) on {Parties} parties, t = {Threshold}, {Field}, semi-honest");
            foreach (var output in Outputs) Console.WriteLine($"  {output.Line}");
            Console.WriteLine($"preprocessing {Preprocessing.TotalMilliseconds:F1} ms, online {Online.TotalMilliseconds:F1} ms, " +
                              $"{Rounds} online round(s), {Bytes} bytes sent");
        }

        public object ToJson() => new
        {
            circuit = Circuit.Name,
            circuit_id = Circuit.Id.ToString(),
            field = Field,
            parties = Parties,
            threshold = Threshold,
            security = "semi-honest",
            outputs = Outputs.ToDictionary(o => o.Name, o => o.Value.ToString()),
            preprocessing_s = Preprocessing.TotalSeconds,
            online_s = Online.TotalSeconds,
            rounds = Rounds,
            bytes_sent = Bytes,
        };
    }

    private sealed class RunTask(Circuit circuit, ContractInterface? contract, Dictionary<string, BigInteger> inputs, int n, int t, int security, CancellationToken ct)
        : IFieldTask<Task<RunReport>>
    {
        public async Task<RunReport> Run<T>() where T : struct, IField<T>
        {
            var result = await LocalRunner.RunAsync<T>(circuit, inputs, n, t, security, ct);
            return new RunReport(circuit, T.Name, n, t, OutputText.Describe(result.Outputs, contract), result.Preprocessing, result.Online, result.OnlineBytesSent, result.Rounds);
        }
    }
}
