using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Protocols;

namespace Mpc.Core.Engine;

/// <summary>
/// Evaluates k copies of one circuit side by side for one party: every wire holds k shares, one per copy,
/// so each gate is one span kernel over k elements and each multiplication round is one Beaver batch of
/// (multiplications in the layer) × k.
/// </summary>
/// <remarks>
/// The same schedule and protocol as <see cref="PartyEngine{T}"/> (k copies take the rounds of one), without
/// building a k-times larger IR: the gate loop runs once per gate, not once per gate and copy, and XOR-like
/// linear gates are vectorised (<see cref="IField{T}.Add"/>). Only public outputs are supported; they are
/// opened together in one final round. Every party must call <see cref="RunAsync"/> with the same circuit
/// and copy count on contexts of the same session.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class BatchedPartyEngine<T> where T : struct, IField<T>
{
    private readonly Opener<T> _opener;
    private readonly BeaverMultiplier<T> _multiplier;

    /// <summary>Creates an engine for the party that owns <paramref name="context"/>.</summary>
    public BatchedPartyEngine(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _opener = new Opener<T>(context);
        _multiplier = new BeaverMultiplier<T>(_opener);
    }

    /// <summary>Evaluates <paramref name="copies"/> copies of <paramref name="circuit"/>.</summary>
    /// <param name="circuit">A circuit whose outputs are all public.</param>
    /// <param name="copies">k ≥ 1.</param>
    /// <param name="inputShares">Per qualified input name, this party's k shares (copy c at index c).</param>
    /// <param name="triples">At least multiplications × k unused triples.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <returns>Per output name, the k opened values.</returns>
    /// <exception cref="ArgumentException">A missing or short input, too few triples, or a private output.</exception>
    public async Task<IReadOnlyDictionary<string, T[]>> RunAsync(Circuit circuit, int copies, IReadOnlyDictionary<string, T[]> inputShares,
        TripleBatch<T> triples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputShares);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        var schedule = circuit.Schedule;
        long needed = (long)schedule.Stats.Multiplications * copies;
        if (triples.Count < needed)
            throw new ArgumentException($"{copies} copies of circuit '{circuit.Name}' need {needed} triples; {triples.Count} given.", nameof(triples));
        if (circuit.Outputs.Any(o => o.Visibility != OutputVisibility.Public))
            throw new ArgumentException($"Circuit '{circuit.Name}' has private outputs; the batched engine opens public outputs only.", nameof(circuit));

        int k = copies;
        var gates = circuit.Gates;
        var wires = new T[(long)gates.Length * k];
        Span<T> Row(int wire) => wires.AsSpan(wire * k, k);
        int used = 0;
        foreach (var step in schedule.Steps)
        {
            foreach (int i in step.Linear)
            {
                var g = gates[i];
                switch (g.Kind)
                {
                    case GateKind.Input:
                        string key = g.Party + "." + g.Name;
                        if (!inputShares.TryGetValue(key, out var shares) || shares.Length != k)
                            throw new ArgumentException($"Input '{key}' needs {k} shares (one per copy).", nameof(inputShares));
                        shares.CopyTo(Row(i));
                        break;
                    case GateKind.Constant: Row(i).Fill(T.FromBigInteger(g.Constant)); break;
                    case GateKind.Add: T.Add(Row(g.Left), Row(g.Right), Row(i)); break;
                    case GateKind.Sub: T.Subtract(Row(g.Left), Row(g.Right), Row(i)); break;
                    case GateKind.MulConst: T.Scale(Row(g.Left), T.FromBigInteger(g.Constant), Row(i)); break;
                    case GateKind.Output: break;
                    default: throw new NotSupportedException($"Gate kind {g.Kind} is not supported by the batched engine.");
                }
            }

            int count = step.Multiplications.Length;
            if (count == 0) continue;
            var x = GC.AllocateUninitializedArray<T>(count * k);
            var y = GC.AllocateUninitializedArray<T>(count * k);
            for (int m = 0; m < count; m++)
            {
                var g = gates[step.Multiplications[m]];
                Row(g.Left).CopyTo(x.AsSpan(m * k, k));
                Row(g.Right).CopyTo(y.AsSpan(m * k, k));
            }
            T[] z = await _multiplier.MultiplyAsync(x, y, triples.Slice(used, count * k), cancellationToken).ConfigureAwait(false);
            used += count * k;
            for (int m = 0; m < count; m++) z.AsSpan(m * k, k).CopyTo(Row(step.Multiplications[m]));
        }

        // Every output of every copy opens in one round.
        var outputs = circuit.Outputs;
        var open = GC.AllocateUninitializedArray<T>(outputs.Length * k);
        for (int o = 0; o < outputs.Length; o++) Row(outputs[o].Wire).CopyTo(open.AsSpan(o * k, k));
        T[] values = await _opener.OpenAsync(open, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, T[]>(outputs.Length, StringComparer.Ordinal);
        for (int o = 0; o < outputs.Length; o++) result.Add(outputs[o].Name, values.AsSpan(o * k, k).ToArray());
        return result;
    }
}
