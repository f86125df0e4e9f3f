using System.Buffers;
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
/// <see cref="PartyEngine{T}"/>'s evaluation k values wide (k copies take the rounds of one), without
/// building a k-times larger IR: the gate loop runs once per gate, not once per gate and copy, and XOR-like
/// linear gates are vectorised (<see cref="IField{T}.Add"/>). Only public outputs and add/sub/mul circuits
/// are supported (the integer gates' material is prepared per circuit, not per copy); the outputs are
/// opened together in one final round. Every party must call <see cref="RunAsync"/> with the same circuit
/// and copy count on contexts of the same session.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class BatchedPartyEngine<T> where T : struct, IField<T>
{
    private readonly PartyEngine<T> _engine;
    private readonly Opener<T> _opener;

    /// <summary>Creates an engine for the party that owns <paramref name="context"/>.</summary>
    public BatchedPartyEngine(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _engine = new PartyEngine<T>(context);
        _opener = new Opener<T>(context);
    }

    /// <summary>Evaluates <paramref name="copies"/> copies of <paramref name="circuit"/>.</summary>
    /// <param name="circuit">A circuit whose outputs are all public, without integer gates.</param>
    /// <param name="copies">k ≥ 1.</param>
    /// <param name="inputShares">Per qualified input name, this party's k shares (copy c at index c).</param>
    /// <param name="triples">At least multiplications × k unused triples.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <returns>Per output name, the k opened values.</returns>
    /// <exception cref="ArgumentException">A missing or short input, too few triples, a private output or an integer gate.</exception>
    public async Task<IReadOnlyDictionary<string, T[]>> RunAsync(Circuit circuit, int copies, IReadOnlyDictionary<string, T[]> inputShares,
        TripleBatch<T> triples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputShares);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        long needed = (long)circuit.Stats.Multiplications * copies;
        if (triples.Count < needed)
            throw new ArgumentException($"{copies} copies of circuit '{circuit.Name}' need {needed} triples; {triples.Count} given.", nameof(triples));
        if (circuit.Outputs.Any(o => o.Visibility != OutputVisibility.Public))
            throw new ArgumentException($"Circuit '{circuit.Name}' has private outputs; the batched engine opens public outputs only.", nameof(circuit));
        if (!circuit.Schedule.Groups.IsEmpty)
            throw new ArgumentException($"Circuit '{circuit.Name}' has integer gates (comparison, equality, truncation); the batched engine runs add/sub/mul circuits only.", nameof(circuit));

        int k = copies;
        // gates × k shares (21.6 MB for 100 copies of AES): rented, since a fresh zeroed array per job cost page faults and
        // gen-2 collections. Uncleared is safe: evaluation writes every gate's row before any gate reads it.
        var wires = ArrayPool<T>.Shared.Rent(checked(circuit.Gates.Length * k));
        try
        {
            foreach (var input in circuit.Inputs)
            {
                if (!inputShares.TryGetValue(input.QualifiedName, out var shares) || shares.Length != k)
                    throw new ArgumentException($"Input '{input.QualifiedName}' needs {k} shares (one per copy).", nameof(inputShares));
                shares.CopyTo(wires.AsSpan(input.Wire * k, k));
            }
            await _engine.EvaluateAsync(circuit, k, wires, new CircuitPreprocessing<T>(triples, []), cancellationToken).ConfigureAwait(false);

            // Every output of every copy opens in one round.
            var outputs = circuit.Outputs;
            var open = GC.AllocateUninitializedArray<T>(outputs.Length * k);
            for (int o = 0; o < outputs.Length; o++) wires.AsSpan(outputs[o].Wire * k, k).CopyTo(open.AsSpan(o * k, k));
            T[] values = await _opener.OpenAsync(open, cancellationToken).ConfigureAwait(false);
            var result = new Dictionary<string, T[]>(outputs.Length, StringComparer.Ordinal);
            for (int o = 0; o < outputs.Length; o++) result.Add(outputs[o].Name, values.AsSpan(o * k, k).ToArray());
            return result;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(wires);
        }
    }
}
