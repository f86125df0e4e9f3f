namespace Mpc.Contracts.Chain;

/// <summary>One member's signature on one result statement of a job: evidence for <see cref="SecretContractsClient.SlashAsync"/>.</summary>
/// <param name="OutputsHash">The signed <c>outputsHash</c> (32 bytes).</param>
/// <param name="OutputCommitment">The signed <c>outputCommitment</c> (32 bytes).</param>
/// <param name="Signature">The 65-byte <c>r ‖ s ‖ v</c> signature from <see cref="ResultSigning.Sign"/>.</param>
public sealed record SignedResult(byte[] OutputsHash, byte[] OutputCommitment, byte[] Signature)
{
    /// <summary>Checks the lengths; the message names <paramref name="name"/> and the bad field.</summary>
    /// <exception cref="ArgumentException">A field has the wrong length.</exception>
    internal void Validate(string name)
    {
        if (OutputsHash is not { Length: 32 } || OutputCommitment is not { Length: 32 })
        {
            throw new ArgumentException($"{name}: OutputsHash and OutputCommitment must be 32 bytes.", name);
        }

        ArgumentNullException.ThrowIfNull(Signature, name + ".Signature");
    }
}
