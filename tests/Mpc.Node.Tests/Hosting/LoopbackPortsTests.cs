using System.Net;
using System.Net.Sockets;
using Mpc.Node.Hosting;

namespace Mpc.Node.Tests.Hosting;

public sealed class LoopbackPortsTests
{
    [Fact]
    public void Reserved_ports_and_the_ports_after_them_are_distinct_free_and_below_the_ephemeral_range()
    {
        int[] ports = LoopbackPorts.Reserve(8);

        Assert.Equal(8, ports.Length);
        var all = ports.SelectMany(p => new[] { p, p + 1 }).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count()); // no node's peer port is another node's port
        Assert.All(all, p => Assert.InRange(p, 10_000, LoopbackPorts.EphemeralRangeStart - 1));
        // Released, so a node can bind each of them.
        foreach (int port in all)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }

    [Fact]
    public void On_Linux_the_ephemeral_range_is_the_kernels()
    {
        string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
        int start = int.Parse(range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.Equal(start > 11_000 ? start : 49_152, LoopbackPorts.EphemeralRangeStart);
        Assert.Empty(LoopbackPorts.Reserve(0));
    }
}
