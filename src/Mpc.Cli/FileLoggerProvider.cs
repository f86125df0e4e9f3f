using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mpc.Cli;

/// <summary>
/// One line per log event, appended to a file by a background writer, for nodes started in the background by
/// <c>mpc cluster up</c> and <c>mpc bench</c>.
/// </summary>
/// <remarks>
/// <para>Why a queue: a node logs on its job path (a share stored, a job started), and a synchronous append there waited
/// for the file system. Under the fsyncs of three nodes on one disk, single appends took 2–4 ms (<c>strace -T</c> during
/// <c>mpc bench bristol</c>), inside a job of 8. The caller now only formats and enqueues; the writer appends what has
/// queued up and flushes once per batch, so a line reaches the file within one write of being logged.</para>
/// <para>Nothing is dropped while the file can be written: a full queue (the disk far behind) makes loggers wait.
/// When a write fails (a full disk), the lines queued then are dropped, so that logging never blocks the node, and
/// the file records the loss when writing works again. <see cref="Dispose"/> writes what is queued before it returns;
/// a process that dies without disposing loses at most the lines of the last moment.</para>
/// </remarks>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private const int Capacity = 1 << 16;

    private readonly StreamWriter _writer;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Task _drain;

    /// <summary>Opens <paramref name="path"/> for appending and starts the writer.</summary>
    public FileLoggerProvider(string path)
    {
        _writer = new StreamWriter(path, append: true);
        _drain = Task.Run(DrainAsync);
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <summary>Writes every queued line, then closes the file.</summary>
    public void Dispose()
    {
        if (!_lines.Writer.TryComplete())
            return;
        _drain.GetAwaiter().GetResult();
        try
        {
            _writer.Dispose();
        }
        catch (IOException)
        {
            // The last buffered lines could not be written (a full disk); the file is closed all the same.
        }
    }

    private void Enqueue(string line)
    {
        if (_lines.Writer.TryWrite(line))
            return;
        // Full, or the provider is disposed: wait for room; after Dispose, WriteAsync throws and the line is lost with the process.
        try
        {
            _lines.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async Task DrainAsync()
    {
        var reader = _lines.Reader;
        string? failure = null;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                if (failure is not null)
                    _writer.WriteLine($"{DateTimeOffset.UtcNow:O} Warning {typeof(FileLoggerProvider).FullName}[0] log lines were lost: {failure}");
                while (reader.TryRead(out var line))
                    _writer.WriteLine(line);
                _writer.Flush();
                failure = null;
            }
            catch (IOException e)
            {
                // A full or failing disk: keep draining (dropping) rather than stop, or loggers would wait on a full queue
                // and take the node down with the log. The file says so once it can be written again.
                failure = e.Message;
                while (reader.TryRead(out _))
                {
                }
            }
        }
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
            owner.Enqueue(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
