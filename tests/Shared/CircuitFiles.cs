using Mpc.Core.Circuits;

namespace Mpc.Testing;

/// <summary>Reads <c>.ir</c> and <c>.circ</c> files for tests; Mpc.Core itself does no I/O and only parses text.</summary>
public static class CircuitFiles
{
    /// <summary>Reads and parses a circuit file (a <c>.circ</c> program is compiled and optimised); errors name the path.</summary>
    public static Circuit Load(string path) =>
        path.EndsWith(".circ", StringComparison.Ordinal)
            ? Mpc.Core.Circuits.Language.CircProgram.Parse(File.ReadAllText(path), path).Compile().Circuit
            : CircuitText.Parse(File.ReadAllText(path), path);
}
