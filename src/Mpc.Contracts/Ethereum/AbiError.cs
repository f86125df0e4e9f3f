namespace Mpc.Contracts.Ethereum;

/// <summary>A Solidity custom error such as <c>NotMember(address node)</c>, recognised in revert data by its selector.</summary>
public sealed class AbiError
{
    private readonly byte[] _selector;

    private AbiError(string name, IReadOnlyList<AbiParameter> parameters)
    {
        Name = name;
        Parameters = parameters;
        Signature = AbiSignatureParser.Canonical(name, parameters);
        _selector = Keccak256.Hash(Signature)[..4];
    }

    /// <summary>The error name.</summary>
    public string Name { get; }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>The canonical signature.</summary>
    public string Signature { get; }

    /// <summary>The 4-byte selector that starts the revert data.</summary>
    public ReadOnlySpan<byte> Selector => _selector;

    /// <summary>Parses an error signature; a leading <c>error</c> keyword is ignored.</summary>
    public static AbiError Parse(string signature)
    {
        (string name, List<AbiParameter> inputs, _) = AbiSignatureParser.ParseSignature(signature, "Error");
        return new AbiError(name, inputs);
    }

    /// <summary>Whether <paramref name="revertData"/> starts with this error's selector.</summary>
    public bool Matches(ReadOnlySpan<byte> revertData) =>
        revertData.StartsWith(_selector);

    /// <summary>Decodes the arguments that follow the selector.</summary>
    /// <exception cref="FormatException">The data is not this error or does not decode.</exception>
    public object?[] Decode(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData))
        {
            throw new FormatException($"Revert data does not start with the selector of {Signature}.");
        }

        return Abi.Decode(Parameters.Select(static p => p.Type).ToArray(), revertData[4..]);
    }

    /// <summary>The canonical signature.</summary>
    public override string ToString() => Signature;
}
