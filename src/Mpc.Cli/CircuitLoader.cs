using Mpc.Core.Circuits;

namespace Mpc.Cli;

/// <summary>Loads the circuit a command names and runs the optimiser, so every command evaluates the same compiled form.</summary>
internal static class CircuitLoader
{
    public static Circuit Load(FileInfo file)
    {
        if (!file.Exists) throw new CliException($"{file.FullName}: no such circuit file.");
        return CircuitOptimizer.Optimize(CircuitText.Parse(File.ReadAllText(file.FullName), file.FullName));
    }
}
