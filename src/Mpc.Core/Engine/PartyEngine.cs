using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Protocols;

namespace Mpc.Core.Engine;

/// <summary>One party's result of a circuit evaluation.</summary>
/// <param name="Public">Opened public outputs by name (identical on every party).</param>
/// <param name="PrivateShares">This party's shares of outputs private to a named party, by output name; sent only to that party.</param>
public sealed record PartyOutputs<T>(IReadOnlyDictionary<string, T> Public, IReadOnlyDictionary<string, T> PrivateShares)
    where T : struct, IField<T>;

/// <summary>Evaluates one party's side of a circuit on Shamir shares over a <see cref="ProtocolContext{T}"/>.</summary>
/// <remarks>
/// Follows the circuit's <see cref="CircuitSchedule"/>: in step d the linear gates of depth d are computed
/// locally (addition and multiplication by public constants commute with Shamir sharing; a public constant is
/// the constant polynomial, so every party's share of it is the constant itself), then every
/// multiplication of depth d + 1 runs as one Beaver batch: one exchange per step, so the online phase
/// takes exactly <see cref="CircuitStats.Rounds"/> rounds plus one to open the public outputs.
/// Every party must call <see cref="RunAsync"/> with the same circuit on contexts of the same session.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class PartyEngine<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly Opener<T> _opener;
    private readonly BeaverMultiplier<T> _multiplier;

    /// <summary>Creates an engine for the party that owns <paramref name="context"/>.</summary>
    public PartyEngine(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _opener = new Opener<T>(context);
        _multiplier = new BeaverMultiplier<T>(_opener);
    }

    /// <summary>Evaluates <paramref name="circuit"/> on this party's input shares.</summary>
    /// <param name="circuit">The circuit; its schedule fixes the order of exchanges.</param>
    /// <param name="inputShares">This party's share of every circuit input, keyed by qualified name (<c>owner.name</c>).</param>
    /// <param name="triples">At least <see cref="CircuitStats.Multiplications"/> unused triples.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">An input share is missing or not enough triples are given.</exception>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async Task<PartyOutputs<T>> RunAsync(Circuit circuit, IReadOnlyDictionary<string, T> inputShares,
        TripleBatch<T> triples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputShares);
        var schedule = circuit.Schedule;
        if (triples.Count < schedule.Stats.Multiplications)
            throw new ArgumentException(
                $"Circuit '{circuit.Name}' needs {schedule.Stats.Multiplications} triples; {triples.Count} given.", nameof(triples));

        var gates = circuit.Gates;
        var wires = new T[gates.Length];
        int usedTriples = 0;
        foreach (var step in schedule.Steps)
        {
            foreach (int i in step.Linear) wires[i] = EvaluateLinear(gates[i], wires, inputShares);

            int count = step.Multiplications.Length;
            if (count == 0) continue;
            var x = new T[count];
            var y = new T[count];
            for (int k = 0; k < count; k++)
            {
                var g = gates[step.Multiplications[k]];
                x[k] = wires[g.Left];
                y[k] = wires[g.Right];
            }
            T[] z = await _multiplier.MultiplyAsync(x, y, triples.Slice(usedTriples, count), cancellationToken).ConfigureAwait(false);
            usedTriples += count;
            for (int k = 0; k < count; k++) wires[step.Multiplications[k]] = z[k];
        }

        return await FinishOutputsAsync(circuit, wires, cancellationToken).ConfigureAwait(false);
    }

    private static T EvaluateLinear(Gate g, T[] wires, IReadOnlyDictionary<string, T> inputShares) => g.Kind switch
    {
        GateKind.Input => inputShares.TryGetValue(g.Party + "." + g.Name, out var share)
            ? share
            : throw new ArgumentException($"No share of input '{g.Party}.{g.Name}' was provided.", nameof(inputShares)),
        GateKind.Constant => T.FromBigInteger(g.Constant),
        GateKind.Add => wires[g.Left] + wires[g.Right],
        GateKind.Sub => wires[g.Left] - wires[g.Right],
        GateKind.MulConst => wires[g.Left] * T.FromBigInteger(g.Constant),
        GateKind.Output => wires[g.Left],
        GateKind.Mul => throw new InvalidOperationException("A multiplication was scheduled as a linear gate."),
        _ => throw new NotSupportedException($"Gate kind {g.Kind} is not supported by this engine."),
    };

    private async Task<PartyOutputs<T>> FinishOutputsAsync(Circuit circuit, T[] wires, CancellationToken cancellationToken)
    {
        var publicOutputs = new List<OutputDeclaration>();
        var privateShares = new Dictionary<string, T>();
        foreach (var o in circuit.Outputs)
        {
            if (o.Visibility == OutputVisibility.Public) publicOutputs.Add(o);
            else privateShares[o.Name] = wires[o.Wire];
        }

        var opened = new Dictionary<string, T>();
        if (publicOutputs.Count > 0)
        {
            // All public outputs open together: one round however many there are.
            var shares = new T[publicOutputs.Count];
            for (int k = 0; k < shares.Length; k++) shares[k] = wires[publicOutputs[k].Wire];
            T[] values = await _opener.OpenAsync(shares, cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < values.Length; k++) opened[publicOutputs[k].Name] = values[k];
        }
        return new PartyOutputs<T>(opened, privateShares);
    }
}
