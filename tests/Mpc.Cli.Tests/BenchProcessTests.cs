using System.Diagnostics;

namespace Mpc.Cli.Tests;

/// <summary>
/// <c>mpc bench</c> measures in a child process: an interrupt must still reach the measurement, so that it stops the
/// node processes it started and removes their directory, as it did before the child existed.
/// </summary>
public sealed class BenchProcessTests
{
    [Fact]
    public async Task Sigterm_to_a_cluster_benchmark_stops_its_measuring_child_and_nodes()
    {
        string circuit = Path.Combine(MpcProcess.RepoRoot, "circuits", "bristol", "lt64.txt");
        using var bench = MpcProcess.Start("bench", "bristol", "--circuit", circuit, "--parties", "3", "--transport", "grpc",
            "--repeat", "1000000", "--warmup", "0", "--json");
        int[] tree = [];
        try
        {
            var clock = Stopwatch.StartNew();
            while ((tree = Descendants(bench.Id)).Count(p => CommandLine(p).Contains("node start", StringComparison.Ordinal)) < 3)
            {
                Assert.False(bench.HasExited, "the benchmark ended before its nodes were up");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the benchmark's three nodes did not appear within 90 s");
                await Task.Delay(100);
            }
            Assert.Contains(tree, p => CommandLine(p).Contains("bench bristol", StringComparison.Ordinal)); // the measuring child
            string config = CommandLine(tree.First(p => CommandLine(p).Contains("node start", StringComparison.Ordinal)))
                .Split(' ').SkipWhile(a => a != "--config").ElementAt(1);
            string directory = Path.GetDirectoryName(Path.GetDirectoryName(config))!; // …/mpc-bench-XXXX/nodeI/node.json
            // Interrupted while it measures (jobs running), the case this test is about.
            while (!ReadShared(Path.Combine(directory, "node0", "node.log")).Contains(" started: ", StringComparison.Ordinal))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "no benchmark job started within 90 s");
                await Task.Delay(100);
            }

            SelfProcess.Terminate(bench); // what the CLI itself sends its child
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                await bench.WaitForExitAsync(timeout.Token);
            clock.Restart();
            while (tree.Any(Alive) && clock.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(100);
            Assert.DoesNotContain(tree, Alive);
            Assert.False(Directory.Exists(directory), $"{directory} was left behind");
        }
        finally
        {
            foreach (int pid in tree.Prepend(bench.Id).Where(Alive))
            {
                try { Process.GetProcessById(pid).Kill(); }
                catch (ArgumentException) { /* gone meanwhile */ }
            }
        }
    }

    /// <summary>Every process below <paramref name="root"/>, from the parent ids in /proc.</summary>
    private static int[] Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(entry, "stat")); }
            catch (IOException) { continue; } // exited meanwhile
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
            int parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out int pid))
            foreach (int child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        return [.. found];
    }

    private static string ReadShared(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException) { return ""; } // not created yet
    }

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
    }

    // A zombie (exited, not yet reaped) counts as gone.
    private static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }
}
