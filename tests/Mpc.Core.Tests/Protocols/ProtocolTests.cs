using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Protocols;

public class ProtocolTests
{
    public static TheoryData<int> PartyCounts => new() { 3, 5, 7 };

    public static TheoryData<int, OpeningMode, bool> PartyCountsAndModes()
    {
        var data = new TheoryData<int, OpeningMode, bool>();
        foreach (int n in new[] { 3, 5, 7 })
            foreach (var mode in new[] { OpeningMode.AllToAll, OpeningMode.King })
                foreach (bool check in new[] { false, true })
                    data.Add(n, mode, check);
        return data;
    }

    private static int T(int n) => (n - 1) / 2;

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task RandomSharingsAreConsistentDegreeTAndDistinct(int n)
    {
        Fp61[][] shares = await Cluster.RunAsync<Fp61, Fp61[]>(n, T(n), c => new RandomSharingSource<Fp61>(c).GenerateAsync(101).AsTask());

        Fp61[] values = Cluster.Open(T(n), shares);
        Assert.Equal(101, values.Length);
        Assert.Equal(101, values.Distinct().Count()); // uniform over 2^61: a repeat means a bug
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task DoubleSharingsShareOneValueAtDegreesTAndTwoT(int n)
    {
        int t = T(n);
        DoubleSharings<Fp61>[] shares = await Cluster.RunAsync<Fp61, DoubleSharings<Fp61>>(n, t,
            c => new RandomSharingSource<Fp61>(c).GenerateDoubleAsync(50).AsTask());

        Fp61[] low = Cluster.Open(t, shares.Select(s => s.Low).ToArray());
        Fp61[] high = Cluster.Open(t, shares.Select(s => s.High).ToArray(), degree: 2 * t);
        Assert.Equal(low, high);
        // The high sharings really have degree 2t, not t (their top coefficients are random).
        Assert.Throws<InconsistentSharesException>(() => Cluster.Open(t, shares.Select(s => s.High).ToArray()));
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task TriplesSatisfyCEqualsATimesB(int n)
    {
        Fp61[] a = await AssertTriplesAsync<Fp61>(n, 77);
        Assert.Equal(77, a.Distinct().Count());
    }

    [Fact]
    public Task TriplesWorkInANonBlittableField() => AssertTriplesAsync<Fp31>(5, 40);

    [Fact]
    public async Task TriplesSpanningSeveralPipelinedSlicesSatisfyCEqualsATimesB()
    {
        // More slices than run at once, and a short last slice: every slice lands at its own offset.
        int count = (Dn07TripleSource<Fp61>.SlicesInFlight + 1) * Dn07TripleSource<Fp61>.SliceSize + 7;
        Fp61[] a = await AssertTriplesAsync<Fp61>(3, count);
        Assert.Equal(count, a.Distinct().Count());
    }

    [Theory]
    [InlineData(3, 1, 2 * RandomBitSource<Fp61>.SliceSize + 3)] // several pipelined slices
    [InlineData(4, 1, 101)]                                     // 2t + 1 < n: each king hears from a subset
    [InlineData(5, 2, 3)]                                       // fewer bits than kings: empty segments
    public async Task RandomBitsAreBitsForEveryKingLayout(int n, int t, int count)
    {
        Fp61[][] shares = await Cluster.RunAsync<Fp61, Fp61[]>(n, t, c => new RandomBitSource<Fp61>(c).GenerateAsync(count).AsTask());

        Fp61[] bits = Cluster.Open(t, shares);
        Assert.Equal(count, bits.Length);
        Assert.All(bits, b => Assert.True(b == Fp61.Zero || b == Fp61.One, $"{b} is not a bit"));
        if (count > 100) Assert.InRange(bits.Count(b => b == Fp61.One), count / 4, 3 * count / 4);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task RandomBitsWithCheckedOpeningsAreBits(int n)
    {
        Fp61[][] shares = await Cluster.RunAsync<Fp61, Fp61[]>(n, T(n), c => new RandomBitSource<Fp61>(c).GenerateAsync(300).AsTask(),
            OpeningMode.AllToAll, checkOpenings: true);

        Fp61[] bits = Cluster.Open(T(n), shares);
        Assert.All(bits, b => Assert.True(b == Fp61.Zero || b == Fp61.One, $"{b} is not a bit"));
        Assert.Contains(Fp61.Zero, bits);
        Assert.Contains(Fp61.One, bits);
    }

    [Theory]
    [InlineData(400)]                                  // one slice: about 13 positions regenerated
    [InlineData(RandomBitSource<Fp31>.SliceSize + 400)] // pipelined slices: the regeneration waits for all of them
    public async Task RandomBitsInASmallFieldRegenerateThePositionsWhereRWasZero(int count)
    {
        // In GF(31), r = 0 one time in 31 (generic InverseSqrt path).
        Fp31[][] shares = await Cluster.RunAsync<Fp31, Fp31[]>(3, 1, c => new RandomBitSource<Fp31>(c).GenerateAsync(count).AsTask());

        Fp31[] bits = Cluster.Open(1, shares);
        Assert.All(bits, b => Assert.True(b == Fp31.Zero || b == Fp31.One, $"{b} is not a bit"));
        Assert.Contains(Fp31.Zero, bits);
        Assert.Contains(Fp31.One, bits);
    }

    [Fact]
    public async Task AFailingSliceCancelsTheOthersAndItsErrorIsRethrown()
    {
        int cancelled = 0, reserved = 0;
        var thirdStarted = new TaskCompletionSource();
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await SlicePipeline.RunAsync(10, 1, 3, () => reserved++,
            async (start, length, tag, token) =>
            {
                if (start == 2) thirdStarted.SetResult();
                if (start == 1)
                {
                    await thirdStarted.Task; // fail while three slices are in flight
                    throw new InvalidDataException("slice 1 is corrupt");
                }
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }
            }, CancellationToken.None));

        Assert.Equal("slice 1 is corrupt", e.Message);
        Assert.Equal(2, cancelled); // slices 0 and 2 were running; none started after the failure
        Assert.Equal(3, reserved);
    }

    /// <summary>Generates triples on n parties, opens them checked, asserts c = a·b, returns the a values.</summary>
    private static async Task<TField[]> AssertTriplesAsync<TField>(int n, int count) where TField : struct, IField<TField>
    {
        int t = T(n);
        TripleBatch<TField>[] triples = await Cluster.RunAsync<TField, TripleBatch<TField>>(n, t,
            c => new Dn07TripleSource<TField>(c).GenerateAsync(count).AsTask());

        TField[] Open(Func<TripleBatch<TField>, ReadOnlyMemory<TField>> part) => Cluster.Open(t, triples.Select(x => part(x).ToArray()).ToArray());
        TField[] a = Open(x => x.A), b = Open(x => x.B), c = Open(x => x.C);
        for (int i = 0; i < count; i++) Assert.Equal(a[i] * b[i], c[i]);
        return a;
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task RandomBitsAreZeroOrOneAndBothOccur(int n)
    {
        int t = T(n);
        Fp61[][] shares = await Cluster.RunAsync<Fp61, Fp61[]>(n, t, c => new RandomBitSource<Fp61>(c).GenerateAsync(200).AsTask());

        Fp61[] bits = Cluster.Open(t, shares);
        Assert.All(bits, b => Assert.True(b == Fp61.Zero || b == Fp61.One, $"{b} is not a bit"));
        Assert.Contains(Fp61.Zero, bits);
        Assert.Contains(Fp61.One, bits);
    }

    [Theory]
    [MemberData(nameof(PartyCountsAndModes))]
    public async Task BeaverProductsEqualPlaintextProducts(int n, OpeningMode mode, bool check)
    {
        int t = T(n), count = 64;
        var random = new SeededRandom(n);
        var x = new Fp61[count];
        var y = new Fp61[count];
        Fp61.RandomFill(random, x);
        Fp61.RandomFill(random, y);
        x[0] = Fp61.Zero;
        y[1] = -Fp61.One;

        Fp61[][] z = await Cluster.RunAsync<Fp61, Fp61[]>(n, t, async c =>
        {
            TripleBatch<Fp61> triples = await new Dn07TripleSource<Fp61>(c).GenerateAsync(count);
            var input = new ShamirInput<Fp61>(c);
            var counts = new int[n];
            counts[0] = count;
            counts[n - 1] = count;
            Fp61[][] inputs = await input.InputAsync(counts, c.Party == 0 ? x : c.Party == n - 1 ? y : default);
            return await new BeaverMultiplier<Fp61>(c).MultiplyAsync(inputs[0], inputs[n - 1], triples);
        }, mode, check);

        Fp61[] products = Cluster.Open(t, z);
        for (int i = 0; i < count; i++) Assert.Equal(x[i] * y[i], products[i]);
    }

    [Fact]
    public async Task MultiplyIntoADestinationThatAliasesAFactor()
    {
        Fp61[][] opened = await Cluster.RunAsync<Fp61, Fp61[]>(3, 1, async c =>
        {
            TripleBatch<Fp61> triples = await new Dn07TripleSource<Fp61>(c).GenerateAsync(20);
            Fp61[] x = await new ShamirInput<Fp61>(c).InputAsync(0, 20, c.Party == 0 ? Enumerable.Range(0, 20).Select(i => Fp61.FromUInt64((ulong)i)).ToArray() : default);
            await new BeaverMultiplier<Fp61>(c).MultiplyAsync(x, x, triples, x); // x ← x·x in place
            return await new Opener<Fp61>(c).OpenAsync(x);
        });

        Assert.All(opened, squares => Assert.Equal(Enumerable.Range(0, 20).Select(i => Fp61.FromUInt64((ulong)(i * i))), squares));
    }

    [Theory]
    [InlineData(OpeningMode.AllToAll)]
    [InlineData(OpeningMode.King)]
    public async Task CallersMayReuseTheirShareBufferOnceAnOpeningReturns(OpeningMode mode)
    {
        var secrets = Enumerable.Range(1, 500).Select(i => Fp61.FromUInt64((ulong)i)).ToArray();
        Fp61[][] opened = await Cluster.RunAsync<Fp61, Fp61[]>(5, 2, async c =>
        {
            Fp61[] shares = await new ShamirInput<Fp61>(c).InputAsync(0, secrets.Length, c.Party == 0 ? secrets : default);
            Fp61[] values = await new Opener<Fp61>(c, mode, checkConsistency: true).OpenAsync(shares);
            Array.Fill(shares, -Fp61.One); // peers may still be reading what we sent
            return values;
        });
        Assert.All(opened, values => Assert.Equal(secrets, values));
    }

    [Theory]
    [MemberData(nameof(PartyCountsAndModes))]
    public async Task OpeningModesAgree(int n, OpeningMode mode, bool check)
    {
        int t = T(n);
        var secrets = Enumerable.Range(0, 33).Select(i => Fp61.FromUInt64((ulong)i * 1_000_003)).ToArray();

        Fp61[][] opened = await Cluster.RunAsync<Fp61, Fp61[]>(n, t, async c =>
        {
            Fp61[] shares = await new ShamirInput<Fp61>(c).InputAsync(1, secrets.Length, c.Party == 1 ? secrets : default);
            // Open twice, so the king rotates, and with the mode under test against the default.
            Fp61[] viaMode = await new Opener<Fp61>(c, mode, check).OpenAsync(shares);
            Fp61[] again = await new Opener<Fp61>(c, mode, check).OpenAsync(shares);
            Fp61[] viaDefault = await new Opener<Fp61>(c).OpenAsync(shares);
            Assert.Equal(viaDefault, viaMode);
            Assert.Equal(viaDefault, again);
            return viaMode;
        });

        Assert.All(opened, values => Assert.Equal(secrets, values));
    }

    [Theory]
    [InlineData(OpeningMode.AllToAll)]
    [InlineData(OpeningMode.King)]
    public async Task CheckedOpeningDetectsACorruptShare(OpeningMode mode)
    {
        const int n = 5;
        Exception?[] outcomes = await Cluster.RunAsync<Fp61, Exception?>(n, 2, async c =>
        {
            Fp61[] shares = await new RandomSharingSource<Fp61>(c).GenerateAsync(10);
            if (c.Party == 3) shares[4] += Fp61.One; // a cheating party
            try
            {
                await new Opener<Fp61>(c, mode, checkConsistency: true).OpenAsync(shares);
                return null;
            }
            catch (Exception e)
            {
                await c.Transport.DisposeAsync(); // abort, as a node does: release parties waiting on us
                return e;
            }
        });

        // Checked openings are all-to-all whatever mode is asked for, so every party checks and detects.
        var detected = outcomes.OfType<InconsistentSharesException>().ToArray();
        Assert.NotEmpty(detected);
        Assert.All(detected, e => Assert.Equal(4, e.Index));
        Assert.All(outcomes, e => Assert.True(e is InconsistentSharesException or TransportException, e?.ToString() ?? "no error"));
        Assert.Equal(n, detected.Length);
    }

    [Fact]
    public void Contributor_sets_are_built_once_per_session_and_rotate_from_their_first_party()
    {
        var context = new ProtocolContext<Fp61>(InMemoryNetwork.Create(5)[1], 2);

        var set = context.Contributors(3, 3);

        Assert.Same(set, context.Contributors(3, 3));
        Assert.Same(set, context.Fork(7).Contributors(3, 3)); // forks share the root's sets
        Assert.Equal([3, 4, 0], set.Parties);
        Assert.Equal(-1, set.Position);
        Assert.Equal([3, 4, 0], set.Peers);
        Assert.Equal(context.Scheme.LagrangeCoefficients([3, 4, 0]).ToArray(), set.Lambdas);
        var mine = context.Contributors(0, 3);
        Assert.Equal(1, mine.Position);
        Assert.Equal([0, 2], mine.Peers);
        // Party 1 is in the windows of 3 starting at 0 and at 4: those read its share in an all-to-all opening.
        Assert.Equal([0, 4], mine.Readers);
        Assert.Equal([0, 4], set.Readers);
        var window = context.Contributors(1, 3);
        Assert.Equal([1, 2, 3], window.Parties);
        Assert.Equal(0, window.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.Contributors(0, 2)); // fewer than t + 1
        Assert.Throws<ArgumentOutOfRangeException>(() => context.Contributors(5, 3));
    }

    [Fact]
    public void A_checked_opening_never_trusts_a_king()
    {
        var context = new ProtocolContext<Fp61>(InMemoryNetwork.Create(3)[0], 1);

        Assert.Equal(OpeningMode.AllToAll, new Opener<Fp61>(context, OpeningMode.King, checkConsistency: true).Mode);
        Assert.Equal(OpeningMode.King, new Opener<Fp61>(context, OpeningMode.King, checkConsistency: false).Mode);
    }

    [Theory]
    [InlineData(OpeningMode.AllToAll, 0)]
    [InlineData(OpeningMode.AllToAll, 2)]
    [InlineData(OpeningMode.King, 1)]
    public async Task APartyThatLeavesMakesTheOthersFail(OpeningMode mode, int leaver)
    {
        const int n = 3;
        InMemoryTransport[] net = InMemoryNetwork.Create(n);
        var tasks = new List<Task>();
        for (int i = 0; i < n; i++)
        {
            if (i == leaver) continue;
            var context = new ProtocolContext<Fp61>(net[i], 1, random: new SeededRandom(i), openingMode: mode, checkOpenings: leaver == 2);
            tasks.Add(Task.Run(async () =>
            {
                TripleBatch<Fp61> triples = await new Dn07TripleSource<Fp61>(context).GenerateAsync(8);
                await new BeaverMultiplier<Fp61>(context).MultiplyAsync(triples.A, triples.B, triples);
            }));
        }

        await net[leaver].DisposeAsync();

        foreach (Task task in tasks)
            await Assert.ThrowsAsync<TransportException>(() => task.WaitAsync(Cluster.Timeout));
    }

    [Fact]
    public async Task InputValidatesCounts()
    {
        var net = InMemoryNetwork.Create(3);
        var context = new ProtocolContext<Fp61>(net[0], 1);
        var input = new ShamirInput<Fp61>(context);
        await Assert.ThrowsAsync<ArgumentException>(() => input.InputAsync([2, 0, 0], new Fp61[1]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => input.InputAsync([2, 0], new Fp61[2]).AsTask());
        Assert.Throws<ArgumentException>(() => new ProtocolContext<Fp61>(net[0], 2));
    }

    [Fact]
    public void FinalizeMultiplyDoesNotAllocate()
    {
        const int count = 1000;
        var random = new SeededRandom(5);
        var a = new Fp61[count]; var b = new Fp61[count]; var c = new Fp61[count];
        var opened = new Fp61[2 * count]; var z = new Fp61[count];
        Fp61.RandomFill(random, a); Fp61.RandomFill(random, b); Fp61.RandomFill(random, opened);
        var triples = new TripleBatch<Fp61>(a, b, c);
        BeaverMultiplier<Fp61>.FinalizeMultiply(opened, triples, z); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        BeaverMultiplier<Fp61>.FinalizeMultiply(opened, triples, z);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
