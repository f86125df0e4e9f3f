using Mpc.Core.Circuits;
using Mpc.Core.Engine;
using Mpc.Core.Fields;

namespace Mpc.Cli;

/// <summary>How commands print a revealed output, the same for in-process runs and cluster jobs.</summary>
internal static class OutputText
{
    /// <summary><c>name = value</c> as a signed integer, marked when the output is private to a party.</summary>
    public static string Describe<T>(OutputValue<T> output) where T : struct, IField<T> =>
        output.Visibility == OutputVisibility.Public
            ? $"{output.Name} = {output.Signed}"
            : $"{output.Name} = {output.Signed}   (private to {output.Owner})";
}
