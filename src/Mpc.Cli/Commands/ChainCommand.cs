using System.CommandLine;
using System.Numerics;
using System.Text.Json;
using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Cli.Commands;

/// <summary>A job's result as an app reads it from chain: <c>getResult</c> plus the outputs of its <c>ResultPosted</c> event.</summary>
/// <param name="JobId">The chain job id.</param>
/// <param name="Result">The stored result (posted flag, outputs hash, output commitment).</param>
/// <param name="Posted">The event (outputs, signer bitmap, fee share, transaction), null when nothing was posted.</param>
internal sealed record OnChainResult(ulong JobId, ResultInfo Result, ResultPostedEvent? Posted)
{
    /// <summary>The outputs as unsigned integers (32-byte big-endian words), empty when nothing was posted.</summary>
    public IReadOnlyList<BigInteger> Outputs => Posted?.Outputs.Select(w => new BigInteger(w, isUnsigned: true, isBigEndian: true)).ToList() ?? [];

    /// <summary>True when the result is stored and the event's outputs hash to the stored hash.</summary>
    public bool Consistent => Result.Posted && Posted is not null && Result.OutputsHash.AsSpan().SequenceEqual(Posted.OutputsHash);
}

/// <summary><c>mpc chain result --rpc URL --contract ADDRESS --job N</c>: reads a job's result from <c>SecretContracts</c>.</summary>
internal static class ChainCommand
{
    public static Command Create()
    {
        var rpc = new Option<string>("--rpc") { Description = "Ethereum JSON-RPC URL.", Required = true };
        var address = new Option<string>("--contract") { Description = "SecretContracts address.", Required = true };
        var job = new Option<ulong>("--job") { Description = "The chain job id.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var result = new Command("result", "Read a job's posted result (getResult and the ResultPosted outputs) as an app would.") { rpc, address, job, json };
        result.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(rpc), UriKind.Absolute, out var url))
                throw new CliException($"--rpc '{parse.GetValue(rpc)}' is not a URL");
            EthAddress contractAddress;
            try
            {
                contractAddress = EthAddress.Parse(parse.GetValue(address)!);
            }
            catch (FormatException e)
            {
                throw new CliException($"--contract: {e.Message}");
            }
            using var client = new EthereumRpcClient(url, SecretContractsClient.RevertDecoder);
            OnChainResult read;
            try
            {
                read = await ReadResultAsync(new SecretContractsClient(client, contractAddress), parse.GetValue(job), ct);
            }
            catch (Exception e) when (e is EthereumRpcException or HttpRequestException or SecretContractsRevertException or InvalidDataException)
            {
                throw new CliException($"cannot read job {parse.GetValue(job)} from {url}: {e.Message}");
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    job_id = read.JobId,
                    posted = read.Result.Posted,
                    consistent = read.Consistent,
                    outputs_hash = Hex.Encode(read.Result.OutputsHash),
                    outputs = read.Outputs.Select(o => o.ToString()).ToArray(),
                    signers = read.Posted?.SignerIndices(),
                    tx = read.Posted is { } p ? Hex.Encode(p.Log.TransactionHash) : null,
                }));
            }
            else if (!read.Result.Posted)
            {
                Console.WriteLine($"job {read.JobId}: no result posted yet");
            }
            else
            {
                Console.WriteLine($"job {read.JobId}: outputs [{string.Join(", ", read.Outputs)}], signed by members {string.Join(", ", read.Posted?.SignerIndices() ?? [])}, " +
                    $"tx {(read.Posted is { } p ? Hex.Encode(p.Log.TransactionHash) : "?")}{(read.Consistent ? "" : " (INCONSISTENT with getResult)")}");
            }
            return read.Result.Posted ? 0 : 1;
        }));
        return new Command("chain", "Read SecretContracts state.") { result };
    }

    /// <summary>Reads <paramref name="jobId"/>'s stored result and its <c>ResultPosted</c> event (whose outputs the client checks against the stored hash).</summary>
    public static async Task<OnChainResult> ReadResultAsync(SecretContractsClient contract, ulong jobId, CancellationToken ct)
    {
        var result = await contract.GetResultAsync(jobId, ct);
        var posted = result.Posted ? await contract.FindResultPostedAsync(jobId, cancellationToken: ct) : null;
        return new OnChainResult(jobId, result, posted);
    }
}
