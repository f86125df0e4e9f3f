using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;
using Mpc.Core.Protocols;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Core.Engine;

/// <summary>One party's result of a circuit evaluation.</summary>
/// <param name="Public">Opened public outputs by name (identical on every party).</param>
/// <param name="PrivateShares">This party's shares of outputs private to a named party, by output name; sent only to that party.</param>
public sealed record PartyOutputs<T>(IReadOnlyDictionary<string, T> Public, IReadOnlyDictionary<string, T> PrivateShares)
    where T : struct, IField<T>;

/// <summary>This party's preprocessed material for one run of a circuit. Use once.</summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class CircuitPreprocessing<T> where T : struct, IField<T>
{
    /// <summary>Wraps material generated elsewhere (a pool, <see cref="PartyEngine{T}.PrepareAsync(Circuit, CancellationToken)"/>).</summary>
    /// <param name="triples">At least <see cref="CircuitStats.Multiplications"/> triples for the Mul gates.</param>
    /// <param name="integer">One entry per <see cref="CircuitSchedule.Groups"/> entry, in that order.</param>
    public CircuitPreprocessing(TripleBatch<T> triples, IReadOnlyList<IntegerPreprocessing<T>> integer)
    {
        ArgumentNullException.ThrowIfNull(integer);
        Triples = triples;
        Integer = integer;
    }

    /// <summary>Triples for the Mul gates.</summary>
    public TripleBatch<T> Triples { get; }

    /// <summary>Masks and triples of the integer groups, in schedule order.</summary>
    public IReadOnlyList<IntegerPreprocessing<T>> Integer { get; }
}

