using System.Numerics;
using System.Text;

namespace Mpc.Contracts.Ethereum;

/// <summary>EIP-712 typed structured data hashing: type hashes, struct hashes, domain separators and the signing digest.</summary>
/// <remarks>
/// EIP-712: <c>hashStruct(s) = keccak256(typeHash ‖ encodeData(s))</c> with <c>typeHash = keccak256(encodeType)</c>;
/// each member is one 32-byte word: atomic values ABI-encoded, <c>string</c>/<c>bytes</c> as keccak256 of their
/// contents, arrays as keccak256 of their elements' words concatenated, and nested structs as their own hashStruct
/// (which the caller passes in as 32 bytes). The digest to sign is <c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))</c>.
/// </remarks>
public static class Eip712
{
    /// <summary>The type string of the four-field domain this project uses.</summary>
    public const string DomainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

    /// <summary>keccak256 of the encoded type string, e.g. <c>Mail(Person from,Person to,string contents)Person(string name,address wallet)</c>.</summary>
    public static byte[] TypeHash(string encodeType)
    {
        ArgumentNullException.ThrowIfNull(encodeType);
        return Keccak256.Hash(encodeType);
    }

    /// <summary>The domain separator for <see cref="DomainType"/>.</summary>
    public static byte[] DomainSeparator(string name, string version, BigInteger chainId, EthAddress verifyingContract) =>
        HashStruct(DomainType, name, version, chainId, verifyingContract);

    /// <summary>
    /// hashStruct of the primary (first) type in <paramref name="encodeType"/> with member values in declaration order.
    /// Nested struct members are passed as their 32-byte struct hash.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong value count or a value that does not fit its member type; the message names the member.</exception>
    public static byte[] HashStruct(string encodeType, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(encodeType);
        ArgumentNullException.ThrowIfNull(values);
        List<AbiSignatureParser.Member> members = PrimaryMembers(encodeType);
        if (members.Count != values.Length)
        {
            throw new ArgumentException($"EIP-712 {encodeType}: {members.Count} members but {values.Length} values.", nameof(values));
        }

        var buffer = new byte[32 * (members.Count + 1)];
        TypeHash(encodeType).CopyTo(buffer, 0);
        for (int i = 0; i < members.Count; i++)
        {
            EncodeMember(members[i].Type, values[i], buffer.AsSpan(32 * (i + 1), 32), $"{members[i].Name} ({members[i].Type})");
        }

        return Keccak256.Hash(buffer);
    }

    /// <summary>The digest to sign: <c>keccak256(0x1901 ‖ domainSeparator ‖ structHash)</c>.</summary>
    /// <exception cref="ArgumentException">Either input is not 32 bytes.</exception>
    public static byte[] Digest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        if (domainSeparator.Length != 32 || structHash.Length != 32)
        {
            throw new ArgumentException($"EIP-712 digest needs two 32-byte hashes, got {domainSeparator.Length} and {structHash.Length} bytes.");
        }

        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak256.Hash(buffer);
    }

    private static void EncodeMember(string type, object? value, Span<byte> word, string what)
    {
        switch (type)
        {
            case "string":
                Keccak256.Hash(Encoding.UTF8.GetBytes(value as string ?? throw new ArgumentException($"EIP-712 member {what} needs a string.")), word);
                return;
            case "bytes":
                Keccak256.Hash(value as byte[] ?? throw new ArgumentException($"EIP-712 member {what} needs a byte[]."), word);
                return;
        }

        if (type.EndsWith(']'))
        {
            string elementType = type[..type.LastIndexOf('[')];
            var items = value as System.Collections.IList ?? throw new ArgumentException($"EIP-712 member {what} needs a list.");
            var concatenated = new byte[32 * items.Count];
            for (int i = 0; i < items.Count; i++)
            {
                EncodeMember(elementType, items[i], concatenated.AsSpan(32 * i, 32), $"{what}[{i}]");
            }

            Keccak256.Hash(concatenated, word);
            return;
        }

        AbiType abiType;
        try
        {
            abiType = AbiType.Parse(type);
        }
        catch (FormatException)
        {
            // Not an ABI type, so a struct name: the caller supplies hashStruct of the nested value.
            if (value is byte[] { Length: 32 } hash)
            {
                hash.CopyTo(word);
                return;
            }

            throw new ArgumentException($"EIP-712 member {what} is a struct; pass its 32-byte hashStruct.");
        }

        try
        {
            Abi.Encode([abiType], [value]).CopyTo(word);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"EIP-712 member {what}: {e.Message}", e);
        }
    }

    private static List<AbiSignatureParser.Member> PrimaryMembers(string encodeType)
    {
        int open = encodeType.IndexOf('(');
        int close = encodeType.IndexOf(')');
        if (open <= 0 || close < open)
        {
            throw new FormatException($"EIP-712 type '{encodeType}' must look like Name(type name,…).");
        }

        var members = new List<AbiSignatureParser.Member>();
        string list = encodeType[(open + 1)..close];
        if (list.Length == 0)
        {
            return members;
        }

        foreach (string member in list.Split(','))
        {
            string[] parts = member.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"EIP-712 type '{encodeType}': member '{member}' must be 'type name'.");
            }

            members.Add(new AbiSignatureParser.Member(parts[0], parts[1]));
        }

        return members;
    }
}
