using System.CommandLine;

namespace Mpc.Cli;

/// <summary>Entry point of the <c>mpc</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("MpcCompute: secret contracts on a cluster of MPC nodes.");
        return root.Parse(args).Invoke();
    }
}
