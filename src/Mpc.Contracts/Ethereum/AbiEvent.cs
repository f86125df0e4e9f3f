namespace Mpc.Contracts.Ethereum;

/// <summary>An event parsed from <c>Name(type [indexed] [name], …)</c>, able to decode matching logs.</summary>
/// <remarks>
/// Solidity ABI spec, "Events": topic 0 is keccak256 of the canonical signature; each indexed static parameter is
/// one topic word, each indexed dynamic parameter (string, bytes, arrays, tuples) is the keccak256 of its encoding
/// and is returned as those 32 bytes; the non-indexed parameters are ABI-encoded together in the data.
/// Anonymous events are not supported.
/// </remarks>
public sealed class AbiEvent
{
    private readonly byte[] _topic;

    private AbiEvent(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = AbiSignatureParser.Canonical(name, parameters);
        _topic = Keccak256.Hash(Signature);
        if (parameters.Count(static p => p.Indexed) > 3)
        {
            throw new FormatException($"Event {Signature} has more than 3 indexed parameters.");
        }
    }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>All parameters in declaration order.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>The canonical signature, e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>Topic 0 of every log of this event.</summary>
    public ReadOnlySpan<byte> Topic => _topic;

    /// <summary>Parses an event signature; a leading <c>event</c> keyword is ignored.</summary>
    /// <exception cref="FormatException">The signature is malformed or has more than three indexed parameters.</exception>
    public static AbiEvent Parse(string signature)
    {
        (string name, List<AbiParameter> inputs, List<AbiParameter> outputs) = AbiSignatureParser.ParseSignature(signature, "Event");
        if (outputs.Count != 0)
        {
            throw new FormatException($"Event signature '{signature}' cannot have returns.");
        }

        return new AbiEvent(name, inputs);
    }

    /// <summary>Whether <paramref name="log"/> has this event's topic 0.</summary>
    public bool Matches(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.Topics.Count > 0 && log.Topics[0].AsSpan().SequenceEqual(_topic);
    }

    /// <summary>Decodes the parameter values of <paramref name="log"/> in declaration order.</summary>
    /// <exception cref="FormatException">The log is not this event, has the wrong number of topics, or its data does not decode.</exception>
    public object?[] Decode(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!Matches(log))
        {
            throw new FormatException($"Log from {log.Address} (tx {Hex.Encode(log.TransactionHash)}) is not a {Signature} event.");
        }

        int indexedCount = Parameters.Count(static p => p.Indexed);
        if (log.Topics.Count != indexedCount + 1)
        {
            throw new FormatException($"{Signature} log has {log.Topics.Count} topics, expected {indexedCount + 1}.");
        }

        object?[] data = Abi.Decode(Parameters.Where(static p => !p.Indexed).Select(static p => p.Type).ToArray(), log.Data);
        var values = new object?[Parameters.Count];
        int topic = 1;
        int dataIndex = 0;
        for (int i = 0; i < Parameters.Count; i++)
        {
            AbiParameter parameter = Parameters[i];
            if (!parameter.Indexed)
            {
                values[i] = data[dataIndex++];
            }
            else
            {
                byte[] word = log.Topics[topic++];
                if (word.Length != 32)
                {
                    throw new FormatException($"{Signature} log topic {topic - 1} is {word.Length} bytes, not 32.");
                }

                values[i] = parameter.Type.IsDynamic || parameter.Type.Kind == AbiTypeKind.Tuple || parameter.Type.Kind == AbiTypeKind.Array
                    ? word
                    : Abi.DecodeWord(parameter.Type, word);
            }
        }

        return values;
    }

    /// <summary>The canonical signature.</summary>
    public override string ToString() => Signature;
}
