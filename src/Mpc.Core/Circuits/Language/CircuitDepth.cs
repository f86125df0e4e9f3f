namespace Mpc.Core.Circuits.Language;

/// <summary>Depth measures of a compiled circuit that the language's cost model talks about.</summary>
public static class CircuitDepth
{
    /// <summary>
    /// The largest number of comparison gates (<see cref="GateKind.LessThanZero"/>, <see cref="GateKind.EqualZero"/>)
    /// on any path from an input to an output: comparisons at the same depth run in the same rounds.
    /// </summary>
    /// <remarks>A balanced reduction over N values (max, argmax, a tournament) has depth ⌈log2 N⌉.</remarks>
    public static int Comparisons(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var gates = circuit.Gates;
        var depth = new int[gates.Length];
        int max = 0;
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            int d = g.Left >= 0 ? depth[g.Left] : 0;
            if (g.Right >= 0) d = Math.Max(d, depth[g.Right]);
            if (g.Kind is GateKind.LessThanZero or GateKind.EqualZero) d++;
            depth[i] = d;
            max = Math.Max(max, d);
        }
        return max;
    }
}
