using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mpc.Contracts.Ethereum;

/// <summary>Solidity ABI encoding and decoding of parameter lists, selectors and topics.</summary>
/// <remarks>
/// Solidity ABI specification, "Formal Specification of the Encoding": a tuple is its heads followed by its tails;
/// a static value is encoded in place, a dynamic value as a 32-byte offset (from the start of the enclosing tuple)
/// to its tail. Values map to .NET as: integers → <see cref="BigInteger"/> (encoding also accepts the built-in
/// integer types), <c>address</c> → <see cref="EthAddress"/> (or its hex string), <c>bool</c> → <see cref="bool"/>,
/// <c>bytesN</c>/<c>bytes</c> → <see cref="byte"/>[] (or <see cref="ReadOnlyMemory{T}"/>), <c>string</c> →
/// <see cref="string"/>, arrays and tuples → <see cref="object"/>[] (encoding accepts any <see cref="IList"/> or
/// <see cref="ITuple"/>). Decoding is strict: offsets and lengths are bounds-checked and padding must be zero, so
/// malformed data fails with a message naming the byte offset instead of yielding a wrong value.
/// </remarks>
public static class Abi
{
    private const int Word = 32;

    /// <summary>The first four bytes of keccak256 of the canonical signature, e.g. <c>transfer(address,uint256)</c> → <c>a9059cbb</c>.</summary>
    /// <remarks>The signature is parsed and re-printed canonically, so names, spaces and <c>uint</c> aliases are allowed.</remarks>
    public static byte[] FunctionSelector(string signature) => Keccak256.Hash(CanonicalSignature(signature, "Function"))[..4];

    /// <summary>The topic-0 hash of an event, keccak256 of its canonical signature.</summary>
    public static byte[] EventTopic(string signature) => Keccak256.Hash(CanonicalSignature(signature, "Event"));

    /// <summary>Returns <c>name(type1,type2,…)</c> with canonical type names.</summary>
    public static string CanonicalSignature(string signature, string what = "Function")
    {
        (string name, List<AbiParameter> inputs, _) = AbiSignatureParser.ParseSignature(signature, what);
        return AbiSignatureParser.Canonical(name, inputs);
    }