/// <summary>Evaluates one party's side of a circuit on Shamir shares over a <see cref="ProtocolContext{T}"/>.</summary>
/// <remarks>
/// <para>Follows the circuit's <see cref="CircuitSchedule"/>: at round d the linear gates ready at d are
/// computed locally (addition and multiplication by public constants commute with Shamir sharing; a public
/// constant is the constant polynomial, so every party's share of it is the constant itself), then
/// everything starting at d is launched: every multiplication as one Beaver batch, and every integer group
/// (gates of one kind and parameters) as one batched call of <see cref="IntegerProtocols{T}"/>.
/// Launched work runs concurrently with later rounds' work: each integer group uses its own message lane
/// (<see cref="ProtocolContext{T}.Fork"/>, lane = group index + 1), so concurrent groups' exchanges never mix
/// and the online phase takes <see cref="CircuitStats.Rounds"/> rounds (the critical path) plus one to open the
/// public outputs, not the sum of the groups' rounds.</para>
/// <para>Integer gates need k + κ + 1 &lt; log2 p (Catrina–de Hoogh 2010, §2); a circuit that breaks it is
/// refused by <see cref="CheckSupported"/> before any message is sent.</para>
/// <para>Every party must call <see cref="RunAsync(Circuit, IReadOnlyDictionary{string, T}, CircuitPreprocessing{T}, CancellationToken)"/>
/// with the same circuit on contexts of the same session.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class PartyEngine<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly Opener<T> _opener;
    private readonly BeaverMultiplier<T> _multiplier;

    /// <summary>Creates an engine for the party that owns <paramref name="context"/>.</summary>
    /// <param name="context">This party's context (a session's root context: the engine forks lanes of it).</param>
    /// <param name="security">κ, the statistical security of the integer gates' masks in bits (default 40).</param>
    public PartyEngine(ProtocolContext<T> context, int security = SignedEncoding.DefaultStatisticalSecurity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(security);
        _context = context;
        _opener = new Opener<T>(context);
        _multiplier = new BeaverMultiplier<T>(_opener);
        Security = security;
    }

    /// <summary>κ, the statistical security of the integer gates in bits.</summary>
    public int Security { get; }

    /// <summary>
    /// Throws unless every integer gate of <paramref name="circuit"/> can run in <typeparamref name="T"/> with
    /// statistical security <paramref name="security"/>: k + κ + 1 &lt; log2 p for each gate's k.
    /// </summary>
    /// <exception cref="ArgumentException">A gate does not fit; the message names the gate, k, κ and the field.</exception>
    public static void CheckSupported(Circuit circuit, int security = SignedEncoding.DefaultStatisticalSecurity)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        foreach (var group in circuit.Schedule.Groups)
        {
            try
            {
                SignedEncoding.Validate<T>(group.Cost.MaskBits, security, $"{group.Operation} on {group.Bits}-bit values");
            }
            catch (ArgumentException e)
            {
                var g = circuit.Gates[group.Gates[0]];
                throw new ArgumentException($"Circuit '{circuit.Name}', gate %{group.Gates[0]} ({g.Kind.Mnemonic()} %{g.Left} {g.Bits}{(g.Kind.HasShift() ? " " + g.Shift : "")}): {e.Message}", nameof(circuit), e);
            }
        }
    }

    /// <summary>
    /// Generates this party's material for one run of <paramref name="circuit"/> with the other parties, no dealer:
    /// all masks' random bits in one batch (3 rounds), all triples in one batch (2 rounds) and the products of adjacent mask bits (1 round).
    /// </summary>
    /// <exception cref="ArgumentException">The circuit's integer gates do not fit the field (<see cref="CheckSupported"/>); nothing was sent.</exception>
    public async Task<CircuitPreprocessing<T>> PrepareAsync(Circuit circuit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        CheckSupported(circuit, Security);
        var (material, triples) = await PrepareIntegerAsync(circuit, circuit.Stats.Multiplications, null, null, cancellationToken).ConfigureAwait(false);
        return new CircuitPreprocessing<T>(triples, material);
    }

    /// <summary>
    /// As <see cref="PrepareAsync(Circuit, CancellationToken)"/>, but with triples (and optionally random bits) generated
    /// earlier, e.g. by a node's pool: only what is not given is generated — the masks' random bits (3 rounds) unless
    /// <paramref name="randomBits"/> is given — plus the products of adjacent mask bits (1 round).
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="triples">At least <see cref="CircuitStats.Triples"/> unused triples, for the Mul gates and the integer groups.</param>
    /// <param name="randomBits">At least <see cref="CircuitSchedule.RandomBits"/>(κ) unused shared random bits, or null to generate them.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">Too few triples or bits, or the circuit's integer gates do not fit the field; nothing was sent.</exception>
    public async Task<CircuitPreprocessing<T>> PrepareAsync(Circuit circuit, TripleBatch<T> triples, ReadOnlyMemory<T>? randomBits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        CheckSupported(circuit, Security);
        if (triples.Count < circuit.Stats.Triples)
            throw new ArgumentException($"Circuit '{circuit.Name}' needs {circuit.Stats.Triples} triples; {triples.Count} given.", nameof(triples));
        var (material, muls) = await PrepareIntegerAsync(circuit, circuit.Stats.Multiplications, triples, randomBits, cancellationToken).ConfigureAwait(false);
        return new CircuitPreprocessing<T>(muls, material);
    }

    /// <summary>Evaluates <paramref name="circuit"/> on this party's input shares, generating the integer gates' material first if it has any.</summary>
    /// <param name="circuit">The circuit; its schedule fixes the order of exchanges.</param>
    /// <param name="inputShares">This party's share of every circuit input, keyed by qualified name (<c>owner.name</c>).</param>
    /// <param name="triples">At least <see cref="CircuitStats.Multiplications"/> unused triples for the Mul gates.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">An input share is missing, not enough triples are given, or an integer gate does not fit the field.</exception>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async Task<PartyOutputs<T>> RunAsync(Circuit circuit, IReadOnlyDictionary<string, T> inputShares,
        TripleBatch<T> triples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        CheckSupported(circuit, Security);
        CheckTriples(circuit, triples);
        IReadOnlyList<IntegerPreprocessing<T>> material = [];
        if (!circuit.Schedule.Groups.IsEmpty)
            (material, _) = await PrepareIntegerAsync(circuit, 0, null, null, cancellationToken).ConfigureAwait(false);
        return await RunAsync(circuit, inputShares, new CircuitPreprocessing<T>(triples, material), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates <paramref name="circuit"/> on this party's input shares with preprocessed material.</summary>
    /// <param name="circuit">The circuit; its schedule fixes the order of exchanges.</param>
    /// <param name="inputShares">This party's share of every circuit input, keyed by qualified name (<c>owner.name</c>).</param>
    /// <param name="preprocessing">Material for this circuit (<see cref="PrepareAsync(Circuit, CancellationToken)"/>), used once.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">An input share is missing, the material does not match the circuit, or an integer gate does not fit the field.</exception>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async Task<PartyOutputs<T>> RunAsync(Circuit circuit, IReadOnlyDictionary<string, T> inputShares,
        CircuitPreprocessing<T> preprocessing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputShares);
        ArgumentNullException.ThrowIfNull(preprocessing);
        CheckSupported(circuit, Security);
        var schedule = circuit.Schedule;
        CheckTriples(circuit, preprocessing.Triples);
        if (preprocessing.Integer.Count != schedule.Groups.Length)
            throw new ArgumentException(
                $"Circuit '{circuit.Name}' has {schedule.Groups.Length} integer groups; material for {preprocessing.Integer.Count} given.", nameof(preprocessing));

        // Rented uncleared: evaluation writes every gate's wire before any gate reads it (the schedule is topological).
        var wires = ArrayPool<T>.Shared.Rent(circuit.Gates.Length);
        try
        {
            foreach (var input in circuit.Inputs)
                wires[input.Wire] = inputShares.TryGetValue(input.QualifiedName, out var share)
                    ? share
                    : throw new ArgumentException($"No share of input '{input.QualifiedName}' was provided.", nameof(inputShares));
            await EvaluateAsync(circuit, 1, wires, preprocessing, cancellationToken).ConfigureAwait(false);
            return await FinishOutputsAsync(circuit, wires, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(wires);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="copies"/> copies of <paramref name="circuit"/> side by side: wire w of copy c is
    /// <c>wires[w * copies + c]</c>, so each linear gate is one span kernel over the copies and each round's
    /// multiplications are one Beaver batch of (multiplications in the round) × copies.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="copies">k ≥ 1.</param>
    /// <param name="wires">gates × k shares, the Input gates' rows filled in; the other rows are written here.</param>
    /// <param name="preprocessing">At least multiplications × k triples, and each integer group's material for gates × k values.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    internal async Task EvaluateAsync(Circuit circuit, int copies, T[] wires, CircuitPreprocessing<T> preprocessing, CancellationToken cancellationToken)
    {
        int k = copies;
        var gates = circuit.Gates;
        var constants = ConstantsOf(circuit);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<(int Finish, Task Work)>();
        int usedTriples = 0, groupIndex = 0;
        try
        {
            foreach (var step in circuit.Schedule.Steps)
            {
                // Everything due by this round must be done before its linear gates read the results.
                for (int r = running.Count - 1; r >= 0; r--)
                {
                    if (running[r].Finish > step.Depth) continue;
                    await running[r].Work.ConfigureAwait(false);
                    running.RemoveAt(r);
                }
                foreach (int i in step.Linear) EvaluateLinear(gates[i], i, constants[i], wires, k);

                foreach (var group in step.Groups)
                {
                    // Launched, not awaited: the group's rounds overlap with later steps' work on its own lane.
                    int lane = ++groupIndex;
                    var material = preprocessing.Integer[lane - 1];
                    running.Add((group.Finish, RunGroupAsync(group, lane, material, gates, wires, k, failed.Token)));
                }
                if (!step.Multiplications.IsEmpty)
                {
                    int count = step.Multiplications.Length * k;
                    running.Add((step.Depth + 1, MultiplyAsync(step.Multiplications, gates, wires, k,
                        preprocessing.Triples.Slice(usedTriples, count), failed.Token)));
                    usedTriples += count;
                }
            }
            foreach (var (_, work) in running) await work.ConfigureAwait(false);
        }
        catch
        {
            // One failed exchange dooms the run: stop the concurrent ones rather than leave them waiting for peers.
            await failed.CancelAsync().ConfigureAwait(false);
            try { await Task.WhenAll(running.Select(r => r.Work)).ConfigureAwait(false); }
            catch (Exception) { /* the first failure is the one to report */ }
            throw;
        }
    }

    /// <summary>The circuit's Constant and MulConst constants in <typeparamref name="T"/>, by gate index: converted once per circuit.</summary>
    private static T[] ConstantsOf(Circuit circuit) => Constants.GetValue(circuit, static c =>
    {
        var gates = c.Gates;
        var constants = new T[gates.Length];
        for (int i = 0; i < constants.Length; i++)
            if (gates[i].Kind is GateKind.Constant or GateKind.MulConst) constants[i] = T.FromBigInteger(gates[i].Constant);
        return constants;
    });

    private static readonly ConditionalWeakTable<Circuit, T[]> Constants = new();

    private static void CheckTriples(Circuit circuit, TripleBatch<T> triples)
    {
        if (triples.Count < circuit.Stats.Multiplications)
            throw new ArgumentException(
                $"Circuit '{circuit.Name}' needs {circuit.Stats.Multiplications} triples; {triples.Count} given.", nameof(triples));
    }

    private async Task<(IntegerPreprocessing<T>[] Material, TripleBatch<T> Triples)> PrepareIntegerAsync(Circuit circuit, int extraTriples,
        TripleBatch<T>? triples, ReadOnlyMemory<T>? randomBits, CancellationToken cancellationToken)
    {
        var groups = circuit.Schedule.Groups;
        // Without integer gates there is no mask to make, and IntegerProtocols must not be built: it needs an odd
        // characteristic (random bits by the square-root trick, Z → F embedding 2^64), so it refuses GF(2^64),
        // the field of boolean circuits, which have no integer gates.
        if (groups.IsEmpty)
            return ([], triples ?? await new Dn07TripleSource<T>(_context).GenerateAsync(extraTriples, cancellationToken).ConfigureAwait(false));
        var requests = new IntegerRequest[groups.Length];
        for (int i = 0; i < requests.Length; i++)
            requests[i] = new IntegerRequest(groups[i].Operation, groups[i].Gates.Length, groups[i].Bits, groups[i].Shift);
        return await new IntegerProtocols<T>(_context, Security).PrepareManyAsync(requests, extraTriples, triples, randomBits, cancellationToken).ConfigureAwait(false);
    }

    private async Task MultiplyAsync(ImmutableArray<int> batch, ImmutableArray<Gate> gates,
        T[] wires, int k, TripleBatch<T> triples, CancellationToken cancellationToken)
    {
        // Rented: at 100 copies a layer's factors and products are ~85 KB each, and fresh ones every round kept the
        // large-object heap busy enough to force gen-2 collections mid-job.
        int count = batch.Length * k;
        var pool = ArrayPool<T>.Shared;
        T[] x = pool.Rent(count), y = pool.Rent(count), z = pool.Rent(count);
        try
        {
            for (int m = 0; m < batch.Length; m++)
            {
                var g = gates[batch[m]];
                Row(wires, g.Left, k).CopyTo(x.AsSpan(m * k, k));
                Row(wires, g.Right, k).CopyTo(y.AsSpan(m * k, k));
            }
            await _multiplier.MultiplyAsync(x.AsMemory(0, count), y.AsMemory(0, count), triples, z.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            for (int m = 0; m < batch.Length; m++) z.AsSpan(m * k, k).CopyTo(Row(wires, batch[m], k));
        }
        finally
        {
            pool.Return(x);
            pool.Return(y);
            pool.Return(z);
        }
    }

    private async Task RunGroupAsync(ScheduleGroup group, int lane, IntegerPreprocessing<T> material, ImmutableArray<Gate> gates,
        T[] wires, int k, CancellationToken cancellationToken)
    {
        // Operands are read before the first await, while this step owns the wires.
        var members = group.Gates;
        var operands = new T[members.Length * k];
        for (int m = 0; m < members.Length; m++) Row(wires, gates[members[m]].Left, k).CopyTo(operands.AsSpan(m * k, k));
        var protocols = new IntegerProtocols<T>(_context.Fork(lane), Security);
        int bits = group.Bits, shift = group.Shift;
        T[] results = group.Kind switch
        {
            GateKind.LessThanZero => await protocols.LessThanZeroAsync(operands, bits, material, cancellationToken).ConfigureAwait(false),
            GateKind.EqualZero => await protocols.EqualZeroAsync(operands, bits, material, cancellationToken).ConfigureAwait(false),
            GateKind.Trunc => await protocols.TruncAsync(operands, bits, shift, material, cancellationToken).ConfigureAwait(false),
            GateKind.TruncPr => await protocols.TruncPrAsync(operands, bits, shift, material, cancellationToken).ConfigureAwait(false),
            GateKind.Mod2m => await protocols.Mod2mAsync(operands, bits, shift, material, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"Gate kind {group.Kind} was scheduled as an integer group."),
        };
        for (int m = 0; m < members.Length; m++) results.AsSpan(m * k, k).CopyTo(Row(wires, members[m], k));
    }

    private static Span<T> Row(T[] wires, int wire, int k) => wires.AsSpan(wire * k, k);

    /// <summary>
    /// A linear gate on all copies. Addition and multiplication by public constants commute with Shamir sharing;
    /// a public constant is the constant polynomial, so every party's share of it is the constant itself.
    /// </summary>
    private static void EvaluateLinear(Gate g, int index, T constant, T[] wires, int k)
    {
        if (k == 1)
        {
            // One copy (every non-batched run): scalar operations, no span set-up per gate.
            wires[index] = g.Kind switch
            {
                GateKind.Input => wires[index], // filled in before evaluation
                GateKind.Constant => constant,
                GateKind.Add => wires[g.Left] + wires[g.Right],
                GateKind.Sub => wires[g.Left] - wires[g.Right],
                GateKind.MulConst => wires[g.Left] * constant,
                GateKind.Output => wires[g.Left],
                _ => throw new InvalidOperationException($"Gate %{index} ({g.Kind}) was scheduled as a linear gate."),
            };
            return;
        }
        switch (g.Kind)
        {
            case GateKind.Input: break; // filled in before evaluation
            case GateKind.Constant: Row(wires, index, k).Fill(constant); break;
            case GateKind.Add: T.Add(Row(wires, g.Left, k), Row(wires, g.Right, k), Row(wires, index, k)); break;
            case GateKind.Sub: T.Subtract(Row(wires, g.Left, k), Row(wires, g.Right, k), Row(wires, index, k)); break;
            case GateKind.MulConst: T.Scale(Row(wires, g.Left, k), constant, Row(wires, index, k)); break;
            case GateKind.Output: Row(wires, g.Left, k).CopyTo(Row(wires, index, k)); break;
            default: throw new InvalidOperationException($"Gate %{index} ({g.Kind}) was scheduled as a linear gate.");
        }
    }

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
