using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Bristol;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;

namespace Mpc.Core.Engine;

/// <summary>The outputs and costs of running a Bristol circuit in MPC.</summary>
/// <param name="Outputs">Per copy, per output value: the bits on its wires, first wire first.</param>
/// <param name="Circuit">The arithmetic IR of one copy.</param>
/// <param name="Copies">Copies evaluated side by side.</param>
/// <param name="Preprocessing">Wall time to generate the Beaver triples (one per AND of every copy).</param>
/// <param name="Online">Wall time of the evaluation and output opening (inputs were shared before).</param>
/// <param name="OnlineBytesSent">Payload bytes all parties sent online.</param>
public sealed record BristolRunResult(IReadOnlyList<bool[][]> Outputs, Circuit Circuit, int Copies, TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent)
{
    /// <summary>AND layers = multiplication rounds (the same for any number of copies).</summary>
    public int Rounds => Circuit.Stats.Rounds;

    /// <summary>Beaver multiplications of all copies together.</summary>
    public long AndGates => (long)Circuit.Stats.Multiplications * Copies;
}

/// <summary>Runs a Bristol Fashion circuit with n in-process parties over <see cref="Gf2k64"/>, one bit per field element.</summary>
/// <remarks>
/// The circuit is converted with <see cref="BristolCircuit.ToCircuit"/> (XOR free, AND one Beaver
/// multiplication). As in <see cref="LocalRunner"/>, the parties are tasks over an <see cref="InMemoryNetwork"/>:
/// they generate the triples dealer-free (DN07), every input value is shared by its owner as a client (party i
/// receives only share i), and all outputs are opened publicly. Several copies with their own inputs run side
/// by side in one <see cref="BatchedPartyEngine{T}"/> evaluation, so they take the rounds of one.
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
        int k = inputsPerCopy.Count;
        if (k == 0) throw new ArgumentException("Give the inputs of at least one copy.", nameof(inputsPerCopy));
        foreach (var inputs in inputsPerCopy) circuit.CheckInputs(inputs.Count, i => inputs[i].Length);
        var scheme = new ShamirScheme<Gf2k64>(parties, threshold);
        Circuit ir = circuit.ToCircuit("bristol");

        // Clients share their inputs: party p receives only the p-th share of each bit of each copy.
        var shares = new Dictionary<string, Gf2k64[]>[parties];
        for (int p = 0; p < parties; p++) shares[p] = new Dictionary<string, Gf2k64[]>(circuit.InputWireCount, StringComparer.Ordinal);
        var bits = new Gf2k64[k];
        var dealt = new Gf2k64[parties * k];
        for (int i = 0; i < circuit.InputSizes.Length; i++)
            for (int bit = 0; bit < circuit.InputSizes[i]; bit++)
            {
                for (int copy = 0; copy < k; copy++) bits[copy] = inputsPerCopy[copy][i][bit] ? Gf2k64.One : Gf2k64.Zero;
                scheme.ShareBatch(bits, CryptoRandom.Shared, dealt);
                string key = BristolCircuit.InputKey(0, i, bit);
                for (int p = 0; p < parties; p++) shares[p][key] = dealt.AsSpan(p * k, k).ToArray();
            }

        int triplesNeeded = checked(ir.Stats.Multiplications * k);
        var run = await InProcessParties.RunAsync(parties, threshold,
            (ProtocolContext<Gf2k64> context) => new Dn07TripleSource<Gf2k64>(context).GenerateAsync(triplesNeeded, cancellationToken).AsTask(),
            (ProtocolContext<Gf2k64> context, TripleBatch<Gf2k64> triples) => new BatchedPartyEngine<Gf2k64>(context).RunAsync(ir, k, shares[context.Party], triples, cancellationToken),
            (IReadOnlyDictionary<string, Gf2k64[]>[] results) => ReadOutputs(circuit, k, results), cancellationToken).ConfigureAwait(false);
        return new BristolRunResult(run.Result, ir, k, run.Preprocessing, run.Online, run.OnlineBytesSent);
    }

    private static bool[][][] ReadOutputs(BristolCircuit circuit, int k, IReadOnlyDictionary<string, Gf2k64[]>[] results)
    {
        var outputs = new bool[k][][];
        for (int copy = 0; copy < k; copy++)
        {
            outputs[copy] = new bool[circuit.OutputSizes.Length][];
            for (int v = 0; v < circuit.OutputSizes.Length; v++) outputs[copy][v] = new bool[circuit.OutputSizes[v]];
        }
        for (int v = 0; v < circuit.OutputSizes.Length; v++)
            for (int bit = 0; bit < circuit.OutputSizes[v]; bit++)
            {
                string name = BristolCircuit.OutputName(0, v, bit);
                Gf2k64[] values = results[0][name];
                for (int p = 1; p < results.Length; p++)
                    if (!values.AsSpan().SequenceEqual(results[p][name]))
                        throw new InvalidOperationException($"Parties opened different values for output {v} bit {bit}.");
                for (int copy = 0; copy < k; copy++)
                {
                    if (values[copy] != Gf2k64.Zero && values[copy] != Gf2k64.One)
                        throw new InvalidOperationException($"Output {v} bit {bit} of copy {copy} opened to {values[copy]}, not a bit.");
                    outputs[copy][v][bit] = values[copy] == Gf2k64.One;
                }
            }
        return outputs;
    }
}
