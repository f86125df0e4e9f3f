namespace Mpc.Contracts.Ethereum;

/// <summary>The kinds of Solidity ABI types this client encodes and decodes.</summary>
public enum AbiTypeKind
{
    /// <summary><c>uintN</c>, N a multiple of 8 up to 256.</summary>
    UInt,

    /// <summary><c>intN</c>, two's complement, N a multiple of 8 up to 256.</summary>
    Int,

    /// <summary><c>address</c>, 20 bytes left-padded.</summary>
    Address,

    /// <summary><c>bool</c>, 0 or 1.</summary>
    Bool,

    /// <summary><c>bytesN</c>, 1 ≤ N ≤ 32, right-padded.</summary>
    FixedBytes,

    /// <summary><c>bytes</c>, dynamic.</summary>
    Bytes,

    /// <summary><c>string</c>, dynamic UTF-8.</summary>
    String,

    /// <summary><c>T[k]</c> or <c>T[]</c>.</summary>
    Array,

    /// <summary><c>(T1,…,Tn)</c>.</summary>
    Tuple,
}
