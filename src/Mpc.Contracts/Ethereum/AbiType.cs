namespace Mpc.Contracts.Ethereum;

/// <summary>A parsed Solidity ABI type such as <c>uint256</c>, <c>bytes32[]</c> or <c>(address,uint64)[2]</c>.</summary>
/// <remarks>
/// Follows the Solidity ABI specification, "Types": <c>uint</c>/<c>int</c> are aliases of the 256-bit forms; a type
/// is dynamic if it is <c>bytes</c>, <c>string</c>, <c>T[]</c>, or a fixed array or tuple containing a dynamic type.
/// </remarks>
public sealed class AbiType
{
    private AbiType(AbiTypeKind kind, int size, AbiType? element, int? arrayLength, IReadOnlyList<AbiType> components)
    {
        Kind = kind;
        Size = size;
        ElementType = element;
        ArrayLength = arrayLength;
        Components = components;
        IsDynamic = kind switch
        {
            AbiTypeKind.Bytes or AbiTypeKind.String => true,
            AbiTypeKind.Array => arrayLength is null || element!.IsDynamic,
            AbiTypeKind.Tuple => components.Any(static c => c.IsDynamic),
            _ => false,
        };
        CanonicalName = kind switch
        {
            AbiTypeKind.UInt => $"uint{size}",
            AbiTypeKind.Int => $"int{size}",
            AbiTypeKind.Address => "address",
            AbiTypeKind.Bool => "bool",
            AbiTypeKind.FixedBytes => $"bytes{size}",
            AbiTypeKind.Bytes => "bytes",
            AbiTypeKind.String => "string",
            AbiTypeKind.Array => $"{element!.CanonicalName}[{arrayLength}]",
            _ => "(" + string.Join(",", components.Select(static c => c.CanonicalName)) + ")",
        };
    }

    /// <summary>The kind of type.</summary>
    public AbiTypeKind Kind { get; }

    /// <summary>Bits for <c>uintN</c>/<c>intN</c>, bytes for <c>bytesN</c>, otherwise 0.</summary>
    public int Size { get; }

    /// <summary>The element type of an array, otherwise <see langword="null"/>.</summary>
    public AbiType? ElementType { get; }

    /// <summary>The length of a fixed array, <see langword="null"/> for <c>T[]</c> and non-arrays.</summary>
    public int? ArrayLength { get; }

    /// <summary>The component types of a tuple, otherwise empty.</summary>
    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>Whether the encoding lives in the tail behind an offset.</summary>
    public bool IsDynamic { get; }

    /// <summary>The canonical name used in signatures, e.g. <c>uint256</c> or <c>(address,bytes)[]</c>.</summary>
    public string CanonicalName { get; }

    /// <summary><c>uint256</c>.</summary>
    public static AbiType UInt256 { get; } = new(AbiTypeKind.UInt, 256, null, null, []);

    /// <summary><c>address</c>.</summary>
    public static AbiType Address { get; } = new(AbiTypeKind.Address, 0, null, null, []);

    /// <summary><c>bool</c>.</summary>
    public static AbiType Bool { get; } = new(AbiTypeKind.Bool, 0, null, null, []);

    /// <summary><c>bytes32</c>.</summary>
    public static AbiType Bytes32 { get; } = new(AbiTypeKind.FixedBytes, 32, null, null, []);

    /// <summary><c>bytes</c>.</summary>
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes, 0, null, null, []);

    /// <summary><c>string</c>.</summary>
    public static AbiType String { get; } = new(AbiTypeKind.String, 0, null, null, []);

    /// <summary>Parses a type name; tuples may be written <c>(…)</c> or <c>tuple(…)</c> and may carry parameter names.</summary>
    /// <exception cref="FormatException">The text is not a supported ABI type; the message names it.</exception>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return AbiSignatureParser.ParseType(type.Trim());
    }

    /// <summary>Creates a fixed array <c>element[length]</c> or, when <paramref name="length"/> is null, <c>element[]</c>.</summary>
    public static AbiType ArrayOf(AbiType element, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Array length cannot be negative.");
        }

        return new AbiType(AbiTypeKind.Array, 0, element, length, []);
    }

    /// <summary>Creates a tuple of <paramref name="components"/>.</summary>
    public static AbiType TupleOf(params IReadOnlyList<AbiType> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return new AbiType(AbiTypeKind.Tuple, 0, null, null, [.. components]);
    }

    /// <summary>Creates an elementary type; validates the size for the kind.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size the ABI does not allow (e.g. <c>uint7</c>, <c>bytes33</c>).</exception>
    public static AbiType Elementary(AbiTypeKind kind, int size = 0)
    {
        bool valid = kind switch
        {
            AbiTypeKind.UInt or AbiTypeKind.Int => size is >= 8 and <= 256 && size % 8 == 0,
            AbiTypeKind.FixedBytes => size is >= 1 and <= 32,
            AbiTypeKind.Address or AbiTypeKind.Bool or AbiTypeKind.Bytes or AbiTypeKind.String => size == 0,
            _ => false,
        };
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Size {size} is not valid for ABI kind {kind}.");
        }

        return new AbiType(kind, size, null, null, []);
    }

    /// <summary>Bytes this type occupies in the head of an enclosing tuple.</summary>
    internal int HeadSize => IsDynamic
        ? 32
        : Kind switch
        {
            AbiTypeKind.Array => ArrayLength!.Value * ElementType!.HeadSize,
            AbiTypeKind.Tuple => Components.Sum(static c => c.HeadSize),
            _ => 32,
        };

    /// <summary>The canonical name.</summary>
    public override string ToString() => CanonicalName;
}
