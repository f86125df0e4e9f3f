using System.Runtime.InteropServices;
using Mpc.Core.Network;

namespace Mpc.Core.Tests.Network;

public class InMemoryNetworkTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly MessageTag Tag = new(1, 1);

    [Fact]
    public async Task PayloadIsHandedOverWithoutCopy()
    {
        var net = InMemoryNetwork.Create(2);
        var payload = new byte[] { 1, 2, 3 };

        await net[0].SendAsync(1, Tag, payload);
        ReadOnlyMemory<byte> received = await net[1].ReceiveAsync(0, Tag);

        Assert.True(MemoryMarshal.TryGetArray(received, out ArraySegment<byte> segment));
        Assert.Same(payload, segment.Array);
    }

    [Fact]
    public async Task SendEachDeliversEveryPeerItsOwnPayload_AndReportsAFailedSendAfterTheOthers()
    {
        var net = InMemoryNetwork.Create(4);
        int[] peers = [1, 2, 3];

        await net[0].SendEachAsync(peers, k => new byte[] { (byte)(10 + peers[k]) }, Tag);
        foreach (int p in peers)
            Assert.Equal(10 + p, (await net[p].ReceiveAsync(0, Tag)).Span[0]);

        // Peer 1 is the sender itself: that send is refused, the ones to 2 and 3 still go out.
        var next = new MessageTag(1, 2);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await net[1].SendToAllAsync([2, 1, 3], next, new byte[] { 7 }));
        Assert.Equal(7, (await net[2].ReceiveAsync(1, next)).Span[0]);
        Assert.Equal(7, (await net[3].ReceiveAsync(1, next)).Span[0]);
    }

    [Fact]
    public async Task BarrierReleasesNoPartyBeforeTheLastOneArrives()
    {
        var net = InMemoryNetwork.Create(3);
        int[][] others = [[1, 2], [0, 2], [0, 1]];
        var early = new[] { net[0].BarrierAsync(others[0], Tag).AsTask(), net[1].BarrierAsync(others[1], Tag).AsTask() };

        await Task.Delay(50);
        Assert.All(early, t => Assert.False(t.IsCompleted));

        await net[2].BarrierAsync(others[2], Tag).AsTask().WaitAsync(Bound);
        await Task.WhenAll(early).WaitAsync(Bound);
    }

    [Fact]
    public async Task ReceiveWaitsForALaterSendAndTagsDoNotMix()
    {
        var net = InMemoryNetwork.Create(3);
        ValueTask<ReadOnlyMemory<byte>> second = net[2].ReceiveAsync(0, new MessageTag(1, 2));
        ValueTask<ReadOnlyMemory<byte>> first = net[2].ReceiveAsync(0, Tag);
        Assert.False(first.IsCompleted);

        await net[0].SendAsync(2, new MessageTag(1, 2), new byte[] { 2 });
        await net[0].SendAsync(2, Tag, new byte[] { 1 });
        await net[1].SendAsync(2, Tag, new byte[] { 9 });

        Assert.Equal(1, (await first.AsTask().WaitAsync(Bound)).Span[0]);
        Assert.Equal(2, (await second.AsTask().WaitAsync(Bound)).Span[0]);
        Assert.Equal(9, (await net[2].ReceiveAsync(1, Tag)).Span[0]);
    }

    [Fact]
    public async Task DuplicateTagIsRefused()
    {
        var net = InMemoryNetwork.Create(2);
        await net[0].SendAsync(1, Tag, new byte[] { 1 });
        var error = await Assert.ThrowsAsync<TransportException>(() => net[0].SendAsync(1, Tag, new byte[] { 2 }).AsTask());
        Assert.Contains("twice", error.Message);
        Assert.Equal(1, (await net[1].ReceiveAsync(0, Tag)).Span[0]); // the first message survives
    }

    [Fact]
    public async Task DisposingAPartyFailsPendingAndLaterReceivesOfOthers()
    {
        var net = InMemoryNetwork.Create(3);
        await net[0].SendAsync(1, new MessageTag(1, 0), new byte[] { 5 }); // sent before leaving: still delivered
        ValueTask<ReadOnlyMemory<byte>> pending = net[2].ReceiveAsync(0, Tag);

        await net[0].DisposeAsync();

        var error = await Assert.ThrowsAsync<TransportException>(() => pending.AsTask().WaitAsync(Bound));
        Assert.Equal(0, error.Peer);
        await Assert.ThrowsAsync<TransportException>(() => net[1].ReceiveAsync(0, Tag).AsTask().WaitAsync(Bound));
        Assert.Equal(5, (await net[1].ReceiveAsync(0, new MessageTag(1, 0))).Span[0]);
        await Assert.ThrowsAsync<TransportException>(() => net[1].SendAsync(0, Tag, new byte[1]).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => net[0].SendAsync(1, Tag, new byte[1]).AsTask());
    }

    [Fact]
    public async Task AbortNamesTheReasonInOthersErrors()
    {
        var net = InMemoryNetwork.Create(2);
        ValueTask<ReadOnlyMemory<byte>> pending = net[1].ReceiveAsync(0, Tag);
        net[0].Abort("simulated crash");
        var error = await Assert.ThrowsAsync<TransportException>(() => pending.AsTask().WaitAsync(Bound));
        Assert.Contains("simulated crash", error.Message);
    }

    [Fact]
    public async Task CancelledReceiveIsWithdrawn()
    {
        var net = InMemoryNetwork.Create(2);
        using var cts = new CancellationTokenSource();
        ValueTask<ReadOnlyMemory<byte>> pending = net[1].ReceiveAsync(0, Tag, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Bound));
        await net[0].SendAsync(1, Tag, new byte[] { 3 });
        Assert.Equal(3, (await net[1].ReceiveAsync(0, Tag)).Span[0]);
    }

    [Fact]
    public async Task ReceiveFromAllFailsFastWhenOnePeerLeaves()
    {
        var net = InMemoryNetwork.Create(3);
        Task<ReadOnlyMemory<byte>[]> all = net[0].ReceiveFromAllAsync([1, 2], Tag).AsTask();

        await net[2].DisposeAsync(); // peer 1 never sends: we must not wait for it

        var error = await Assert.ThrowsAsync<TransportException>(() => all.WaitAsync(Bound));
        Assert.Equal(2, error.Peer);
    }

    [Fact]
    public void RejectsBadPeers()
    {
        var net = InMemoryNetwork.Create(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => net[0].SendAsync(0, Tag, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => net[0].ReceiveAsync(2, Tag));
    }
}
