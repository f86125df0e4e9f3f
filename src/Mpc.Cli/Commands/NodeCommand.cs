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
            using var file = parse.GetValue(logFile) is { } path ? new StreamWriter(path.FullName, append: true) { AutoFlush = true } : null;
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

    private static Task<NodeHost> StartAsync(NodeOptions options, StreamWriter? file, CancellationToken ct) =>
        NodeHost.StartAsync(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Microsoft", LogLevel.Warning);
            if (file is null)
                logging.AddSimpleConsole(o => o.SingleLine = true);
            else
                logging.AddProvider(new FileLoggerProvider(file));
        }, ct);

    /// <summary>One line per log event, for nodes started in the background by <c>mpc cluster up</c>.</summary>
    private sealed class FileLoggerProvider(StreamWriter writer) : ILoggerProvider
    {
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                    return;
                string line = $"{DateTimeOffset.UtcNow:O} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}";
                lock (owner._gate)
                    owner._writer.WriteLine(exception is null ? line : line + Environment.NewLine + exception);
            }
        }

        private readonly StreamWriter _writer = writer;
    }
}
