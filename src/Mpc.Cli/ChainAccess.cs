using System.CommandLine;
using System.Numerics;
using Mpc.Contracts.Chain;
using Mpc.Contracts.DevChain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Cli;

/// <summary>The chain options every <c>mpc chain</c> / <c>mpc job submit|result</c> command shares, and the connection they open.</summary>
/// <remarks>
/// <c>--rpc URL</c> (default <c>http://127.0.0.1:8545</c>, where a locally started <c>anvil</c> listens) and
/// <c>--key-file FILE</c>: one line holding the sending account's secp256k1 private key as 64 hex digits (optionally
/// <c>0x</c>-prefixed), the same format as a node's <c>operatorKeyFile</c>. Without a key file a local anvil (chain id
/// 31337) uses its public dev account 0; any other chain needs one. The key is never printed or logged, and errors name
/// the file, not its content.
/// </remarks>
internal sealed class ChainAccess : IDisposable
{
    /// <summary>anvil's default chain id, the only chain where a public dev key may be used implicitly.</summary>
    public const long AnvilChainId = 31337;

    private ChainAccess(EthereumRpcClient rpc, BigInteger chainId, EthKey? key)
    {
        Rpc = rpc;
        ChainId = chainId;
        Key = key;
        Sender = key is null ? null : new TransactionSender(rpc, key);
    }

    public EthereumRpcClient Rpc { get; }

    public BigInteger ChainId { get; }

    /// <summary>The sending account's key (null for read-only commands).</summary>
    public EthKey? Key { get; }

    public TransactionSender? Sender { get; }

    public static Option<string> RpcOption() => new("--rpc")
    {
        Description = "Ethereum JSON-RPC URL (default: a local anvil on port 8545).",
        DefaultValueFactory = _ => "http://127.0.0.1:8545",
    };

    public static Option<FileInfo?> KeyFileOption() => new("--key-file")
    {
        Description = "File with the sending account's private key (64 hex digits, one line). Optional on a local anvil (dev account 0).",
    };

    public static Option<string> ContractOption() => new("--contract") { Description = "SecretContracts address (0x + 40 hex digits).", Required = true };

    /// <summary>Parses a <c>--contract</c> value.</summary>
    public static EthAddress ParseContract(string? text)
    {
        try
        {
            return EthAddress.Parse(text ?? "");
        }
        catch (FormatException e)
        {
            throw new CliException($"--contract: {e.Message}");
        }
    }

    /// <summary>Parses an <c>--rpc</c> value (http or https).</summary>
    public static Uri ParseRpc(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new CliException($"--rpc '{text}' is not an http(s) URL");

    /// <summary>Connects and reads the chain id; loads the key when <paramref name="needKey"/>.</summary>
    public static async Task<ChainAccess> OpenAsync(string? rpcUrl, FileInfo? keyFile, bool needKey, CancellationToken ct)
    {
        var url = ParseRpc(rpcUrl);
        var rpc = new EthereumRpcClient(url, SecretContractsClient.RevertDecoder);
        try
        {
            BigInteger chainId;
            try
            {
                chainId = await rpc.GetChainIdAsync(ct);
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"cannot reach the chain at {url.Scheme}://{url.Authority}: {e.Message}");
            }
            EthKey? key = null;
            if (keyFile is not null)
                key = EthKey.FromFile(keyFile.FullName, "--key-file");
            else if (needKey && chainId == AnvilChainId)
                key = DevAccounts.Key(0);
            else if (needKey)
                throw new CliException($"--key-file is required on chain id {chainId} (only a local anvil, chain id {AnvilChainId}, has a public dev key to fall back on)");
            return new ChainAccess(rpc, chainId, key);
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }

    /// <summary>A client of the deployment at <paramref name="address"/>, sending from the key's account when there is one.</summary>
    public SecretContractsClient Contract(EthAddress address) => new(Rpc, address, Sender);

    public void Dispose()
    {
        Sender?.Dispose();
        Key?.Dispose();
        Rpc.Dispose();
    }
}
