using System.Collections.Immutable;

namespace Mpc.Core.Circuits;

/// <summary>What <c>mpc compile</c> prints about a circuit.</summary>
/// <param name="Inputs">Number of Input gates.</param>
/// <param name="Outputs">Number of Output gates.</param>
/// <param name="Multiplications">Number of Mul gates (Beaver triples consumed).</param>
/// <param name="Rounds">Multiplicative depth = communication rounds of the online phase (excluding input sharing and output opening).</param>
/// <param name="Gates">Total gates.</param>
public readonly record struct CircuitStats(int Inputs, int Outputs, int Multiplications, int Rounds, int Gates);

/// <summary>
/// One step of a <see cref="CircuitSchedule"/>: the local (linear) gates of depth <see cref="Depth"/>,
/// then the multiplications of depth <see cref="Depth"/> + 1, evaluated as one batch in one exchange.
/// </summary>
/// <param name="Depth">The multiplicative depth of the linear gates.</param>
/// <param name="Linear">Input, Constant, Add, Sub, MulConst and Output gates of this depth, in topological order.</param>
/// <param name="Multiplications">Mul gates of depth <see cref="Depth"/> + 1, in gate order; empty in the last step.</param>
public sealed record ScheduleStep(int Depth, ImmutableArray<int> Linear, ImmutableArray<int> Multiplications);

/// <summary>
/// Groups a circuit's gates by multiplicative depth so that every independent multiplication of a
/// layer is opened in the same round.
/// </summary>
/// <remarks>
/// depth(Input) = depth(Constant) = 0; a linear gate has the maximum depth of its operands; a Mul has
/// that maximum plus one. Step d runs the linear gates of depth d (their operands are linear gates of
/// depth ≤ d already run, or Mul gates of depth ≤ d finished in earlier steps), then every Mul of depth
/// d+1 (whose operands have depth ≤ d) in one batch. So a circuit of depth R needs exactly R exchanges
/// for multiplications: the optimum for gate-by-gate Beaver evaluation.
/// </remarks>
public sealed class CircuitSchedule
{
    private CircuitSchedule(Circuit circuit, ImmutableArray<int> depths, ImmutableArray<ScheduleStep> steps, CircuitStats stats)
    {
        Circuit = circuit;
        Depths = depths;
        Steps = steps;
        Stats = stats;
    }

    /// <summary>The scheduled circuit.</summary>
    public Circuit Circuit { get; }

    /// <summary>Multiplicative depth of each gate (Output gates: the depth of the revealed wire).</summary>
    public ImmutableArray<int> Depths { get; }

    /// <summary>Steps 0..<see cref="Rounds"/>; together they hold every gate exactly once.</summary>
    public ImmutableArray<ScheduleStep> Steps { get; }

    /// <summary>Multiplicative depth of the circuit = number of multiplication exchanges.</summary>
    public int Rounds => Stats.Rounds;

    /// <summary>Gate, input, output and multiplication counts and rounds.</summary>
    public CircuitStats Stats { get; }

    /// <summary>Computes depths and steps in O(gates).</summary>
    public static CircuitSchedule Build(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var gates = circuit.Gates;
        var depth = new int[gates.Length];
        int rounds = 0, inputs = 0, outputs = 0, muls = 0;
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            int d = g.Kind.Arity() switch
            {
                0 => 0,
                1 => depth[g.Left],
                _ => Math.Max(depth[g.Left], depth[g.Right]),
            };
            switch (g.Kind)
            {
                case GateKind.Mul: d++; muls++; break;
                case GateKind.Input: inputs++; break;
                case GateKind.Output: outputs++; break;
            }
            depth[i] = d;
            rounds = Math.Max(rounds, d);
        }

        var linear = new List<int>[rounds + 1];
        var batches = new List<int>[rounds + 1];
        for (int d = 0; d <= rounds; d++)
        {
            linear[d] = [];
            batches[d] = [];
        }
        for (int i = 0; i < gates.Length; i++)
        {
            if (gates[i].Kind == GateKind.Mul) batches[depth[i] - 1].Add(i);
            else linear[depth[i]].Add(i);
        }
        var steps = ImmutableArray.CreateBuilder<ScheduleStep>(rounds + 1);
        for (int d = 0; d <= rounds; d++)
            steps.Add(new ScheduleStep(d, [.. linear[d]], [.. batches[d]]));

        return new CircuitSchedule(circuit, ImmutableArray.Create(depth), steps.MoveToImmutable(),
            new CircuitStats(inputs, outputs, muls, rounds, gates.Length));
    }
}
