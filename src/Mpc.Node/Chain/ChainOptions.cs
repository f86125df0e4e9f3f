using Mpc.Contracts.Ethereum;

namespace Mpc.Node.Chain;

/// <summary>How a node takes part in on-chain jobs: where the chain is, which <c>SecretContracts</c>, and its operator key.</summary>
/// <remarks>
/// With these settings every job id the node accepts is a decimal <c>SecretContracts</c> job id: input shares are
/// checked against the clients' on-chain commitments and the result is signed (EIP-712) with the operator key; the
/// member with the lowest index collects the others' signatures and posts the result.
/// </remarks>
public sealed class ChainOptions
{
    /// <summary>JSON-RPC URL of the Ethereum node, e.g. <c>http://127.0.0.1:8545</c>. Required.</summary>
    public string RpcUrl { get; set; } = "";

    /// <summary>Address of the deployed <c>SecretContracts</c> (0x + 40 hex digits). Required.</summary>
    public string ContractAddress { get; set; } = "";

    /// <summary>File holding the operator's secp256k1 private key as hex (the registered node address). Required; keep it private.</summary>
    public string OperatorKeyFile { get; set; } = "";

    /// <summary>How long the posting member keeps retrying <c>postResult</c> while the input phase is not over. Default 10 minutes.</summary>
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Adds one entry per bad setting to <paramref name="error"/> (setting name, problem).</summary>
    internal void Validate(Action<string, string> error)
    {
        const string at = nameof(NodeOptions.Chain);
        if (!Uri.TryCreate(RpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
            error($"{at}.{nameof(RpcUrl)}", $"'{RpcUrl}' is not an http(s) URL");
        try
        {
            EthAddress.Parse(ContractAddress);
        }
        catch (FormatException e)
        {
            error($"{at}.{nameof(ContractAddress)}", e.Message);
        }
        if (string.IsNullOrWhiteSpace(OperatorKeyFile))
            error($"{at}.{nameof(OperatorKeyFile)}", "is required");
        else if (!File.Exists(OperatorKeyFile))
            error($"{at}.{nameof(OperatorKeyFile)}", $"'{OperatorKeyFile}' does not exist");
        if (PostTimeout <= TimeSpan.Zero)
            error($"{at}.{nameof(PostTimeout)}", $"{PostTimeout} must be positive");
    }
}
