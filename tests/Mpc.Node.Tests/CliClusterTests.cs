using System.Diagnostics;
using Mpc.Cli;
using Mpc.Client;

namespace Mpc.Node.Tests;

/// <summary>The newcomer's path through the real executable: cluster up, job run, cluster down.</summary>
public sealed class CliClusterTests
{
    [Fact]
    public async Task ClusterUpJobRunClusterDown()
    {
        string directory = Directory.CreateTempSubdirectory("mpc-cli-cluster-").FullName;
        string circuit = Path.Combine(JobTests.RepositoryRoot(), "circuits", "inner_product.ir");
        try
        {
            var up = await MpcAsync("cluster", "up", "--parties", "3", "--dir", directory);
            Assert.True(up.Code == 0, up.Output);
            Assert.Equal(3, up.Output.Split('\n').Count(l => l.StartsWith("node ", StringComparison.Ordinal)));
            Assert.True(File.Exists(Path.Combine(directory, "cluster.json")));

            string[] inputs = ["alice.x0=3", "alice.x1=1", "alice.x2=4", "alice.x3=1", "bob.y0=5", "bob.y1=9", "bob.y2=2", "bob.y3=6"];
            var run = await MpcAsync(["job", "run", circuit, "--cluster", directory, .. inputs.SelectMany(i => new[] { "--input", i })]);
            Assert.True(run.Code == 0, run.Output);
            Assert.Contains("result = 38", run.Output, StringComparison.Ordinal);

            // The same contract in the language: job run compiles the .circ locally and expands array inputs.
            string program = Path.Combine(JobTests.RepositoryRoot(), "circuits", "inner_product.circ");
            var language = await MpcAsync("job", "run", program, "--cluster", directory, "--input", "alice.x=[3,1,4,1]", "--input", "bob.y=[5,9,2,6]");
            Assert.True(language.Code == 0, language.Output);
            Assert.Contains("result = 38", language.Output, StringComparison.Ordinal);

            var missing = await MpcAsync("job", "run", circuit, "--cluster", directory, "--input", "alice.x0=1");
            Assert.Equal(2, missing.Code);
            Assert.Contains("missing input", missing.Output, StringComparison.Ordinal);
        }
        finally
        {
            await DownAsync(directory, running: 3);
        }
    }

    /// <summary>
    /// SIGTERM (what systemd, containers and <c>timeout</c> send) stops a node daemon gracefully and ends its process:
    /// before, the command line left termination unhandled and the process never exited.
    /// </summary>
    [Fact]
    public async Task NodeDaemonStopsGracefullyOnSigterm()
    {
        string directory = Directory.CreateTempSubdirectory("mpc-cli-sigterm-").FullName;
        try
        {
            var up = await MpcAsync("cluster", "up", "--parties", "3", "--dir", directory);
            Assert.True(up.Code == 0, up.Output);
            int pid = ClusterDescription.Load(Path.Combine(directory, "cluster.json")).Nodes[0].Pid!.Value;
            using var node = Process.GetProcessById(pid);

            SelfProcess.Terminate(node);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await node.WaitForExitAsync(timeout.Token);
            Assert.Contains("Node 0 stopping", await File.ReadAllTextAsync(Path.Combine(directory, "node0", "node.log")), StringComparison.Ordinal);
        }
        finally
        {
            await DownAsync(directory, running: 2);
        }
    }

    /// <summary><c>mpc cluster down</c>, which must report the nodes still running, then the directory goes.</summary>
    private static async Task DownAsync(string directory, int running)
    {
        var down = await MpcAsync("cluster", "down", "--dir", directory);
        Assert.True(down.Code == 0, down.Output);
        Assert.Contains($"stopped {running}", down.Output, StringComparison.Ordinal);
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    internal static async Task<(int Code, string Output)> MpcAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mpc.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
