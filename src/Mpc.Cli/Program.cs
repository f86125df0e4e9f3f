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
    public static Task<int> Main(string[] args)
    {
        InlineSocketCompletions();
        return BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace });
    }

    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Lets socket completions run on the runtime's socket threads instead of being queued to the thread pool, unless the
    /// environment sets <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> either way. Processes this one starts (nodes,
    /// a benchmark's measuring child) inherit the setting.
    /// </summary>
    /// <remarks>
    /// A job's online phase is a chain of small messages. Each one received woke the socket thread, which queued the read to a
    /// pool worker, which had to wake in turn; inline, the socket thread decrypts the frame and runs the receiving round itself
    /// (the client's replies likewise). The runtime reads the variable once, when the process sets up its first socket, so
    /// this runs first. Work that blocks (a job's SQLite commits) leaves the socket thread: see <c>JobScheduler</c>.
    /// Measurements: docs/operator.md §9.
    /// </remarks>
    internal static void InlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }

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
