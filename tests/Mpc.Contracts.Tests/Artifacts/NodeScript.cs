using System.ComponentModel;
using System.Diagnostics;

namespace Mpc.Contracts.Tests.Artifacts;

/// <summary>Runs the repository's node scripts (src/Mpc.Contracts/scripts) from the repository root.</summary>
internal static class NodeScript
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding package.json and MpcCompute.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The committed artifacts folder.</summary>
    public static string ArtifactsDir => Path.Combine(RepoRoot, "src", "Mpc.Contracts", "compiled");

    /// <summary>Result of one script run.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Both streams, for assertion messages.</summary>
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    /// <summary>Runs <c>node &lt;script&gt; args…</c> in the repository root and waits at most <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "src", "Mpc.Contracts", "scripts", script));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null for node.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "Cannot start 'node' (Node.js >= 20 must be on PATH; the Mpc.Contracts build needs it too).", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {script} did not finish within {timeout.TotalSeconds} s.");
            }

            return new Result(process.ExitCode, await stdout, await stderr);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) &&
                File.Exists(Path.Combine(dir.FullName, "MpcCompute.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (package.json + MpcCompute.sln) above {AppContext.BaseDirectory}.");
    }
}
