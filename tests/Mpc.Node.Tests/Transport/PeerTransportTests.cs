using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Mpc.Client;
using Mpc.Core.Network;
using Mpc.Node.Transport;

namespace Mpc.Node.Tests.Transport;

public sealed class PeerTransportTests
{
    /// <summary>Deterministic content that differs per (sender, receiver, tag, position), so a misrouted message is caught.</summary>
    private static byte[] Message(int from, int to, MessageTag tag, int length)
    {
        var bytes = new byte[length];
        uint x = (uint)(from * 7919 + to * 104729) ^ (uint)tag.Session * 2654435761u ^ (uint)tag.Sequence * 40503u;
        for (int i = 0; i < length; i++)
        {
            x = x * 1664525u + 1013904223u;
            bytes[i] = (byte)(x >> 24);
        }
        return bytes;
    }

    [Fact]
    public void Link_sockets_complete_reads_inline_and_send_without_delay()
    {
        // The runtime's setting is internal: if a runtime drops it, this fails instead of the links silently going slow.
        // Socket only keeps the setter; the handle, where the runtime reads the setting, keeps the getter.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var inline = typeof(SafeSocketHandle).GetProperty("PreferInlineCompletions", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        Assert.False((bool)inline.GetValue(socket.SafeHandle)!); // the process default: other sockets keep the thread pool

        Assert.True(PeerTransport.Tune(socket));

        Assert.True((bool)inline.GetValue(socket.SafeHandle)!);
        Assert.True(socket.NoDelay);
    }

    [Fact]
    public async Task ThreeNodes_ExchangeSmallAndLargeMessagesBothWays_DemultiplexedByTag()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        // Two sessions, several sequences; one message per tag spans many TLS records (3 MiB + 17 bytes), one is empty.
        MessageTag[] tags = [new(1, 0), new(1, 1), new(2, 0), new(1, 2), new(2, 1)];
        int Length(MessageTag tag) => tag == new MessageTag(1, 1) ? (3 << 20) + 17 : tag == new MessageTag(2, 1) ? 0 : 16 + (int)tag.Sequence;

        var sends = new List<Task>();
        for (int from = 0; from < 3; from++)
            for (int to = 0; to < 3; to++)
                if (from != to)
                    foreach (var tag in tags)
                        sends.Add(cluster[from].Transport.SendAsync(to, tag, Message(from, to, tag, Length(tag))).AsTask());
        // Receive in the reverse order of sending, so messages must wait in the slot table.
        var receives = new List<Task>();
        for (int to = 0; to < 3; to++)
            for (int from = 0; from < 3; from++)
                if (from != to)
                    foreach (var tag in tags.Reverse())
                    {
                        int f = from, t = to;
                        var received = cluster[t].Transport.ReceiveAsync(f, tag);
                        receives.Add(Check(received, Message(f, t, tag, Length(tag))));
                    }
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(receives).WaitAsync(TimeSpan.FromSeconds(30));

