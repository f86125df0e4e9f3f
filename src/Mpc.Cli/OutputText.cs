using System.Globalization;
using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;

namespace Mpc.Cli;

/// <summary>How commands print revealed outputs, the same for in-process runs, cluster jobs and the plaintext interpreter.</summary>
internal static class OutputText
{
    /// <summary>
    /// Per output its name, the printed line (<c>name = value</c>, marked when private to a party) and its signed value;
    /// a <c>.circ</c> program's (<paramref name="contract"/>) fixed and bool outputs read as their type.
    /// </summary>
    public static List<(string Name, string Line, BigInteger Value)> Describe<T>(IEnumerable<OutputValue<T>> outputs, ContractInterface? contract)
        where T : struct, IField<T>
    {
        var kinds = contract?.Outputs.SelectMany(o => o.IrNames.Select(n => (Name: n, o.Kind))).ToDictionary(x => x.Name, x => x.Kind);
        return outputs.Select(o =>
        {
            string text = kinds is not null && kinds.TryGetValue(o.Name, out var kind)
                ? CircuitLoader.Format(o.Signed, kind)
                : o.Signed.ToString(CultureInfo.InvariantCulture);
            return (o.Name, Line(o.Name, text, o.Visibility == OutputVisibility.Public ? null : o.Owner), o.Signed);
        }).ToList();
    }

    /// <summary><c>name = value</c>, with <c>(private to owner)</c> when <paramref name="owner"/> is set.</summary>
    public static string Line(string name, string value, string? owner) =>
        owner is null ? $"{name} = {value}" : $"{name} = {value}   (private to {owner})";
}
