using System.Diagnostics;

namespace Mpc.Cli.Tests;

/// <summary>Runs the built <c>mpc</c> as a real process, as a user would.</summary>
internal static class MpcProcess
{
    public static string RepoRoot { get; } = FindRoot();

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpc {string.Join(' ', args)} did not finish within 120 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts <c>mpc</c> in the background (e.g. a node daemon); the caller kills it.</summary>
    public static Process Start(params string[] args)
    {
        var info = StartInfo(args);
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        return Process.Start(info)!;
    }

    /// <summary>Runs <c>mpc</c> asynchronously (several clients at once).</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => Task.Run(() => Run(args));

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mpc.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MpcCompute.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("MpcCompute.sln not found above the test directory.");
    }
}