        static async Task Check(ValueTask<ReadOnlyMemory<byte>> received, byte[] expected) =>
            Assert.True((await received).Span.SequenceEqual(expected));
    }

    [Fact]
    public async Task MessagesForARetiredSession_AreDropped_NotBufferedForever()
    {
        await using var cluster = new TestCluster(3, o => o.PoolTargetTriples = 0); // no pool traffic beside the test's messages
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        cluster[1].Transport.DiscardSession(9); // a finished job's session
        cluster[1].Transport.DiscardSession(10, retire: false); // a reused one

        await cluster[0].Transport.SendAsync(1, new MessageTag(9, 1), new byte[64]);
        await cluster[0].Transport.SendAsync(1, new MessageTag(10, 1), new byte[8]);
        // One connection per pair delivers in order: once (10, 1) is here, (9, 1) has been handled.
        var received = await cluster[1].Transport.ReceiveAsync(0, new MessageTag(10, 1)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(8, received.Length);
        Assert.Equal(0, cluster[1].Transport.BufferedMessages(0, session: 9));
        Assert.Equal(0, cluster[1].Transport.BufferedBytes(0)); // received messages leave the peer's budget
    }

    [Fact]
    public async Task SendToSelf_IsDelivered()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        var tag = new MessageTag(9, 9);
        await cluster[0].Transport.SendAsync(0, tag, new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, (await cluster[0].Transport.ReceiveAsync(0, tag)).ToArray());
    }

    [Fact]
    public async Task StoppedNode_FailsPendingAndLaterReceivesWithTransportExceptionNamingIt()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        var pending0 = cluster[0].Transport.ReceiveAsync(2, new MessageTag(5, 0)).AsTask();
        var pending1 = cluster[1].Transport.ReceiveAsync(2, new MessageTag(5, 0)).AsTask();
        await cluster.StopAsync(2);

        // The bound: the stream break is seen at once; keep-alive (1 s here) covers a silent peer.
        var e0 = await Assert.ThrowsAsync<TransportException>(() => pending0.WaitAsync(TimeSpan.FromSeconds(5)));
        var e1 = await Assert.ThrowsAsync<TransportException>(() => pending1.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, e0.Peer);
        Assert.Equal(2, e1.Peer);
        Assert.Contains("peer 2", e0.Message);
        var later = await Assert.ThrowsAsync<TransportException>(async () => await cluster[0].Transport.ReceiveAsync(2, new MessageTag(5, 1)));
        Assert.Equal(2, later.Peer);
        await Assert.ThrowsAsync<TransportException>(async () => await cluster[1].Transport.SendAsync(2, new MessageTag(5, 1), new byte[8]));
        // The survivors still talk to each other.
        await cluster[0].Transport.SendAsync(1, new MessageTag(5, 2), new byte[] { 42 });
        Assert.Equal(42, (await cluster[1].Transport.ReceiveAsync(0, new MessageTag(5, 2))).Span[0]);
    }

    [Fact]
    public async Task RestartedNode_RejoinsAndExchangesAgain()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        await cluster.StopAsync(1);
        await cluster.StartAsync(1);
        await cluster.ConnectedAsync();
        await cluster[0].Transport.SendAsync(1, new MessageTag(3, 0), new byte[] { 7 });
        await cluster[1].Transport.SendAsync(2, new MessageTag(3, 0), new byte[] { 8 });
        Assert.Equal(7, (await cluster[1].Transport.ReceiveAsync(0, new MessageTag(3, 0))).Span[0]);
        Assert.Equal(8, (await cluster[2].Transport.ReceiveAsync(1, new MessageTag(3, 0))).Span[0]);
    }

    [Fact]
    public async Task DialToAPortNobodyListensOn_IsClassifiedAsRefused()
    {
        // The same connect the dial loop makes, to a reserved loopback port with no listener.
        int port = TestCluster.FreePorts(1)[0];
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var e = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync("127.0.0.1", port));
        Assert.True(PeerTransport.IsConnectionRefused(e), $"not classified as refused: {e}");
    }

    [Fact]
    public void OtherDialFailures_AreNotClassifiedAsRefused()
    {
        Assert.False(PeerTransport.IsConnectionRefused(new IOException("the peer refused the link: node 2 dialled node 0")));
        Assert.False(PeerTransport.IsConnectionRefused(new IOException("reset", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(PeerTransport.IsConnectionRefused(new AuthenticationException("pin mismatch")));
        Assert.True(PeerTransport.IsConnectionRefused(new IOException("refused", new SocketException((int)SocketError.ConnectionRefused))));
    }

    [Fact]
    public void DialBackoff_DoublesUpToOneSecond_ButStaysShortWhileThePeerRefusesConnections()
    {
        var backoff = TimeSpan.FromMilliseconds(20);
        var other = new List<double>();
        var refused = new List<double>();
        for (TimeSpan o = backoff, r = backoff; other.Count < 8; o = PeerTransport.NextBackoff(o, false), r = PeerTransport.NextBackoff(r, true))
        {
            other.Add(o.TotalMilliseconds);
            refused.Add(r.TotalMilliseconds);
        }
        Assert.Equal([20, 40, 80, 160, 320, 640, 1000, 1000], other);
        Assert.Equal([20, 40, 50, 50, 50, 50, 50, 50], refused);
        // A peer that stops refusing (TLS or stream failures) backs off again from the short wait, not from zero.
        Assert.Equal(100, PeerTransport.NextBackoff(PeerTransport.MaxRefusedBackoff, false).TotalMilliseconds);
        // A peer that went down after longer failures is dialled again soon once its port refuses.
        Assert.Equal(50, PeerTransport.NextBackoff(TimeSpan.FromSeconds(1), true).TotalMilliseconds);
        // The first wait after a link was up (the dial loop passes zero) is the shortest one.
        Assert.Equal(20, PeerTransport.NextBackoff(TimeSpan.Zero, false).TotalMilliseconds);
        Assert.Equal(20, PeerTransport.NextBackoff(TimeSpan.Zero, true).TotalMilliseconds);
    }

    [Fact]
    public async Task ReceiveFromLivePeer_TimesOutAfterRoundTimeout()
    {
        await using var cluster = new TestCluster(3, o => o.RoundTimeout = TimeSpan.FromMilliseconds(300));
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        var e = await Assert.ThrowsAsync<TransportException>(async () => await cluster[2].Transport.ReceiveAsync(0, new MessageTag(1, 1)));
        Assert.Equal(0, e.Peer);
        Assert.Contains("within", e.Message);
    }

    [Fact]
    public async Task UnknownCertificate_IsRefusedByTheServer()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        using var stranger = TlsIdentity.Create("stranger");
        Assert.Null(await TryGreetingAsync(cluster, 0, stranger));
        // The node keeps serving its members and clients.
        using var good = cluster.Channel(0, cluster.Client);
        var health = await new Grpc.Health.V1.Health.HealthClient(good).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task ClientCertificate_CannotOpenAPeerLink()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(2);
        Assert.Null(await TryGreetingAsync(cluster, 2, cluster.Client));
        // A member's certificate does get the greeting, so the refusal above is the certificate's.
        var greeting = await TryGreetingAsync(cluster, 2, cluster.Identities[0]);
        Assert.Equal(PeerFrames.HelloSession, greeting?.Tag.Session);
        Assert.Equal(2, BitConverter.ToInt32(greeting!.Value.Payload));
    }

    [Fact]
    public async Task HigherIndexDiallingALowerOne_IsRefusedWithTheReason()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        var greeting = await TryGreetingAsync(cluster, 0, cluster.Identities[2]);
        Assert.Equal(PeerFrames.RefusalSession, greeting?.Tag.Session);
        Assert.Contains("lower index dials", Encoding.UTF8.GetString(greeting!.Value.Payload));
    }

    [Fact]
    public async Task SendOnALinkSession_IsRejected()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(0);
        await Assert.ThrowsAsync<ArgumentException>(async () => await cluster[0].Transport.SendAsync(1, new MessageTag(PeerFrames.PingSession, 0), new byte[1]));
    }

    [Fact]
    public async Task SilentPeer_IsDisconnectedAfterThreeKeepAliveIntervals()
    {
        // The test plays node 0 and, after the greeting, sends nothing at all (not even pings); KeepAliveInterval is 1 s.
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(1, 2);
        await using var link = await DialAsAsync(cluster, 2, cluster.Identities[0]);
        Assert.Equal(PeerFrames.HelloSession, (await ReadFrameAsync(link)).Tag.Session);
        var pending = cluster[2].Transport.ReceiveAsync(0, new MessageTag(4, 0)).AsTask();
        // Node 2 pings us once per interval meanwhile; we read them until it closes the connection.
        int pings = 0;
        while (await TryReadFrameAsync(link).WaitAsync(TimeSpan.FromSeconds(30)) is { } frame)
        {
            Assert.Equal(PeerFrames.PingSession, frame.Tag.Session);
            pings++;
        }
        // Not dropped at the first silent interval: it kept the link (and pinged) through more than one before giving up.
        Assert.True(pings >= 2, $"node 2 dropped the silent link after {pings} ping(s)");
        var e = await Assert.ThrowsAsync<TransportException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("3 × KeepAliveInterval", e.Message);
    }

    [Fact]
    public async Task ServerWithUnpinnedCertificate_IsRefusedByTheDialler()
    {
        // Node 2 runs with a certificate the others did not pin (an impostor on the right address).
        using var impostor = Mpc.Client.TlsIdentity.Create("impostor");
        await using var cluster = new TestCluster(3, o => o.PeerConnectTimeout = TimeSpan.FromSeconds(2));
        var options2 = cluster.Options[2];
        impostor.Save(options2.ResolvedCertificatePath, options2.ResolvedKeyPath);
        options2.Peers[2].Fingerprint = impostor.Fingerprint;
        await cluster.StartAsync();

        // Unreachable: 0 and 1 refuse node 2's server certificate, so they never connect to it.
        var e = await Assert.ThrowsAsync<TransportException>(async () => await cluster[1].Transport.ReceiveAsync(2, new MessageTag(1, 0)));
        Assert.Equal(2, e.Peer);
        Assert.False(cluster[0].Transport.IsConnected(2));
        Assert.False(cluster[2].Transport.IsConnected(0));
    }

    private static byte[] Frame(ulong session, ulong sequence, int length, uint? declared = null)
    {
        var frame = new byte[PeerFrames.HeaderBytes + length];
        PeerFrames.WriteHeader(frame, length, new MessageTag(session, sequence));
        if (declared is { } d)
            BitConverter.TryWriteBytes(frame.AsSpan(0, 4), d);
        return frame;
    }

    private static readonly Dictionary<string, byte[][]> BadFrames = new()
    {
        ["declared length over the limit"] = [Frame(1, 1, 0, declared: (8 << 20) + 1)],
        ["a link session after the greeting"] = [Frame(PeerFrames.HelloSession, 0, 4)],
        ["a ping with a payload"] = [Frame(PeerFrames.PingSession, 0, 1)],
        ["duplicate tag"] = [Frame(1, 1, 1), Frame(1, 1, 1)],
        ["the connection ends inside a frame"] = [Frame(1, 1, 10)[..25]],
        // Well-formed, but nobody receives them: 129 × 64 KiB is past MaxBufferedBytesPerPeer = 8 MiB.
        ["messages nobody receives past the buffer budget"] = [.. Enumerable.Range(0, 129).Select(i => Frame(3, (ulong)i, 1 << 16))],
    };

    [Theory]
    [InlineData("declared length over the limit", "over MaxMessageBytes")]
    [InlineData("a link session after the greeting", "after the greeting")]
    [InlineData("a ping with a payload", "after the greeting")]
    [InlineData("duplicate tag", "arrived twice")]
    [InlineData("the connection ends inside a frame", "end of the stream")]
    [InlineData("messages nobody receives past the buffer budget", "over MaxBufferedBytesPerPeer")]
    public async Task MalformedStream_ClosesTheLink_AndTheNodeKeepsServing(string what, string reason)
    {
        // The test plays node 0 itself, so it can write raw frames with a pinned member certificate.
        await using var cluster = new TestCluster(3, o => (o.MaxMessageBytes, o.MaxBufferedBytesPerPeer) = (8 << 20, 8 << 20));
        await cluster.StartAsync(1, 2);

        await using (var bad = await DialAsAsync(cluster, 2, cluster.Identities[0]))
        {
            Assert.Equal(PeerFrames.HelloSession, (await ReadFrameAsync(bad)).Tag.Session);
            // Fails when the node drops the link, with the reason: the bad frame's, not the silence watchdog's, which
            // would also close a link this test stops writing to.
            var pending = cluster[2].Transport.ReceiveAsync(0, new MessageTag(99, 0)).AsTask();
            try
            {
                foreach (var frame in BadFrames[what])
                    await bad.WriteAsync(frame);
                if (what == "the connection ends inside a frame")
                    await bad.ShutdownAsync();
            }
            catch (IOException)
            {
                // The node may close the connection before the last write; what counts is that it closes it.
            }
            // The node closes the link (it would otherwise ping forever and this loop would hit the test's timeout).
            while (await TryReadFrameAsync(bad).WaitAsync(TimeSpan.FromSeconds(20)) is { } frame)
                Assert.Equal(PeerFrames.PingSession, frame.Tag.Session);
            var dropped = await Assert.ThrowsAsync<TransportException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Contains(reason, dropped.Message);
        }
        Assert.InRange(cluster[2].Transport.BufferedBytes(0), 0, 8 << 20); // what the bad link left stays within the budget
        cluster[2].Transport.DiscardSession(3); // as the jobs of a failed link do when they fail: the budget is free again

        // A well-formed link from the same member is accepted and delivered afterwards ...
        await using var good = await DialAsAsync(cluster, 2, cluster.Identities[0]);
        Assert.Equal(PeerFrames.HelloSession, (await ReadFrameAsync(good)).Tag.Session);
        var message = Frame(7, 0, 3);
        new byte[] { 4, 5, 6 }.CopyTo(message, PeerFrames.HeaderBytes);
        await good.WriteAsync(message);
        var received = await cluster[2].Transport.ReceiveAsync(0, new MessageTag(7, 0)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 4, 5, 6 }, received.ToArray());
        // ... and the real members are unaffected.
        await cluster.ConnectedAsync(2);
        await cluster[1].Transport.SendAsync(2, new MessageTag(7, 1), new byte[] { 9 });
        Assert.Equal(9, (await cluster[2].Transport.ReceiveAsync(1, new MessageTag(7, 1))).Span[0]);
    }

    /// <summary>Opens a TLS connection to <paramref name="node"/>'s peer port presenting <paramref name="identity"/>, pinning the node's certificate.</summary>
    private static async Task<SslStream> DialAsAsync(TestCluster cluster, int node, TlsIdentity identity)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, cluster.Options[node].Peers[node].ResolvedPeerPort);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var options = identity.CreatePinnedClientOptions(cluster.Identities[node].Fingerprint);
        options.TargetHost = "127.0.0.1";
        options.EnabledSslProtocols = SslProtocols.Tls13;
        await tls.AuthenticateAsClientAsync(options);
        return tls;
    }

    /// <summary>The node's first frame to <paramref name="identity"/>, or null when it closed the connection or failed the handshake instead.</summary>
    private static async Task<(MessageTag Tag, byte[] Payload)?> TryGreetingAsync(TestCluster cluster, int node, TlsIdentity identity)
    {
        try
        {
            await using var tls = await DialAsAsync(cluster, node, identity);
            return await TryReadFrameAsync(tls).WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return null;
        }
    }

    private static async Task<(MessageTag Tag, byte[] Payload)> ReadFrameAsync(Stream stream) =>
        await TryReadFrameAsync(stream).WaitAsync(TimeSpan.FromSeconds(20)) ?? throw new EndOfStreamException("the node closed the connection");

    /// <summary>The next frame, or null once the node closed (or reset) the connection.</summary>
    private static async Task<(MessageTag Tag, byte[] Payload)?> TryReadFrameAsync(Stream stream)
    {
        try
        {
            var header = new byte[PeerFrames.HeaderBytes];
            if (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false) < header.Length)
                return null;
            var (length, tag) = PeerFrames.ReadHeader(header);
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload);
            return (tag, payload);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
