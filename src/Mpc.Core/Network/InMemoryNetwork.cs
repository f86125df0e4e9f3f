namespace Mpc.Core.Network;

/// <summary>Placeholder so the XML cref resolves; implemented by the protocols work.</summary>
public static partial class InMemoryNetwork
{
}
