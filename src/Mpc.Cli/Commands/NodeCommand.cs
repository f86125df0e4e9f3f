using System.CommandLine;
using Microsoft.Extensions.Logging;
using Mpc.Node;
using Mpc.Node.Hosting;

namespace Mpc.Cli.Commands;

/// <summary><c>mpc node start --config node.json [--log-file FILE]</c>: runs a node daemon until interrupted.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "The node's node.json (see docs/operator.md).", Required = true };
        var logFile = new Option<FileInfo?>("--log-file") { Description = "Append logs to this file instead of the console." };
        var start = new Command("start", "Start a node daemon and run it until Ctrl+C / SIGTERM.") { config, logFile };
        start.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var options = NodeOptions.Load(parse.GetValue(config)!.FullName);
            // Disposed after the host (declared first): the host's last lines are written before the file closes.
            using var file = parse.GetValue(logFile) is { } path ? new FileLoggerProvider(path.FullName) : null;
            await using var host = await StartAsync(options, file, ct);
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop gracefully below.
            }
            await host.StopAsync(CancellationToken.None);
            return 0;
        }));
        return new Command("node", "Run a cluster node.") { start };
    }

    private static Task<NodeHost> StartAsync(NodeOptions options, FileLoggerProvider? file, CancellationToken ct) =>
        NodeHost.StartAsync(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Microsoft", LogLevel.Warning);
            if (file is null)
                logging.AddSimpleConsole(o => o.SingleLine = true);
            else
                logging.AddProvider(file);
        }, ct);
}
