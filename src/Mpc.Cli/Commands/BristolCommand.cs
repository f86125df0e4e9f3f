using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Engine;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc bristol &lt;file.txt&gt; --parties N --input &lt;hex&gt; … [--bit-order lsb|msb]</c>: a Bristol Fashion circuit in MPC.</summary>
internal static class BristolCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A boolean circuit in Bristol Fashion (.txt)." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "One per Bristol input value, in order: big-endian hex (0x optional), at most as wide as the input.",
            AllowMultipleArgumentsPerToken = false,
        };
        var order = BitOrderOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var party = new PartyOptions();
        var command = new Command("bristol", "Run a Bristol Fashion boolean circuit with N in-process parties over GF(2^64) (XOR free, AND = one Beaver multiplication) and print each output as hex.")
        {
            file, inputs, order, json,
        };
        party.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var (n, t) = party.Read(parse);
            var path = parse.GetValue(file)!;
            var circuit = Load(path);
            var bitOrder = ParseOrder(parse.GetValue(order)!);
            var values = (parse.GetValue(inputs) ?? []).Select((text, i) => ParseHex(text, i)).ToArray();
            var bits = ToInputBits(circuit, values, bitOrder);
            var run = await BristolRunner.RunAsync(circuit, [bits], n, t, ct);
            var outputs = run.Outputs[0].Select(o => Hex(BristolBits.FromBits(o, bitOrder), o.Length)).ToArray();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    circuit = path.Name,
                    field = "Gf2k64",
                    parties = n,
                    threshold = t,
                    security = "semi-honest",
                    bit_order = parse.GetValue(order),
                    outputs,
                    and_gates = run.AndGates,
                    rounds = run.Rounds,
                    preprocessing_s = run.Preprocessing.TotalSeconds,
                    online_s = run.Online.TotalSeconds,
                    bytes_sent = run.OnlineBytesSent,
                }));
            }
            else
            {
                Console.WriteLine($"{path.Name}: {circuit.AndCount} ANDs, {run.Rounds} AND layers, {n} parties (t = {t}), Gf2k64, semi-honest");
                for (int i = 0; i < outputs.Length; i++) Console.WriteLine($"  output {i} ({circuit.OutputSizes[i]} bits) = {outputs[i]}");
                Console.WriteLine($"preprocessing {run.Preprocessing.TotalMilliseconds:F1} ms, online {run.Online.TotalMilliseconds:F1} ms, {run.OnlineBytesSent} bytes sent");
            }
            return 0;
        }));
        return command;
    }

    /// <summary><c>--bit-order lsb|msb</c>, shared with <c>bench bristol</c>.</summary>
    public static Option<string> BitOrderOption()
    {
        var order = new Option<string>("--bit-order")
        {
            Description = "lsb: bit 0 of each value is the first wire of its input/output (the default); msb: the most significant bit is.",
            DefaultValueFactory = _ => "lsb",
        };
        order.AcceptOnlyFromAmong("lsb", "msb");
        return order;
    }

    public static BitOrder ParseOrder(string text) => text == "msb" ? BitOrder.Msb : BitOrder.Lsb;

    /// <summary>Reads and validates a Bristol file; errors name the file and line.</summary>
    public static BristolCircuit Load(FileInfo file)
    {
        using var reader = file.OpenText();
        return BristolReader.Parse(reader, file.FullName);
    }

    /// <summary>Parses one <c>--input</c>: big-endian hex with an optional 0x.</summary>
    public static BigInteger ParseHex(string text, int index)
    {
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiHexDigit))
            throw new CliException($"--input {index + 1} '{text}': expected big-endian hex digits (0-9, a-f), optionally after 0x.");
        return BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Checks the count and widths of the values and spreads them onto wires.</summary>
    public static bool[][] ToInputBits(BristolCircuit circuit, BigInteger[] values, BitOrder order)
    {
        if (values.Length != circuit.InputSizes.Length)
            throw new CliException($"The circuit has {circuit.InputSizes.Length} input value(s) ({string.Join(", ", circuit.InputSizes.Select(s => s + " bits"))}); " +
                                   $"give one --input each, not {values.Length}.");
        for (int i = 0; i < values.Length; i++)
            if (values[i].GetBitLength() > circuit.InputSizes[i])
                throw new CliException($"--input {i + 1} = 0x{values[i]:x} needs {values[i].GetBitLength()} bits; input {i + 1} of the circuit has {circuit.InputSizes[i]}.");
        return values.Select((v, i) => BristolBits.ToBits(v, circuit.InputSizes[i], order, $"--input {i + 1}")).ToArray();
    }

    /// <summary>0x and ⌈bits/4⌉ lower-case hex digits, big-endian.</summary>
    public static string Hex(BigInteger value, int bits) =>
        "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft((bits + 3) / 4, '0');
}
