using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>Recursive Length Prefix encoding (Yellow Paper, Appendix B).</summary>
/// <remarks>
/// A byte string of length 1 below 0x80 is itself; otherwise a string gets 0x80+len (len ≤ 55) or
/// 0xb7+len(len) ‖ len, and a list of concatenated encodings 0xc0+len or 0xf7+len(len) ‖ len. Integers are
/// big-endian with no leading zeros (zero is the empty string). Decoding rejects every non-canonical form.
/// </remarks>
public static class Rlp
{
    /// <summary>Encodes a byte string.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            return [value[0]];
        }

        byte[] result = new byte[PrefixLength(value.Length) + value.Length];
        int offset = WritePrefix(result, 0x80, value.Length);
        value.CopyTo(result.AsSpan(offset));
        return result;
    }

    /// <summary>Encodes the UTF-8 bytes of a string.</summary>
    public static byte[] EncodeString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return EncodeBytes(System.Text.Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Encodes a non-negative integer as its minimal big-endian bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static byte[] EncodeInteger(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "RLP encodes only non-negative integers.");
        }

        return value.IsZero ? [0x80] : EncodeBytes(value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>Encodes a non-negative integer as its minimal big-endian bytes.</summary>
    public static byte[] EncodeInteger(ulong value) => EncodeInteger(new BigInteger(value));

    /// <summary>Encodes a list whose items are already RLP-encoded.</summary>
    public static byte[] EncodeList(params ReadOnlySpan<byte[]> encodedItems)
    {
        int payload = 0;
        foreach (byte[] item in encodedItems)
        {
            payload += item.Length;
        }

        byte[] result = new byte[PrefixLength(payload) + payload];
        int offset = WritePrefix(result, 0xc0, payload);
        foreach (byte[] item in encodedItems)
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }

        return result;
    }

    /// <summary>Decodes exactly one item that spans all of <paramref name="encoded"/>.</summary>
    /// <exception cref="FormatException">Truncated, trailing or non-canonical input; the message names the offset.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        int position = 0;
        RlpItem item = DecodeItem(encoded, ref position, depth: 0);
        if (position != encoded.Length)
        {
            throw new FormatException($"RLP: {encoded.Length - position} trailing bytes after the item at offset {position}.");
        }

        return item;
    }

    private static RlpItem DecodeItem(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException($"RLP: lists nested deeper than 64 at offset {position}.");
        }

        if (position >= data.Length)
        {
            throw new FormatException($"RLP: input ends at offset {position} where an item was expected.");
        }

        int start = position;
        byte prefix = data[position++];
        if (prefix < 0x80)
        {
            return RlpItem.FromBytes([prefix]);
        }

        bool isList = prefix >= 0xc0;
        int shortBase = isList ? 0xc0 : 0x80;
        int length;
        if (prefix - shortBase <= 55)
        {
            length = prefix - shortBase;
        }
        else
        {
            int lengthOfLength = prefix - shortBase - 55;
            if (lengthOfLength > 4 || position + lengthOfLength > data.Length)
            {
                throw new FormatException($"RLP: length-of-length {lengthOfLength} at offset {start} is too large or truncated.");
            }

            if (data[position] == 0)
            {
                throw new FormatException($"RLP: length at offset {start} has a leading zero byte.");
            }

            long longLength = 0;
            for (int i = 0; i < lengthOfLength; i++)
            {
                longLength = (longLength << 8) | data[position++];
            }

            if (longLength <= 55)
            {
                throw new FormatException($"RLP: long form used for length {longLength} at offset {start}.");
            }

            if (longLength > int.MaxValue)
            {
                throw new FormatException($"RLP: length {longLength} at offset {start} is too large.");
            }

            length = (int)longLength;
        }

        if (length > data.Length - position)
        {
            throw new FormatException($"RLP: item at offset {start} claims {length} bytes but only {data.Length - position} remain.");
        }

        ReadOnlySpan<byte> payload = data.Slice(position, length);
        position += length;
        if (!isList)
        {
            if (length == 1 && payload[0] < 0x80)
            {
                throw new FormatException($"RLP: single byte 0x{payload[0]:x2} at offset {start} must be encoded as itself.");
            }

            return RlpItem.FromBytes(payload.ToArray());
        }

        var items = new List<RlpItem>();
        int inner = 0;
        while (inner < payload.Length)
        {
            items.Add(DecodeItem(payload, ref inner, depth + 1));
        }

        return RlpItem.FromList(items);
    }

    private static int PrefixLength(int length) => length <= 55 ? 1 : 1 + LengthOfLength(length);

    private static int LengthOfLength(int length)
    {
        int bytes = 0;
        for (int l = length; l > 0; l >>= 8)
        {
            bytes++;
        }

        return bytes;
    }

    private static int WritePrefix(Span<byte> destination, byte shortBase, int length)
    {
        if (length <= 55)
        {
            destination[0] = (byte)(shortBase + length);
            return 1;
        }

        int lengthOfLength = LengthOfLength(length);
        destination[0] = (byte)(shortBase + 55 + lengthOfLength);
        for (int i = lengthOfLength; i >= 1; i--)
        {
            destination[i] = (byte)length;
            length >>= 8;
        }

        return 1 + lengthOfLength;
    }
}
