using System.CommandLine;
using Mpc.Cli.Commands;

namespace Mpc.Cli;

/// <summary>Entry point of the <c>mpc</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <remarks>
    /// Ctrl+C and SIGTERM cancel the command's token, and the command gets <see cref="TerminationGrace"/> to finish: a node
    /// stops gracefully, and a benchmark or demo stops the node processes it started. System.CommandLine 2.0.0 leaves
    /// termination unhandled unless the timeout is set explicitly: a node then never exited on SIGTERM, and an interrupted
    /// benchmark left its three node processes running.
    /// </remarks>
    public static Task<int> Main(string[] args) =>
        BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace });

    /// <summary>
    /// How long a cancelled command may take to finish before the process exits anyway: a node's host shutdown (5 s) and
    /// its running jobs recording their failure (5 s), with room to spare.
    /// </summary>
    internal static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(15);

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
