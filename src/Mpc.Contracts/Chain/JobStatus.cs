namespace Mpc.Contracts.Chain;

/// <summary>Life cycle of a job; the values are the contract's <c>JobStatus</c> enum (getJob returns them as uint8).</summary>
public enum JobStatus : byte
{
    /// <summary>No such job.</summary>
    None = 0,

    /// <summary>Fee escrowed; inputs are committed before the input deadline, the result is accepted until the result deadline.</summary>
    Open = 1,

    /// <summary>A result was stored and the fee credited to its signers.</summary>
    Completed = 2,

    /// <summary>No result arrived before the result deadline; the fee went back to the requester.</summary>
    Refunded = 3,
}
