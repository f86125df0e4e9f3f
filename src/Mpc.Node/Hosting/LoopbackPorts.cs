using System.Net;
using System.Net.Sockets;

namespace Mpc.Node.Hosting;

/// <summary>Free TCP ports on loopback for local clusters (`mpc cluster up`, tests).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago, each together with the port after it
    /// (a node's default peer port, <see cref="PeerOptions.ResolvedPeerPort"/>); all were bound together, then released.
    /// </summary>
    /// <remarks>Another process may take a port before the node binds it; local development clusters accept that race.</remarks>
    public static int[] Reserve(int count)
    {
        var held = new List<TcpListener>();
        var ports = new List<int>(count);
        try
        {
            while (ports.Count < count)
            {
                var first = new TcpListener(IPAddress.Loopback, 0);
                first.Start();
                held.Add(first);
                int port = ((IPEndPoint)first.LocalEndpoint).Port;
                if (port == IPEndPoint.MaxPort)
                    continue;
                var second = new TcpListener(IPAddress.Loopback, port + 1);
                try
                {
                    second.Start();
                }
                catch (SocketException)
                {
                    continue; // the next port is taken: keep this one held so the system picks another
                }
                held.Add(second);
                ports.Add(port);
            }
        }
        finally
        {
            foreach (var listener in held)
                listener.Stop();
        }
        return [.. ports];
    }
}
