using System.Numerics;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Chain;

/// <summary>A decoded <c>ResultPosted</c> log: the only place the outputs of a job are published.</summary>
/// <param name="JobId">The job.</param>
/// <param name="OutputsHash"><c>keccak256(abi.encodePacked(Outputs))</c>, also stored on chain.</param>
/// <param name="OutputCommitment">The nodes' 32-byte commitment attached to the outputs.</param>
/// <param name="SignerBitmap">Bit <c>i</c> set when member <c>i − 1</c> (0-based) signed.</param>
/// <param name="FeeShare">Wei credited to each signer (the lowest-index signer also got the remainder).</param>
/// <param name="Outputs">The 32-byte output words in circuit order.</param>
/// <param name="Log">The raw log.</param>
public sealed record ResultPostedEvent(
    ulong JobId,
    byte[] OutputsHash,
    byte[] OutputCommitment,
    BigInteger SignerBitmap,
    BigInteger FeeShare,
    IReadOnlyList<byte[]> Outputs,
    LogEntry Log)
{
    /// <summary>The 0-based member indices that signed, ascending.</summary>
    public IReadOnlyList<int> SignerIndices()
    {
        var indices = new List<int>();
        for (int bit = 1; bit <= 255; bit++)
        {
            if (!(SignerBitmap >> bit).IsEven)
            {
                indices.Add(bit - 1);
            }
        }

        return indices;
    }
}
