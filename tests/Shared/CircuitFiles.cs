using Mpc.Core.Circuits;

namespace Mpc.Testing;

/// <summary>Reads <c>.ir</c> files for tests; Mpc.Core itself does no I/O and only parses text.</summary>
public static class CircuitFiles
{
    /// <summary>Reads and parses a circuit file; parse errors name the path.</summary>
    public static Circuit Load(string path) => CircuitText.Parse(File.ReadAllText(path), path);
}
