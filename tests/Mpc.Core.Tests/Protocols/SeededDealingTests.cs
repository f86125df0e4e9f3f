using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Protocols;

/// <summary>
/// The PRG-compressed DN07 dealing (<see cref="RandomSharingSource{T}"/>): whatever mix of explicit and seeded
/// shares a dealer uses, every party ends up with consistent sharings of the right degree and secret.
/// </summary>
public class SeededDealingTests
{
    /// <summary>(n, t, count, seed) with n ≤ 7 and t &lt; n/2.</summary>
    private static readonly Arbitrary<(int N, int T, int Count, int Seed)> Setups =
        (from n in Gen.Choose(1, 7)
         from t in Gen.Choose(0, (n - 1) / 2)
         from count in Gen.Choose(0, 40)
         from seed in Gen.Choose(1, 1000)
         select (n, t, count, seed)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property Double_sharings_are_degree_t_and_2t_sharings_of_one_secret() => Prop.ForAll(Setups, s =>
    {
        Fp61[][][] kinds = Deal<Fp61>(s.N, s.T, s.Count, s.Seed, t => [new(t, DealtSecret.Random), new(2 * t, DealtSecret.Previous)]);

        Fp61[] low = Cluster.Open(s.T, kinds[0]), high = Cluster.Open(s.T, kinds[1], degree: 2 * s.T);
        return low.Length == s.Count && low.SequenceEqual(high);
    });

    [Property(MaxTest = 40)]
    public Property Zero_sharings_are_degree_2t_sharings_of_zero_beside_random_degree_t_ones() => Prop.ForAll(Setups, s =>
    {
        Fp61[][][] kinds = Deal<Fp61>(s.N, s.T, s.Count, s.Seed, t => [new(t, DealtSecret.Random), new(2 * t, DealtSecret.Zero)]);

        Fp61[] random = Cluster.Open(s.T, kinds[0]), zero = Cluster.Open(s.T, kinds[1], degree: 2 * s.T);
        return zero.All(z => z == Fp61.Zero) && random.Distinct().Count() == s.Count;
    });

    [Property(MaxTest = 25)]
    public Property Triples_satisfy_c_equals_a_times_b() => Prop.ForAll(Setups, s =>
    {
        TripleBatch<Fp61>[] triples = Cluster.RunAsync<Fp61, TripleBatch<Fp61>>(s.N, s.T,
            c => new Dn07TripleSource<Fp61>(c).GenerateAsync(s.Count).AsTask(), seed: s.Seed).GetAwaiter().GetResult();

        Fp61[] Open(Func<TripleBatch<Fp61>, ReadOnlyMemory<Fp61>> part) => Cluster.Open(s.T, triples.Select(x => part(x).ToArray()).ToArray());
        Fp61[] a = Open(x => x.A), b = Open(x => x.B), c = Open(x => x.C);
        return Enumerable.Range(0, s.Count).All(i => a[i] * b[i] == c[i]);
    });

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Triples_from_a_checked_context_verify_their_opening_and_satisfy_c_equals_a_times_b(int n)
    {
        int t = (n - 1) / 2;
        TripleBatch<Fp61>[] triples = await Cluster.RunAsync<Fp61, TripleBatch<Fp61>>(n, t,
            c => new Dn07TripleSource<Fp61>(c).GenerateAsync(50).AsTask(), checkOpenings: true);

        Fp61[] Open(Func<TripleBatch<Fp61>, ReadOnlyMemory<Fp61>> part) => Cluster.Open(t, triples.Select(x => part(x).ToArray()).ToArray());
        Fp61[] a = Open(x => x.A), b = Open(x => x.B), c = Open(x => x.C);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(a[i] * b[i], c[i]));
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void Non_blittable_and_wide_fields_deal_consistent_double_sharings(int n, int t)
    {
        Fp31[][][] small = Deal<Fp31>(n, t, 30, 3, d => [new(d, DealtSecret.Random), new(2 * d, DealtSecret.Previous)]);
        Assert.Equal(Cluster.Open(t, small[0]), Cluster.Open(t, small[1], degree: 2 * t));
        Fp127[][][] wide = Deal<Fp127>(n, t, 30, 3, d => [new(d, DealtSecret.Random), new(2 * d, DealtSecret.Previous)]);
        Assert.Equal(Cluster.Open(t, wide[0]), Cluster.Open(t, wide[1], degree: 2 * t));
    }

    [Fact]
    public async Task With_three_parties_a_triple_dealing_is_only_seeds_and_a_resharing_one_explicit_share_per_triple()
    {
        // n = 3, t = 1: the random kinds a and b have t + 1 = 2 free shares, so both other parties' shares come from
        // seeds (3 Fp61 elements of ≥ 60 bits of entropy each) and the dealer computes its own. Resharing a product
        // share (fixed secret) leaves t = 1 free share: the next party gets a seed, the one after an explicit share.
        const int count = 1000;
        InMemoryTransport[] transports = InMemoryNetwork.Create(3);
        var recorders = transports.Select(tr => new RecordingTransport(tr)).ToArray();
        await Task.WhenAll(recorders.Select(tr => Task.Run(() =>
            new Dn07TripleSource<Fp61>(new ProtocolContext<Fp61>(tr, 1, session: 5)).GenerateAsync(count).AsTask())));

        foreach (RecordingTransport recorder in recorders)
        {
            int me = recorder.Party;
            var dealing = recorder.Sent.Where(m => m.Tag.Sequence == 1).ToDictionary(m => m.Peer, m => m.Payload.Length);
            Assert.Equal(3 * 8, dealing[(me + 1) % 3]);
            Assert.Equal(3 * 8, dealing[(me + 2) % 3]);
            var resharing = recorder.Sent.Where(m => m.Tag.Sequence == 2).ToDictionary(m => m.Peer, m => m.Payload.Length);
            Assert.Equal(3 * 8, resharing[(me + 1) % 3]);
            Assert.Equal(count * 8, resharing[(me + 2) % 3]);
            Assert.Equal(4, recorder.Sent.Count);
        }
        foreach (var transport in transports) await transport.DisposeAsync();
    }

    [Fact]
    public async Task Seeds_are_fresh_in_every_session()
    {
        // Two sessions of the same parties with the operating system's randomness: every seed differs.
        InMemoryTransport[] transports = InMemoryNetwork.Create(3);
        var recorders = transports.Select(tr => new RecordingTransport(tr)).ToArray();
        foreach (ulong session in new ulong[] { 1, 2 })
            await Task.WhenAll(recorders.Select(tr => Task.Run(() =>
                new RandomSharingSource<Fp61>(new ProtocolContext<Fp61>(tr, 1, session)).GenerateAsync(10).AsTask())));

        // Each dealing message is exactly a seed (t + 1 = 2 free shares: both other parties are seeded).
        var seeds = recorders.SelectMany(r => r.Sent).Select(m => Convert.ToHexString(m.Payload.Span)).ToList();
        Assert.Equal(12, seeds.Count);
        Assert.All(seeds, s => Assert.Equal(2 * 3 * 8, s.Length));
        Assert.Equal(12, seeds.Distinct().Count());
        foreach (var transport in transports) await transport.DisposeAsync();
    }

    [Fact]
    public async Task Seeds_are_drawn_not_derived_so_a_replayed_session_and_tag_gets_new_ones()
    {
        // The same session twice: same tags, dealers and receivers. A seed computed from those (not drawn from the
        // context's randomness) would repeat, and the test above, whose tags all differ, would not notice.
        InMemoryTransport[] transports = InMemoryNetwork.Create(3);
        var recorders = transports.Select(tr => new RecordingTransport(tr)).ToArray();
        for (int run = 0; run < 2; run++)
            await Task.WhenAll(recorders.Select(tr => Task.Run(() =>
                new RandomSharingSource<Fp61>(new ProtocolContext<Fp61>(tr, 1, session: 7)).GenerateAsync(10).AsTask())));

        var sent = recorders.SelectMany(r => r.Sent).ToList();
        Assert.Equal(12, sent.Count);
        Assert.All(sent, m => Assert.Equal(new MessageTag(7, 1), m.Tag));
        Assert.Equal(12, sent.Select(m => Convert.ToHexString(m.Payload.Span)).Distinct().Count());
        foreach (var transport in transports) await transport.DisposeAsync();
    }

    private static T[][][] Deal<T>(int n, int t, int count, int seed, Func<int, SharingSpec[]> kinds) where T : struct, IField<T>
    {
        T[][][] byParty = Cluster.RunAsync<T, T[][]>(n, t,
            c => new RandomSharingSource<T>(c).DealAsync(kinds(t), count, CancellationToken.None).AsTask(), seed: seed).GetAwaiter().GetResult();
        // Regroup as kind → party → shares.
        return Enumerable.Range(0, byParty[0].Length).Select(k => byParty.Select(p => p[k]).ToArray()).ToArray();
    }

}
