namespace Mpc.Contracts.Ethereum;

/// <summary>A block selector for JSON-RPC: a tag (<c>latest</c>, <c>pending</c>, …) or a block number.</summary>
public readonly struct BlockParameter : IEquatable<BlockParameter>
{
    private readonly string? _tag;
    private readonly long _number;

    private BlockParameter(string? tag, long number)
    {
        _tag = tag;
        _number = number;
    }

    /// <summary>The most recent mined block (also the <c>default</c> value).</summary>
    public static BlockParameter Latest => default;

    /// <summary>The pending state, including transactions not yet mined.</summary>
    public static BlockParameter Pending => new("pending", 0);

    /// <summary>The genesis block.</summary>
    public static BlockParameter Earliest => new("earliest", 0);

    /// <summary>The latest finalized block.</summary>
    public static BlockParameter Finalized => new("finalized", 0);

    /// <summary>A specific block number.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is negative.</exception>
    public static BlockParameter Number(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return new BlockParameter("#", number);
    }

    /// <summary>The JSON-RPC form: a tag or a hex quantity.</summary>
    public override string ToString() => _tag switch
    {
        null => "latest",
        "#" => Hex.EncodeQuantity(_number),
        _ => _tag,
    };

    /// <inheritdoc />
    public bool Equals(BlockParameter other) => ToString() == other.ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BlockParameter other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>Equality.</summary>
    public static bool operator ==(BlockParameter left, BlockParameter right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BlockParameter left, BlockParameter right) => !left.Equals(right);

    /// <summary>A block number.</summary>
    public static implicit operator BlockParameter(long number) => Number(number);
}
