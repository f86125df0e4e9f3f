using Mpc.Core.Fields;

namespace Mpc.Core.Circuits;

/// <summary>Plaintext reference evaluation of a circuit in a field: the answer MPC runs must match.</summary>
public static class CircuitEvaluator
{
    /// <summary>Evaluates <paramref name="circuit"/> on clear inputs.</summary>
    /// <typeparam name="T">The field; constants are reduced into it with <c>T.FromBigInteger</c>.</typeparam>
    /// <param name="circuit">The circuit.</param>
    /// <param name="inputs">One value per input, keyed by qualified name (<c>alice.x0</c>) or by bare name (<c>x0</c>) when that is unambiguous.</param>
    /// <returns>Every output (public and private) by output name.</returns>
    /// <remarks>
    /// Integer gates decode their operand as a signed integer (a field element above (p−1)/2 is negative) and
    /// apply <see cref="GateKinds.EvaluateInteger"/>; TruncPr gives the floor, which the MPC protocol may exceed by one.
    /// </remarks>
    /// <exception cref="ArgumentException">An input is missing, unknown, ambiguous or given twice (<see cref="CircuitInputs.Resolve{TValue}"/>),
    /// or an integer gate's operand is outside its signed k-bit range (the message names the gate).</exception>
    public static IReadOnlyDictionary<string, T> Evaluate<T>(Circuit circuit, IReadOnlyDictionary<string, T> inputs)
        where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputs);
        var gates = circuit.Gates;
        var values = new T[gates.Length];
        foreach (var (key, value) in CircuitInputs.Resolve(circuit, inputs))
        {
            circuit.TryGetInput(key, out var input);
            values[input.Wire] = value;
        }

        var outputs = new Dictionary<string, T>(circuit.Outputs.Length, StringComparer.Ordinal);
        for (int i = 0; i < gates.Length; i++)
        {
            var g = gates[i];
            switch (g.Kind)
            {
                case GateKind.Input: break;
                case GateKind.Constant: values[i] = T.FromBigInteger(g.Constant); break;
                case GateKind.Add: values[i] = values[g.Left] + values[g.Right]; break;
                case GateKind.Sub: values[i] = values[g.Left] - values[g.Right]; break;
                case GateKind.MulConst: values[i] = values[g.Left] * T.FromBigInteger(g.Constant); break;
                case GateKind.Mul: values[i] = values[g.Left] * values[g.Right]; break;
                case GateKind.Output: outputs.Add(g.Name!, values[g.Left]); break;
                case GateKind.LessThanZero or GateKind.EqualZero or GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m:
                    values[i] = EvaluateInteger(g, i, values[g.Left]);
                    break;
                default: throw new NotSupportedException($"gate %{i}: the reference evaluator has no rule for {g.Kind}.");
            }
        }
        return outputs;
    }

    private static T EvaluateInteger<T>(Gate g, int index, T operand) where T : struct, IField<T>
    {
        var signed = FieldIntegers.ToSigned(operand);
        if (!GateKinds.FitsSigned(signed, g.Bits))
            throw new ArgumentException(
                $"gate %{index} ({g.Kind.Mnemonic()} %{g.Left} {g.Bits}): operand %{g.Left} = {signed} is outside the signed {g.Bits}-bit range [−2^{g.Bits - 1}, 2^{g.Bits - 1}).");
        return T.FromBigInteger(g.Kind.EvaluateInteger(signed, g.Bits, g.Shift));
    }
}
