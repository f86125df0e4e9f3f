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
    /// <exception cref="ArgumentException">An input is missing, unknown, or given twice.</exception>
    public static IReadOnlyDictionary<string, T> Evaluate<T>(Circuit circuit, IReadOnlyDictionary<string, T> inputs)
        where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputs);
        var gates = circuit.Gates;
        var values = new T[gates.Length];
        var given = new bool[gates.Length];
        foreach (var (key, value) in inputs)
        {
            if (!circuit.TryGetInput(key, out var input))
                throw new ArgumentException($"Unknown or ambiguous input '{key}' for circuit '{circuit.Name}' (inputs: {string.Join(", ", circuit.Inputs.Select(x => x.QualifiedName))}).", nameof(inputs));
            if (given[input.Wire])
                throw new ArgumentException($"Input '{input.QualifiedName}' of circuit '{circuit.Name}' is given twice.", nameof(inputs));
            given[input.Wire] = true;
            values[input.Wire] = value;
        }
        var missing = circuit.Inputs.Where(x => !given[x.Wire]).Select(x => x.QualifiedName).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Missing input(s) for circuit '{circuit.Name}': {string.Join(", ", missing)}.", nameof(inputs));

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
                default: throw new NotSupportedException($"gate %{i}: the reference evaluator has no rule for {g.Kind}.");
            }
        }
        return outputs;
    }
}
