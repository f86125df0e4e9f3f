using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mpc.Node.Hosting;

/// <summary>Free TCP ports on loopback for local clusters (`mpc cluster up`, `mpc bench`, tests).</summary>
public static class LoopbackPorts
{
    // Below the kernel's ephemeral range, above the well-known and most registered service ports.
    private const int Floor = 10_000;

    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago, each together with the port after it
    /// (a node's default peer port, <see cref="PeerOptions.ResolvedPeerPort"/>); all were bound together, then released.
    /// </summary>
    /// <remarks>
    /// <para>The ports are drawn at random from below the system's ephemeral range (<see cref="EphemeralRangeStart"/>).
    /// A port the kernel hands out for "any free port" comes from that range, and so does the local port of every
    /// outgoing connection: once released, such a port could be taken by any connection on the machine before the node
    /// binds it. That happened in the test suite, whose processes dial gRPC, anvil and peers while others start nodes.</para>
    /// <para>Another process may still bind a port between this call and the node's bind; local development clusters
    /// accept that race, which random choice over some 20,000 ports makes rare.</para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">No <paramref name="count"/> free pairs were found.</exception>
    public static int[] Reserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int end = EphemeralRangeStart; // exclusive: port + 1 stays below it
        var held = new List<TcpListener>();
        var ports = new List<int>(count);
        try
        {
            for (int attempt = 0; ports.Count < count; attempt++)
            {
                if (attempt == 10_000)
                    throw new InvalidOperationException($"found only {ports.Count} of {count} free pairs of loopback ports in {Floor}–{end - 1}");
                // Ports already chosen (and their neighbours) are held, so a candidate that overlaps them fails to bind.
                int port = Random.Shared.Next(Floor, end - 1);
                if (TryHold(port, held) && TryHold(port + 1, held))
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

    /// <summary>The first port of the range the system takes ephemeral ports from (Linux: <c>net.ipv4.ip_local_port_range</c>; elsewhere the IANA 49152).</summary>
    public static int EphemeralRangeStart
    {
        get
        {
            try
            {
                string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
                int start = int.Parse(range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
                // A range that leaves no room below it keeps no port safe from outgoing connections: use the IANA start then.
                return start > Floor + 1_000 ? start : 49_152;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return 49_152;
            }
        }
    }

    private static bool TryHold(int port, List<TcpListener> held)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            return false;
        }
        held.Add(listener);
        return true;
    }
}