    /// <summary>Encodes values for a comma-separated type list such as <c>"uint256,address[]"</c>.</summary>
    /// <remarks>
    /// A lone array argument binds as the <c>params</c> array itself: pass <c>(object)new object[] { … }</c> to encode
    /// one array value.
    /// </remarks>
    public static byte[] Encode(string types, params object?[] values) => Encode(ParseTypes(types), values);

    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/>.</summary>
    /// <exception cref="ArgumentException">Wrong value count, a value of the wrong .NET type, or a value out of range for its ABI type.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"ABI encode: {types.Count} types but {values.Count} values.", nameof(values));
        }

        var output = new List<byte>();
        EncodeSequence(types, values, output, "value");
        return [.. output];
    }

    /// <summary>Decodes data for a comma-separated type list such as <c>"uint256,string"</c>.</summary>
    public static object?[] Decode(string types, ReadOnlySpan<byte> data) => Decode(ParseTypes(types), data);

    /// <summary>Decodes the tuple of <paramref name="types"/> from <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">Truncated data, an offset out of range, or non-zero padding; the message names the byte offset.</exception>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeSequence(types, data, 0, 0);
    }

    /// <summary>Encodes <c>selector ‖ encode(args)</c> for a call to <paramref name="signature"/>.</summary>
    public static byte[] EncodeCall(string signature, params object?[] args) => AbiFunction.Parse(signature).EncodeCall(args);

    /// <summary>Parses a comma-separated type list; an empty string is the empty list.</summary>
    public static IReadOnlyList<AbiType> ParseTypes(string types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return AbiSignatureParser.ParseParameters(types, types).Select(static p => p.Type).ToArray();
    }

    /// <summary>Decodes one 32-byte word as the static type <paramref name="type"/> (used for indexed event topics).</summary>
    internal static object? DecodeWord(AbiType type, ReadOnlySpan<byte> word) => DecodeValue(type, word, 0, 0, 0);

    private static void EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, List<byte> output, string path)
    {
        int start = output.Count;
        var pendingOffsets = new List<(int Position, int Index)>();
        for (int i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                pendingOffsets.Add((output.Count, i));
                AppendZeros(output, Word);
            }
            else
            {
                EncodeValue(types[i], values[i], output, $"{path}[{i}]");
            }
        }

        foreach ((int position, int index) in pendingOffsets)
        {
            WriteWordAt(output, position, new BigInteger(output.Count - start));
            EncodeValue(types[index], values[index], output, $"{path}[{index}]");
        }
    }

    private static void EncodeValue(AbiType type, object? value, List<byte> output, string path)
    {
        if (value is null)
        {
            throw new ArgumentException($"ABI encode: {path} ({type}) is null.");
        }

        Span<byte> word = stackalloc byte[Word];
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
            case AbiTypeKind.Int:
                WriteInteger(type, ToBigInteger(value, type, path), word, path);
                AppendSpan(output, word);
                break;
            case AbiTypeKind.Address:
                EthAddress address = value switch
                {
                    EthAddress a => a,
                    string s => ParseAddress(s, path),
                    _ => throw WrongType(type, value, path),
                };
                address.Bytes.CopyTo(word[12..]);
                AppendSpan(output, word);
                break;
            case AbiTypeKind.Bool:
                word[31] = value is bool b ? (byte)(b ? 1 : 0) : throw WrongType(type, value, path);
                AppendSpan(output, word);
                break;
            case AbiTypeKind.FixedBytes:
                ReadOnlySpan<byte> fixedBytes = ToBytes(value, type, path);
                if (fixedBytes.Length != type.Size)
                {
                    throw new ArgumentException($"ABI encode: {path} ({type}) needs {type.Size} bytes, got {fixedBytes.Length}.");
                }

                fixedBytes.CopyTo(word);
                AppendSpan(output, word);
                break;
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
                byte[] payload = type.Kind == AbiTypeKind.String
                    ? Encoding.UTF8.GetBytes(value as string ?? throw WrongType(type, value, path))
                    : ToBytes(value, type, path).ToArray();
                AppendWord(output, new BigInteger(payload.Length));
                output.AddRange(payload);
                AppendZeros(output, (Word - (payload.Length % Word)) % Word);
                break;
            case AbiTypeKind.Array:
                IList items = AsList(value, type, path);
                if (type.ArrayLength is { } length)
                {
                    if (items.Count != length)
                    {
                        throw new ArgumentException($"ABI encode: {path} ({type}) needs {length} elements, got {items.Count}.");
                    }
                }
                else
                {
                    AppendWord(output, new BigInteger(items.Count));
                }

                var elementTypes = new AbiType[items.Count];
                Array.Fill(elementTypes, type.ElementType!);
                EncodeSequence(elementTypes, items.Cast<object?>().ToArray(), output, path);
                break;
            case AbiTypeKind.Tuple:
                IList fields = AsList(value, type, path);
                if (fields.Count != type.Components.Count)
                {
                    throw new ArgumentException($"ABI encode: {path} ({type}) needs {type.Components.Count} fields, got {fields.Count}.");
                }

                EncodeSequence(type.Components, fields.Cast<object?>().ToArray(), output, path);
                break;
        }
    }

    private static object?[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, int depth)
    {
        if (depth > 32)
        {
            throw new FormatException($"ABI decode: nesting deeper than 32 at byte {start}.");
        }

        var result = new object?[types.Count];
        int head = start;
        for (int i = 0; i < types.Count; i++)
        {
            AbiType type = types[i];
            if (type.IsDynamic)
            {
                long offset = ReadLength(data, head, "offset");
                long target = start + offset;
                if (target > data.Length)
                {
                    throw new FormatException($"ABI decode: offset {offset} at byte {head} points past the end ({data.Length} bytes).");
                }

                result[i] = DecodeValue(type, data, (int)target, depth, head);
            }
            else
            {
                result[i] = DecodeValue(type, data, head, depth, head);
            }

            head += type.HeadSize;
        }

        return result;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int position, int depth, int headPosition)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
            case AbiTypeKind.Int:
                return ReadInteger(type, ReadWord(data, position), position);
            case AbiTypeKind.Address:
                ReadOnlySpan<byte> addressWord = ReadWord(data, position);
                RequireZero(addressWord[..12], position, type);
                return new EthAddress(addressWord[12..]);
            case AbiTypeKind.Bool:
                ReadOnlySpan<byte> boolWord = ReadWord(data, position);
                RequireZero(boolWord[..31], position, type);
                return boolWord[31] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new FormatException($"ABI decode: bool at byte {position} is {boolWord[31]}, not 0 or 1."),
                };
            case AbiTypeKind.FixedBytes:
                ReadOnlySpan<byte> fixedWord = ReadWord(data, position);
                RequireZero(fixedWord[type.Size..], position, type);
                return fixedWord[..type.Size].ToArray();
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
                long length = ReadLength(data, position, "length");
                long payloadStart = position + Word;
                if (length > data.Length - payloadStart)
                {
                    throw new FormatException($"ABI decode: {type} at byte {position} has length {length} but only {data.Length - payloadStart} bytes follow.");
                }

                ReadOnlySpan<byte> payload = data.Slice((int)payloadStart, (int)length);
                if (type.Kind == AbiTypeKind.Bytes)
                {
                    return payload.ToArray();
                }

                try
                {
                    return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
                }
                catch (DecoderFallbackException)
                {
                    throw new FormatException($"ABI decode: string at byte {position} is not valid UTF-8.");
                }

            case AbiTypeKind.Array:
                int count;
                int elementsStart;
                if (type.ArrayLength is { } fixedLength)
                {
                    count = fixedLength;
                    elementsStart = position;
                }
                else
                {
                    long declared = ReadLength(data, position, "array length");
                    elementsStart = position + Word;
                    // Each element needs at least one head word, which bounds the allocation by the input size.
                    if (declared > (data.Length - elementsStart) / (long)Word)
                    {
                        throw new FormatException($"ABI decode: {type} at byte {position} claims {declared} elements, more than the data holds.");
                    }

                    count = (int)declared;
                }

                var elementTypes = new AbiType[count];
                Array.Fill(elementTypes, type.ElementType!);
                return DecodeSequence(elementTypes, data, elementsStart, depth + 1);
            case AbiTypeKind.Tuple:
                return DecodeSequence(type.Components, data, position, depth + 1);
            default:
                throw new FormatException($"ABI decode: unsupported type {type} at byte {headPosition}.");
        }
    }

    private static ReadOnlySpan<byte> ReadWord(ReadOnlySpan<byte> data, int position)
    {
        if (position < 0 || position > data.Length - Word)
        {
            throw new FormatException($"ABI decode: need 32 bytes at byte {position}, data is {data.Length} bytes.");
        }

        return data.Slice(position, Word);
    }

    private static long ReadLength(ReadOnlySpan<byte> data, int position, string what)
    {
        ReadOnlySpan<byte> word = ReadWord(data, position);
        if (word[..24].ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"ABI decode: {what} at byte {position} is too large.");
        }

        ulong value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        if (value > int.MaxValue)
        {
            throw new FormatException($"ABI decode: {what} {value} at byte {position} is too large.");
        }

        return (long)value;
    }

    private static BigInteger ReadInteger(AbiType type, ReadOnlySpan<byte> word, int position)
    {
        int padBytes = (256 - type.Size) / 8;
        if (type.Kind == AbiTypeKind.UInt)
        {
            RequireZero(word[..padBytes], position, type);
            return new BigInteger(word, isUnsigned: true, isBigEndian: true);
        }

        // intN: the padding must be the sign extension of the N-bit value.
        var value = new BigInteger(word, isUnsigned: false, isBigEndian: true);
        BigInteger limit = BigInteger.One << (type.Size - 1);
        if (value < -limit || value >= limit)
        {
            throw new FormatException($"ABI decode: {type} at byte {position} is out of range (bad sign extension).");
        }

        return value;
    }

    private static void WriteInteger(AbiType type, BigInteger value, Span<byte> word, string path)
    {
        BigInteger min = type.Kind == AbiTypeKind.UInt ? BigInteger.Zero : -(BigInteger.One << (type.Size - 1));
        BigInteger max = type.Kind == AbiTypeKind.UInt ? (BigInteger.One << type.Size) - 1 : (BigInteger.One << (type.Size - 1)) - 1;
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(path, value, $"ABI encode: {path} does not fit in {type}.");
        }

        BigInteger unsigned = value.Sign < 0 ? (BigInteger.One << 256) + value : value;
        Secp256k1.WriteWord(unsigned, word);
    }

    private static BigInteger ToBigInteger(object value, AbiType type, string path) => value switch
    {
        BigInteger v => v,
        int v => v,
        long v => v,
        uint v => v,
        ulong v => v,
        short v => v,
        ushort v => v,
        byte v => v,
        sbyte v => v,
        _ => throw WrongType(type, value, path),
    };

    private static ReadOnlySpan<byte> ToBytes(object value, AbiType type, string path) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.Span,
        Memory<byte> memory => memory.Span,
        _ => throw WrongType(type, value, path),
    };

    private static IList AsList(object value, AbiType type, string path)
    {
        if (value is IList list)
        {
            return list;
        }

        if (value is ITuple tuple)
        {
            var items = new object?[tuple.Length];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = tuple[i];
            }

            return items;
        }

        throw WrongType(type, value, path);
    }

    private static EthAddress ParseAddress(string text, string path)
    {
        try
        {
            return EthAddress.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"ABI encode: {path} (address): {e.Message}", e);
        }
    }

    private static ArgumentException WrongType(AbiType type, object value, string path) =>
        new($"ABI encode: {path} ({type}) cannot be encoded from a {value.GetType().Name}.");

    private static void RequireZero(ReadOnlySpan<byte> padding, int position, AbiType type)
    {
        if (padding.ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"ABI decode: {type} at byte {position} has non-zero padding.");
        }
    }

    private static void AppendWord(List<byte> output, BigInteger value)
    {
        Span<byte> word = stackalloc byte[Word];
        Secp256k1.WriteWord(value, word);
        AppendSpan(output, word);
    }

    private static void WriteWordAt(List<byte> output, int position, BigInteger value)
    {
        Span<byte> word = stackalloc byte[Word];
        Secp256k1.WriteWord(value, word);
        for (int i = 0; i < Word; i++)
        {
            output[position + i] = word[i];
        }
    }

    private static void AppendSpan(List<byte> output, ReadOnlySpan<byte> bytes) => output.AddRange(bytes);

    private static void AppendZeros(List<byte> output, int count)
    {
        for (int i = 0; i < count; i++)
        {
            output.Add(0);
        }
    }
}
