using System.Numerics;
using Mpc.Core.Fields;

namespace Mpc.Core.Circuits;

/// <summary>Checks user-supplied input values against a circuit's declared inputs.</summary>
public static class CircuitInputs
{
    /// <summary>Maps signed integers to field elements, checking that every circuit input is given exactly once.</summary>
    /// <param name="circuit">The circuit whose inputs are being supplied.</param>
    /// <param name="inputs">Values keyed <c>owner.name</c> or an unambiguous bare name.</param>
    /// <returns>The values as field elements, keyed by qualified name (<c>owner.name</c>).</returns>
    /// <exception cref="ArgumentException">A missing, unknown or repeated input, or a value out of the field's signed range.</exception>
    public static Dictionary<string, T> Resolve<T>(Circuit circuit, IReadOnlyDictionary<string, BigInteger> inputs)
        where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(circuit);
        ArgumentNullException.ThrowIfNull(inputs);
        var resolved = new Dictionary<string, T>(inputs.Count, StringComparer.Ordinal);
        foreach (var (key, value) in inputs)
        {
            if (!circuit.TryGetInput(key, out var declaration))
                throw new ArgumentException(
                    $"Circuit '{circuit.Name}' has no input '{key}'; its inputs are {string.Join(", ", circuit.Inputs.Select(i => i.QualifiedName))}.");
            if (!resolved.TryAdd(declaration.QualifiedName, FieldIntegers.FromSigned<T>(value, declaration.QualifiedName)))
                throw new ArgumentException($"Input '{declaration.QualifiedName}' is given more than once.");
        }
        var missing = circuit.Inputs.Where(i => !resolved.ContainsKey(i.QualifiedName)).Select(i => i.QualifiedName).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Circuit '{circuit.Name}' is missing input(s): {string.Join(", ", missing)}.");
        return resolved;
    }
}
