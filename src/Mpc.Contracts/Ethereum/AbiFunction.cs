namespace Mpc.Contracts.Ethereum;

/// <summary>A contract function parsed from a human-readable signature, e.g. <c>balanceOf(address owner) returns (uint256)</c>.</summary>
/// <remarks>The selector is the first four bytes of keccak256 of the canonical signature (Solidity ABI spec, "Function Selector").</remarks>
public sealed class AbiFunction
{
    private readonly byte[] _selector;

    private AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Signature = AbiSignatureParser.Canonical(name, inputs);
        _selector = Keccak256.Hash(Signature)[..4];
    }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The input parameters.</summary>
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The output parameters (empty when the signature had no <c>returns</c>).</summary>
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>Parses <c>name(type [name], …) [returns (type, …)]</c>; a leading <c>function</c> and modifiers are ignored.</summary>
    /// <exception cref="FormatException">The signature is malformed or uses an unsupported type.</exception>
    public static AbiFunction Parse(string signature)
    {
        (string name, List<AbiParameter> inputs, List<AbiParameter> outputs) = AbiSignatureParser.ParseSignature(signature, "Function");
        return new AbiFunction(name, inputs, outputs);
    }

    /// <summary>Encodes <c>selector ‖ encode(args)</c>.</summary>
    /// <exception cref="ArgumentException">Wrong argument count or a value that does not fit its type; the message names the function.</exception>
    public byte[] EncodeCall(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != Inputs.Count)
        {
            throw new ArgumentException($"{Signature} takes {Inputs.Count} arguments, got {args.Length}.", nameof(args));
        }

        byte[] encoded;
        try
        {
            encoded = Abi.Encode(Inputs.Select(static p => p.Type).ToArray(), args);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{Signature}: {e.Message}", nameof(args), e);
        }

        var result = new byte[4 + encoded.Length];
        _selector.CopyTo(result, 0);

        encoded.CopyTo(result, 4);
        return result;
    }

    /// <summary>Decodes the return data of a call into the <see cref="Outputs"/> values.</summary>
    /// <exception cref="FormatException">The data does not match the output types; the message names the function.</exception>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData)
    {
        try
        {
            return Abi.Decode(Outputs.Select(static p => p.Type).ToArray(), returnData);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{Signature} returned data that does not decode as ({string.Join(",", Outputs.Select(static o => o.Type))}): {e.Message}", e);
        }
    }

    /// <summary>The canonical signature.</summary>
    public override string ToString() => Signature;
}
