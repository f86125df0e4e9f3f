using Microsoft.Extensions.Logging;

namespace Mpc.Cli.Tests;

/// <summary>The node's background log file writer (<c>mpc node start --log-file</c>).</summary>
public sealed class FileLoggerProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mpc-log-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Every_line_from_every_thread_is_in_the_file_in_its_threads_order_once_disposed()
    {
        string path = Path.Combine(_directory, "node.log");
        File.WriteAllText(path, "an earlier run\n");
        const int threads = 4, lines = 20_000; // more than the queue holds: loggers must wait, not drop
        var provider = new FileLoggerProvider(path);
        var logger = provider.CreateLogger("Test.Category");
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < lines; i++)
                logger.LogInformation("thread {Thread} line {Line}", t, i);
        })));
        logger.LogDebug("below the level");
        provider.Dispose();
        provider.Dispose();
        logger.LogWarning("after the end"); // neither throws nor appears

        var written = File.ReadAllLines(path);
        Assert.Equal("an earlier run", written[0]); // appended, not overwritten
        Assert.Equal(threads * lines, written.Length - 1);
        Assert.All(written.Skip(1), line => Assert.Contains(" Information Test.Category[0] thread ", line));
        for (int t = 0; t < threads; t++)
        {
            var mine = written.Where(l => l.Contains($" thread {t} line ", StringComparison.Ordinal)).Select(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToArray();
            Assert.Equal(Enumerable.Range(0, lines), mine);
        }
    }

    /// <summary>/dev/full fails every write as a full disk does (Linux, where the nodes run).</summary>
    [Fact]
    public async Task A_file_that_cannot_be_written_never_blocks_the_loggers()
    {
        var provider = new FileLoggerProvider("/dev/full");
        var logger = provider.CreateLogger("Test");
        // Three times the queue: with a writer that stopped at the first failure, the loggers would wait forever.
        var logging = Task.Run(() =>
        {
            for (int i = 0; i < 200_000; i++)
                logger.LogInformation("line {Line}", i);
            provider.Dispose();
        });
        Assert.Same(logging, await Task.WhenAny(logging, Task.Delay(TimeSpan.FromMinutes(1))));
        await logging;
    }

    [Fact]
    public async Task A_line_reaches_the_file_while_the_node_runs()
    {
        string path = Path.Combine(_directory, "node.log");
        using var provider = new FileLoggerProvider(path);
        provider.CreateLogger("Test").LogError(new InvalidOperationException("boom"), "job {Job} failed", "j-1");

        // Readers (an operator's tail -f, the cluster tests) see lines without the node stopping.
        string text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && !text.Contains("boom", StringComparison.Ordinal); await Task.Delay(10))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            text = await new StreamReader(stream).ReadToEndAsync();
        }
        Assert.Contains("Error Test[0] job j-1 failed", text);
        Assert.Contains("System.InvalidOperationException: boom", text);
    }
}
