namespace Mpc.Contracts.Chain;

/// <summary>Life cycle of a node registration; the values are the contract's <c>NodeStatus</c> enum (getNode returns them as uint8).</summary>
public enum NodeStatus : byte
{
    /// <summary>Never registered.</summary>
    None = 0,

    /// <summary>Registered with its stake locked; may join clusters.</summary>
    Active = 1,

    /// <summary><c>requestDeregister</c> was called; the stake is withdrawable after the exit delay and can still be slashed.</summary>
    Exiting = 2,

    /// <summary>The stake was paid back; the address can never register again.</summary>
    Withdrawn = 3,

    /// <summary>The stake was taken for equivocation; the address can never register again.</summary>
    Slashed = 4,
}
