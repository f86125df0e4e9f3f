using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Circuits.Language;

namespace Mpc.Cli;

/// <summary>
/// Loads the circuit a command names — the IR text form (<c>.ir</c>) or the language (<c>.circ</c>) — and
/// runs the optimiser, so every command evaluates the same compiled form.
/// </summary>
internal static class CircuitLoader
{
    public static Circuit Load(FileInfo file) => LoadContract(file).Circuit;

    /// <summary>The circuit plus, for <c>.circ</c> files, the program and its typed interface (null for <c>.ir</c>).</summary>
    public static LoadedCircuit LoadContract(FileInfo file)
    {
        if (!file.Exists) throw new CliException($"{file.FullName}: no such circuit file.");
        string text = File.ReadAllText(file.FullName);
        if (!IsLanguage(file.Name))
            return new LoadedCircuit(CircuitOptimizer.Optimize(CircuitText.Parse(text, file.FullName)), null, null);
        try
        {
            var program = CircProgram.Parse(text, file.FullName);
            var compiled = program.Compile();
            return new LoadedCircuit(compiled.Circuit, program, compiled.Interface);
        }
        catch (CircCompileException e)
        {
            // The diagnostics already carry file:line:col, the source line and a caret.
            throw new CliException(e.Message);
        }
    }

    /// <summary><c>mpc run x.circ --plaintext</c>: the language's reference interpreter on the given inputs.</summary>
    public static int RunPlaintext(LoadedCircuit loaded, Dictionary<string, BigInteger> values, string field, bool json)
    {
        var program = loaded.Program ?? throw new CliException("--plaintext runs .circ programs only (an .ir circuit has no language semantics to interpret).");
        var modulus = field == "fp61" ? Fp61.Modulus : Fp127.Modulus;
        IReadOnlyDictionary<string, BigInteger> outputs;
        try
        {
            outputs = program.Interpret(values, modulus);
        }
        catch (CircCompileException e)
        {
            throw new CliException(e.Message);
        }
        var printed = new List<(string Name, string Text, string? Party)>();
        foreach (var output in loaded.Interface!.Outputs)
            foreach (var name in output.IrNames)
                printed.Add((name, Format(outputs[name], output.Kind), output.Party));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                circuit = loaded.Circuit.Name,
                mode = "plaintext",
                field,
                outputs = printed.ToDictionary(o => o.Name, o => outputs[o.Name].ToString()),
                values = printed.ToDictionary(o => o.Name, o => o.Text),
            }));
        }
        else
        {
            Console.WriteLine($"{program.Name}: plaintext interpreter (no MPC), {field}");
            foreach (var (name, text, party) in printed)
                Console.WriteLine($"  {OutputText.Line(name, text, party)}");
        }
        return 0;
    }

    /// <summary>A raw output value as its language type reads it (fixed as a decimal, bool as true/false).</summary>
    public static string Format(BigInteger raw, ScalarKind kind) => kind switch
    {
        ScalarKind.Fixed => ((decimal)raw / 65536m).ToString(CultureInfo.InvariantCulture),
        ScalarKind.Bool => raw.IsOne ? "true" : raw.IsZero ? "false" : raw.ToString(CultureInfo.InvariantCulture),
        _ => raw.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Whether a file name is a <c>.circ</c> program rather than IR text.</summary>
    public static bool IsLanguage(string fileName) => fileName.EndsWith(".circ", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A loaded circuit; <see cref="Program"/> and <see cref="Interface"/> are set for <c>.circ</c> files.</summary>
internal sealed record LoadedCircuit(Circuit Circuit, CircProgram? Program, ContractInterface? Interface);
