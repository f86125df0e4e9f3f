using System.Net;
using System.Net.Sockets;

namespace Mpc.Node.Hosting;

/// <summary>Free TCP ports on loopback for local clusters (`mpc cluster up`, tests).</summary>
public static class LoopbackPorts
{
    /// <summary>Returns <paramref name="count"/> distinct ports that were free a moment ago (bound together, then released).</summary>
    /// <remarks>Another process may take a port before the node binds it; local development clusters accept that race.</remarks>
    public static int[] Reserve(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
            listener.Start();
        int[] ports = [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        foreach (var listener in listeners)
            listener.Stop();
        return ports;
    }
}
