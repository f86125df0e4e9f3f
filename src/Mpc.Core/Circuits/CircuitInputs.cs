using System.Numerics;
using Mpc.Core.Fields;

namespace Mpc.Core.Circuits;

/// <summary>Checks supplied input values against a circuit's declared inputs; every entry point uses it, so the errors read the same.</summary>
public static class CircuitInputs
{
    /// <summary>Keys the values by qualified name, checking that every circuit input is given exactly once.</summary>
    /// <param name="circuit">The circuit whose inputs are being supplied.</param>
    /// <param name="inputs">Values keyed <c>owner.name</c> or an unambiguous bare name.</param>
    /// <returns>The values keyed by qualified name (<c>owner.name</c>).</returns>
    /// <exception cref="ArgumentException">A missing, unknown, ambiguous or repeated input; the message names it.</exception>
    public static Dictionary<string, TValue> Resolve<TValue>(Circuit circuit, IReadOnlyDictionary<string, TValue> inputs)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputs);
        var resolved = new Dictionary<string, TValue>(inputs.Count, StringComparer.Ordinal);
        foreach (var (key, value) in inputs)
        {
            if (!circuit.TryGetInput(key, out var declaration))
                throw new ArgumentException(Unknown(circuit, key), nameof(inputs));
            if (!resolved.TryAdd(declaration.QualifiedName, value))
                throw new ArgumentException($"Input '{declaration.QualifiedName}' is given more than once.", nameof(inputs));
        }
        var missing = circuit.Inputs.Where(i => !resolved.ContainsKey(i.QualifiedName)).Select(i => i.QualifiedName).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Circuit '{circuit.Name}' is missing input(s): {string.Join(", ", missing)}.", nameof(inputs));
        return resolved;
    }

    /// <summary>As <see cref="Resolve{TValue}"/>, then maps the signed integers to field elements (<see cref="FieldIntegers.FromSigned{T}"/>).</summary>
    /// <exception cref="ArgumentException">A missing, unknown, ambiguous or repeated input, or a value out of the field's signed range.</exception>
    public static Dictionary<string, T> ToField<T>(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs)
        where T : struct, IField<T>
    {
        var resolved = Resolve(circuit, inputs);
        var values = new Dictionary<string, T>(resolved.Count, StringComparer.Ordinal);
        foreach (var (key, value) in resolved) values.Add(key, FieldIntegers.FromSigned<T>(value, key));
        return values;
    }

    private static string Unknown(Circuit circuit, string key)
    {
        var owners = circuit.Inputs.Where(i => i.Name == key).Select(i => i.QualifiedName).ToList();
        return owners.Count > 1
            ? $"Input '{key}' of circuit '{circuit.Name}' is ambiguous: write one of {string.Join(", ", owners)}."
            : $"Circuit '{circuit.Name}' has no input '{key}'; its inputs are {string.Join(", ", circuit.Inputs.Select(i => i.QualifiedName))}.";
    }
}
