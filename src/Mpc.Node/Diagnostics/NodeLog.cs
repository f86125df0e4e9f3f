using Microsoft.Extensions.Logging;

namespace Mpc.Node.Diagnostics;

/// <summary>Every log line the node writes, with stable event ids (1xxx transport, 2xxx host, 3xxx client API).</summary>
/// <remarks>Never pass a payload, share, salt or key here: only indices, tags, sizes, ids and fingerprints.</remarks>
internal static partial class NodeLog
{
    [LoggerMessage(1001, LogLevel.Information, "Peer {Peer} connected ({Direction})")]
    public static partial void PeerConnected(this ILogger logger, int peer, string direction);

    [LoggerMessage(1002, LogLevel.Warning, "Peer {Peer} disconnected: {Reason}")]
    public static partial void PeerDisconnected(this ILogger logger, int peer, string reason);

    [LoggerMessage(1003, LogLevel.Debug, "Dialling peer {Peer} at {Endpoint} failed (attempt {Attempt}): {Reason}")]
    public static partial void PeerDialFailed(this ILogger logger, int peer, string endpoint, int attempt, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Peer {Peer} did not connect within {Timeout}")]
    public static partial void PeerConnectTimedOut(this ILogger logger, int peer, TimeSpan timeout);

    [LoggerMessage(1005, LogLevel.Warning, "Refused a peer link from certificate {Fingerprint}: {Reason}")]
    public static partial void PeerRefused(this ILogger logger, string fingerprint, string reason);

    [LoggerMessage(1006, LogLevel.Warning, "Peer {Peer} sent a malformed frame: {Reason}")]
    public static partial void MalformedFrame(this ILogger logger, int peer, string reason);

    [LoggerMessage(1008, LogLevel.Debug, "Incoming peer connection from {Remote} failed before its link was up: {Reason}")]
    public static partial void PeerHandshakeFailed(this ILogger logger, string remote, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "TLS connection refused: certificate {Fingerprint} is not pinned")]
    public static partial void CertificateRefused(this ILogger logger, string fingerprint);

    [LoggerMessage(2001, LogLevel.Information, "Node {Node} of {Parties} (t = {Threshold}, {Field}) listening on {Urls}, certificate {Fingerprint}")]
    public static partial void NodeStarted(this ILogger logger, int node, int parties, int threshold, string field, string urls, string fingerprint);

    [LoggerMessage(2002, LogLevel.Information, "Node {Node} stopping")]
    public static partial void NodeStopping(this ILogger logger, int node);

    [LoggerMessage(3001, LogLevel.Information, "Stored input share {Input} of job {Job} from client {Client} ({Bytes} bytes)")]
    public static partial void InputShareStored(this ILogger logger, string job, string input, string client, int bytes);

    [LoggerMessage(3002, LogLevel.Information, "Job {Job} registered for circuit {Circuit}")]
    public static partial void JobRegistered(this ILogger logger, string job, string circuit);

    [LoggerMessage(3003, LogLevel.Warning, "Refused a client call from certificate {Fingerprint}: not an allowed client")]
    public static partial void ClientRefused(this ILogger logger, string fingerprint);

    [LoggerMessage(4001, LogLevel.Information, "Job {Job} started: {Multiplications} multiplication(s), {Rounds} round(s), session {Session}")]
    public static partial void JobStarted(this ILogger logger, string job, int multiplications, int rounds, ulong session);

    [LoggerMessage(4002, LogLevel.Information, "Job {Job} succeeded in {Milliseconds:F1} ms")]
    public static partial void JobSucceeded(this ILogger logger, string job, double milliseconds);

    [LoggerMessage(4003, LogLevel.Warning, "Job {Job} failed: {Reason}")]
    public static partial void JobFailed(this ILogger logger, string job, string reason);

    /// <remarks>
    /// Only for failures the node cannot classify: clients see the exception's type alone, so the operator
    /// needs the stack to find the bug. The message is left out on purpose: an unexpected exception's message
    /// might quote a value (a share), and shares are never logged; the type and the frames name the place.
    /// </remarks>
    [LoggerMessage(4005, LogLevel.Error, "Job {Job} failed with an unexpected {ExceptionType} at\n{StackTrace}")]
    public static partial void JobFailedUnexpectedly(this ILogger logger, string job, string exceptionType, string? stackTrace);

    [LoggerMessage(4004, LogLevel.Information, "Benchmark: {Multiplications} multiplications")]
    public static partial void BenchmarkStarted(this ILogger logger, int multiplications);

    [LoggerMessage(5001, LogLevel.Warning, "Preprocessing pool batch {Session} failed, retrying once the peers are back: {Reason}")]
    public static partial void PoolBatchFailed(this ILogger logger, ulong session, string reason);

    [LoggerMessage(5002, LogLevel.Debug, "Job {Job} took {Pooled} pooled triple(s) and generated {OnDemand} on demand")]
    public static partial void PoolTaken(this ILogger logger, string job, int pooled, int onDemand);

    [LoggerMessage(5003, LogLevel.Debug, "Job {Job} took {Pooled} pooled random bit(s) and generated {OnDemand} on demand")]
    public static partial void PoolBitsTaken(this ILogger logger, string job, int pooled, int onDemand);

    [LoggerMessage(6001, LogLevel.Warning, "Input share rejected: job {Job} input {Input} client {Client}: {Reason}")]
    public static partial void InputShareRejected(this ILogger logger, string job, string input, string client, string reason);

    [LoggerMessage(6002, LogLevel.Warning, "Job {Job}: member {Peer} signed a different result; its signature is left out")]
    public static partial void ResultSignatureMismatch(this ILogger logger, string job, int peer);

    [LoggerMessage(6003, LogLevel.Warning, "Job {Job}: no result signature from member {Peer}: {Reason}")]
    public static partial void ResultSignatureMissing(this ILogger logger, string job, int peer, string reason);

    [LoggerMessage(6004, LogLevel.Information, "Job {Job}: result posted in tx {Tx} ({Signers} signatures, {Gas} gas)")]
    public static partial void ResultPosted(this ILogger logger, string job, string tx, int signers, long gas);
}
