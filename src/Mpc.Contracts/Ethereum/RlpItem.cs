using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>A decoded RLP item: either a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private readonly byte[]? _bytes;
    private readonly IReadOnlyList<RlpItem>? _items;

    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items;
    }

    /// <summary>Whether the item is a list.</summary>
    public bool IsList => _items is not null;

    /// <summary>The byte string.</summary>
    /// <exception cref="InvalidOperationException">The item is a list.</exception>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("RLP item is a list, not a byte string.");

    /// <summary>The list items.</summary>
    /// <exception cref="InvalidOperationException">The item is a byte string.</exception>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("RLP item is a byte string, not a list.");

    /// <summary>The byte string read as a canonical big-endian unsigned integer.</summary>
    /// <exception cref="FormatException">The string has a leading zero byte.</exception>
    public BigInteger ToInteger()
    {
        ReadOnlySpan<byte> bytes = Bytes;
        if (bytes.Length > 0 && bytes[0] == 0)
        {
            throw new FormatException("RLP integer has a leading zero byte.");
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    internal static RlpItem FromBytes(byte[] bytes) => new(bytes, null);

    internal static RlpItem FromList(IReadOnlyList<RlpItem> items) => new(null, items);
}
