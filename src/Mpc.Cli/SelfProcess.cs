using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mpc.Cli;

/// <summary>Starts further <c>mpc</c> processes (node daemons, isolated benchmarks) from this one, and signals them.</summary>
internal static partial class SelfProcess
{
    /// <summary>A start description of this executable with <paramref name="arguments"/>, however this process was launched.</summary>
    /// <exception cref="CliException">The path of this executable is unknown.</exception>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new CliException("cannot determine the path of this executable"),
            UseShellExecute = false,
        };
        // Under `dotnet mpc.dll` the process is the dotnet host: pass the entry assembly first.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Asks <paramref name="process"/> to stop as Ctrl+C would (SIGTERM): its command's cancellation runs, unlike <see cref="Process.Kill()"/>.</summary>
    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
            process.Kill(entireProcessTree: true); // no signals there; the POSIX path is the supported one
        else if (Kill(process.Id, SigTerm) != 0 && !process.HasExited)
            throw new InvalidOperationException($"could not signal process {process.Id}: errno {Marshal.GetLastPInvokeError()}");
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
