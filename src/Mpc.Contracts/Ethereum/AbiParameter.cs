namespace Mpc.Contracts.Ethereum;

/// <summary>One parameter of a function, event or error: its type, optional name and (events only) whether it is indexed.</summary>
/// <param name="Type">The ABI type.</param>
/// <param name="Name">The parameter name, or <see langword="null"/> when the signature gave none.</param>
/// <param name="Indexed">For event parameters: whether the value is a topic rather than part of the data.</param>
public sealed record AbiParameter(AbiType Type, string? Name = null, bool Indexed = false);
