using Mpc.Client;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;
using Mpc.Core.Network;
using Mpc.Node;
using Mpc.Node.Chain;

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

    // Errors a user or the environment causes, each with a message that names what and where: validation of
    // circuits, --input values and configuration; unreachable or failing peers, nodes and chains; files.
    // Anything else (InvalidOperationException, ArgumentNullException, …) is a bug and keeps its stack trace.
    private static bool IsUserError(Exception e) => e switch
    {
        ArgumentNullException => false,
        CliException or FormatException or ArgumentException or IOException or InvalidDataException => true,
        TransportException or MpcClientException or NodeOptionsException => true,
        EthereumRpcException or TransactionFailedException or SecretContractsRevertException or ChainException => true,
        _ => false,
    };

    private static int Report(Exception e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return UserError;
    }
}
