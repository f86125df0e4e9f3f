using System.CommandLine;
using Mpc.Cli.Commands;

namespace Mpc.Cli;

/// <summary>Entry point of the <c>mpc</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The command tree; tests parse against it.</summary>
    internal static RootCommand BuildRoot() => new("MpcCompute: secret contracts on a cluster of MPC nodes.")
    {
        RunCommand.Create(),
        CompileCommand.Create(),
        BristolCommand.Create(),
        BenchCommand.Create(),
        KeysCommand.Create(),
        NodeCommand.Create(),
        ClusterCommand.Create(),
        JobCommand.Create(),
        DemoCommand.Create(),
        ChainCommand.Create(),
    };
}
