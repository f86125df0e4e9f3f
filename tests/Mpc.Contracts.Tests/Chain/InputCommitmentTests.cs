using Mpc.Contracts.Chain;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Chain;

/// <summary>keccak256(share ‖ salt) commitments with fresh salts (docs/contract.md, commitInputs).</summary>
public sealed class InputCommitmentTests
{
    [Fact]
    public void Compute_IsKeccakOfShareThenSalt()
    {
        byte[] share = [1, 2, 3, 4, 5, 6, 7, 8];
        byte[] salt = Keccak256.Hash("salt");

        Assert.Equal(Keccak256.Hash([.. share, .. salt]), InputCommitment.Compute(share, salt));
        Assert.NotEqual(Keccak256.Hash([.. salt, .. share]), InputCommitment.Compute(share, salt));
    }

    [Fact]
    public void NewSalt_Is32FreshBytes()
    {
        byte[] first = InputCommitment.NewSalt();
        byte[] second = InputCommitment.NewSalt();

        Assert.Equal(InputCommitment.SaltLength, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_OpensOnlyWithTheSameShareAndSalt()
    {
        byte[] share = [9, 9, 9];
        byte[] salt = InputCommitment.NewSalt();
        byte[] commitment = InputCommitment.Compute(share, salt);

        Assert.True(InputCommitment.Verify(commitment, share, salt));
        Assert.False(InputCommitment.Verify(commitment, [9, 9, 8], salt));
        Assert.False(InputCommitment.Verify(commitment, share, InputCommitment.NewSalt()));
    }

    [Fact]
    public void Compute_RejectsAShortSaltOrAnEmptyShare()
    {
        Assert.Contains("salt", Assert.Throws<ArgumentException>(() => InputCommitment.Compute([1], new byte[16])).Message, StringComparison.Ordinal);
        Assert.Contains("share", Assert.Throws<ArgumentException>(() => InputCommitment.Compute([], new byte[32])).Message, StringComparison.Ordinal);
    }
}
