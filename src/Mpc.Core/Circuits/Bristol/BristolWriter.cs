using System.Globalization;
using System.Text;

namespace Mpc.Core.Circuits.Bristol;

/// <summary>Writes a <see cref="BristolCircuit"/> as Bristol Fashion text that <see cref="BristolReader"/> (and other tools) read back.</summary>
/// <remarks>Layout of the public circuits: header, input line, output line, a blank line, one gate per line; <c>\n</c> line ends.</remarks>
public static class BristolWriter
{
    /// <summary>The text of <paramref name="circuit"/>.</summary>
    public static string Write(BristolCircuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var text = new StringBuilder(circuit.Gates.Length * 16);
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\n" }) Write(circuit, writer);
        return text.ToString();
    }

    /// <summary>Writes <paramref name="circuit"/> to <paramref name="writer"/>.</summary>
    public static void Write(BristolCircuit circuit, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(circuit.Gates.Length);
        writer.Write(' ');
        writer.Write(circuit.WireCount);
        writer.WriteLine();
        WriteSizes(writer, circuit.InputSizes);
        WriteSizes(writer, circuit.OutputSizes);
        writer.WriteLine();
        foreach (var g in circuit.Gates)
        {
            writer.Write(g.Inputs.Length);
            writer.Write(' ');
            writer.Write(g.Outputs.Length);
            foreach (int w in g.Inputs) { writer.Write(' '); writer.Write(w); }
            foreach (int w in g.Outputs) { writer.Write(' '); writer.Write(w); }
            writer.Write(' ');
            writer.WriteLine(BristolCircuit.Spelling(g.Kind));
        }
    }

    private static void WriteSizes(TextWriter writer, System.Collections.Immutable.ImmutableArray<int> sizes)
    {
        writer.Write(sizes.Length);
        foreach (int s in sizes) { writer.Write(' '); writer.Write(s); }
        writer.WriteLine();
    }
}
