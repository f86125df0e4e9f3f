using System.Collections.Immutable;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Core.Circuits;

/// <summary>What <c>mpc compile</c> prints about a circuit.</summary>
/// <param name="Inputs">Number of Input gates.</param>
/// <param name="Outputs">Number of Output gates.</param>
/// <param name="Multiplications">Number of Mul gates.</param>
/// <param name="Rounds">
/// Online communication rounds on the critical path (excluding input sharing and output opening): a Mul
/// costs 1, an integer gate its protocol's rounds (<see cref="IntegerCost.Rounds"/>), and independent gates overlap.
/// </param>
/// <param name="Gates">Total gates.</param>
/// <param name="Comparisons">Number of LTZ and EQZ gates.</param>
/// <param name="Truncations">Number of Trunc, TruncPr and Mod2m gates.</param>
/// <param name="Triples">Beaver triples the circuit consumes: one per Mul plus the integer gates' bit circuits.</param>
/// <param name="RandomBits">Shared random bits the integer gates' masks consume, at κ = 40 (<see cref="CircuitSchedule.RandomBits"/> for another κ).</param>
public readonly record struct CircuitStats(int Inputs, int Outputs, int Multiplications, int Rounds, int Gates,
    int Comparisons = 0, int Truncations = 0, long Triples = 0, long RandomBits = 0);

/// <summary>
/// Independent integer gates of one kind and parameters that start in the same round: one batched protocol call.
/// </summary>
/// <param name="Start">The round at which every operand is ready (the step that launches the group).</param>
/// <param name="Kind">The gate kind (an integer kind).</param>
/// <param name="Bits">k.</param>
/// <param name="Shift">m (0 for LTZ, EQZ).</param>
/// <param name="Gates">The gates, in gate order.</param>
/// <param name="Cost">The protocol's cost per value and its rounds.</param>
public sealed record ScheduleGroup(int Start, GateKind Kind, int Bits, int Shift, ImmutableArray<int> Gates, IntegerCost Cost)
{
    /// <summary>The round at which the group's results are ready.</summary>
    public int Finish => Start + Cost.Rounds;

    /// <summary>The integer protocol the group runs.</summary>
    public IntegerOperation Operation => CircuitSchedule.OperationOf(Kind);
}

/// <summary>
/// One step of a <see cref="CircuitSchedule"/>, at round <see cref="Depth"/>: the local (linear) gates whose
/// operands are ready at that round, then what starts there: the multiplications (one Beaver batch, ready
/// at <see cref="Depth"/> + 1) and the integer groups (ready at their <see cref="ScheduleGroup.Finish"/>), all concurrently.
/// </summary>
/// <param name="Depth">The round.</param>
/// <param name="Linear">Input, Constant, Add, Sub, MulConst and Output gates ready at this round, in topological order.</param>
/// <param name="Multiplications">Mul gates starting at this round, in gate order; empty in the last step.</param>
public sealed record ScheduleStep(int Depth, ImmutableArray<int> Linear, ImmutableArray<int> Multiplications)
{
    /// <summary>Integer groups starting at this round, ordered by their first gate.</summary>
    public ImmutableArray<ScheduleGroup> Groups { get; init; } = [];
}

/// <summary>
/// Layers a circuit's gates by round so that every independent multiplication of a round is opened in
/// one batch and every independent integer gate of the same kind and parameters in one protocol call.
/// </summary>
/// <remarks>
/// depth(Input) = depth(Constant) = 0; a linear gate has the maximum depth of its operands (it is ready
/// when they are); a Mul has that maximum plus one; an integer gate that maximum plus its protocol's online
/// rounds (<see cref="IntegerCost.For"/>: e.g. LTZ on 32 bits 6, TruncPr 1). A gate <em>starts</em> at the
/// maximum depth of its operands. Step d runs the linear gates of depth d, then launches every Mul and
/// integer group starting at d; groups that started earlier may still be running. So the online phase
/// takes exactly the critical-path length <see cref="Rounds"/> if concurrent groups use separate message
/// lanes, which <c>PartyEngine</c> does. Gates are grouped by (start, kind, k, m): a group is one call of the
/// batched protocol, whatever its size.
/// </remarks>
public sealed class CircuitSchedule
{
    private CircuitSchedule(Circuit circuit, ImmutableArray<int> depths, ImmutableArray<ScheduleStep> steps, CircuitStats stats,
        ImmutableArray<ScheduleGroup> groups)
    {
        Circuit = circuit;
        Depths = depths;
        Steps = steps;
        Stats = stats;
        Groups = groups;
    }

    /// <summary>The scheduled circuit.</summary>
    public Circuit Circuit { get; }

    /// <summary>Round at which each gate's value is ready (Output gates: the depth of the revealed wire).</summary>
    public ImmutableArray<int> Depths { get; }

