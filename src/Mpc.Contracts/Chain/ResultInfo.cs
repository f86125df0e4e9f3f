namespace Mpc.Contracts.Chain;

/// <summary>A job's stored result as <c>getResult(uint256)</c> returns it; the outputs themselves are in <see cref="ResultPostedEvent"/>.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Posted">Whether a result was accepted; when false both hashes are zero.</param>
/// <param name="OutputsHash"><c>keccak256(abi.encodePacked(outputs))</c> (see <see cref="ResultSigning.OutputsHash"/>).</param>
/// <param name="OutputCommitment">The 32-byte commitment the nodes attached to the outputs.</param>
public sealed record ResultInfo(ulong JobId, bool Posted, byte[] OutputsHash, byte[] OutputCommitment);
