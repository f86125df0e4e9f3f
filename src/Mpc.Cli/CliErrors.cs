using Mpc.Core.Network;

namespace Mpc.Cli;

/// <summary>A user-facing error: printed as one line without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>Turns the errors a user can cause into one clear line on stderr and exit code 2.</summary>
internal static class CliErrors
{
    public const int UserError = 2;

    public static int Run(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (IsUserError(e)) { return Report(e); }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try { return await action(); }
        catch (Exception e) when (IsUserError(e)) { return Report(e); }
    }

    // Format/argument errors come from validation of user input (circuits, --input values, options);
    // transport failures name the peer. Anything else is a bug and keeps its stack trace.
    private static bool IsUserError(Exception e) =>
        e is CliException or FormatException or ArgumentException or TransportException or IOException or InvalidOperationException;

    private static int Report(Exception e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return UserError;
    }
}
