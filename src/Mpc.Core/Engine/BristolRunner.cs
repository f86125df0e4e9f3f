using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Fields;

namespace Mpc.Core.Engine;

/// <summary>The outputs and costs of running a Bristol circuit in MPC.</summary>
/// <param name="Outputs">Per copy, per output value: the bits on its wires, first wire first.</param>
/// <param name="Circuit">The arithmetic IR that was evaluated (all copies).</param>
/// <param name="Preprocessing">Wall time to generate the Beaver triples (one per AND of every copy).</param>
/// <param name="Online">Wall time of the evaluation and output opening (inputs were shared before).</param>
/// <param name="OnlineBytesSent">Payload bytes all parties sent online.</param>
public sealed record BristolRunResult(IReadOnlyList<bool[][]> Outputs, Circuit Circuit, TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent)
{
    /// <summary>AND layers = multiplication rounds (the same for any number of copies).</summary>
    public int Rounds => Circuit.Stats.Rounds;

    /// <summary>Beaver multiplications of all copies together.</summary>
    public int AndGates => Circuit.Stats.Multiplications;
}

/// <summary>Runs a Bristol Fashion circuit with n in-process parties over <see cref="Gf2k64"/>, one bit per field element.</summary>
/// <remarks>
/// The circuit is converted with <see cref="BristolCircuit.ToCircuit"/> (XOR free, AND one Beaver
/// multiplication) and run by <see cref="LocalRunner"/>: every input value is shared by its owner
/// (<c>in0</c>, <c>in1</c>…) as a client, every output is opened publicly. Several copies with their own
/// inputs run side by side in one evaluation, so they share its rounds.
/// </remarks>
public static class BristolRunner
{
    /// <summary>Evaluates <paramref name="circuit"/> once per entry of <paramref name="inputsPerCopy"/>.</summary>
    /// <param name="circuit">The boolean circuit.</param>
    /// <param name="inputsPerCopy">Per copy: one bit array per input value (first wire first).</param>
    /// <param name="parties">n.</param>
    /// <param name="threshold">t, with n ≥ 2t + 1.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ArgumentException">No copies, a wrong number of inputs or bits, or bad n/t.</exception>
    public static async Task<BristolRunResult> RunAsync(BristolCircuit circuit, IReadOnlyList<IReadOnlyList<bool[]>> inputsPerCopy,
        int parties, int threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputsPerCopy);
        if (inputsPerCopy.Count == 0) throw new ArgumentException("Give the inputs of at least one copy.", nameof(inputsPerCopy));
        var values = new Dictionary<string, BigInteger>(inputsPerCopy.Count * circuit.InputWireCount, StringComparer.Ordinal);
        for (int copy = 0; copy < inputsPerCopy.Count; copy++)
        {
            var inputs = inputsPerCopy[copy];
            circuit.CheckInputs(inputs.Count, i => inputs[i].Length);
            for (int i = 0; i < inputs.Count; i++)
                for (int bit = 0; bit < inputs[i].Length; bit++)
                    values.Add(BristolCircuit.InputKey(copy, i, bit), inputs[i][bit] ? BigInteger.One : BigInteger.Zero);
        }

        Circuit ir = circuit.ToCircuit("bristol", inputsPerCopy.Count);
        var run = await LocalRunner.RunAsync<Gf2k64>(ir, values, parties, threshold, cancellationToken).ConfigureAwait(false);

        var byName = new Dictionary<string, Gf2k64>(run.Outputs.Count, StringComparer.Ordinal);
        foreach (var o in run.Outputs) byName.Add(o.Name, o.Value);
        var outputs = new bool[inputsPerCopy.Count][][];
        for (int copy = 0; copy < outputs.Length; copy++)
        {
            outputs[copy] = new bool[circuit.OutputSizes.Length][];
            for (int v = 0; v < circuit.OutputSizes.Length; v++)
            {
                var bits = outputs[copy][v] = new bool[circuit.OutputSizes[v]];
                for (int bit = 0; bit < bits.Length; bit++)
                {
                    Gf2k64 value = byName[BristolCircuit.OutputName(copy, v, bit)];
                    if (value != Gf2k64.Zero && value != Gf2k64.One)
                        throw new InvalidOperationException($"Output {v} bit {bit} of copy {copy} opened to {value}, not a bit.");
                    bits[bit] = value == Gf2k64.One;
                }
            }
        }
        return new BristolRunResult(outputs, ir, run.Preprocessing, run.Online, run.OnlineBytesSent);
    }
}
