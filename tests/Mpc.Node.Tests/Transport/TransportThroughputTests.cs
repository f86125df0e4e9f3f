using System.Diagnostics;
using Mpc.Core.Network;
using Xunit.Abstractions;

namespace Mpc.Node.Tests.Transport;

/// <summary>Reports loopback throughput and latency figures (test output, not assertions on time).</summary>
/// <remarks>Run: <c>dotnet test tests/Mpc.Node.Tests --filter "FullyQualifiedName~Throughput" --logger "console;verbosity=detailed"</c>.</remarks>
public sealed class TransportThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Throughput_AndRoundTrip_BetweenTwoNodes()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        var a = cluster[0].Transport;
        var b = cluster[1].Transport;

        // Bulk: 48 messages of 4 MiB (a round of 262 144 Beaver multiplications at 16 bytes each) one way, pipelined.
        const int count = 48, size = 4 << 20;
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        await a.SendAsync(1, new MessageTag(100, 0), payload);
        await b.ReceiveAsync(0, new MessageTag(100, 0));
        var clock = Stopwatch.StartNew();
        var receiving = Task.Run(async () =>
        {
            ReadOnlyMemory<byte> last = default;
            for (int i = 1; i <= count; i++)
                last = await b.ReceiveAsync(0, new MessageTag(100, (ulong)i));
            return last;
        });
        for (int i = 1; i <= count; i++)
            await a.SendAsync(1, new MessageTag(100, (ulong)i), payload);
        var lastReceived = await receiving;
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.True(lastReceived.Span.SequenceEqual(payload));
        double megabytesPerSecond = count * (double)size / seconds / 1e6;

        // Latency: dependent ping-pong of 16-byte messages (one Beaver opening's worth per peer).
        const int rounds = 2000;
        var small = new byte[16];
        var echo = Task.Run(async () =>
        {
            for (int i = 0; i < rounds; i++)
            {
                var ping = await b.ReceiveAsync(0, new MessageTag(200, (ulong)i));
                await b.SendAsync(0, new MessageTag(201, (ulong)i), ping);
            }
        });
        var samples = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            small[0] = (byte)i;
            await a.SendAsync(1, new MessageTag(200, (ulong)i), small.ToArray());
            var pong = await a.ReceiveAsync(1, new MessageTag(201, (ulong)i));
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Assert.Equal((byte)i, pong.Span[0]);
        }
        await echo;
        Array.Sort(samples);
        var steady = samples.AsSpan(0, rounds);

        output.WriteLine($"payload throughput node0->node1: {megabytesPerSecond:F0} MB/s ({count} x {size >> 20} MiB in {seconds:F2} s) = {megabytesPerSecond * 1e6 / 16 / 1e6:F1} M mult-openings/s per link");
        output.WriteLine($"round trip, 16-byte message: median {steady[rounds / 2]:F3} ms, p90 {steady[rounds * 9 / 10]:F3} ms, min {steady[0]:F3} ms over {rounds}");
    }
}
