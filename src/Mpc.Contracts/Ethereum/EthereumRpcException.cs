namespace Mpc.Contracts.Ethereum;

/// <summary>A JSON-RPC call failed: the node returned an error object or could not be reached.</summary>
public sealed class EthereumRpcException : Exception
{
    /// <summary>Creates the exception; the message combines every part so logs show the whole story.</summary>
    public EthereumRpcException(string method, int? code, string rpcMessage, byte[]? revertData, string? revertReason, Exception? inner = null)
        : base(Compose(method, code, rpcMessage, revertReason), inner)
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        RevertData = revertData;
        RevertReason = revertReason;
    }

    /// <summary>The JSON-RPC method, e.g. <c>eth_call</c>.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code (3 for reverts on geth/anvil), or null when the node was not reached.</summary>
    public int? Code { get; }

    /// <summary>The node's error message.</summary>
    public string RpcMessage { get; }

    /// <summary>The raw revert data, when the node returned any.</summary>
    public byte[]? RevertData { get; }

    /// <summary>The revert data decoded by a <see cref="RevertDecoder"/>, when there was revert data.</summary>
    public string? RevertReason { get; }

    private static string Compose(string method, int? code, string rpcMessage, string? revertReason)
    {
        string text = code is { } c ? $"{method} failed with code {c}: {rpcMessage}" : $"{method} failed: {rpcMessage}";
        return revertReason is null ? text : $"{text} (revert reason: {revertReason})";
    }
}
