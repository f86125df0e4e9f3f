using System.CommandLine;

namespace Mpc.Cli;

/// <summary><c>--parties N [--threshold T]</c>, shared by every command that runs a protocol.</summary>
internal sealed class PartyOptions
{
    public Option<int> Parties { get; } = new("--parties", "-n")
    {
        Description = "Number of computing parties n (at least 3).",
        DefaultValueFactory = _ => 3,
    };

    public Option<int?> Threshold { get; } = new("--threshold", "-t")
    {
        Description = "Corruption threshold t; default (n-1)/2. Must satisfy n >= 2t+1 (honest majority).",
    };

    public void AddTo(Command command)
    {
        command.Add(Parties);
        command.Add(Threshold);
    }

    /// <summary>Reads and validates n and t, refusing t ≥ n/2 with a message naming the options.</summary>
    public (int Parties, int Threshold) Read(ParseResult parse)
    {
        int n = parse.GetValue(Parties);
        if (n < 3) throw new CliException($"--parties {n}: at least 3 parties are needed for an honest majority with t >= 1.");
        int t = parse.GetValue(Threshold) ?? (n - 1) / 2;
        if (t < 1) throw new CliException($"--threshold {t}: t must be at least 1 (t = 0 gives no secrecy).");
        if (2 * t + 1 > n)
            throw new CliException($"--threshold {t} with --parties {n}: honest majority needs n >= 2t+1, so t <= {(n - 1) / 2}.");
        return (n, t);
    }
}