    /// <summary>Steps 0..<see cref="Rounds"/>; together they hold every gate exactly once.</summary>
    public ImmutableArray<ScheduleStep> Steps { get; }

    /// <summary>Every integer group, in step order (the order preprocessing material is listed in).</summary>
    public ImmutableArray<ScheduleGroup> Groups { get; }

    /// <summary>Online rounds on the critical path.</summary>
    public int Rounds => Stats.Rounds;

    /// <summary>Gate, input, output, multiplication and comparison counts, rounds and preprocessing needs.</summary>
    public CircuitStats Stats { get; }

    /// <summary>Shared random bits the integer gates' masks need at statistical security <paramref name="security"/>.</summary>
    public long RandomBits(int security)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(security);
        long bits = 0;
        foreach (var g in Groups) bits += (long)g.Cost.RandomBits(security) * g.Gates.Length;
        return bits;
    }

    /// <summary>The integer protocol of an integer gate kind.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not an integer kind.</exception>
    public static IntegerOperation OperationOf(GateKind kind) => kind switch
    {
        GateKind.LessThanZero => IntegerOperation.LessThanZero,
        GateKind.EqualZero => IntegerOperation.EqualZero,
        GateKind.Trunc => IntegerOperation.Trunc,
        GateKind.TruncPr => IntegerOperation.TruncPr,
        GateKind.Mod2m => IntegerOperation.Mod2m,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an integer gate kind."),
    };

    /// <summary>Computes depths, steps and groups in O(gates).</summary>
    public static CircuitSchedule Build(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var gates = circuit.Gates;
        var depth = new int[gates.Length];
        var start = new int[gates.Length];
        var costs = new Dictionary<(GateKind, int, int), IntegerCost>();
        int rounds = 0, inputs = 0, outputs = 0, muls = 0, comparisons = 0, truncations = 0;
        long triples = 0, randomBits = 0;
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            int d = g.Kind.Arity() switch
            {
                0 => 0,
                1 => depth[g.Left],
                _ => Math.Max(depth[g.Left], depth[g.Right]),
            };
            start[i] = d;
            switch (g.Kind)
            {
                case GateKind.Mul: d++; muls++; triples++; break;
                case GateKind.Input: inputs++; break;
                case GateKind.Output: outputs++; break;
                case var k when k.IsInteger():
                    if (!costs.TryGetValue((k, g.Bits, g.Shift), out var cost))
                        costs.Add((k, g.Bits, g.Shift), cost = IntegerCost.For(OperationOf(k), g.Bits, g.Shift));
                    d += cost.Rounds;
                    triples += cost.TotalTriples;
                    randomBits += cost.RandomBits(SignedEncoding.DefaultStatisticalSecurity);
                    if (k is GateKind.LessThanZero or GateKind.EqualZero) comparisons++;
                    else truncations++;
                    break;
            }
            depth[i] = d;
            rounds = Math.Max(rounds, d);
        }

        var linear = new List<int>[rounds + 1];
        var batches = new List<int>[rounds + 1];
        var groups = new List<(GateKind Kind, int Bits, int Shift, List<int> Gates)>[rounds + 1];
        for (int d = 0; d <= rounds; d++)
        {
            linear[d] = [];
            batches[d] = [];
            groups[d] = [];
        }
        var open = new Dictionary<(int, GateKind, int, int), List<int>>();
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            if (g.Kind == GateKind.Mul) batches[start[i]].Add(i);
            else if (g.Kind.IsInteger())
            {
                var key = (start[i], g.Kind, g.Bits, g.Shift);
                if (!open.TryGetValue(key, out var members))
                {
                    open.Add(key, members = []);
                    groups[start[i]].Add((g.Kind, g.Bits, g.Shift, members)); // ordered by first gate
                }
                members.Add(i);
            }
            else linear[depth[i]].Add(i);
        }
        var steps = ImmutableArray.CreateBuilder<ScheduleStep>(rounds + 1);
        var allGroups = ImmutableArray.CreateBuilder<ScheduleGroup>();
        for (int d = 0; d <= rounds; d++)
        {
            var stepGroups = ImmutableArray.CreateBuilder<ScheduleGroup>(groups[d].Count);
            foreach (var (kind, bits, shift, members) in groups[d])
                stepGroups.Add(new ScheduleGroup(d, kind, bits, shift, [.. members], costs[(kind, bits, shift)]));
            allGroups.AddRange(stepGroups);
            steps.Add(new ScheduleStep(d, [.. linear[d]], [.. batches[d]]) { Groups = stepGroups.MoveToImmutable() });
        }

        return new CircuitSchedule(circuit, ImmutableArray.Create(depth), steps.MoveToImmutable(),
            new CircuitStats(inputs, outputs, muls, rounds, gates.Length, comparisons, truncations, triples, randomBits),
            allGroups.ToImmutable());
    }
}
