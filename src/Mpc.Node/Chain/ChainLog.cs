using Microsoft.Extensions.Logging;

namespace Mpc.Node.Chain;

/// <summary>Log lines of the chain side of a node (event ids 6005–6099; 6001–6004 are in <c>NodeLog</c>).</summary>
/// <remarks>Never a share, salt or key: only job ids, block numbers, addresses, circuit ids and reasons.</remarks>
internal static partial class ChainLog
{
    [LoggerMessage(6005, LogLevel.Information, "Job {Job}: a result is already on chain; member {Member} does not post")]
    public static partial void ResultAlreadyPosted(this ILogger logger, string job, int member);

    [LoggerMessage(6006, LogLevel.Warning, "Job {Job}: postResult failed: {Reason}")]
    public static partial void ResultPostFailed(this ILogger logger, string job, string reason);

    [LoggerMessage(6007, LogLevel.Information, "Chain watcher: contract {Contract}, scanning from block {Block}, operator {Operator}")]
    public static partial void WatcherStarted(this ILogger logger, string contract, long block, string @operator);

    [LoggerMessage(6008, LogLevel.Information, "Job {Job} seen on chain (block {Block}, cluster {Cluster}, circuit {Circuit}, input deadline {Deadline:o})")]
    public static partial void ChainJobSeen(this ILogger logger, string job, long block, ulong cluster, string circuit, DateTimeOffset deadline);

    [LoggerMessage(6009, LogLevel.Information, "Job {Job}: input deadline passed on chain; released for evaluation")]
    public static partial void ChainJobReleased(this ILogger logger, string job);

    [LoggerMessage(6010, LogLevel.Debug, "Job {Job} is for cluster {Cluster}, not this node's; ignored")]
    public static partial void ChainJobIgnored(this ILogger logger, string job, ulong cluster);

    [LoggerMessage(6011, LogLevel.Warning, "Chain watcher poll failed (retrying): {Reason}")]
    public static partial void WatcherPollFailed(this ILogger logger, string reason);

    [LoggerMessage(6012, LogLevel.Warning, "Job {Job}: {Reason}")]
    public static partial void ChainJobNotCreated(this ILogger logger, string job, string reason);

    [LoggerMessage(6013, LogLevel.Warning, "Circuit file {File} skipped: {Reason}")]
    public static partial void CircuitFileSkipped(this ILogger logger, string file, string reason);

    [LoggerMessage(6014, LogLevel.Information, "Cluster {Cluster} read from the registry: this node is member {Index} of {Parties} (t = {Threshold})")]
    public static partial void ClusterResolved(this ILogger logger, ulong cluster, int index, int parties, int threshold);
}
