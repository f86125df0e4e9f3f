namespace Mpc.Contracts.Ethereum;

/// <summary>A log together with its decoded event parameters.</summary>
/// <param name="Log">The raw log.</param>
/// <param name="Values">Parameter values in declaration order (see <see cref="AbiEvent.Decode"/>).</param>
public sealed record DecodedLog(LogEntry Log, IReadOnlyList<object?> Values);
