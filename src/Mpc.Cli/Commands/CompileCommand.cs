using System.CommandLine;
using System.Text.Json;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc compile &lt;file&gt;</c>: parses, optimises and schedules a circuit and prints its statistics and id.</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A circuit: the IR text form (.ir) or a program (.circ)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var emit = new Option<string?>("--emit") { Description = "Also print the compiled circuit: 'ir' for the text form." };
        emit.AcceptOnlyFromAmong("ir");
        var command = new Command("compile", "Print a circuit's inputs, outputs, multiplications, comparisons, rounds, preprocessing and circuit id.") { file, json, emit };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var circuit = CircuitLoader.Load(parse.GetValue(file)!);
            var stats = circuit.Stats;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    circuit = circuit.Name,
                    circuit_id = circuit.Id.ToString(),
                    inputs = stats.Inputs,
                    outputs = stats.Outputs,
                    multiplications = stats.Multiplications,
                    rounds = stats.Rounds,
                    gates = stats.Gates,
                    comparisons = stats.Comparisons,
                    comparison_depth = CircuitDepth.Comparisons(circuit),
                    truncations = stats.Truncations,
                    triples = stats.Triples,
                    random_bits = stats.RandomBits,
                    security_bits = SignedEncoding.DefaultStatisticalSecurity,
                }));
            }
            else
            {
                Console.WriteLine($"circuit          {circuit.Name}");
                Console.WriteLine($"circuit id       {circuit.Id}");
                Console.WriteLine($"parties          {string.Join(", ", circuit.Parties)}");
                Console.WriteLine($"inputs           {stats.Inputs} ({string.Join(", ", circuit.Inputs.Select(i => i.QualifiedName))})");
                Console.WriteLine($"outputs          {stats.Outputs} ({string.Join(", ", circuit.Outputs.Select(Describe))})");
                Console.WriteLine($"multiplications  {stats.Multiplications}");
                if (stats.Comparisons + stats.Truncations > 0)
                {
                    Console.WriteLine($"comparisons      {stats.Comparisons} (ltz, eqz) in {CircuitDepth.Comparisons(circuit)} sequential layer(s)");
                    Console.WriteLine($"truncations      {stats.Truncations} (trunc, truncpr, mod2m)");
                }
                Console.WriteLine($"rounds           {stats.Rounds} (online, critical path; + 1 to open public outputs)");
                Console.WriteLine($"gates            {stats.Gates}");
                Console.WriteLine(stats.RandomBits > 0
                    ? $"preprocessing    {stats.Triples} triples, {stats.RandomBits} random bits (κ = {SignedEncoding.DefaultStatisticalSecurity})"
                    : $"preprocessing    {stats.Triples} triples");
            }
            if (parse.GetValue(emit) == "ir") Console.Write(CircuitText.Print(circuit));
            return 0;
        }));
        return command;
    }

    private static string Describe(OutputDeclaration o) =>
        o.Visibility == OutputVisibility.Public ? o.Name : $"{o.Name} → {o.Owner}";
}
