using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Mpc.Core.Network;
using Mpc.Node.Protos;
using Mpc.Node.Transport;

namespace Mpc.Node.Tests.Transport;

public sealed class GrpcTransportTests
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
    public async Task ThreeNodes_ExchangeSmallAndChunkedMessagesBothWays_DemultiplexedByTag()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync();
        await cluster.ConnectedAsync();
        // Two sessions, several sequences; one message per tag is multi-chunk (3 MiB + 17 bytes).
        MessageTag[] tags = [new(1, 0), new(1, 1), new(2, 0), new(1, 2), new(2, 1)];
        int Length(MessageTag tag) => tag == new MessageTag(1, 1) ? 3 * GrpcTransport.ChunkBytes + 17 : 16 + (int)tag.Sequence;

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
        // One stream per pair delivers in order: once (10, 1) is here, (9, 1) has been handled.
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
        // The same kind of call the dial loop makes, to a reserved loopback port with no listener.
        int port = TestCluster.FreePorts(1)[0];
        using var identity = Mpc.Client.TlsIdentity.Create("dialler");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"https://127.0.0.1:{port}",
            new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = identity.CreatePinnedHandler(identity.Fingerprint), DisposeHttpClient = true });
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(PeerWire.Exchange, null, new CallOptions());
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync);
        Assert.True(GrpcTransport.IsConnectionRefused(e), $"not classified as refused: {e}");
    }

    [Fact]
    public void OtherDialFailures_AreNotClassifiedAsRefused()
    {
        Assert.False(GrpcTransport.IsConnectionRefused(new RpcException(new Status(StatusCode.Unavailable, "the peer refused the stream"))));
        Assert.False(GrpcTransport.IsConnectionRefused(new RpcException(new Status(StatusCode.Unavailable, "reset",
            new System.Net.Http.HttpRequestException("reset", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset))))));
        Assert.False(GrpcTransport.IsConnectionRefused(new System.Security.Authentication.AuthenticationException("pin mismatch")));
        Assert.True(GrpcTransport.IsConnectionRefused(new System.Net.Http.HttpRequestException("refused",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
    }

    [Fact]
    public void DialBackoff_DoublesUpToOneSecond_ButStaysShortWhileThePeerRefusesConnections()
    {
        var backoff = TimeSpan.FromMilliseconds(20);
        var other = new List<double>();
        var refused = new List<double>();
        for (TimeSpan o = backoff, r = backoff; other.Count < 8; o = GrpcTransport.NextBackoff(o, false), r = GrpcTransport.NextBackoff(r, true))
        {
            other.Add(o.TotalMilliseconds);
            refused.Add(r.TotalMilliseconds);
        }
        Assert.Equal([20, 40, 80, 160, 320, 640, 1000, 1000], other);
        Assert.Equal([20, 40, 50, 50, 50, 50, 50, 50], refused);
        // A peer that stops refusing (TLS or stream failures) backs off again from the short wait, not from zero.
        Assert.Equal(100, GrpcTransport.NextBackoff(GrpcTransport.MaxRefusedBackoff, false).TotalMilliseconds);
        // A peer that went down after longer failures is dialled again soon once its port refuses.
        Assert.Equal(50, GrpcTransport.NextBackoff(TimeSpan.FromSeconds(1), true).TotalMilliseconds);
        // The first wait after a link was up (the dial loop passes zero) is the shortest one.
        Assert.Equal(20, GrpcTransport.NextBackoff(TimeSpan.Zero, false).TotalMilliseconds);
        Assert.Equal(20, GrpcTransport.NextBackoff(TimeSpan.Zero, true).TotalMilliseconds);
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
        using var stranger = Mpc.Client.TlsIdentity.Create("stranger");
        using var channel = cluster.Channel(0, stranger);

        var call = new Peer.PeerClient(channel).Exchange();
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseHeadersAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        // The node keeps serving pinned callers.
        using var good = cluster.Channel(0, cluster.Client);
        var health = await new Grpc.Health.V1.Health.HealthClient(good).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task ClientCertificate_CannotOpenAPeerStream()
    {
        await using var cluster = new TestCluster(3);
        await cluster.StartAsync(2);
        using var channel = cluster.Channel(2, cluster.Client);
        using var call = new Peer.PeerClient(channel).Exchange();
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
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

    private static readonly Dictionary<string, PeerFrame[]> BadFrames = new()
    {
        ["chunk without chunk 0"] = [new PeerFrame { Session = 1, Sequence = 1, Chunk = 1, Last = true }],
        ["declared length over the limit"] = [new PeerFrame { Session = 1, Sequence = 1, MessageLength = 1UL << 40, Payload = ByteString.CopyFrom(1, 2) }],
        ["single chunk shorter than declared"] = [new PeerFrame { Session = 1, Sequence = 1, Last = true, MessageLength = 10, Payload = ByteString.CopyFrom(1, 2) }],
        ["frame over the gRPC limit"] = [new PeerFrame { Session = 1, Sequence = 1, Last = true, MessageLength = 2 << 20, Payload = ByteString.CopyFrom(new byte[2 << 20]) }],
        ["interleaved messages"] = [
            new PeerFrame { Session = 1, Sequence = 1, MessageLength = 4, Payload = ByteString.CopyFrom(1, 2) },
            new PeerFrame { Session = 1, Sequence = 2, Chunk = 1, Last = true, Payload = ByteString.CopyFrom(3, 4) }],
        ["chunk overruns the declared length"] = [
            new PeerFrame { Session = 1, Sequence = 1, MessageLength = 3, Payload = ByteString.CopyFrom(1, 2) },
            new PeerFrame { Session = 1, Sequence = 1, Chunk = 1, Last = true, Payload = ByteString.CopyFrom(3, 4) }],
        ["duplicate tag"] = [
            new PeerFrame { Session = 1, Sequence = 1, Last = true, MessageLength = 1, Payload = ByteString.CopyFrom(1) },
            new PeerFrame { Session = 1, Sequence = 1, Last = true, MessageLength = 1, Payload = ByteString.CopyFrom(1) }],
        // Well-formed, but nobody receives them: 129 × 64 KiB is past MaxBufferedBytesPerPeer = 8 MiB.
        ["messages nobody receives past the buffer budget"] = [.. Enumerable.Range(0, 129).Select(i =>
            new PeerFrame { Session = 3, Sequence = (ulong)i, Last = true, MessageLength = GrpcTransport.ChunkBytes, Payload = ByteString.CopyFrom(new byte[GrpcTransport.ChunkBytes]) })],
    };

    [Theory]
    [InlineData("chunk without chunk 0", StatusCode.InvalidArgument)]
    [InlineData("declared length over the limit", StatusCode.ResourceExhausted)]
    [InlineData("single chunk shorter than declared", StatusCode.InvalidArgument)]
    [InlineData("frame over the gRPC limit", StatusCode.ResourceExhausted)]
    [InlineData("interleaved messages", StatusCode.InvalidArgument)]
    [InlineData("chunk overruns the declared length", StatusCode.InvalidArgument)]
    [InlineData("duplicate tag", StatusCode.InvalidArgument)]
    [InlineData("messages nobody receives past the buffer budget", StatusCode.ResourceExhausted)]
    public async Task MalformedStream_GetsAnErrorStatus_AndTheNodeKeepsServing(string what, StatusCode expected)
    {
        var frames = BadFrames[what];
        // The test plays node 0 itself, so it can write raw frames with a pinned member certificate.
        await using var cluster = new TestCluster(3, o => (o.MaxMessageBytes, o.MaxBufferedBytesPerPeer) = (8 << 20, 8 << 20));
        await cluster.StartAsync(1, 2);
        using var channel = cluster.Channel(2, cluster.Identities[0]);
        var client = new Peer.PeerClient(channel);

        using (var bad = client.Exchange())
        {
            await bad.ResponseHeadersAsync;
            try
            {
                foreach (var frame in frames)
                    await bad.RequestStream.WriteAsync(frame);
                await bad.RequestStream.CompleteAsync(); // a stream the node accepted would end with OK, failing the assertion below, not hang
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                // The server may reset the stream before the last write; the status below is what counts.
            }
            var status = await Assert.ThrowsAsync<RpcException>(() => bad.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(expected == status.StatusCode, $"{what}: expected {expected}, got {status.StatusCode} ({status.Status.Detail})");
        }
        Assert.InRange(cluster[2].Transport.BufferedBytes(0), 0, 8 << 20); // what the bad stream left stays within the budget
        cluster[2].Transport.DiscardSession(3); // as the jobs of a failed stream do when they fail: the budget is free again

        // A well-formed stream from the same member is accepted and delivered afterwards ...
        using var good = client.Exchange();
        await good.ResponseHeadersAsync;
        await good.RequestStream.WriteAsync(new PeerFrame { Session = 7, Sequence = 0, Last = true, MessageLength = 3, Payload = ByteString.CopyFrom(4, 5, 6) });
        var received = await cluster[2].Transport.ReceiveAsync(0, new MessageTag(7, 0)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 4, 5, 6 }, received.ToArray());
        // ... and the real members are unaffected.
        await cluster.ConnectedAsync(2);
        await cluster[1].Transport.SendAsync(2, new MessageTag(7, 1), new byte[] { 9 });
        Assert.Equal(9, (await cluster[2].Transport.ReceiveAsync(1, new MessageTag(7, 1))).Span[0]);
        await good.RequestStream.CompleteAsync();
    }
}
