namespace Mpc.Contracts.Ethereum;

/// <summary>Parses human-readable signatures such as <c>transfer(address to, uint256 amount) returns (bool)</c>.</summary>
internal static class AbiSignatureParser
{
    /// <summary>A raw <c>type name</c> pair as EIP-712 type strings write members.</summary>
    internal readonly record struct Member(string Type, string Name);

    /// <summary>The canonical signature <c>name(type1,type2,…)</c> that selectors and topics hash.</summary>
    internal static string Canonical(string name, IEnumerable<AbiParameter> parameters) =>
        name + "(" + string.Join(",", parameters.Select(static p => p.Type.CanonicalName)) + ")";

    /// <summary>Parses <c>name(params)</c> optionally followed by <c>returns (params)</c>.</summary>
    internal static (string Name, List<AbiParameter> Inputs, List<AbiParameter> Outputs) ParseSignature(string signature, string what)
    {
        ArgumentNullException.ThrowIfNull(signature);
        string text = signature.Trim();
        foreach (string keyword in (string[])["function ", "event ", "error "])
        {
            if (text.StartsWith(keyword, StringComparison.Ordinal))
            {
                text = text[keyword.Length..].TrimStart();
            }
        }

        int open = text.IndexOf('(');
        if (open <= 0)
        {
            throw new FormatException($"{what} signature '{signature}' must look like name(type,…).");
        }

        string name = text[..open].Trim();
        if (!IsIdentifier(name))
        {
            throw new FormatException($"{what} signature '{signature}': '{name}' is not an identifier.");
        }

        int close = MatchingParen(text, open, signature);
        List<AbiParameter> inputs = ParseParameters(text[(open + 1)..close], signature);
        string rest = text[(close + 1)..].Trim();
        // Modifiers a copied Solidity declaration may carry do not change the ABI.
        string[] modifiers = ["external", "public", "view", "pure", "payable", "nonpayable"];
        for (string? found = ""; found is not null;)
        {
            found = modifiers.FirstOrDefault(m => rest.StartsWith(m, StringComparison.Ordinal)
                && (rest.Length == m.Length || char.IsWhiteSpace(rest[m.Length])));
            rest = found is null ? rest : rest[found.Length..].TrimStart();
        }

        List<AbiParameter> outputs = [];
        if (rest.Length > 0)
        {
            if (!rest.StartsWith("returns", StringComparison.Ordinal))
            {
                throw new FormatException($"{what} signature '{signature}': unexpected '{rest}' after the parameter list.");
            }

            string returns = rest["returns".Length..].Trim();
            if (returns.Length < 2 || returns[0] != '(' || MatchingParen(returns, 0, signature) != returns.Length - 1)
            {
                throw new FormatException($"{what} signature '{signature}': returns must be followed by (type,…).");
            }

            outputs = ParseParameters(returns[1..^1], signature);
        }

        return (name, inputs, outputs);
    }

    /// <summary>Parses a comma-separated parameter list (without the outer parentheses).</summary>
    internal static List<AbiParameter> ParseParameters(string list, string context)
    {
        var result = new List<AbiParameter>();
        if (string.IsNullOrWhiteSpace(list))
        {
            return result;
        }

        foreach (string part in SplitTopLevel(list, context))
        {
            result.Add(ParseParameter(part.Trim(), context));
        }

        return result;
    }

    internal static AbiType ParseType(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("Empty ABI type.");
        }

        // Split off trailing array suffixes: T[2][] is an array (dynamic) of T[2].
        if (text[^1] == ']')
        {
            int open = text.LastIndexOf('[');
            if (open <= 0)
            {
                throw new FormatException($"ABI type '{text}' has an unmatched ']'.");
            }

            AbiType element = ParseType(text[..open]);
            string lengthText = text[(open + 1)..^1].Trim();
            if (lengthText.Length == 0)
            {
                return AbiType.ArrayOf(element);
            }

            if (!int.TryParse(lengthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int length) || length == 0)
            {
                throw new FormatException($"ABI type '{text}' has an invalid array length '{lengthText}'.");
            }

            return AbiType.ArrayOf(element, length);
        }

        if (text.StartsWith("tuple(", StringComparison.Ordinal))
        {
            text = text["tuple".Length..];
        }

        if (text[0] == '(')
        {
            if (MatchingParen(text, 0, text) != text.Length - 1)
            {
                throw new FormatException($"ABI type '{text}' has unbalanced parentheses.");
            }

            return AbiType.TupleOf(ParseParameters(text[1..^1], text).Select(static p => p.Type).ToArray());
        }

        return text switch
        {
            "address" => AbiType.Address,
            "bool" => AbiType.Bool,
            "string" => AbiType.String,
            "bytes" => AbiType.Bytes,
            "uint" => AbiType.UInt256,
            "int" => AbiType.Elementary(AbiTypeKind.Int, 256),
            _ when text.StartsWith("uint", StringComparison.Ordinal) => Sized(AbiTypeKind.UInt, text, 4),
            _ when text.StartsWith("int", StringComparison.Ordinal) => Sized(AbiTypeKind.Int, text, 3),
            _ when text.StartsWith("bytes", StringComparison.Ordinal) => Sized(AbiTypeKind.FixedBytes, text, 5),
            _ => throw new FormatException($"Unsupported ABI type '{text}'."),
        };
    }

    private static AbiType Sized(AbiTypeKind kind, string text, int prefix)
    {
        if (!int.TryParse(text.AsSpan(prefix), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
        {
            throw new FormatException($"Unsupported ABI type '{text}'.");
        }

        try
        {
            return AbiType.Elementary(kind, size);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new FormatException($"ABI type '{text}' has an invalid size {size}.");
        }
    }

    private static AbiParameter ParseParameter(string text, string context)
    {
        if (text.Length == 0)
        {
            throw new FormatException($"Signature '{context}' has an empty parameter.");
        }

        // The type ends at the first space outside parentheses; what follows is 'indexed', a data location, or the name.
        int depth = 0;
        int end = text.Length;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && char.IsWhiteSpace(c))
            {
                end = i;
                break;
            }
        }

        AbiType type = ParseType(text[..end]);
        bool indexed = false;
        string? name = null;
        foreach (string word in text[end..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (word == "indexed")
            {
                indexed = true;
            }
            else if (word is "memory" or "calldata" or "storage")
            {
                continue;
            }
            else if (name is null && IsIdentifier(word))
            {
                name = word;
            }
            else
            {
                throw new FormatException($"Signature '{context}': unexpected '{word}' in parameter '{text}'.");
            }
        }

        return new AbiParameter(type, name, indexed);
    }

    private static List<string> SplitTopLevel(string list, string context)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        throw new FormatException($"Signature '{context}' has an unmatched ')'.");
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(list[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"Signature '{context}' has an unmatched '('.");
        }

        parts.Add(list[start..]);
        return parts;
    }

    private static int MatchingParen(string text, int open, string context)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"Signature '{context}' has an unmatched '('.");
    }

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] is '_' or '$')
        && text.AsSpan().IndexOfAnyExcept(IdentifierChars) < 0;

    private static readonly System.Buffers.SearchValues<char> IdentifierChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$");
}
