using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.DevChain;

/// <summary>DEV-CHAIN ONLY: a local anvil process on a free loopback port, killed on dispose.</summary>
/// <remarks>
/// anvil is started with <c>--port 0</c> so the kernel picks a free port (no probe-then-bind race); the port is read
/// from anvil's "Listening on 127.0.0.1:PORT" line, and the node counts as up once <c>eth_chainId</c> answers with the
/// requested chain id. The binary comes from <see cref="AnvilOptions.BinaryPath"/>, the <c>MPC_ANVIL_PATH</c> environment
/// variable, or the npm package <c>@foundry-rs/anvil-linux-amd64</c> installed under the repository root (the directory
/// holding MpcCompute.sln, found by walking up from the working and application directories).
/// </remarks>
public sealed partial class AnvilNode : IAsyncDisposable, IDisposable
{
    /// <summary>The environment variable that overrides the anvil binary location.</summary>
    public const string PathVariable = "MPC_ANVIL_PATH";

    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly Queue<string> _output;
    private bool _disposed;

    private AnvilNode(Process process, Queue<string> output, Uri rpcUrl, BigInteger chainId)
    {
        _process = process;
        _output = output;
        RpcUrl = rpcUrl;
        ChainId = chainId;
        Rpc = new EthereumRpcClient(rpcUrl);
    }

    /// <summary>The HTTP JSON-RPC endpoint, e.g. <c>http://127.0.0.1:40511/</c>.</summary>
    public Uri RpcUrl { get; }

    /// <summary>The chain id anvil reports.</summary>
    public BigInteger ChainId { get; }

    /// <summary>A client for this node, including the dev-only methods.</summary>
    public EthereumRpcClient Rpc { get; }

    /// <summary>The anvil process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The key of funded dev account <paramref name="index"/> (0..9).</summary>
    public static EthKey DevAccount(int index) => DevAccounts.Key(index);

    /// <summary>Starts anvil and waits until it answers.</summary>
    /// <exception cref="FileNotFoundException">No anvil binary was found; the message lists where it looked.</exception>
    /// <exception cref="IOException">anvil exited or did not answer within the start timeout; the message includes its last output.</exception>
    public static async Task<AnvilNode> StartAsync(AnvilOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AnvilOptions();
        options.Validate();
        string binary = options.BinaryPath ?? LocateBinary();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["--host", "127.0.0.1", "--port", "0", "--chain-id", options.ChainId.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        if (options.BlockTimeSeconds is { } blockTime)
        {
            info.ArgumentList.Add("--block-time");
            info.ArgumentList.Add(blockTime.ToString(CultureInfo.InvariantCulture));
        }

        var output = new Queue<string>();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Enqueue(e.Data);
                if (output.Count > OutputLinesKept)
                {
                    output.Dequeue();
                }
            }

            Match match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                port.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => port.TrySetException(new InvalidOperationException("anvil exited during start-up."));
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new FileNotFoundException($"Cannot start anvil at '{binary}': {e.Message}", binary, e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AnvilNode? node = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            int listeningPort = await port.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            node = new AnvilNode(process, output, new Uri($"http://127.0.0.1:{listeningPort}/"), options.ChainId);
            await node.WaitUntilAnsweringAsync(options.ChainId, timeout.Token).ConfigureAwait(false);
            return node;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or EthereumRpcException && !cancellationToken.IsCancellationRequested)
        {
            string tail = Tail(output);
            Kill(process);
            node?.Rpc.Dispose();
            process.Dispose();
            throw new IOException(
                $"anvil at '{binary}' did not become ready within {options.StartTimeout.TotalSeconds:0} s ({e.Message}). Last output:{Environment.NewLine}{tail}", e);
        }
        catch
        {
            Kill(process);
            node?.Rpc.Dispose();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Finds the anvil binary: <c>MPC_ANVIL_PATH</c>, then the npm package under the repository root.</summary>
    /// <exception cref="FileNotFoundException">Not found; the message lists the places tried and how to install it.</exception>
    public static string LocateBinary()
    {
        var tried = new List<string>();
        string? fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            if (File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            tried.Add($"{PathVariable}={fromEnvironment}");
        }

        foreach (string start in (string[])[Environment.CurrentDirectory, AppContext.BaseDirectory])
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "MpcCompute.sln")))
                {
                    continue;
                }

                string candidate = Path.Combine(dir.FullName, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                tried.Add(candidate);
                break;
            }
        }

        throw new FileNotFoundException(
            "anvil not found. Run 'npm ci' in the repository root (package @foundry-rs/anvil-linux-amd64) or set "
            + $"{PathVariable}. Tried: {(tried.Count == 0 ? "no MpcCompute.sln above the working or application directory" : string.Join(", ", tried))}.");
    }

    /// <summary>The last lines anvil wrote, for diagnosing a failure.</summary>
    public string RecentOutput() => Tail(_output);

    /// <summary>Kills the anvil process and waits for it to exit.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Rpc.Dispose();
        Kill(_process);
        _process.Dispose();
    }

    /// <summary>Kills the anvil process and waits for it to exit.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilAnsweringAsync(long expectedChainId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                BigInteger chainId = await Rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
                if (chainId != expectedChainId)
                {
                    throw new InvalidOperationException($"anvil reports chain id {chainId}, expected {expectedChainId}.");
                }

                return;
            }
            catch (EthereumRpcException e) when (e.Code is null)
            {
                // Listening but not yet serving; try again shortly.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited or never started.
        }
    }

    private static string Tail(Queue<string> output)
    {
        lock (output)
        {
            return string.Join(Environment.NewLine, output);
        }
    }

    [GeneratedRegex(@"Listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}
